"""The letterhead's tax numbers and country, checked as far as their formats are public.

No installed library knows VAT IDs (schwifty does banks only; python-stdnum is not a
dependency), so the EU's published formats are listed here (the VIES "VAT number validation"
table). A German USt-IdNr. also carries a check digit (ISO 7064 MOD 11,10, as the BZSt checks
it), so a typo in one digit is caught; the other countries are checked by their pattern only.
Country names come from babel (a dependency already) in the language they are shown in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale

# Prefix → the characters after it (VIES; Greece uses EL, Northern Ireland XI).
VAT_PATTERNS: dict[str, re.Pattern[str]] = {
    prefix: re.compile(rf"^(?:{pattern})$")
    for prefix, pattern in {
        "AT": r"U\d{8}",
        "BE": r"[01]\d{9}",
        "BG": r"\d{9,10}",
        "CY": r"\d{8}[A-Z]",
        "CZ": r"\d{8,10}",
        "DE": r"[1-9]\d{8}",
        "DK": r"\d{8}",
        "EE": r"\d{9}",
        "EL": r"\d{9}",
        "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
        "FI": r"\d{8}",
        "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
        "HR": r"\d{11}",
        "HU": r"\d{8}",
        "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
        "IT": r"\d{11}",
        "LT": r"\d{9}|\d{12}",
        "LU": r"\d{8}",
        "LV": r"\d{11}",
        "MT": r"\d{8}",
        "NL": r"\d{9}B\d{2}",
        "PL": r"\d{10}",
        "PT": r"\d{9}",
        "RO": r"[1-9]\d{1,9}",
        "SE": r"\d{10}01",
        "SI": r"\d{8}",
        "SK": r"\d{10}",
        "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
    }.items()
}
# Babel's territories that are no country (EU, UN, "unknown", pseudo-regions).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})


def compact_vat_id(value: str) -> str:
    """Upper case without the spaces, dots and hyphens people type into it."""
    compact = re.sub(r"[\s.\-]", "", value).upper()
    return "EL" + compact[2:] if compact.startswith("GR") else compact


def german_check_digit_ok(digits: str) -> bool:
    """ISO 7064 MOD 11,10 over the first eight digits gives the ninth."""
    product = 10
    for digit in digits[:8]:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10 == int(digits[8])


def vat_id_ok(compact: str) -> bool:
    pattern = VAT_PATTERNS.get(compact[:2])
    if pattern is None or not pattern.match(compact[2:]):
        return False
    return german_check_digit_ok(compact[2:]) if compact.startswith("DE") else True


# A Steuernummer is written per state (12/345/67890, 123/456/78901, 2181508150) or in the
# 13-digit ELSTER form: 10 to 13 digits with slashes or spaces between them.
TAX_NUMBER = re.compile(r"^\d[\d/ ]*\d$")


def tax_number_ok(value: str) -> bool:
    digits = sum(ch.isdigit() for ch in value)
    return bool(TAX_NUMBER.match(value)) and 10 <= digits <= 13


@lru_cache(maxsize=8)
def country_names(language: str) -> dict[str, str]:
    """ISO 3166 alpha-2 code → the country's name in `language` (de, en)."""
    territories = Locale.parse(language or "de").territories
    return {
        code: str(name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def country_choices(language: str) -> list[tuple[str, str]]:
    """Germany first (most letterheads), the rest by name."""
    names = country_names(language)
    rest = sorted(
        ((c, n) for c, n in names.items() if c != "DE"), key=lambda item: _sort_key(item[1])
    )
    return [("DE", names["DE"]), *rest]


def _sort_key(name: str) -> str:
    """Österreich among the O's, not after Zypern."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def country_name(code: str, language: str) -> str:
    return country_names(language).get(code, code)
