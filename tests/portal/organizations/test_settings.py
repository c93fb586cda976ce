"""The organization's settings page: admins and owners set the bank account customers pay into;
IBAN and BIC are checked by schwifty, the change is in the audit trail (issue 12 item 3)."""

from __future__ import annotations

from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.organizations.models import Membership, Organization
from portal.organizations.navigation import navigation_for

URL = "/o/alpha/settings/"


def test_an_admin_saves_the_bank_account_normalised_and_audited(client_for, dave, org_a) -> None:
    client = client_for(dave)
    assert 'name="iban"' in client.get(URL).content.decode()
    response = client.post(
        URL, {"bank_account_holder": "Alpha GmbH", "iban": "de89 3704 0044 0532 0130 00"}
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.iban == "DE89370400440532013000"
    assert org_a.bic == "COBADEFFXXX"  # from the bank registry when left empty
    assert org_a.bank_account_holder == "Alpha GmbH" and org_a.bank_name
    event = AuditEvent.objects.get(action="org.bank_account")
    assert event.actor_id == dave.pk and event.organization_id == org_a.pk
    assert event.details["iban_after"] == "DE…3000"
    assert "DE89370400440532013000" not in str(event.details)  # masked


def test_wrong_check_digits_and_a_bad_bic_are_shown_on_their_fields(client_for, alice, org_a):
    client = client_for(alice)
    for htmx in ({}, {"HX-Request": "true"}):
        response = client.post(
            URL,
            {"bank_account_holder": "Alpha", "iban": "DE89370400440532013001", "bic": "NOPE"},
            headers=htmx,
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_iban_error"' in html and 'id="id_bic_error"' in html
    org_a.refresh_from_db()
    assert org_a.iban == "" and not AuditEvent.objects.filter(action="org.bank_account").exists()


def test_a_foreign_iban_with_its_bic_is_accepted(client_for, alice, org_a) -> None:
    client_for(alice).post(
        URL,
        {
            "bank_account_holder": "Alpha",
            "iban": "AT61 1904 3002 3457 3201",
            "bic": "bkaustwwxxx",
            "bank_name": "Testbank",
        },
    )
    org_a.refresh_from_db()
    assert (org_a.iban, org_a.bic, org_a.bank_name) == (
        "AT611904300234573201",
        "BKAUSTWWXXX",
        "Testbank",
    )


def test_removing_the_account_clears_every_field(client_for, alice, org_a) -> None:
    Organization.objects.filter(pk=org_a.pk).update(
        iban="DE89370400440532013000", bic="COBADEFFXXX", bank_account_holder="A", bank_name="B"
    )
    client_for(alice).post(reverse("org:bank_account_remove", kwargs={"org_slug": "alpha"}))
    org_a.refresh_from_db()
    assert (org_a.iban, org_a.bic, org_a.bank_account_holder, org_a.bank_name) == ("", "", "", "")
    assert AuditEvent.objects.get(action="org.bank_account").details["iban_before"] == "DE…3000"


def test_members_and_viewers_neither_see_nor_open_it(client_for, bob, carol, dave) -> None:
    for user in (bob, carol):
        assert client_for(user).get(URL).status_code == 403
        links = navigation_for(membership=Membership.objects.get(user=user), current_path="/")
        assert URL not in [link.url for link in links]
    links = navigation_for(membership=Membership.objects.get(user=dave), current_path=URL)
    assert [link.url for link in links if link.active] == [URL]
