"""Contact forms: the list's query string, and a new contact (the write path's first form,
DESIGN.md §7). They validate and normalise; they never call Lexware."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.core.browse import BrowseFilterForm
from portal.operations.forms import WriteForm


class ContactFilterForm(BrowseFilterForm):
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All")), ("customer", _("Customers")), ("vendor", _("Vendors"))],
    )

    def filters(self) -> dict[str, Any]:
        filters = super().filters()
        filters["role"] = self.cleaned_data.get("role") or None
        return filters


# Lexware's own checks (lexware-api.md §5.5 and the simulator's validate_contact): e-mail shape,
# two-letter country code. Lengths Lexware does not document are the portal's own limits.
_LEXWARE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY_CODE = RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, e.g. DE."))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _email(value: str) -> None:
    """Both Lexware's shape and Django's stricter check, one message."""
    try:
        EmailValidator()(value)
    except ValidationError:
        valid = False
    else:
        valid = bool(_LEXWARE_EMAIL.match(value))
    if not valid:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid")


def _single_line(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(
            _("Line breaks and control characters are not allowed."), code="control"
        )


def _text(label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=False, validators=[_single_line], **kwargs
    )


class ContactForm(WriteForm):
    """A new contact: company or person, one e-mail address, one billing address, roles."""

    COMPANY, PERSON = "company", "person"

    kind = forms.ChoiceField(
        label=_("Contact is a"),
        choices=[(COMPANY, _("Company")), (PERSON, _("Person"))],
        initial=COMPANY,
        widget=forms.RadioSelect,
    )
    company_name = _text(_("Company name"), 250)
    salutation = _text(_("Salutation"), 25)
    first_name = _text(_("First name"), 250)
    last_name = _text(_("Last name"), 250)
    email = forms.CharField(
        label=_("E-mail address"), max_length=254, required=False, validators=[_email]
    )
    street = _text(_("Street"), 250)
    zip = _text(_("Postcode"), 20)
    city = _text(_("City"), 100)
    country_code = forms.CharField(
        label=_("Country code"),
        max_length=2,
        min_length=2,
        initial="DE",
        validators=[_COUNTRY_CODE],
        widget=forms.TextInput(attrs={"size": 2, "autocapitalize": "characters"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[("customer", _("Customer")), ("vendor", _("Vendor"))],
        initial=["customer"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )

    lexware_fields = (
        ("roles", "roles"),
        ("roles.*", "roles"),
        ("company", "kind"),
        ("person", "kind"),
        ("company.name", "company_name"),
        ("person.salutation", "salutation"),
        ("person.firstName", "first_name"),
        ("person.lastName", "last_name"),
        ("emailAddresses.*", "email"),
        ("emailAddresses.*[*]", "email"),
        ("addresses.billing", "street"),
        ("addresses.billing[*].street", "street"),
        ("addresses.billing[*].supplement", "street"),
        ("addresses.billing[*].zip", "zip"),
        ("addresses.billing[*].city", "city"),
        ("addresses.billing[*].countryCode", "country_code"),
        (
            "countryCode",
            "country_code",
        ),  # lexware-api.md Appendix B: `countryCode: countrycode_is_not_valid`
    )

    def clean_country_code(self) -> str:
        return str(self.cleaned_data.get("country_code") or "").upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        kind = data.get("kind")
        if kind == self.COMPANY:
            if not data.get("company_name"):
                self.add_error("company_name", _("A company needs a name."))
            for name in ("salutation", "first_name", "last_name"):
                data[name] = ""
        elif kind == self.PERSON:
            if not data.get("last_name"):
                self.add_error("last_name", _("A person needs a last name."))
            data["company_name"] = ""
        return data

    def to_lexware(self) -> dict[str, Any]:
        """The cleaned data as a contact in Lexware's JSON (§5.5), without `version`."""
        data = self.cleaned_data
        body: dict[str, Any] = {"roles": {role: {} for role in data["roles"]}}
        if data["kind"] == self.COMPANY:
            body["company"] = {"name": data["company_name"]}
        else:
            person = {
                "salutation": data["salutation"],
                "firstName": data["first_name"],
                "lastName": data["last_name"],
            }
            body["person"] = {key: value for key, value in person.items() if value}
        if data["email"]:
            body["emailAddresses"] = {"business": [data["email"]]}
        if data["street"] or data["zip"] or data["city"]:
            address = {"street": data["street"], "zip": data["zip"], "city": data["city"]}
            body["addresses"] = {
                "billing": [
                    {**{k: v for k, v in address.items() if v}, "countryCode": data["country_code"]}
                ]
            }
        return body

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        company = body.get("company") or {}
        person = body.get("person") or {}
        emails = [
            mail for values in (body.get("emailAddresses") or {}).values() for mail in values or []
        ]
        billing = ((body.get("addresses") or {}).get("billing") or [{}])[0] or {}
        return {
            "kind": cls.PERSON if "person" in body and "company" not in body else cls.COMPANY,
            "company_name": company.get("name") or "",
            "salutation": person.get("salutation") or "",
            "first_name": person.get("firstName") or "",
            "last_name": person.get("lastName") or "",
            "email": emails[0] if emails else "",
            "street": billing.get("street") or "",
            "zip": billing.get("zip") or "",
            "city": billing.get("city") or "",
            "country_code": billing.get("countryCode") or "DE",
            "roles": [role for role in ("customer", "vendor") if role in (body.get("roles") or {})],
        }
