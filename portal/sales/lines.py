"""Line items of the editor (lexware-api.md §5.1 `lineItems[]`): one form per row, a formset of
up to 300 rows, and the conversions between a row and Lexware's JSON.

Each row of the formset is exactly one item of the body sent, in the same order, so Lexware's
error at `lineItems[3].quantity` belongs to row 3 (DocumentForm.lexware_fields).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.core.forms import AmountField

MAX_LINES = 300  # §5.1
PREFIX = "lines"
CUSTOM, TEXT, MATERIAL, SERVICE = "custom", "text", "material", "service"
LINE_TYPES = (
    (CUSTOM, _("Custom line")),
    (TEXT, _("Text line")),
    (MATERIAL, _("Product")),
    (SERVICE, _("Service")),
)
# §8.4: 19 % and 7 %, 0 for vat-free tax types and special cases.
TAX_RATES = (("19", "19 %"), ("7", "7 %"), ("0", "0 %"))
# The row fields in the order the template and the editor actions know them.
LINE_FIELDS = (
    "type",
    "article_id",
    "name",
    "description",
    "quantity",
    "unit_name",
    "unit_price",
    "tax_rate",
    "discount",
    "position",
)
# Quotations only (§5.20): a main item, an optional main item, or an alternative to the item
# above (sent as one of its `subItems`); portal/sales/quotation_items.py nests them.
MAIN, OPTIONAL, ALTERNATIVE = "", "optional", "alternative"
POSITIONS = (
    (MAIN, _("Regular item")),
    (OPTIONAL, _("Optional item")),
    (ALTERNATIVE, _("Alternative to the item above")),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n]")


def no_control_characters(value: str) -> None:
    """Tabs and line breaks may stay (descriptions are multi-line, §8.5), other control
    characters may not."""
    if _CONTROL.search(value):
        raise ValidationError(_("Control characters are not allowed."), code="control")


def single_line(value: str) -> None:
    no_control_characters(value)
    if _LINE_BREAK.search(value):
        raise ValidationError(_("Line breaks are not allowed here."), code="line_break")


def text_field(
    label: Any, max_length: int, *, multi_line: bool = False, **kwargs: Any
) -> forms.CharField:
    """An optional text of the document (an address line, the title, a remark), checked for
    control characters and, unless `multi_line`, line breaks."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        validators=[no_control_characters if multi_line else single_line],
        widget=forms.Textarea(attrs={"rows": 3}) if multi_line else None,
        **kwargs,
    )


def json_number(value: Decimal) -> int | float:
    """A Decimal as the JSON number Lexware expects (no trailing zeros, no exponent)."""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def blank_line(line_type: str = CUSTOM) -> dict[str, str]:
    line = dict.fromkeys(LINE_FIELDS, "")
    line.update(type=line_type)
    if line_type != TEXT:
        line.update(quantity="1", tax_rate="19")
    return line


