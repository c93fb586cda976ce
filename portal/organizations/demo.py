"""The demo cast (mirrors the test cast): `manage.py demo` calls create_demo_cast()."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from portal.accounts.models import User
from portal.organizations.models import Membership, Organization, Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo data, printed on the console anyway

_ORGANIZATIONS = {"demo": "Demo Werkstatt GmbH", "andere": "Andere Firma AG"}
# The demo company's account (a valid test IBAN, Commerzbank's example) for the GiroCode.
_DEMO_BANK_ACCOUNT = {
    "bank_account_holder": "Demo Werkstatt GmbH",
    "iban": "DE89370400440532013000",
    "bic": "COBADEFFXXX",
    "bank_name": "Commerzbank",
}
# Its letterhead for draft previews and statements (the VAT ID's check digit is valid).
_DEMO_LETTERHEAD = {
    "address_street": "Werkstattweg 5",
    "address_zip": "80331",
    "address_city": "München",
    "tax_number": "143/123/45678",
    "vat_id": "DE123456788",
    "managing_directors": "Alice Adler",
    "commercial_register": "Amtsgericht München, HRB 98765",
}
_PEOPLE = [
    # (key, e-mail, name, organization slug, role)
    ("alice", "alice@demo.local", "Alice Adler", "demo", Role.OWNER),
    ("bob", "bob@demo.local", "Bob Bauer", "demo", Role.MEMBER),
    ("carol", "carol@demo.local", "Carol Conrad", "demo", Role.VIEWER),
    ("charlie", "charlie@demo.local", "Charlie Cramer", "andere", Role.OWNER),
]


def _user(email: str, full_name: str, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": is_staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_demo_cast() -> dict[str, Any]:
    """Organizations, users and memberships of the demo; running it again changes nothing.

    Returns {"demo": Organization, "andere": Organization, "alice": User, …, "operator": User}.
    """
    cast: dict[str, object] = {}
    for slug, name in _ORGANIZATIONS.items():
        cast[slug], _created = Organization.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
    Organization.objects.filter(slug="demo", iban="").update(**_DEMO_BANK_ACCOUNT)
    Organization.objects.filter(slug="demo", address_street="").update(**_DEMO_LETTERHEAD)
    for key, email, full_name, slug, role in _PEOPLE:
        user = _user(email, full_name)
        Membership.objects.get_or_create(
            user=user, organization=cast[slug], defaults={"role": role}
        )
        cast[key] = user
    cast["operator"] = _user("operator@demo.local", "Olga Operator", is_staff=True)
    return cast
