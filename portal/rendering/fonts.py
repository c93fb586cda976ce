"""The fonts the PDFs are drawn with, and the text that may reach them.

fpdf2 ships no Unicode font; reportlab (a dependency for this reason alone) ships Bitstream
Vera, whose licence allows redistribution and which covers Windows-1252: every German letter,
€, „ “ ‚ ‘, – — … •. A character outside the font never reaches fpdf2: it is decomposed
(é → e + ´ is in the font anyway; ł, Ş, ő … lose their accent) or becomes "?", so a render
never fails and never draws an empty box.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cache
from pathlib import Path

import reportlab
from fontTools.ttLib import TTFont

# fontTools logs every table it subsets at INFO: a dozen lines per PDF in the worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FAMILY = "Vera"
FONT_DIR = Path(reportlab.__file__).parent / "fonts"
# fpdf2 embeds (subsets) every face added, used or not: only the three faces drawn with.
FILES = {"": "Vera.ttf", "B": "VeraBd.ttf", "I": "VeraIt.ttf"}
REPLACEMENT = "?"
# Typographic characters outside Windows-1252 with a close stand-in inside it.
STAND_INS = {
    "\u2212": "-",  # minus sign
    "\u2011": "-",  # non-breaking hyphen
    "\u2010": "-",
    "\u00a0": " ",
    "\u202f": " ",  # narrow no-break space (French, some German number formats)
    "\u2009": " ",
    "\u200b": "",  # zero-width space
    "\ufeff": "",
    "\u2032": "'",
    "\u2033": '"',
    "\u2192": "->",
    "\u2713": "v",
}


def font_path(style: str) -> Path:
    return FONT_DIR / FILES[style]


@cache
def covered() -> frozenset[int]:
    """Code points the regular face has a glyph for (the other faces cover the same set)."""
    font = TTFont(str(font_path("")), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _stand_in(char: str, glyphs: frozenset[int]) -> str:
    if char in STAND_INS:
        return STAND_INS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if ord(c) in glyphs and not unicodedata.combining(c))
    return kept or REPLACEMENT


def clean(text: object, *, multiline: bool = True) -> str:
    """`text` as something the font can draw: NFC, control characters dropped (line breaks
    kept when `multiline`), everything outside the font replaced."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    glyphs = covered()
    out: list[str] = []
    for char in value.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            out.append("\n" if multiline else " ")
        elif char == "\t":
            out.append("    ")
        elif ord(char) in glyphs:
            out.append(char)
        elif unicodedata.category(char).startswith("C"):
            continue
        else:
            out.append(_stand_in(char, glyphs))
    return "".join(out)