class LineForm(forms.Form):
    type = forms.ChoiceField(choices=LINE_TYPES, initial=CUSTOM, widget=forms.HiddenInput)
    article_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Item"), max_length=255, required=False, validators=[single_line]
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 1}),
    )
    quantity = AmountField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=4,
        required=False,
        min_value=0,
        initial=1,
    )
    unit_name = forms.CharField(
        label=_("Unit"), max_length=255, required=False, validators=[single_line]
    )
    unit_price = AmountField(label=_("Unit price"), max_digits=14, decimal_places=4, required=False)
    tax_rate = forms.ChoiceField(
        label=_("Tax rate"), choices=TAX_RATES, initial="19", required=False
    )
    discount = AmountField(
        label=_("Discount %"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=100,
    )
    position = forms.ChoiceField(
        label=_("Kind of item"), choices=POSITIONS, required=False, initial=MAIN
    )

    def __init__(self, *args: Any, prices_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Delivery notes may leave the price out (§5.8).
        self.prices_required = prices_required
        self.preview_amount: Decimal | None = None

    def has_changed(self) -> bool:
        """A row with a name has changed (its name's initial is empty): known without comparing
        all ten fields, which the formset does for each of up to 300 rows on every update."""
        if (
            not self.initial.get("name")
            and str(self.data.get(self.add_prefix("name")) or "").strip()
        ):
            return True
        return super().has_changed()

    @property
    def is_text(self) -> bool:
        return bool(self["type"].value() == TEXT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not data.get("name"):
            self.add_error("name", _("Every line needs a name."))
        if data.get("type") == TEXT:
            return data
        if data.get("type") in (MATERIAL, SERVICE) and not data.get("article_id"):
            self.add_error("name", _("This article line has lost its article."))
        if data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Enter a quantity."))
        if not data.get("tax_rate") and "tax_rate" not in self.errors:
            self.add_error("tax_rate", _("Choose a tax rate."))
        if not data.get("unit_name"):
            self.add_error("unit_name", _("Enter a unit, e.g. Stück or Stunde."))
        if (
            self.prices_required
            and data.get("unit_price") is None
            and "unit_price" not in self.errors
        ):
            self.add_error("unit_price", _("Enter a unit price."))
        return data

    def to_lexware(self, *, gross: bool, discounts: bool) -> dict[str, Any]:
        data = self.cleaned_data
        item: dict[str, Any] = {"type": data["type"], "name": data["name"]}
        if data.get("article_id") and data["type"] in (MATERIAL, SERVICE):
            item = {"id": str(data["article_id"]), **item}
        if data.get("description"):
            item["description"] = data["description"]
        if data["type"] == TEXT:
            return item
        item["quantity"] = json_number(data["quantity"])
        item["unitName"] = data["unit_name"]
        if data.get("unit_price") is not None:
            item["unitPrice"] = {
                "currency": "EUR",
                "grossAmount" if gross else "netAmount": json_number(data["unit_price"]),
                "taxRatePercentage": json_number(Decimal(data["tax_rate"])),
            }
        if discounts and data.get("discount"):
            item["discountPercentage"] = json_number(data["discount"])
        if data.get("position") == OPTIONAL:
            item["optional"] = True
        elif data.get("position") == ALTERNATIVE:
            item["alternative"] = True
        return item


class _SharedFields(dict):  # type: ignore[type-arg]
    """LineForm's fields, shared by every row instead of deep-copied per row: no row changes
    its fields (choices, widgets, `required` stay as declared), and copying ten fields for
    each of 300 rows was most of the time of a totals update (README "Sales documents")."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return dict(self)


def _fast_widgets(fields: dict[str, forms.Field]) -> None:
    """Python-rendered widgets of the same HTML (row_widgets.py) for every row field."""
    from portal.sales import row_widgets

    kinds = {
        forms.HiddenInput: row_widgets.RowHiddenInput,
        forms.TextInput: row_widgets.RowTextInput,
        forms.Textarea: row_widgets.RowTextarea,
        forms.Select: row_widgets.RowSelect,
    }
    for field in fields.values():
        fast = kinds.get(type(field.widget))
        if fast is not None:
            old = field.widget
            widget = fast(attrs=old.attrs)
            widget.is_localized = old.is_localized
            widget.is_required = old.is_required
            if isinstance(old, forms.Select):
                widget.choices = old.choices  # type: ignore[attr-defined]
            field.widget = widget


_fast_widgets(LineForm.base_fields)
LineForm.base_fields = _SharedFields(LineForm.base_fields)


def line_from_lexware(item: dict[str, Any], *, gross: bool) -> dict[str, str]:
    """A sent line item back into the row's raw values (reopening the editor)."""
    unit = item.get("unitPrice") or {}
    price = unit.get("grossAmount" if gross else "netAmount")
    line_type = str(item.get("type") or CUSTOM)
    line = blank_line(line_type)
    line.update(
        article_id=str(item.get("id") or ""),
        name=str(item.get("name") or ""),
        description=str(item.get("description") or ""),
    )
    if line_type != TEXT:
        line.update(
            quantity=_raw(item.get("quantity")),
            unit_name=str(item.get("unitName") or ""),
            unit_price=_raw(price),
            tax_rate=_raw(unit.get("taxRatePercentage", 19)),
            discount=_raw(item.get("discountPercentage")),
        )
    if item.get("optional"):
        line["position"] = OPTIONAL
    elif item.get("alternative"):
        line["position"] = ALTERNATIVE
    return line


def _raw(value: Any) -> str:
    return localized_number(value)


def localized_number(value: Any) -> str:
    """A number as a user of the active language types it ("13,4" in German): the raw form
    value that AmountField reads back (no grouping)."""
    if value is None or value == "":
        return ""
    try:
        text = f"{Decimal(str(value)).normalize():f}"
    except ArithmeticError:
        return ""
    return text if (translation.get_language() or "de").startswith("en") else text.replace(".", ",")


def new_rows(*, prices_required: bool) -> list[LineForm]:
    """A blank custom row and a blank text row at index `__prefix__`, as the editor's page keeps
    them for sales-editor.js to add a row without asking the server (the same as `add:custom`
    and `add:text` do without JavaScript)."""
    return [
        LineForm(
            prefix=f"{PREFIX}-__prefix__",
            initial=blank_line(line_type),
            prices_required=prices_required,
        )
        for line_type in (CUSTOM, TEXT)
    ]


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms):
            raise ValidationError(_("Add at least one line."), code="no_lines")


LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)
