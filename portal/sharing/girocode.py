"""The GiroCode (EPC QR code, EPC069-12 version 002) of an open invoice's customer page: the
payload text and its QR code as inline SVG, drawn on the server (no script, no inline style:
the page's CSP allows neither).

Payload lines, separated by LF: BCD / 002 / 1 (UTF-8) / SCT / BIC (optional in 002) / name
(≤ 70) / IBAN / EUR amount / purpose (empty) / structured reference (empty) / unstructured
remittance (≤ 140: the invoice number). Error correction M, at most 331 bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.core.cache import cache

from portal.documents.models import Document
from portal.documents.selectors import shown_status

PAYABLE_TYPES = frozenset({"invoice", "downpaymentinvoice"})
PAYABLE_STATES = frozenset({"open", "overdue"})
MAX_AMOUNT = Decimal("999999999.99")


@dataclass(frozen=True)
class GiroCode:
    payload: str
    svg: str
    amount: Decimal
    iban: str
    name: str
    reference: str


def epc_payload(*, name: str, iban: str, bic: str, amount: Decimal, reference: str) -> str:
    if not (Decimal("0.01") <= amount <= MAX_AMOUNT):
        raise ValueError("EPC amounts are 0.01 to 999999999.99 EUR")
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        bic,
        " ".join(name.split())[:70],
        iban,
        f"EUR{amount.quantize(Decimal('0.01'))}",
        "",
        "",
        " ".join(reference.split())[:140],
    ]
    return "\n".join(lines)


@lru_cache(maxsize=1024)
def qr_svg(payload: str) -> str:
    """The QR code as an SVG element (a path; no style attribute, no script). Drawing one takes
    tens of milliseconds in pure Python, so the same payload (one invoice's open amount) is
    drawn once: kept per process and in the shared cache."""
    key = "girocode:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    svg = _draw(payload)
    cache.set(key, svg, timeout=86_400)
    return svg


def _draw(payload: str) -> str:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return str(svg)


def girocode_for(document: Document) -> GiroCode | None:
    """A GiroCode for an open or overdue invoice in euro when the issuer has an IBAN, else None."""
    organization = document.organization
    if not organization.iban or document.voucher_type not in PAYABLE_TYPES:
        return None
    if document.currency != "EUR" or shown_status(document) not in PAYABLE_STATES:
        return None
    amount = document.open_amount if document.open_amount is not None else document.total_amount
    if amount is None or not (Decimal("0.01") <= amount <= MAX_AMOUNT):
        return None
    name = organization.bank_account_holder or organization.name
    reference = document.voucher_number or ""
    payload = epc_payload(
        name=name, iban=organization.iban, bic=organization.bic, amount=amount, reference=reference
    )
    return GiroCode(
        payload=payload,
        svg=qr_svg(payload),
        amount=amount,
        iban=organization.iban,
        name=name,
        reference=reference,
    )
