"""client.contacts and client.articles: method, path, query and body on the wire (§5.4, §5.5)."""

from __future__ import annotations

import httpx
import pytest

from lexware import errors
from lexware.models import Contact
from tests.lexware.mock_lexware import ACTION, ID, Recorder, json_response, make_client


def page(
    content: list[dict[str, object]], *, number: int = 0, last: bool = True
) -> dict[str, object]:
    return {
        "content": content,
        "number": number,
        "last": last,
        "totalPages": number + 1,
        "totalElements": len(content),
        "size": 250,
        "first": number == 0,
    }


def test_contacts_list_sends_every_filter_with_search_encoding() -> None:
    recorder = Recorder([json_response(200, page([{"id": ID, "version": 1}]))])
    result = make_client(recorder).contacts.list(
        email="info@example.org",
        name="johnson & partner",
        number=10001,
        customer=True,
        vendor=False,
        page=2,
        size=50,
    )
    sent = recorder.last
    assert (sent.method, sent.path) == ("GET", "/v1/contacts")
    # §1.3: HTML-escaped, then URL-encoded with %20 for spaces.
    assert "name=johnson%20%26amp%3B%20partner" in sent.raw_query
    assert sent.query == {
        "email": "info@example.org",
        "name": "johnson &amp; partner",
        "number": "10001",
        "customer": "true",
        "vendor": "false",
        "page": "2",
        "size": "50",
    }
    assert result.content[0].id == ID


def test_contacts_literal_search_escapes_wildcards() -> None:
    recorder = Recorder([json_response(200, page([]))])
    make_client(recorder).contacts.list(email="n_d_e%@x.de", literal=True)
    assert recorder.last.query["email"] == "n\\_d\\_e\\%@x.de"


def test_contacts_short_search_is_refused_before_sending() -> None:
    recorder = Recorder([json_response(200, page([]))])
    with pytest.raises(errors.InvalidRequestError):
        make_client(recorder).contacts.list(name="ab")
    with pytest.raises(errors.InvalidRequestError):
        make_client(recorder).contacts.list(size=251)
    assert recorder.sent == []


def test_contacts_iter_all_follows_pages_until_last() -> None:
    recorder = Recorder(
        [
            json_response(200, page([{"id": ID}], number=0, last=False)),
            json_response(200, page([{"id": ID}], number=1, last=False)),
            json_response(200, page([{"id": ID}], number=2, last=True)),
        ]
    )
    items = list(make_client(recorder).contacts.iter_all(customer=True))
    assert len(items) == 3 and all(isinstance(item, Contact) for item in items)
    assert [s.query["page"] for s in recorder.sent] == ["0", "1", "2"]
    assert {s.query["size"] for s in recorder.sent} == {"250"}


def test_contacts_get_and_create() -> None:
    recorder = Recorder(
        [
            json_response(200, {"id": ID, "version": 4, "company": {"name": "Werkstatt GmbH"}}),
            json_response(200, ACTION),
        ]
    )
    client = make_client(recorder)
    assert client.contacts.get(ID).display_name == "Werkstatt GmbH"
    assert recorder.last.path == f"/v1/contacts/{ID}"
    client.contacts.create(
        Contact.model_validate({"roles": {"customer": {}}, "person": {"lastName": "Sommer"}})
    )
    sent = recorder.last
    assert (sent.method, sent.path) == ("POST", "/v1/contacts")
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.json() == {
        "version": 0,
        "roles": {"customer": {}},
        "person": {"lastName": "Sommer"},
    }


def test_contact_update_merges_so_a_partial_change_keeps_other_fields() -> None:
    current = {
        "id": ID,
        "version": 7,
        "roles": {"customer": {"number": 10001}},
        "company": {"name": "Alt GmbH", "vatRegistrationId": "DE123456789"},
        "emailAddresses": {"business": ["info@alt.de"]},
        "note": "Rahmenvertrag",
    }
    recorder = Recorder([json_response(200, current), json_response(200, ACTION)])
    make_client(recorder).contacts.update(ID, {"company": {"name": "Neu GmbH"}})
    get, put = recorder.sent
    assert (get.method, get.path) == ("GET", f"/v1/contacts/{ID}")
    assert (put.method, put.path) == ("PUT", f"/v1/contacts/{ID}")
    body = put.json()
    assert body["version"] == 7
    assert body["company"] == {"name": "Neu GmbH", "vatRegistrationId": "DE123456789"}
    assert body["emailAddresses"] == {"business": ["info@alt.de"]}
    assert body["note"] == "Rahmenvertrag"


def test_contact_update_with_expected_version_surfaces_stale_406_as_conflict() -> None:
    stale = {
        "IssueList": [
            {
                "i18nKey": "optimistic_locking_failure",
                "source": "version",
                "type": "validation_failure",
            }
        ]
    }
    recorder = Recorder([json_response(200, {"id": ID, "version": 9}), json_response(406, stale)])
    with pytest.raises(errors.ConflictError):
        make_client(recorder).contacts.update(ID, {"note": "x"}, expected_version=8)
    assert recorder.last.json()["version"] == 8
    assert len(recorder.sent) == 2  # the conflict is not retried


