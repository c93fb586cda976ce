"""The customer of the editor's document (lexware-api.md §5.1 `address`): a contact of the
mirror, or a one-time address typed in. A form mixin of DocumentForm like DocumentSettings: its
fields, their rules, their part of Lexware's JSON and back. What choosing a contact fills in
besides the address is customer_fill.py; a new contact from the editor, customer_form.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.sales.lines import single_line, text_field
from portal.sales.vouchers import VAT_FREE_TYPES, VATFREE

ADDRESS_KEYS = ("name", "supplement", "street", "zip", "city")


class DocumentCustomer(forms.Form):
    contact_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    customer_query = forms.CharField(label=_("Find customer"), max_length=100, required=False)
    address_name = text_field(_("Name"), 255)
    address_supplement = text_field(_("Address supplement"), 255)
    address_street = text_field(_("Street"), 255)
    address_zip = text_field(_("Postcode"), 20)
    address_city = text_field(_("City"), 100)
    address_country = forms.CharField(
        label=_("Country code"),
        max_length=5,
        initial="DE",
        required=False,
        validators=[single_line],
        widget=forms.TextInput(attrs={"size": 3}),
    )

    def clean_customer(self, data: Mapping[str, Any]) -> None:
        """Without a contact: a one-time address, and no tax type that needs a contact."""
        if data.get("contact_id"):
            return
        if not data.get("address_name"):
            self.add_error(
                "address_name", _("Choose a customer or enter a name for a one-time address.")
            )
        if not data.get("address_country"):
            self.add_error("address_country", _("A one-time address needs a country code."))
        tax_type = data.get("tax_type")
        if tax_type in VAT_FREE_TYPES and tax_type != VATFREE:
            self.add_error("tax_type", _("This tax type needs a customer from your contacts."))

    @staticmethod
    def address_to_lexware(data: Mapping[str, Any]) -> dict[str, Any]:
        """§5.1 `address`: the contact's id and the address lines typed in."""
        address: dict[str, Any] = {}
        if data.get("contact_id"):
            address["contactId"] = str(data["contact_id"])
        for key in ADDRESS_KEYS:
            if data.get(f"address_{key}"):
                address[key] = data[f"address_{key}"]
        if data.get("address_country"):
            address["countryCode"] = data["address_country"].upper()
        return address

    @staticmethod
    def customer_from_lexware(body: Mapping[str, Any]) -> dict[str, str]:
        address = body.get("address") or {}
        return {
            "contact_id": address.get("contactId") or "",
            **{f"address_{key}": address.get(key) or "" for key in ADDRESS_KEYS},
            "address_country": address.get("countryCode") or "",
        }
