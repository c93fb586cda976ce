"""The page every rendered PDF is drawn on: A4, the organization's letterhead, the draft
mark on every page (previews), the page number, legal details (tax numbers, register) and the
bank account in the footer, and a table whose column header repeats on every page it runs
over.

Everything drawn goes through `plain()`/`clean()`, so no character can break a render.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from portal.organizations.tax_ids import country_name
from portal.rendering import fonts
from portal.rendering.labels import Labels

LEFT, RIGHT, TOP = 20.0, 15.0, 12.0
BOTTOM = 28.0
GREY = (110, 110, 110)
MARK_RED = (190, 30, 30)
# Lexware's text formatting (§5.1): **bold**, __italic__, "- " list lines. fpdf2's other
# markers (underline, strike-through, links) are switched off: customers' dashes stay dashes.
LIST_LINE = re.compile(r"^\s*[-*]\s+")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    pages: int


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "L"


class Canvas(FPDF):
    MARKDOWN_UNDERLINE_MARKER = "\x00\x01"
    MARKDOWN_STRIKETHROUGH_MARKER = "\x00\x02"
    MARKDOWN_MARKERS = ("**", "__")  # type: ignore[assignment]
    MARKDOWN_LINK_REGEX = re.compile(r"(?!)")

    def __init__(self, *, labels: Labels, letterhead: dict[str, Any], mark: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.labels = labels
        self.letterhead = letterhead
        self.mark = mark
        self.columns: Sequence[Column] = ()
        self.repeat_header = False
        for style in fonts.FILES:
            self.add_font(fonts.FAMILY, style, str(fonts.font_path(style)))
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(fonts.clean(letterhead.get("company") or "", multiline=False))
        self.set_creator("Lexware Office portal")
        self.alias_nb_pages()

    # fpdf2 hooks -----------------------------------------------------------------------------

    def header(self) -> None:
        if self.mark:
            self._draw_mark()
        if self.page_no() > 1:
            self.set_font(fonts.FAMILY, "", 8)
            self.set_text_color(*GREY)
            self.set_xy(LEFT, TOP + 6)
            self.cell(0, 4, self.plain(self.letterhead.get("company") or ""))
            self.set_text_color(0, 0, 0)
            self.set_y(TOP + 14)
            if self.repeat_header and self.columns:
                self.table_header()

    def footer(self) -> None:
        self.set_y(-BOTTOM + 6)
        self.set_font(fonts.FAMILY, "", 7)
        self.set_text_color(*GREY)
        lines = footer_lines(self.letterhead, self.labels)
        page = self.labels.page.format(page=self.page_no(), pages="{nb}")
        width = self.epw
        self.cell(width, 3.5, page, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for line in lines:
            self.fitted_cell(width, 3.5, line, size=7)
        self.set_text_color(0, 0, 0)

    # drawing helpers -------------------------------------------------------------------------

    def plain(self, value: object) -> str:
        return fonts.clean(value, multiline=False)

    def fitted_cell(
        self, width: float, height: float, value: object, *, size: float, style: str = ""
    ) -> None:
        """One line in `width`: a long letterhead line is set smaller rather than run off the
        page or into the column beside it."""
        text = self.plain(value)
        self.set_font(fonts.FAMILY, style, size)
        while size > 5 and self.get_string_width(text) > width:
            size -= 0.25
            self.set_font(fonts.FAMILY, style, size)
        self.cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _draw_mark(self) -> None:
        x, y = self.get_x(), self.get_y()
        self.set_font(fonts.FAMILY, "B", 9)
        self.set_text_color(*MARK_RED)
        self.set_draw_color(*MARK_RED)
        self.set_xy(LEFT, TOP - 6)
        self.cell(self.epw, 6, self.labels.mark, border=1, align=Align.C)
        # A large, faint diagonal copy so a printed page cannot be taken for the real one.
        self.set_font(fonts.FAMILY, "B", 26)
        self.set_text_color(235, 200, 200)
        with self.rotation(35, x=self.w / 2, y=self.h / 2):
            width = self.get_string_width(self.labels.mark)
            self.text(self.w / 2 - width / 2, self.h / 2, self.labels.mark)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)
        self.set_xy(x, y)

    def formatted(
        self, value: object, *, width: float = 0, size: float = 9.5, x: float | None = None
    ) -> None:
        """Introduction, remark and descriptions with Lexware's formatting (§5.1)."""
        source = fonts.clean(value)
        if not source.strip():
            return
        self.set_font(fonts.FAMILY, "", size)
        start = LEFT if x is None else x
        for line in source.split("\n"):
            self.set_x(start)
            bullet = LIST_LINE.match(line)
            body = _escape(line[bullet.end() :] if bullet else line)
            if bullet:
                self.cell(4, size * 0.45, "•")
                self.multi_cell(
                    (width or self.epw - (start - LEFT)) - 4,
                    size * 0.45,
                    body or " ",
                    markdown=True,
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
            else:
                self.multi_cell(
                    width or self.epw - (start - LEFT),
                    size * 0.45,
                    body or " ",
                    markdown=True,
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )

    def table_header(self) -> None:
        self.set_font(fonts.FAMILY, "B", 8.5)
        self.set_fill_color(238, 238, 238)
        self.set_x(LEFT)
        for column in self.columns:
            self.cell(column.width, 6, self.plain(column.title), align=column.align, fill=True)
        self.ln(7)
        self.set_font(fonts.FAMILY, "", 9)

    def start_table(self, columns: Sequence[Column]) -> None:
        self.columns = columns
        self.repeat_header = True
        self.table_header()

    def end_table(self) -> None:
        self.repeat_header = False

    def finish(self) -> Rendered:
        return Rendered(content=bytes(self.output()), pages=self.pages_count)

    def need(self, height: float) -> None:
        """A page break now when `height` does not fit (keeps a row or the totals together)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


def _escape(line: str) -> str:
    """A backslash before a marker would hide it; a lone marker stays as typed."""
    line = line.replace("\\", "\\\\")
    for marker in Canvas.MARKDOWN_MARKERS:
        if line.count(marker) % 2:
            index = line.rfind(marker)
            line = line[:index] + "\\" + line[index:]
    return line


def sender_address(letterhead: dict[str, Any], labels: Labels) -> list[str]:
    """Street and town of the letterhead, and the country's name (in the document's language)
    when it is not Germany."""
    lines = [str(line) for line in letterhead.get("address_lines") or [] if line]
    country = str(letterhead.get("country") or "DE")
    if lines and country != "DE":
        lines.append(country_name(country, labels.language))
    return lines


def footer_lines(letterhead: dict[str, Any], labels: Labels) -> list[str]:
    """Company and address; the legal details (managing directors, register, tax numbers);
    the bank account: each a line of the footer when there is something to say."""
    address = [str(letterhead.get("company") or ""), *sender_address(letterhead, labels)]
    legal = []
    if letterhead.get("managing_directors"):
        legal.append(f"{labels.managing_directors}: {letterhead['managing_directors']}")
    if letterhead.get("commercial_register"):
        legal.append(str(letterhead["commercial_register"]))
    if letterhead.get("tax_number"):
        legal.append(f"{labels.tax_number} {letterhead['tax_number']}")
    if letterhead.get("vat_id"):
        legal.append(f"{labels.vat_id} {letterhead['vat_id']}")
    lines = [" · ".join(p for p in part if p) for part in (address, legal)]
    bank = letterhead.get("bank") or {}
    if bank.get("iban"):
        account = [
            str(bank.get("holder") or ""),
            str(bank.get("bank_name") or ""),
            f"IBAN {bank['iban']}",
            f"BIC {bank['bic']}" if bank.get("bic") else "",
        ]
        lines.append(f"{labels.bank}: " + " · ".join(p for p in account if p))
    return [line for line in lines if line]
