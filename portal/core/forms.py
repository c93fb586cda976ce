"""Form fields that read what users type in their language (issue 9)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation


@lru_cache(maxsize=16)
def _locale(identifier: str) -> Locale:
    """Babel's locale, parsed once: parsing it for every amount was most of the time the
    editor's 300-line forms spent reading numbers."""
    return Locale.parse(identifier)


class AmountField(forms.DecimalField):
    """An amount as typed in the active language: `1.234,56`, `1234,56` or `1.234,56 €` in
    German, `1,234.56` in English. Babel parses strictly, so an ambiguous `1234.56` in German
    is an error rather than a hundredfold amount. Rendered without grouping (`1234,56`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)  # text input, value shown with the decimal comma
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs types DecimalField.to_python as IntegerField's
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)):
            return super().to_python(value)
        text = str(value).replace("€", "").replace("\u00a0", " ").strip()
        language = translation.get_language() or settings.LANGUAGE_CODE
        try:
            number = parse_decimal(text, locale=_locale(language.replace("-", "_")), strict=True)
        except NumberFormatError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(str(number))
