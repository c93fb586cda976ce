"""An organization connected to the in-process simulator, with one customer and two articles
created in the simulator (over its API) and mirrored, as a sync would have left them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from lexware import key_fingerprint
from portal.articles.mirror import upsert_article
from portal.articles.models import Article
from portal.contacts.mirror import upsert_contact
from portal.contacts.models import Contact
from portal.core import crypto
from portal.core.mirror import api_dict
from portal.operations.clients import client_for_key
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "sales-editor-test-key-00000000000"


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


@pytest.fixture
def no_follow_up(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    return queued


@pytest.fixture
def customer(connected: LexwareConnection) -> Contact:
    client = client_for_key(KEY)
    created = client.contacts.create(
        {
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": "Hafenkontor Sommer GmbH"},
            "emailAddresses": {"business": ["info@hafenkontor.example"]},
            "addresses": {
                "billing": [
                    {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
                ]
            },
        }
    )
    data = api_dict(client.contacts.get(str(created.id)))
    return upsert_contact(organization=connected.organization, data=data)


def _article(connected: LexwareConnection, body: dict[str, Any]) -> Article:
    client = client_for_key(KEY)
    created = client.articles.create(body)
    data = api_dict(client.articles.get(str(created.id)))
    return upsert_article(organization=connected.organization, data=data)


@pytest.fixture
def screws(connected: LexwareConnection) -> Article:
    return _article(
        connected,
        {
            "title": "Edelstahlschrauben M6",
            "description": "Packung zu 100 Stück",
            "type": "PRODUCT",
            "unitName": "Packung",
            "articleNumber": "SCH-M6",
            "price": {"netPrice": 13.4, "leadingPrice": "NET", "taxRate": 19},
        },
    )


@pytest.fixture
def book(connected: LexwareConnection) -> Article:
    return _article(
        connected,
        {
            "title": "Fachbuch Metallbau",
            "type": "PRODUCT",
            "unitName": "Stück",
            "articleNumber": "BUCH-1",
            "price": {"netPrice": 8.32, "leadingPrice": "NET", "taxRate": 7},
        },
    )


def token(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries no idempotency token"
    return match.group(1)


def form_fields(html: str) -> dict[str, str]:
    """Every named input/select/textarea value of a rendered editor, as a browser would send
    it (selects: the selected option)."""
    data: dict[str, str] = {}
    for match in re.finditer(r"<input\b([^>]*)>", html):
        attrs = match.group(1)
        name = re.search(r'\bname="([^"]*)"', attrs)
        if not name:
            continue
        kind = re.search(r'\btype="([^"]*)"', attrs)
        if kind and kind.group(1) in ("checkbox", "radio") and "checked" not in attrs:
            continue
        value = re.search(r'\bvalue="([^"]*)"', attrs)
        data[name.group(1)] = _unescape(value.group(1)) if value else ""
    for match in re.finditer(r'<select\b[^>]*name="([^"]*)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        first = re.search(r'<option value="([^"]*)"', match.group(2))
        chosen = selected or first
        data[match.group(1)] = _unescape(chosen.group(1)) if chosen else ""
    for match in re.finditer(r'<textarea\b[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', html, re.S):
        data[match.group(1)] = _unescape(match.group(2).lstrip("\n"))
    data.pop("action", None)
    data.pop("csrfmiddlewaretoken", None)
    return data


def _unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


def editor_post(client: Client, url: str, data: dict[str, str], **extra: Any) -> str:
    response = client.post(url, data, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()
