"""Contacts (lexware-api.md §5.5).

Create/update accept at most one entry per address list, e-mail/phone list and contact person;
contacts with more can be read (these models keep every entry) but Lexware rejects their PUT.
Exactly one of `company` / `person` must be set; `version` must be 0 on create.
"""

from __future__ import annotations

from .common import LexwareModel

__all__ = [
    "Company",
    "Contact",
    "ContactAddress",
    "ContactAddresses",
    "ContactPerson",
    "ContactRole",
    "ContactRoles",
    "ContactXRechnung",
    "EmailAddresses",
    "Person",
    "PhoneNumbers",
]


class ContactRole(LexwareModel):
    """Details of one role; send it empty (`{}`) on create. `number` is assigned by Lexware."""

    number: int | None = None


class ContactRoles(LexwareModel):
    """The presence of a key means the contact has that role (at least one is required)."""

    customer: ContactRole | None = None
    vendor: ContactRole | None = None


class ContactPerson(LexwareModel):
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    primary: bool | None = None
    email_address: str | None = None
    phone_number: str | None = None


class Company(LexwareModel):
    name: str | None = None
    tax_number: str | None = None
    vat_registration_id: str | None = None
    allow_tax_free_invoices: bool | None = None
    contact_persons: list[ContactPerson] | None = None


class Person(LexwareModel):
    salutation: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class ContactAddress(LexwareModel):
    supplement: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country_code: str | None = None


class ContactAddresses(LexwareModel):
    billing: list[ContactAddress] | None = None
    shipping: list[ContactAddress] | None = None


class ContactXRechnung(LexwareModel):
    """E-invoicing data; `vendorNumberAtCustomer` is required once `buyerReference` is set."""

    buyer_reference: str | None = None
    vendor_number_at_customer: str | None = None


class EmailAddresses(LexwareModel):
    business: list[str] | None = None
    office: list[str] | None = None
    private: list[str] | None = None
    other: list[str] | None = None


class PhoneNumbers(LexwareModel):
    business: list[str] | None = None
    office: list[str] | None = None
    mobile: list[str] | None = None
    private: list[str] | None = None
    fax: list[str] | None = None
    other: list[str] | None = None


class Contact(LexwareModel):
    id: str | None = None
    organization_id: str | None = None
    version: int | None = None
    roles: ContactRoles | None = None
    company: Company | None = None
    person: Person | None = None
    addresses: ContactAddresses | None = None
    x_rechnung: ContactXRechnung | None = None
    email_addresses: EmailAddresses | None = None
    phone_numbers: PhoneNumbers | None = None
    note: str | None = None
    archived: bool | None = None

    @property
    def display_name(self) -> str:
        """Company name, or "first last" for persons (the format Lexware prints, §5.1)."""
        if self.company is not None and self.company.name:
            return self.company.name
        if self.person is not None:
            parts = [self.person.first_name, self.person.last_name]
            return " ".join(part for part in parts if part)
        return ""

    @property
    def customer_number(self) -> int | None:
        if self.roles is None or self.roles.customer is None:
            return None
        return self.roles.customer.number

    @property
    def vendor_number(self) -> int | None:
        if self.roles is None or self.roles.vendor is None:
            return None
        return self.roles.vendor.number
