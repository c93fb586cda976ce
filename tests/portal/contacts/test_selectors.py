"""Contact list selectors on mirror rows made by the mirror writers."""

from __future__ import annotations

import pytest

from portal.contacts.selectors import contact_detail, contact_list
from portal.organizations.models import Organization
from portal.sync import mirror_write
from tests.portal.conftest import make_contact

pytestmark = pytest.mark.django_db


def names(page: object) -> list[str]:
    return [row.name for row in page.object_list]  # type: ignore[attr-defined]


@pytest.fixture
def contacts(org_a: Organization, org_b: Organization) -> None:
    make_contact(
        org_a, name="Beispiel Werkstatt GmbH", customer_number=10001, email="info@werkstatt.example"
    )
    make_contact(
        org_a,
        name="Müller Bau AG",
        customer_number=10002,
        vendor_number=70001,
        email="einkauf@mueller.example",
    )
    make_contact(
        org_a, name="Papier Lieferant KG", vendor_number=70002, email="order@papier.example"
    )
    make_contact(org_a, name="Jana Sommer", customer_number=210001, person=True)
    make_contact(
        org_b, name="Beispiel Fremdfirma GmbH", customer_number=10001, email="info@fremd.example"
    )


def test_contact_search_by_name_is_case_insensitive_substring(
    org_a: Organization, contacts: None
) -> None:
    assert names(contact_list(organization=org_a, query="WERKSTATT")) == ["Beispiel Werkstatt GmbH"]
    assert names(contact_list(organization=org_a, query="müller")) == ["Müller Bau AG"]


def test_contact_search_by_email(org_a: Organization, contacts: None) -> None:
    assert names(contact_list(organization=org_a, query="order@papier")) == ["Papier Lieferant KG"]


def test_contact_search_by_number_exact_and_substring(org_a: Organization, contacts: None) -> None:
    assert names(contact_list(organization=org_a, query="70001")) == ["Müller Bau AG"]
    # "10001" is exactly customer 10001 and a substring of 210001.
    assert names(contact_list(organization=org_a, query="10001")) == [
        "Beispiel Werkstatt GmbH",
        "Jana Sommer",
    ]


def test_a_superscript_digit_is_searched_as_text_not_as_a_number(
    org_a: Organization, contacts: None
) -> None:
    # "²".isdigit() is true, but int("²") fails: the search answered with a 500. As text it
    # folds to "2" like any other compatibility character.
    found = list(contact_list(organization=org_a, query="²"))
    assert found and all("2" in contact.search_text for contact in found)


def test_contact_role_filters(org_a: Organization, contacts: None) -> None:
    assert names(contact_list(organization=org_a, role="vendor")) == [
        "Müller Bau AG",
        "Papier Lieferant KG",
    ]
    assert names(contact_list(organization=org_a, role="customer")) == [
        "Beispiel Werkstatt GmbH",
        "Jana Sommer",
        "Müller Bau AG",
    ]


def test_contacts_of_another_organization_never_appear(
    org_a: Organization, org_b: Organization, contacts: None
) -> None:
    assert "Beispiel Fremdfirma GmbH" not in names(
        contact_list(organization=org_a, query="beispiel")
    )
    assert names(contact_list(organization=org_b)) == ["Beispiel Fremdfirma GmbH"]
    other = contact_list(organization=org_b).object_list[0]
    with pytest.raises(Exception, match="No Contact matches"):
        contact_detail(organization=org_a, lexware_id=other.lexware_id)


def test_deleted_contacts_are_hidden(org_a: Organization, contacts: None) -> None:
    gone = contact_list(organization=org_a, query="papier").object_list[0]
    mirror_write.mark_deleted(
        organization=org_a, resource="contacts", lexware_id=str(gone.lexware_id)
    )
    assert names(contact_list(organization=org_a, query="papier")) == []


def test_contact_list_pages(org_a: Organization, contacts: None) -> None:
    first = contact_list(organization=org_a, page_size=3)
    second = contact_list(organization=org_a, page=2, page_size=3)
    assert first.paginator.count == 4
    assert len(first.object_list) == 3
    assert names(second) == ["Papier Lieferant KG"]
