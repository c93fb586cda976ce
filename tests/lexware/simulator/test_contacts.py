"""Contacts endpoint (lexware-api.md §5.5, §3, Appendix A), legacy error shape (§2.2)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import KEY, company_contact, issue_keys, person_contact


def _create(api: httpx.Client, body: dict[str, Any]) -> str:
    response = api.post("/v1/contacts", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def test_create_answers_200_action_result_with_location(api: httpx.Client) -> None:
    """Appendix A: contact POST 200 with an action result (not the object); §1.4 Location."""
    response = api.post("/v1/contacts", json=company_contact())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "resourceUri", "createdDate", "updatedDate", "version"}
    assert (
        response.headers["Location"]
        == body["resourceUri"]
        == f"https://api.lexware.io/v1/contacts/{body['id']}"
    )


def test_contact_object_has_no_timestamps_and_number_assigned(api: httpx.Client) -> None:
    """Appendix A: no timestamps on contact objects; customer number ≥ 10000 assigned server-side."""
    contact = api.get(f"/v1/contacts/{_create(api, company_contact())}").json()
    assert "createdDate" not in contact and "updatedDate" not in contact
    assert contact["roles"]["customer"]["number"] == 10000
    assert contact["archived"] is False


def test_numbers_per_role_count_from_10000(api: httpx.Client) -> None:
    """§5.5: number inside each role is assigned by Lexware, per role."""
    _create(api, company_contact("Erste"))
    both = _create(api, company_contact("Zweite", roles={"customer": {}, "vendor": {}}))
    roles = api.get(f"/v1/contacts/{both}").json()["roles"]
    assert roles == {"customer": {"number": 10001}, "vendor": {"number": 10000}}


def test_version_0_required_on_create(api: httpx.Client) -> None:
    """§5.5: version required on POST (= 0)."""
    body = company_contact()
    del body["version"]
    response = api.post("/v1/contacts", json=body)
    assert response.status_code == 406
    assert response.json()["IssueList"][0]["source"] == "version"


def test_exactly_one_of_company_or_person(api: httpx.Client) -> None:
    """§5.5: exactly one of company/person."""
    both = company_contact(person={"lastName": "Muster"})
    assert api.post("/v1/contacts", json=both).status_code == 406
    neither = {"version": 0, "roles": {"customer": {}}}
    response = api.post("/v1/contacts", json=neither)
    assert response.status_code == 406 and "missing_entity" in issue_keys(response)


def test_at_least_one_role(api: httpx.Client) -> None:
    """§5.5: at least one role."""
    response = api.post("/v1/contacts", json=company_contact(roles={}))
    assert response.status_code == 406
    assert response.json()["IssueList"][0]["source"] == "roles"


def test_person_last_name_required_legacy_shape(api: httpx.Client) -> None:
    """§2.1(b) IssueList with i18nKey missing_entity, source person.lastName."""
    response = api.post(
        "/v1/contacts", json={"version": 0, "roles": {"customer": {}}, "person": {"firstName": "A"}}
    )
    assert response.status_code == 406
    assert response.json()["IssueList"] == [
        {
            "i18nKey": "missing_entity",
            "source": "person.lastName",
            "type": "validation_failure",
            "additionalData": None,
            "args": None,
        }
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {"addresses": {"billing": [{"countryCode": "DE"}, {"countryCode": "AT"}]}},
        {"emailAddresses": {"business": ["a@example.org", "b@example.org"]}},
        {"phoneNumbers": {"mobile": ["0170 1", "0170 2"]}},
    ],
)
def test_at_most_one_entry_per_list(api: httpx.Client, extra: dict[str, Any]) -> None:
    """§5.5: at most one entry in each list on create."""
    assert api.post("/v1/contacts", json=company_contact(**extra)).status_code == 406


def test_contact_persons_at_most_one(api: httpx.Client) -> None:
    body = company_contact()
    body["company"]["contactPersons"] = [{"lastName": "A"}, {"lastName": "B"}]
    assert api.post("/v1/contacts", json=body).status_code == 406


def test_xrechnung_buyer_reference_needs_vendor_number(api: httpx.Client) -> None:
    """§5.5: if buyerReference is set, vendorNumberAtCustomer is required."""
    response = api.post(
        "/v1/contacts", json=company_contact(xRechnung={"buyerReference": "04011000-1234512345-06"})
    )
    assert response.status_code == 406
    assert response.json()["IssueList"][0]["source"] == "xRechnung.vendorNumberAtCustomer"


def test_invalid_email_phone_country_rejected(api: httpx.Client) -> None:
    """§5.5 observed validations: empty e-mail, letters in phone numbers, unknown country."""
    assert (
        api.post(
            "/v1/contacts", json=company_contact(emailAddresses={"business": [""]})
        ).status_code
        == 406
    )
    assert (
        api.post(
            "/v1/contacts", json=company_contact(phoneNumbers={"business": ["call me"]})
        ).status_code
        == 406
    )
    bad_country = company_contact(addresses={"billing": [{"city": "X", "countryCode": "XX"}]})
    assert api.post("/v1/contacts", json=bad_country).status_code == 406


def test_put_replaces_whole_record_and_bumps_version(api: httpx.Client) -> None:
    """§3: PUT is a full replacement; version increases."""
    cid = _create(api, company_contact(note="alt", emailAddresses={"business": ["x@example.org"]}))
    current = api.get(f"/v1/contacts/{cid}").json()
    update = {
        "version": current["version"],
        "roles": {"customer": {}},
        "company": {"name": "Neu GmbH"},
    }
    response = api.put(f"/v1/contacts/{cid}", json=update)
    assert response.status_code == 200
    after = api.get(f"/v1/contacts/{cid}").json()
    assert after["version"] == current["version"] + 1
    assert after["company"]["name"] == "Neu GmbH"
    assert "note" not in after and "emailAddresses" not in after
    assert after["roles"]["customer"]["number"] == current["roles"]["customer"]["number"]


def test_stale_version_is_406_issuelist(api: httpx.Client) -> None:
    """Appendix A: stale version on contacts → 406 IssueList (not 409)."""
    cid = _create(api, company_contact())
    response = api.put(f"/v1/contacts/{cid}", json={**company_contact(), "version": 99})
    assert response.status_code == 406
    assert "IssueList" in response.json()


def test_archived_is_ignored_on_put(api: httpx.Client) -> None:
    """§3 / Appendix A: archived: true accepted, bumps version, does not archive."""
    cid = _create(api, company_contact())
    response = api.put(
        f"/v1/contacts/{cid}", json={**company_contact(), "version": 1, "archived": True}
    )
    assert response.status_code == 200
    after = api.get(f"/v1/contacts/{cid}").json()
    assert after["archived"] is False and after["version"] == 2


def test_contact_with_several_entries_cannot_be_updated(sim: Simulator, api: httpx.Client) -> None:
    """§5.5: contacts edited in the web app with several entries can be read, but any PUT is rejected."""
    cid = _create(api, company_contact())
    contact = sim.tenant_for_key(KEY).contacts[cid]
    contact["addresses"] = {"billing": [{"countryCode": "DE"}, {"countryCode": "AT"}]}
    assert api.get(f"/v1/contacts/{cid}").status_code == 200
    assert (
        api.put(f"/v1/contacts/{cid}", json={**company_contact(), "version": 1}).status_code == 406
    )


def test_unknown_contact_is_404(api: httpx.Client) -> None:
    assert api.get("/v1/contacts/3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11").status_code == 404


def test_name_filter_substring_case_insensitive(api: httpx.Client) -> None:
    """§5.5: name is a case-insensitive substring match."""
    _create(api, company_contact("Beispiel Werkstatt GmbH"))
    _create(api, person_contact("Jana", "Sommer"))
    found = api.get("/v1/contacts", params={"name": "WERKST"}).json()["content"]
    assert [c["company"]["name"] for c in found] == ["Beispiel Werkstatt GmbH"]
    assert api.get("/v1/contacts", params={"name": "jana som"}).json()["totalElements"] == 1


def test_name_filter_wildcards_and_escape(api: httpx.Client) -> None:
    """§5.5: `_` one char, `%` any run, backslash escapes."""
    _create(api, company_contact("Muster_Bau"))
    _create(api, company_contact("MusterXBau"))
    assert api.get("/v1/contacts", params={"name": "Muster_Bau"}).json()["totalElements"] == 2
    assert api.get("/v1/contacts", params={"name": "Muster\\_Bau"}).json()["totalElements"] == 1
    assert api.get("/v1/contacts", params={"name": "Mu%Bau"}).json()["totalElements"] == 2


def test_name_filter_html_unescaped(api: httpx.Client) -> None:
    """§1.3: `&` is sent as `&amp;` before URL encoding."""
    _create(api, company_contact("Johnson & Partner"))
    assert (
        api.get("/v1/contacts", params={"name": "johnson &amp; partner"}).json()["totalElements"]
        == 1
    )
    assert api.get("/v1/contacts", params={"name": "Johnson &lt;"}).json()["totalElements"] == 0


def test_email_filter_includes_contact_persons(api: httpx.Client) -> None:
    """§5.5: email matches emailAddresses and company.contactPersons."""
    body = company_contact()
    body["company"]["contactPersons"] = [
        {"lastName": "Sommer", "emailAddress": "jana.sommer@example.org"}
    ]
    _create(api, body)
    _create(api, person_contact("N", "D", emailAddresses={"private": ["n_d_e@example.org"]}))
    assert api.get("/v1/contacts", params={"email": "jana.SOMMER@"}).json()["totalElements"] == 1
    assert api.get("/v1/contacts", params={"email": "n_d_e@"}).json()["totalElements"] == 1


def test_short_filter_is_400_bad_request_error(api: httpx.Client) -> None:
    """§5.5 / §2.4: filters shorter than 3 chars → 400 legacy bad_request_error."""
    response = api.get("/v1/contacts", params={"name": "ab"})
    assert response.status_code == 400
    assert issue_keys(response) == ["bad_request_error"]
    assert api.get("/v1/contacts", params={"email": "a"}).status_code == 400


def test_number_customer_vendor_filters(api: httpx.Client) -> None:
    """§5.5: number (customer or vendor), customer=true/false, vendor=true/false."""
    _create(api, company_contact("Kunde"))
    _create(api, company_contact("Lieferant", roles={"vendor": {}}))
    assert [
        c["company"]["name"]
        for c in api.get("/v1/contacts", params={"vendor": "true"}).json()["content"]
    ] == ["Lieferant"]
    assert api.get("/v1/contacts", params={"customer": "false"}).json()["totalElements"] == 1
    numbered = api.get("/v1/contacts", params={"number": 10000}).json()
    assert numbered["totalElements"] == 2  # customer 10000 and vendor 10000


def test_contact_events(sim: Simulator, api: httpx.Client) -> None:
    """§5.5 events contact.created / contact.changed go through sim.emit."""
    seen: list[tuple[str, str]] = []
    sim.emit = lambda tenant, event, rid: seen.append((event, rid)) or 0  # type: ignore[method-assign]
    cid = _create(api, company_contact())
    api.put(f"/v1/contacts/{cid}", json={**company_contact(), "version": 1})
    assert seen == [("contact.created", cid), ("contact.changed", cid)]