def test_empty_or_odd_ids_are_refused_before_sending() -> None:
    recorder = Recorder([json_response(200, {})])
    client = make_client(recorder)
    for bad in ("", "../profile", "abc"):
        with pytest.raises(errors.InvalidRequestError):
            client.contacts.get(bad)
    assert recorder.sent == []


def test_articles_list_filters_and_iter_all() -> None:
    recorder = Recorder([json_response(200, page([{"id": ID, "title": "A"}]))])
    client = make_client(recorder)
    client.articles.list(
        article_number="SRV-100",
        gtin="4006381333931",
        type="SERVICE",
        sort="title,ASC",
        page=1,
        size=25,
    )
    assert recorder.last.path == "/v1/articles"
    assert recorder.last.query == {
        "articleNumber": "SRV-100",
        "gtin": "4006381333931",
        "type": "SERVICE",
        "sort": "title,ASC",
        "page": "1",
        "size": "25",
    }
    assert [a.title for a in client.articles.iter_all(type="PRODUCT")] == ["A"]
    assert recorder.last.query == {"type": "PRODUCT", "page": "0", "size": "250"}
    with pytest.raises(errors.InvalidRequestError):
        client.articles.list(type="service")


def test_articles_get_create_update_delete() -> None:
    article = {
        "id": ID,
        "version": 2,
        "title": "Wartung",
        "type": "SERVICE",
        "unitName": "Monat",
        "price": {"netPrice": 50.0, "leadingPrice": "NET", "taxRate": 19},
    }
    recorder = Recorder(
        [
            json_response(200, article),
            json_response(201, ACTION),
            json_response(200, article),
            json_response(200, ACTION),
            httpx.Response(204),
        ]
    )
    client = make_client(recorder)
    assert client.articles.get(ID).title == "Wartung"
    client.articles.create(
        {
            "title": "Neu",
            "type": "PRODUCT",
            "unitName": "Stück",
            "price": {"netPrice": 1.0, "leadingPrice": "NET", "taxRate": 19},
        }
    )
    assert (recorder.last.method, recorder.last.path) == ("POST", "/v1/articles")
    assert recorder.last.json()["title"] == "Neu"
    client.articles.update(ID, {"price": {"netPrice": 60.0}})
    put = recorder.last
    assert (put.method, put.path) == ("PUT", f"/v1/articles/{ID}")
    assert put.json()["price"] == {"netPrice": 60.0, "leadingPrice": "NET", "taxRate": 19}
    assert put.json()["version"] == 2 and put.json()["unitName"] == "Monat"
    assert client.articles.delete(ID) is None
    assert (recorder.last.method, recorder.last.path) == ("DELETE", f"/v1/articles/{ID}")


@pytest.mark.parametrize("resource", ["contacts", "articles"])
def test_get_raw_and_put_raw_keep_unknown_fields_and_send_one_request_each(resource: str) -> None:
    """For callers that merge themselves (the portal's edits): the JSON as Lexware sent it,
    fields no model knows included, and a PUT of exactly the body given."""
    current = {"id": ID, "version": 3, "title": "Alt", "someFutureField": {"x": 1}}
    recorder = Recorder([json_response(200, current), json_response(200, ACTION)])
    client = make_client(recorder)
    records = getattr(client, resource)
    record = records.get_raw(ID)
    assert record == current
    records.put_raw(ID, {**record, "title": "Neu"})
    get, put = recorder.sent
    assert (get.method, get.path) == ("GET", f"/v1/{resource}/{ID}")
    assert (put.method, put.path) == ("PUT", f"/v1/{resource}/{ID}")
    assert put.json() == {**current, "title": "Neu"}


def test_get_raw_refuses_a_body_that_is_not_a_record() -> None:
    recorder = Recorder([json_response(200, [1, 2])])
    with pytest.raises(errors.InvalidRequestError):
        make_client(recorder).contacts.get_raw(ID)


def test_before_send_sees_each_request_just_before_it_leaves() -> None:
    recorder = Recorder([json_response(200, {"id": ID, "version": 1}), json_response(200, ACTION)])
    client = make_client(recorder)
    seen: list[tuple[str, str, int]] = []
    client.before_send(lambda method, path: seen.append((method, path, len(recorder.sent))))
    client.contacts.get_raw(ID)
    client.contacts.create({"version": 0, "roles": {"customer": {}}, "company": {"name": "X"}})
    # Called before the request reached the transport (nothing sent yet at each call).
    assert seen == [("GET", f"/v1/contacts/{ID}", 0), ("POST", "/v1/contacts", 1)]
    client.before_send(None)
