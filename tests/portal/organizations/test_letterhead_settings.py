"""The letterhead ("Briefkopf") on the organization's settings page (issue 19): address, tax
numbers and legal lines for previews and statements, checked on the form, audited, and only
for admins and owners."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.organizations import services
from portal.organizations.forms import LetterheadForm
from portal.organizations.models import Membership, Organization
from portal.organizations.tax_ids import german_check_digit_ok, vat_id_ok

PAGE = "/o/alpha/settings/"
URL = reverse("org:letterhead_settings", kwargs={"org_slug": "alpha"})
VALID = {
    "address_street": "Hauptstraße 1",
    "address_zip": "10115",
    "address_city": "Berlin",
    "address_country": "DE",
    "tax_number": "12/345/67890",
    "vat_id": "de 123 456 788",
    "managing_directors": "Alice Adler",
    "commercial_register": "Amtsgericht Charlottenburg, HRB 12345",
}


def form(**changes: str) -> LetterheadForm:
    bound = LetterheadForm({**VALID, **changes})
    bound.is_valid()
    return bound


def test_valid_input_is_normalised() -> None:
    bound = form(address_street="  Hauptstraße   1 ", tax_number=" 12/345/67890 ")
    assert bound.is_valid(), bound.errors
    data = bound.cleaned_data
    assert data["vat_id"] == "DE123456788"
    assert data["address_street"] == "Hauptstraße 1" and data["tax_number"] == "12/345/67890"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vat_id": "DE123456789"}, "vat_id"),  # wrong check digit
        ({"vat_id": "DE12345678"}, "vat_id"),  # eight digits
        ({"vat_id": "123456788"}, "vat_id"),  # no country prefix
        ({"vat_id": "US123456789"}, "vat_id"),  # not an EU prefix
        ({"vat_id": "ATU1234567"}, "vat_id"),  # Austria: U and eight digits
        ({"address_zip": "1011"}, "address_zip"),  # German postcodes have five digits
        ({"address_zip": "1O115"}, "address_zip"),
        ({"address_city": ""}, "address_city"),  # street without a city
        ({"address_street": "x" * 101}, "address_street"),
        ({"address_country": "XX"}, "address_country"),
        ({"tax_number": "12/345"}, "tax_number"),
        ({"tax_number": "12-345-67890"}, "tax_number"),
        ({"managing_directors": "Alice\nBob"}, "managing_directors"),
        ({"commercial_register": "<b>HRB</b>"}, "commercial_register"),
    ],
)
def test_bad_input_is_an_error_on_its_field(changes: dict[str, str], field: str) -> None:
    bound = form(**changes)
    assert not bound.is_valid()
    assert list(bound.errors) == [field], bound.errors


def test_other_eu_vat_ids_and_foreign_postcodes_are_accepted() -> None:
    for vat_id in ("ATU12345678", "FR12345678901", "NL123456789B01", "EL123456789", "GR123456789"):
        assert form(vat_id=vat_id).is_valid(), vat_id
    assert form(vat_id="gr 123456789").cleaned_data["vat_id"] == "EL123456789"
    austrian = form(address_zip="1010", address_city="Wien", address_country="AT")
    assert austrian.is_valid(), austrian.errors
    dutch = form(address_zip="1012 ab", address_country="NL")
    assert dutch.is_valid() and dutch.cleaned_data["address_zip"] == "1012 AB"


def test_everything_may_stay_empty() -> None:
    empty = LetterheadForm({"address_country": "DE"})
    assert empty.is_valid(), empty.errors


def test_the_german_check_digit_is_iso_7064() -> None:
    # Published USt-IdNr. of real companies (BZSt's check digit), and one digit off.
    assert vat_id_ok("DE136695976") and vat_id_ok("DE811569869")
    assert not german_check_digit_ok("136695977")


def test_an_admin_saves_it_and_the_audit_names_what_changed(
    client_for: Any, dave: Any, org_a: Organization
) -> None:
    response = client_for(dave).post(URL, VALID)
    assert response.status_code == 302 and response["Location"] == PAGE
    org_a.refresh_from_db()
    assert (org_a.address_street, org_a.address_zip, org_a.address_city) == (
        "Hauptstraße 1",
        "10115",
        "Berlin",
    )
    assert (org_a.tax_number, org_a.vat_id) == ("12/345/67890", "DE123456788")
    event = AuditEvent.objects.get(action="org.letterhead")
    assert event.actor_id == dave.pk and event.organization_id == org_a.pk
    changed = event.details["changed"]
    assert changed["vat_id"] == {"before": "", "after": "DE123456788"}
    assert "address_country" not in changed  # DE before and after
    # Saving the same again changes nothing and records nothing.
    client_for(dave).post(URL, VALID)
    assert AuditEvent.objects.filter(action="org.letterhead").count() == 1
    client_for(dave).post(URL, {**VALID, "tax_number": ""})
    last = AuditEvent.objects.filter(action="org.letterhead").latest("pk")
    assert last.details["changed"] == {"tax_number": {"before": "12/345/67890", "after": ""}}


def test_the_page_shows_the_section_and_the_saved_values(
    client_for: Any, alice: Any, org_a: Organization
) -> None:
    Organization.objects.filter(pk=org_a.pk).update(vat_id="DE123456788", address_city="Berlin")
    html = client_for(alice).get(PAGE).content.decode()
    assert 'id="letterhead"' in html and f'action="{URL}"' in html
    assert 'value="DE123456788"' in html and 'value="Berlin"' in html
    assert '<option value="AT">Austria</option>' in html
    german = client_for(alice).get(PAGE, headers={"Accept-Language": "de"}).content.decode()
    assert "Briefkopf" in german and "USt-IdNr." in german
    assert '<option value="AT">Österreich</option>' in german


def test_errors_are_shown_on_the_page_never_a_500(
    client_for: Any, alice: Any, org_a: Organization
) -> None:
    client = client_for(alice)
    bad = {**VALID, "vat_id": "DE123456789", "address_zip": "123"}
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(URL, bad, headers=headers)
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_vat_id_error"' in html and 'id="id_address_zip_error"' in html
        assert 'value="Hauptstraße 1"' in html  # what was typed stays
    assert "<html" in client.post(URL, bad).content.decode()  # the whole page
    partial = client.post(URL, bad, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="letterhead"' in partial
    german = client.post(URL, bad, headers={"Accept-Language": "de"}).content.decode()
    assert "Prüfziffer" in german
    org_a.refresh_from_db()
    assert org_a.vat_id == "" and not AuditEvent.objects.filter(action="org.letterhead").exists()


def test_an_htmx_save_answers_with_the_section_and_its_message(
    client_for: Any, alice: Any, org_a: Organization
) -> None:
    response = client_for(alice).post(URL, VALID, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="letterhead"' in html
    assert "The letterhead is saved" in html and 'value="DE123456788"' in html


def test_the_cast(client_for: Any, cast: dict[str, Any], dave: Any, org_a: Organization) -> None:
    """Viewer and member refused (403), admin and owner allowed, another organization's
    owner gets a 404 (the organization does not exist for them), anonymous to the sign-in."""
    for name in ("carol", "bob"):
        assert client_for(cast[name]).post(URL, VALID).status_code == 403
    assert client_for(cast["charlie"]).post(URL, VALID).status_code == 404
    anonymous = client_for(None).post(URL, VALID)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    org_a.refresh_from_db()
    assert org_a.vat_id == ""
    for user in (dave, cast["alice"]):
        assert client_for(user).post(URL, VALID).status_code == 302
    assert client_for(dave).get(URL).status_code == 405  # POST only


def test_the_service_refuses_members(bob: Any, org_a: Organization) -> None:
    from portal.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.organization_letterhead_set(
            actor=Membership.objects.get(user=bob), values={"vat_id": "DE123456788"}
        )
    org_a.refresh_from_db()
    assert org_a.vat_id == ""
