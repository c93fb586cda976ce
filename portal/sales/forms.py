"""The editor's form: one sales document of any type (lexware-api.md §5.1), its line items as
a formset (lines.py). It validates the reference's rules locally, builds Lexware's JSON and
rebuilds itself from that JSON; it never calls Lexware.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.forms import AmountField
from portal.operations.forms import WriteForm, map_field_errors
from portal.organizations.models import Organization
from portal.sales import quotation_items, selectors
from portal.sales.document_customer import DocumentCustomer
from portal.sales.document_settings import SETTINGS_FIELDS, DocumentSettings
from portal.sales.lines import (
    PREFIX,
    TEXT,
    LineFormSet,
    json_number,
    line_from_lexware,
    localized_number,
    text_field,
)
from portal.sales.types import SALES_TYPES, SalesType
from portal.sales.vouchers import (
    CUSTOM_TERMS,
    DEFAULT_TERMS,
    GROSS,
    LEXWARE_FIELDS,
    NET,
    PERIODS,
    SHIPPING_TYPES,
    TAX_TYPES,
    VAT_FREE_TYPES,
    VATFREE,
    day_of,
    fill_payment_label,
    lexware_date,
)

__all__ = ["GROSS", "VAT_FREE_TYPES", "DocumentForm", "lines_data"]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentForm(DocumentCustomer, DocumentSettings, WriteForm):
    """A new sales document of `sales_type`; rows in `self.lines`. The customer's fields come
    from DocumentCustomer (document_customer.py), the settings' from DocumentSettings."""

    # A follow-up's preceding document (§5.2) and the portal draft a finalized copy replaces
    # (portal/sales/followup.py, drafts.py); neither is part of the body sent.
    preceding_id = forms.UUIDField(
        label=_("Follow-up to"), required=False, widget=forms.HiddenInput
    )
    replaces_draft = forms.UUIDField(required=False, widget=forms.HiddenInput)
    voucher_date = forms.DateField(label=_("Document date"), widget=_DATE)
    expiration_date = forms.DateField(label=_("Valid until"), required=False, widget=_DATE)
    tax_type = forms.ChoiceField(label=_("Tax type"), choices=TAX_TYPES, initial=NET)
    tax_type_note = text_field(_("Note on the tax exemption"), 2000, multi_line=True)
    total_discount_percentage = AmountField(
        label=_("Total discount %"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=100,
    )
    total_discount_absolute = AmountField(
        label=_("Total discount (amount)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    payment_terms = forms.ChoiceField(label=_("Payment conditions"), required=False)
    payment_label = text_field(_("Payment conditions text"), 255)
    payment_days = forms.IntegerField(
        label=_("Payable within (days)"), required=False, min_value=0, max_value=3650
    )
    skonto_percentage = AmountField(
        label=_("Cash discount %"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=0,
        max_value=100,
    )
    skonto_days = forms.IntegerField(
        label=_("Cash discount within (days)"), required=False, min_value=0, max_value=3650
    )
    shipping_type = forms.ChoiceField(
        label=_("Shipping conditions"), choices=SHIPPING_TYPES, initial="delivery"
    )
    shipping_date = forms.DateField(
        label=_("Date of delivery or service"), required=False, widget=_DATE
    )
    shipping_end_date = forms.DateField(label=_("Until"), required=False, widget=_DATE)
    delivery_terms = text_field(_("Delivery terms"), 255)
    title = text_field(_("Title"), 25)
    introduction = text_field(_("Introduction"), 2000, multi_line=True)
    remark = text_field(_("Remark"), 2000, multi_line=True)
    article_query = forms.CharField(label=_("Find article"), max_length=100, required=False)

    lexware_fields = LEXWARE_FIELDS + SETTINGS_FIELDS

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        sales_type: SalesType | None = None,
        organization: Organization | None = None,
        lines_initial: list[dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.sales_type = sales_type or SALES_TYPES["invoice"]
        self.organization = organization
        self.conditions: list[dict[str, Any]] = []
        profile = selectors.TaxProfile(vat_free_only=False, known=False)
        if organization is not None:
            self.conditions = selectors.payment_conditions(organization=organization)
            profile = selectors.tax_profile(organization=organization)
        self.vat_free_only = profile.vat_free_only
        if self.vat_free_only:
            # §5.1: tax-exempt organizations (and Kleinunternehmer) write only vat-free documents.
            tax_field = self.fields["tax_type"]
            assert isinstance(tax_field, forms.ChoiceField)
            tax_field.choices = [c for c in TAX_TYPES if c[0] == VATFREE]
            self.fields["tax_type"].initial = VATFREE
        terms_field = self.fields["payment_terms"]
        assert isinstance(terms_field, forms.ChoiceField)
        terms_field.choices = [
            (DEFAULT_TERMS, _("Lexware's default")),
            *[(str(c["id"]), fill_payment_label(c)) for c in self.conditions],
            (CUSTOM_TERMS, _("Written here")),
        ]
        # Types without shipping conditions (quotations, credit notes) do not show the field.
        self.fields["shipping_type"].required = self.sales_type.shipping
        self.fields["voucher_date"].initial = timezone.localdate()
        # Quotations: valid for 30 days unless the user says otherwise.
        self.fields["expiration_date"].initial = timezone.localdate() + timedelta(days=30)
        self.fields["shipping_date"].initial = timezone.localdate()
        self.lines = LineFormSet(
            data,
            prefix=PREFIX,
            initial=lines_initial,
            form_kwargs={"prices_required": self.sales_type.totals},
        )
        self.init_settings(organization=organization)
        # Quotations and credit notes have no shipping conditions (and no field for them).
        self.fields["shipping_type"].required = self.sales_type.shipping
        # Which row each item of the body sent came from (sub items nest, §5.20).
        self.body_rows: dict[str, int] = {}

    # ------------------------------------------------------------ validation

    def is_valid(self) -> bool:
        # Rows first: the document's clean() adds row errors (tax rate 0 for vat-free types).
        self.lines.is_valid()
        valid = super().is_valid()
        return self.lines.is_valid() and valid

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        sales_type = self.sales_type
        tax_type = data.get("tax_type")
        self.clean_customer(data)
        if tax_type in VAT_FREE_TYPES and self.lines.is_bound:
            for form in self.lines.forms:
                rate = form.data.get(form.add_prefix("tax_rate"))
                if rate not in (None, "", "0") and form.data.get(form.add_prefix("type")) != TEXT:
                    form.add_error("tax_rate", _("VAT-free documents have a tax rate of 0 %."))
        if self.lines.is_bound:
            quotation_items.check_positions(
                self.lines.forms, quotation=sales_type.voucher_type == "quotation"
            )
        self.clean_settings(data)
        if sales_type.expiration:
            expiration = data.get("expiration_date")
            if expiration is None and "expiration_date" not in self.errors:
                self.add_error(
                    "expiration_date", _("A quotation needs a date until which it is valid.")
                )
            elif expiration and data.get("voucher_date") and expiration < data["voucher_date"]:
                self.add_error("expiration_date", _("This is before the document date."))
        if sales_type.shipping:
            self._clean_shipping(data)
        if sales_type.payment and data.get("payment_terms") == CUSTOM_TERMS:
            if not data.get("payment_label"):
                self.add_error(
                    "payment_label", _("Write the payment conditions, e.g. Zahlbar in 14 Tagen.")
                )
            if (data.get("skonto_percentage") is None) != (data.get("skonto_days") is None):
                self.add_error(
                    "skonto_days", _("A cash discount needs both a percentage and days.")
                )
        if (
            sales_type.discounts
            and data.get("total_discount_percentage")
            and data.get("total_discount_absolute")
        ):
            self.add_error(
                "total_discount_absolute",
                _("Give the total discount either in percent or as an amount."),
            )
        return data

    def _clean_shipping(self, data: dict[str, Any]) -> None:
        shipping_type = data.get("shipping_type")
        start, end = data.get("shipping_date"), data.get("shipping_end_date")
        if (
            shipping_type
            and shipping_type != "none"
            and start is None
            and "shipping_date" not in self.errors
        ):
            self.add_error("shipping_date", _("Enter the date of delivery or service."))
        if shipping_type in PERIODS:
            if end is None and "shipping_end_date" not in self.errors:
                self.add_error("shipping_end_date", _("A period needs an end date."))
            elif start and end and end < start:
                self.add_error("shipping_end_date", _("The end is before the start."))

    # ------------------------------------------------------------ Lexware's JSON

    def to_lexware(self) -> dict[str, Any]:
        """The document in Lexware's shape (§5.1), as it is POSTed."""
        data = self.cleaned_data
        sales_type = self.sales_type
        gross = data["tax_type"] == GROSS
        body: dict[str, Any] = {
            "voucherDate": lexware_date(data["voucher_date"]),
            "address": self.address_to_lexware(data),
            "lineItems": self._line_items(gross=gross),
            "taxConditions": {"taxType": data["tax_type"]},
        }
        if data["tax_type"] in VAT_FREE_TYPES and data.get("tax_type_note"):
            body["taxConditions"]["taxTypeNote"] = data["tax_type_note"]
        if sales_type.totals:
            total: dict[str, Any] = {"currency": "EUR"}
            if sales_type.discounts and data.get("total_discount_percentage"):
                total["totalDiscountPercentage"] = json_number(data["total_discount_percentage"])
            elif sales_type.discounts and data.get("total_discount_absolute"):
                total["totalDiscountAbsolute"] = json_number(data["total_discount_absolute"])
            body["totalPrice"] = total
        if sales_type.expiration:
            body["expirationDate"] = lexware_date(data["expiration_date"])
        if sales_type.payment:
            conditions = self._payment_conditions(data)
            if conditions:
                body["paymentConditions"] = conditions
        if sales_type.shipping:
            shipping: dict[str, Any] = {"shippingType": data["shipping_type"]}
            if data["shipping_type"] != "none":
                shipping["shippingDate"] = lexware_date(data["shipping_date"])
            if data["shipping_type"] in PERIODS:
                shipping["shippingEndDate"] = lexware_date(data["shipping_end_date"])
            body["shippingConditions"] = shipping
        if sales_type.delivery_terms and data.get("delivery_terms"):
            body["deliveryTerms"] = data["delivery_terms"]
        for key in ("title", "introduction", "remark"):
            if data.get(key):
                body[key] = data[key]
        self.settings_to_lexware(body, data)
        return body

    def _line_items(self, *, gross: bool) -> list[dict[str, Any]]:
        flat = [
            form.to_lexware(gross=gross, discounts=self.sales_type.discounts)
            for form in self.lines.forms
        ]
        items, self.body_rows = quotation_items.nest(flat)
        return items

    def _payment_conditions(self, data: Mapping[str, Any]) -> dict[str, Any] | None:
        choice = data.get("payment_terms") or DEFAULT_TERMS
        if choice == DEFAULT_TERMS:
            return None  # Lexware uses the contact's or the organization's default (§5.1)
        if choice != CUSTOM_TERMS:
            listed = next((c for c in self.conditions if str(c["id"]) == choice), None)
            if listed is None:
                return None
            conditions: dict[str, Any] = {
                "paymentTermLabel": fill_payment_label(listed),
                "paymentTermDuration": int(listed.get("paymentTermDuration") or 0),
            }
            if listed.get("paymentDiscountConditions"):
                conditions["paymentDiscountConditions"] = listed["paymentDiscountConditions"]
            return conditions
        conditions = {"paymentTermLabel": data["payment_label"]}
        if data.get("payment_days") is not None:
            conditions["paymentTermDuration"] = data["payment_days"]
        if data.get("skonto_percentage") is not None and data.get("skonto_days") is not None:
            conditions["paymentDiscountConditions"] = {
                "discountPercentage": json_number(data["skonto_percentage"]),
                "discountRange": data["skonto_days"],
            }
        return conditions

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        tax = body.get("taxConditions") or {}
        total = body.get("totalPrice") or {}
        payment = body.get("paymentConditions") or {}
        skonto = payment.get("paymentDiscountConditions") or {}
        shipping = body.get("shippingConditions") or {}
        gross = tax.get("taxType") == GROSS
        data: dict[str, Any] = {
            **cls.customer_from_lexware(body),
            "voucher_date": day_of(body.get("voucherDate")),
            "expiration_date": day_of(body.get("expirationDate")),
            "tax_type": tax.get("taxType") or NET,
            "tax_type_note": tax.get("taxTypeNote") or "",
            "total_discount_percentage": localized_number(total.get("totalDiscountPercentage")),
            "total_discount_absolute": localized_number(total.get("totalDiscountAbsolute")),
            "payment_terms": CUSTOM_TERMS if payment else DEFAULT_TERMS,
            "payment_label": payment.get("paymentTermLabel") or "",
            "payment_days": str(payment.get("paymentTermDuration", "")),
            "skonto_percentage": localized_number(skonto.get("discountPercentage")),
            "skonto_days": str(skonto.get("discountRange", "")),
            "shipping_type": shipping.get("shippingType") or "delivery",
            "shipping_date": day_of(shipping.get("shippingDate")),
            "shipping_end_date": day_of(shipping.get("shippingEndDate")),
            "delivery_terms": body.get("deliveryTerms") or "",
            "title": body.get("title") or "",
            "introduction": body.get("introduction") or "",
            "remark": body.get("remark") or "",
            **cls.settings_from_lexware(body),
        }
        items = quotation_items.flatten(body.get("lineItems") or [])
        lines = [line_from_lexware(item, gross=gross) for item in items]
        data.update(lines_data(lines))
        return data

    # ------------------------------------------------------------ Lexware's answer

    def add_lexware_errors(self, field_errors: Mapping[str, str], message: str = "") -> None:
        """Like WriteForm's, and errors on `lineItems[n]…` land on row n's field, those on
        `precedingSalesVoucherId` on the hidden `preceding_id`, which the editor shows in the
        block naming the preceding document (_editor_origin_note.html)."""
        self.is_valid()
        if self.is_valid() and not self.body_rows:
            self.to_lexware()  # which row each item of the body came from
        field_errors = quotation_items.row_paths(field_errors, self.body_rows)
        row_errors: dict[str, str] = {}
        origin_errors: list[str] = []
        rest: dict[str, str] = {}
        for path, text in field_errors.items():
            by_field, _unmapped = map_field_errors({path: text}, self.lexware_fields)
            target = next(iter(by_field), "")
            if target.startswith(f"{PREFIX}-"):
                row_errors[target] = text
            elif target == "preceding_id":
                origin_errors.append(text)
            else:
                rest[path] = text
        for target, text in row_errors.items():
            _prefix, index, field = target.split("-", 2)
            if int(index) < len(self.lines.forms):
                self.lines.forms[int(index)].add_error(
                    field, _("Lexware: %(message)s") % {"message": text}
                )
            else:
                rest[target] = text
        if rest or not (row_errors or origin_errors):
            super().add_lexware_errors(rest, message)
        else:
            self.add_error(
                None, _("Lexware did not accept this. Please correct the marked fields.")
            )
        # After WriteForm's, whose full_clean() starts the form's errors afresh.
        for text in origin_errors:
            self.add_error("preceding_id", _("Lexware: %(message)s") % {"message": text})


def lines_data(lines: list[dict[str, str]]) -> dict[str, str]:
    """Rows as the formset's POST data (management form included)."""
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(lines)),
        f"{PREFIX}-INITIAL_FORMS": "0",
        f"{PREFIX}-MIN_NUM_FORMS": "1",
        f"{PREFIX}-MAX_NUM_FORMS": "300",
    }
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"{PREFIX}-{index}-{key}"] = value
    return data
