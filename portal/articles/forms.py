"""Article forms: the list's query string, and the article itself (the write path, DESIGN.md
§7). They validate and normalise; they never call Lexware."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lexware.totals import counterpart_price
from portal.core.browse import BrowseFilterForm
from portal.core.forms import AmountField
from portal.operations.forms import WriteForm


class ArticleFilterForm(BrowseFilterForm):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All")), ("PRODUCT", _("Products")), ("SERVICE", _("Services"))],
    )

    def filters(self) -> dict[str, Any]:
        filters = super().filters()
        filters["article_type"] = self.cleaned_data.get("type") or None
        return filters


# Lexware's own checks (lexware-api.md §5.4, §8.4, §8.5 and the simulator's validate_article):
# title, type, unit and price required; GTIN-8/12/13/14 with its check digit; tax rates 0, 7 and
# 19; prices with at most 4 decimals, not negative. Lengths Lexware does not document are the
# portal's own limits (the mirror's columns; the description like a line item's, §8.5).
TAX_RATES = (19, 7, 0)
NET, GROSS = "NET", "GROSS"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps tab and line breaks


def gtin_valid(gtin: str) -> bool:
    """GTIN-8/12/13/14 with the GS1 mod-10 check digit: from the right, the digits before the
    check digit weigh 3, 1, 3, …"""
    if not gtin.isascii() or not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    *body, check = (int(digit) for digit in gtin)
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def counterpart(leading: str, price: Decimal | None, tax_rate: int | None) -> Decimal | None:
    """The price Lexware computes from the leading one (§5.4), by the function the simulator
    uses too (§8.3 step 4): gross from net up to 4 decimals, net from gross to the cent."""
    if price is None or tax_rate is None or leading not in (NET, GROSS):
        return None
    return counterpart_price(price, Decimal(tax_rate), gross_prices=leading == GROSS)


def price_text(amount: Decimal) -> str:
    """A unit price as Lexware keeps it, 2 to 4 decimals: `15,946 €` / `€15.946`."""
    english = (translation.get_language() or "de").lower().startswith("en")
    pattern = "¤#,##0.00##" if english else "#,##0.00## ¤"
    return format_currency(
        amount, "EUR", format=pattern, locale="en" if english else "de_DE", currency_digits=False
    )


def _single_line(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(
            _("Line breaks and control characters are not allowed."), code="control"
        )


def _text_block(value: str) -> None:
    if _CONTROL_IN_TEXT.search(value):
        raise ValidationError(_("Control characters are not allowed."), code="control")


def _gtin(value: str) -> None:
    if not gtin_valid(value):
        raise ValidationError(
            _("Enter a valid GTIN (EAN): 8, 12, 13 or 14 digits with a correct check digit."),
            code="gtin",
        )


def _text(label: Any, max_length: int, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[_single_line],
        **kwargs,
    )


class GtinField(forms.CharField):
    """People copy GTINs with spaces from labels ("4 006381 333931"): they go before the check."""

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split())


class ArticleForm(WriteForm):
    """An article (§5.4): what Lexware's article dialog asks for, without the internal note
    (an edit keeps it: read-merge-put)."""

    title = _text(_("Title"), 255, required=True)
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("PRODUCT", _("Product")), ("SERVICE", _("Service"))],
        initial="PRODUCT",
        widget=forms.RadioSelect,
    )
    article_number = _text(_("Article number"), 100)
    gtin = GtinField(
        label=_("GTIN (EAN)"),
        max_length=14,
        required=False,
        validators=[_gtin],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    unit_name = _text(_("Unit"), 100, required=True, help_text=_("e.g. Stück, Stunde, Pauschal"))
    leading_price = forms.ChoiceField(
        label=_("Price entered as"),
        choices=[(NET, _("Net price")), (GROSS, _("Gross price"))],
        initial=NET,
        widget=forms.RadioSelect,
    )
    price = AmountField(label=_("Price"), max_digits=14, decimal_places=4, min_value=Decimal(0))
    tax_rate = forms.TypedChoiceField(
        label=_("Tax rate"),
        choices=[(rate, f"{rate} %") for rate in TAX_RATES],
        coerce=int,
        initial=19,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        validators=[_text_block],
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    lexware_fields = (
        ("title", "title"),
        ("type", "type"),
        ("articleNumber", "article_number"),
        # Appendix B: a duplicate article number is reported on `materialNumber`.
        ("materialNumber", "article_number"),
        ("gtin", "gtin"),
        ("unitName", "unit_name"),
        ("price", "price"),
        ("price.leadingPrice", "leading_price"),
        ("price.netPrice", "price"),
        ("price.grossPrice", "price"),
        ("price.taxRate", "tax_rate"),
        ("description", "description"),
    )

    def counterpart_price(self) -> Decimal | None:
        """The computed other price for the page, once the three inputs are valid."""
        data = getattr(self, "cleaned_data", None) or {}
        return counterpart(data.get("leading_price") or "", data.get("price"), data.get("tax_rate"))

    def counterpart_label(self) -> Any:
        """What the computed price is: the gross price for a net input, and the reverse."""
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("leading_price") == GROSS:
            return _("Net price (computed)")
        return _("Gross price (computed)")

    def counterpart_text(self) -> str:
        amount = self.counterpart_price()
        return "—" if amount is None else price_text(amount)

    def to_lexware(self) -> dict[str, Any]:
        """The cleaned data as an article in Lexware's JSON (§5.4), without `id` or `version`.
        Optional texts left empty are sent as null, so an edit's merge clears them."""
        data = self.cleaned_data
        leading = data["leading_price"]
        price_key = "netPrice" if leading == NET else "grossPrice"
        return {
            "title": data["title"],
            "type": data["type"],
            "unitName": data["unit_name"],
            "articleNumber": data["article_number"] or None,
            "gtin": data["gtin"] or None,
            "description": data["description"] or None,
            "price": {
                price_key: float(data["price"]),
                "leadingPrice": leading,
                "taxRate": data["tax_rate"],
            },
        }

    @classmethod
    def show_value(cls, path: str, value: Any) -> str:
        """A value of the conflict view as the form shows it: choices by their label, prices
        in the page's language."""
        choices = {"type": "type", "price.leadingPrice": "leading_price"}
        if path in choices and value is not None:
            labels = dict(cls.base_fields[choices[path]].choices)  # type: ignore[attr-defined]
            return str(labels.get(value, value))
        if path in ("price.netPrice", "price.grossPrice") and value not in (None, ""):
            try:
                return price_text(Decimal(str(value)))
            except ArithmeticError:
                return str(value)
        if path == "price.taxRate" and value not in (None, ""):
            return f"{value} %"
        return super().show_value(path, value)

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        price = body.get("price") or {}
        leading = price.get("leadingPrice") if price.get("leadingPrice") in (NET, GROSS) else NET
        amount = price.get("netPrice" if leading == NET else "grossPrice")
        return {
            "title": body.get("title") or "",
            "type": body.get("type") or "PRODUCT",
            "article_number": body.get("articleNumber") or "",
            "gtin": body.get("gtin") or "",
            "unit_name": body.get("unitName") or "",
            "leading_price": leading,
            # A Decimal, not text: the amount field reads it in any language.
            "price": _as_price(amount),
            "tax_rate": price.get("taxRate", 19),
            "description": body.get("description") or "",
        }


def _as_price(amount: Any) -> Decimal | str:
    """Lexware's number as the form shows it: at least the cents (65 → 65.00), up to 4 places."""
    if amount is None or isinstance(amount, bool):
        return ""
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        return str(amount)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return value.quantize(Decimal("0.01"))
    return value


class ArticleDeleteForm(WriteForm):
    """The confirmation of a delete: only the one-time token, so a double click deletes once."""

    def to_lexware(self) -> dict[str, Any]:
        return {}

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    def add_lexware_errors(self, field_errors: Mapping[str, str], message: str = "") -> None:
        self.full_clean()
        details = "; ".join(f"{path}: {text}" for path, text in field_errors.items())
        self.add_error(
            None,
            _("Lexware refused to delete this article: %(reason)s")
            % {"reason": " ".join(part for part in (message, details) if part) or "—"},
        )
