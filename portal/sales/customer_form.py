"""A new customer from within the editor (issue 11 item 1): the few fields a document needs
(company or person, billing address, e-mail), sent by the contacts' own `contact_create`
(lexware-api.md §5.5) with the customer role. The full contact form stays on the contacts page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.contacts.form_rows import COUNTRY_CODE, email_field, text
from portal.operations.forms import WriteForm

COMPANY, PERSON = "company", "person"


class QuickCustomerForm(WriteForm):
    kind = forms.ChoiceField(
        label=_("Customer is a"),
        choices=[(COMPANY, _("Company")), (PERSON, _("Person"))],
        initial=COMPANY,
        widget=forms.RadioSelect,
    )
    company_name = text(_("Company name"), 255)
    first_name = text(_("First name"), 255)
    last_name = text(_("Last name"), 255)
    street = text(_("Street"), 255)
    zip = text(_("Postcode"), 20)
    city = text(_("City"), 100)
    country = forms.CharField(
        label=_("Country code"),
        max_length=2,
        initial="DE",
        validators=[COUNTRY_CODE],
        widget=forms.TextInput(attrs={"size": 3}),
    )
    email = email_field(_("E-mail"))

    lexware_fields = (
        ("company", "company_name"),
        ("company.name", "company_name"),
        ("person", "last_name"),
        ("person.firstName", "first_name"),
        ("person.lastName", "last_name"),
        ("addresses.billing[*].street", "street"),
        ("addresses.billing[*].zip", "zip"),
        ("addresses.billing[*].city", "city"),
        ("addresses.billing[*].countryCode", "country"),
        ("emailAddresses.business[*]", "email"),
        ("emailAddresses", "email"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("kind") == PERSON:
            if not data.get("last_name"):
                self.add_error("last_name", _("A person needs a last name."))
        elif not data.get("company_name"):
            self.add_error("company_name", _("A company needs a name."))
        return data

    def to_lexware(self) -> dict[str, Any]:
        data = self.cleaned_data
        body: dict[str, Any] = {"roles": {"customer": {}}}
        if data["kind"] == PERSON:
            person = {"lastName": data["last_name"]}
            if data.get("first_name"):
                person["firstName"] = data["first_name"]
            body["person"] = person
        else:
            body["company"] = {"name": data["company_name"]}
        address = {key: data[key] for key in ("street", "zip", "city") if data.get(key)}
        body["addresses"] = {"billing": [{**address, "countryCode": data["country"].upper()}]}
        if data.get("email"):
            body["emailAddresses"] = {"business": [data["email"]]}
        return body

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        person = body.get("person") or {}
        company = body.get("company") or {}
        billing = ((body.get("addresses") or {}).get("billing") or [{}])[0] or {}
        emails = (body.get("emailAddresses") or {}).get("business") or [""]
        return {
            "kind": PERSON if person else COMPANY,
            "company_name": company.get("name") or "",
            "first_name": person.get("firstName") or "",
            "last_name": person.get("lastName") or "",
            "street": billing.get("street") or "",
            "zip": billing.get("zip") or "",
            "city": billing.get("city") or "",
            "country": billing.get("countryCode") or "DE",
            "email": emails[0] or "",
        }
