"""The problem collector of sales body validation and its per-field checks.

A `Checker` walks a body and collects problems `(field, violation, message)` for timestamps
(§8.1), texts, numbers (decimal places, bounds) and currencies; `sales_rules` decides which
fields to check.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from lexware.simulator.timefmt import parse_datetime

Problem = tuple[str, str, str]

NOT_NULL = "darf nicht leer sein"


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


class Checker:
    """Collects problems while walking a body."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, violation: str, message: str) -> None:
        self.problems.append((field, violation, message))

    def timestamp(self, value: Any, field: str, *, required: bool) -> datetime | None:
        if value is None:
            if required:
                self.add(field, "NOTNULL", NOT_NULL)
            return None
        try:
            return parse_datetime(value)
        except ValueError:
            # §8.1: anything but yyyy-MM-ddTHH:mm:ss.SSSXXX is not parsed → 406.
            self.add(field, "PATTERN", "muss dem Format yyyy-MM-dd'T'HH:mm:ss.SSSXXX entsprechen")
            return None

    def text(self, value: Any, field: str, limit: int, *, required: bool = False) -> None:
        if value is None or (required and value == ""):
            if required:
                self.add(field, "NOTNULL", NOT_NULL)
            return
        if not isinstance(value, str):
            self.add(field, "TYPE", "muss eine Zeichenkette sein")
        elif len(value) > limit:
            self.add(field, "SIZE", f"Größe muss zwischen 0 und {limit} sein")

    def number(
        self,
        value: Any,
        field: str,
        places: int,
        *,
        required: bool,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        if value is None:
            if required:
                self.add(field, "NOTNULL", NOT_NULL)
            return None
        number = _decimal(value)
        if number is None:
            self.add(field, "TYPE", "muss eine Zahl sein")
            return None
        if _places(number) > places:
            self.add(field, "DIGITS", f"höchstens {places} Nachkommastellen erlaubt")
        if minimum is not None and number < minimum:
            self.add(field, "MIN", f"muss größer oder gleich {minimum} sein")
        if maximum is not None and number > maximum:
            self.add(field, "MAX", f"muss kleiner oder gleich {maximum} sein")
        return number

    def currency(self, value: Any, field: str) -> None:
        if value is None:
            self.add(field, "NOTNULL", NOT_NULL)
        elif value != "EUR":
            self.add(field, "INVALID_VALUE", "nur EUR wird unterstützt")
