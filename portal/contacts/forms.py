"""Contact forms: the list's query string, and a contact to create or edit (the write path,
DESIGN.md §7; lexware-api.md §5.5). They validate and normalise; they never call Lexware."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.contacts.form_rows import (
    EMAIL_KINDS,
    MOST_ENTRIES,
    PHONE_KINDS,
    AddressRow,
    ContactPersonRow,
    email_field,
    leitweg_id,
    no_control,
    phone_field,
    text,
    vat_id,
)
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


EMAIL_LABELS = {
    "business": _("E-mail (business)"),
    "office": _("E-mail (office)"),
    "private": _("E-mail (private)"),
    "other": _("E-mail (other)"),
}
PHONE_LABELS = {
    "business": _("Phone (business)"),
    "office": _("Phone (office)"),
    "mobile": _("Mobile"),
    "private": _("Phone (private)"),
    "fax": _("Fax"),
    "other": _("Phone (other)"),
}
ROW_FIELDS = {
    "persons": ("company.contactPersons", ContactPersonRow),
    "billing": ("addresses.billing", AddressRow),
    "shipping": ("addresses.shipping", AddressRow),
}


def _prune(value: Any) -> Any:
    """A new contact sends only what was filled in: no empty strings, lists or objects."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


class ContactForm(WriteForm):
    """A contact (§5.5): company or person, roles, addresses, e-mail addresses and phone
    numbers by type, XRechnung data and a note. On edit the type cannot change (Lexware does
    not turn a company into a person) and emptied fields are sent empty, so they are cleared."""

    COMPANY, PERSON = "company", "person"

    kind = forms.ChoiceField(
        label=_("Contact is a"),
        choices=[(COMPANY, _("Company")), (PERSON, _("Person"))],
        initial=COMPANY,
        widget=forms.RadioSelect,
    )
    company_name = text(_("Company name"), 250)
    tax_number = text(_("Tax number"), 30)
    vat_id = text(_("VAT ID"), 20, help_text=_("German VAT IDs: DE and nine digits."))
    allow_tax_free = forms.BooleanField(label=_("Allow tax-free invoices"), required=False)
    salutation = text(_("Salutation"), 25)
    first_name = text(_("First name"), 250)
    last_name = text(_("Last name"), 250)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[("customer", _("Customer")), ("vendor", _("Vendor"))],
        initial=["customer"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    email_business = email_field(EMAIL_LABELS["business"])
    email_office = email_field(EMAIL_LABELS["office"])
    email_private = email_field(EMAIL_LABELS["private"])
    email_other = email_field(EMAIL_LABELS["other"])
    phone_business = phone_field(PHONE_LABELS["business"])
    phone_office = phone_field(PHONE_LABELS["office"])
    phone_mobile = phone_field(PHONE_LABELS["mobile"])
    phone_private = phone_field(PHONE_LABELS["private"])
    phone_fax = phone_field(PHONE_LABELS["fax"])
    phone_other = phone_field(PHONE_LABELS["other"])
    buyer_reference = text(
        _("Buyer reference (Leitweg-ID)"),
        46,
        help_text=_("For XRechnung e-invoices to public customers."),
    )
    vendor_number_at_customer = text(_("Our vendor number at the customer"), 100)
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        validators=[no_control],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    row_sets: ClassVar[dict[str, tuple[type[forms.Form], int]]] = {
        prefix: (row, MOST_ENTRIES) for prefix, (_path, row) in ROW_FIELDS.items()
    }

    # In the order of the form (the conflict view lists fields in this order).
    lexware_fields = (
        ("company", "kind"),
        ("person", "kind"),
        ("company.name", "company_name"),
        ("company.taxNumber", "tax_number"),
        ("company.vatRegistrationId", "vat_id"),
        ("company.allowTaxFreeInvoices", "allow_tax_free"),
        ("company.contactPersons[*].salutation", "persons-{0}-salutation"),
        ("company.contactPersons[*].firstName", "persons-{0}-first_name"),
        ("company.contactPersons[*].lastName", "persons-{0}-last_name"),
        ("company.contactPersons[*].emailAddress", "persons-{0}-email"),
        ("company.contactPersons[*].phoneNumber", "persons-{0}-phone"),
        ("company.contactPersons[*].primary", "persons-{0}-primary"),
        ("person.salutation", "salutation"),
        ("person.firstName", "first_name"),
        ("person.lastName", "last_name"),
        ("roles", "roles"),
        ("roles.*", "roles"),
        *(
            (f"addresses.{prefix}[*].{key}", f"{prefix}-{{0}}-{field}")
            for prefix in ("billing", "shipping")
            for key, field in (
                ("supplement", "supplement"),
                ("street", "street"),
                ("zip", "zip"),
                ("city", "city"),
                ("countryCode", "country_code"),
            )
        ),
        # lexware-api.md Appendix B: a bad country is `countryCode: countrycode_is_not_valid`,
        # without saying which address; the billing address is the usual one.
        ("countryCode", "billing-0-country_code"),
        *((f"emailAddresses.{k}", f"email_{k}") for k in EMAIL_KINDS),
        *((f"emailAddresses.{k}[*]", f"email_{k}") for k in EMAIL_KINDS),
        *((f"phoneNumbers.{k}", f"phone_{k}") for k in PHONE_KINDS),
        *((f"phoneNumbers.{k}[*]", f"phone_{k}") for k in PHONE_KINDS),
        ("xRechnung", "buyer_reference"),
        ("xRechnung.buyerReference", "buyer_reference"),
        ("xRechnung.vendorNumberAtCustomer", "vendor_number_at_customer"),
        ("note", "note"),
    )
    path_labels: ClassVar[dict[str, Any]] = {
        "roles": _("Roles"),
        "company.contactPersons": _("Contact person"),
        "addresses.billing": _("Billing address"),
        "addresses.shipping": _("Shipping address"),
        "xRechnung": _("XRechnung"),
    }

    @classmethod
    def show_value(cls, path: str, value: Any) -> str:
        """Roles by name, addresses and contact persons as one would write them."""
        if path == "roles" and isinstance(value, Mapping):
            names = dict(cls.base_fields["roles"].choices)  # type: ignore[attr-defined]
            return ", ".join(str(names.get(role, role)) for role in value) or "—"
        if path.startswith("addresses.") and isinstance(value, list) and value:
            return " | ".join(
                ", ".join(
                    part
                    for part in (
                        a.get("supplement"),
                        a.get("street"),
                        " ".join(p for p in (a.get("zip"), a.get("city")) if p),
                        a.get("countryCode"),
                    )
                    if part
                )
                for a in value
                if isinstance(a, Mapping)
            )
        if path == "company.contactPersons" and isinstance(value, list) and value:
            return " | ".join(
                ", ".join(
                    part
                    for part in (
                        " ".join(
                            str(p.get(k))
                            for k in ("salutation", "firstName", "lastName")
                            if p.get(k)
                        ),
                        p.get("emailAddress"),
                        p.get("phoneNumber"),
                        str(_("primary")) if p.get("primary") else "",
                    )
                    if part
                )
                for p in value
                if isinstance(p, Mapping)
            )
        return super().show_value(path, value)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args and "initial" not in kwargs and "rows" not in kwargs:
            # A new contact starts with one (optional) billing address.
            kwargs["rows"] = {"billing": [{"country_code": "DE"}]}
        super().__init__(*args, **kwargs)

    def clean_vat_id(self) -> str:
        # Appendix B: Lexware stores VAT ids upper-cased; checking the same way here.
        value = "".join(str(self.cleaned_data.get("vat_id") or "").split()).upper()
        if value:
            vat_id(value)
        return value

    def clean_buyer_reference(self) -> str:
        value = str(self.cleaned_data.get("buyer_reference") or "").strip()
        if value:
            leitweg_id(value)
        return value

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
            data.update(company_name="", tax_number="", vat_id="", allow_tax_free=False)
        if data.get("buyer_reference") and not data.get("vendor_number_at_customer"):
            # §5.5: with a buyer reference Lexware requires the vendor number at the customer.
            self.add_error(
                "vendor_number_at_customer",
                _("With a Leitweg-ID, Lexware needs your vendor number at the customer."),
            )
        if data.get("buyer_reference") and "customer" not in (data.get("roles") or []):
            # §5.13: the buyer reference is used on invoices, i.e. to customers.
            self.add_error("buyer_reference", _("A Leitweg-ID belongs to a customer."))
        return data

    def to_lexware(self) -> dict[str, Any]:
        """The cleaned data as a contact in Lexware's JSON (§5.5), without `version`. A new
        contact leaves empty fields out; an edit sends them empty, so they are cleared."""
        data = self.cleaned_data
        rows = {
            prefix: [form.to_lexware() for form in self._filled(prefix)] for prefix in ROW_FIELDS
        }
        body: dict[str, Any] = {}
        if data["kind"] == self.COMPANY:
            body["company"] = {
                "name": data["company_name"],
                "taxNumber": data["tax_number"],
                "vatRegistrationId": data["vat_id"],
                "allowTaxFreeInvoices": bool(data["allow_tax_free"]),
                "contactPersons": rows["persons"],
            }
        else:
            body["person"] = {
                "salutation": data["salutation"],
                "firstName": data["first_name"],
                "lastName": data["last_name"],
            }
        body["addresses"] = {"billing": rows["billing"], "shipping": rows["shipping"]}
        body["emailAddresses"] = {
            k: [data[f"email_{k}"]] if data[f"email_{k}"] else [] for k in EMAIL_KINDS
        }
        body["phoneNumbers"] = {
            k: [data[f"phone_{k}"]] if data[f"phone_{k}"] else [] for k in PHONE_KINDS
        }
        reference, number = data["buyer_reference"], data["vendor_number_at_customer"]
        body["xRechnung"] = (
            {"buyerReference": reference, "vendorNumberAtCustomer": number}
            if reference or number
            else None
        )
        body["note"] = data["note"]
        if not self.editing:
            body = _prune(body)
        body["roles"] = {role: {} for role in data["roles"]}
        return body

    def _filled(self, prefix: str) -> list[Any]:
        return [form for form in self.rows[prefix].forms if form.cleaned_data]

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        company = body.get("company") or {}
        person = body.get("person") or {}
        emails = body.get("emailAddresses") or {}
        phones = body.get("phoneNumbers") or {}
        xrechnung = body.get("xRechnung") or {}
        data: dict[str, Any] = {
            "kind": cls.PERSON if "person" in body and "company" not in body else cls.COMPANY,
            "company_name": company.get("name") or "",
            "tax_number": company.get("taxNumber") or "",
            "vat_id": company.get("vatRegistrationId") or "",
            "allow_tax_free": "on" if company.get("allowTaxFreeInvoices") else "",
            "salutation": person.get("salutation") or "",
            "first_name": person.get("firstName") or "",
            "last_name": person.get("lastName") or "",
            "roles": [role for role in ("customer", "vendor") if role in (body.get("roles") or {})],
            "buyer_reference": xrechnung.get("buyerReference") or "",
            "vendor_number_at_customer": xrechnung.get("vendorNumberAtCustomer") or "",
            "note": body.get("note") or "",
        }
        for k in EMAIL_KINDS:
            data[f"email_{k}"] = next(iter(emails.get(k) or []), "")
        for k in PHONE_KINDS:
            data[f"phone_{k}"] = next(iter(phones.get(k) or []), "")
        sources = {
            "persons": company.get("contactPersons"),
            "billing": (body.get("addresses") or {}).get("billing"),
            "shipping": (body.get("addresses") or {}).get("shipping"),
        }
        for prefix, items in sources.items():
            row = ROW_FIELDS[prefix][1]
            entries = [item for item in items or [] if isinstance(item, dict)]
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": str(len(entries)),
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": str(MOST_ENTRIES),
                }
            )
            for i, item in enumerate(entries):
                for name, value in row.from_lexware(item).items():  # type: ignore[attr-defined]
                    data[f"{prefix}-{i}-{name}"] = value
        return data
