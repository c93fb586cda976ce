"""Shared helpers for the simulator core tests: a fresh simulator and a raw httpx client."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from lexware.simulator import Simulator, make_transport
from lexware.simulator.webhooks import Signer

BASE_URL = "https://api.lexware.io"
KEY = "test-key-alpha"
# One RSA key for all test simulators: generating one per test costs ~0.2 s each.
SIGNING_KEY_PEM = Signer.generate().private_pem()


def new_sim(**options: Any) -> Simulator:
    settings: dict[str, Any] = {
        "rate": 0,
        "ocr_delay": 0,
        "probe_callbacks": False,
        "signing_key_pem": SIGNING_KEY_PEM,
    }
    settings.update(options)
    return Simulator(**settings)


def client_for(sim: Simulator, key: str | None = KEY, **headers: str) -> httpx.Client:
    all_headers = {"Accept": "application/json", **headers}
    if key is not None:
        all_headers["Authorization"] = f"Bearer {key}"
    return httpx.Client(transport=make_transport(sim), base_url=BASE_URL, headers=all_headers)


def company_contact(name: str = "Beispiel Werkstatt GmbH", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"version": 0, "roles": {"customer": {}}, "company": {"name": name}}
    body.update(extra)
    return body


def person_contact(first: str, last: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "version": 0,
        "roles": {"customer": {}},
        "person": {"firstName": first, "lastName": last},
    }
    body.update(extra)
    return body


_ARTICLE_NUMBERS = itertools.count(100)


def article_body(**extra: Any) -> dict[str, Any]:
    """A valid article; each call its own `articleNumber` (duplicates → 406, Appendix B)."""
    body: dict[str, Any] = {
        "title": "Wartungspauschale",
        "type": "SERVICE",
        "unitName": "Monat",
        "articleNumber": f"SRV-{next(_ARTICLE_NUMBERS)}",
        "price": {"netPrice": 50.0, "leadingPrice": "NET", "taxRate": 19},
    }
    body.update(extra)
    return body


INCOME = "8f8664a8-fd86-11e1-a21f-0800200c9a66"
OUTGO = "16d04a28-fd91-11e1-a21f-0800200c9a66"


def voucher_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "salesinvoice",
        "voucherNumber": "SHOP-2026-0042",
        "voucherDate": "2026-03-02",
        "totalGrossAmount": 119.00,
        "totalTaxAmount": 19.00,
        "taxType": "gross",
        "useCollectiveContact": True,
        "contactName": "Online-Kunde M. Beispiel",
        "voucherItems": [
            {"amount": 119.00, "taxAmount": 19.00, "taxRatePercent": 19, "categoryId": INCOME}
        ],
    }
    body.update(extra)
    return body


def issue_keys(response: httpx.Response) -> list[str]:
    return [issue["i18nKey"] for issue in response.json()["IssueList"]]


def detail_fields(response: httpx.Response) -> list[str]:
    return [detail["field"] for detail in response.json()["details"]]
