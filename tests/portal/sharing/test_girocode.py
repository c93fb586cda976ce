"""The GiroCode (EPC QR, EPC069-12) on an open invoice's customer page: the payload's lines
as a banking app reads them, the SVG in the page, and no code without an IBAN or once paid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from portal.documents.models import Document
from portal.organizations.models import Organization
from portal.sharing.girocode import epc_payload, girocode_for, qr_svg

IBAN = "DE89370400440532013000"


def _read_epc(payload: str) -> dict[str, str]:
    """Read the payload the way a banking app does (EPC069-12 §3.1): fixed line positions."""
    assert len(payload.encode("utf-8")) <= 331
    lines = payload.split("\n")
    names = [
        "service",
        "version",
        "charset",
        "identification",
        "bic",
        "name",
        "iban",
        "amount",
        "purpose",
        "structured",
        "text",
    ]
    return dict(zip(names, lines + [""] * (len(names) - len(lines)), strict=True))


def _with_iban(organization: Organization, **extra: str) -> None:
    Organization.objects.filter(pk=organization.pk).update(
        iban=IBAN, bic=extra.get("bic", "COBADEFFXXX"), bank_account_holder="Alpha Werkstatt GmbH"
    )
    organization.refresh_from_db()


def test_the_payload_has_the_epc_fields_in_order() -> None:
    payload = epc_payload(
        name="Alpha  Werkstatt\nGmbH",
        iban=IBAN,
        bic="",
        amount=Decimal("202.3"),
        reference="RE-2026-0042",
    )
    fields = _read_epc(payload)
    assert fields == {
        "service": "BCD",
        "version": "002",
        "charset": "1",
        "identification": "SCT",
        "bic": "",  # optional in version 002
        "name": "Alpha Werkstatt GmbH",
        "iban": IBAN,
        "amount": "EUR202.30",
        "purpose": "",
        "structured": "",
        "text": "RE-2026-0042",
    }
    with pytest.raises(ValueError):
        epc_payload(name="x", iban=IBAN, bic="", amount=Decimal("0"), reference="")
    long = epc_payload(name="N" * 200, iban=IBAN, bic="", amount=Decimal(1), reference="R" * 500)
    assert len(_read_epc(long)["name"]) == 70 and len(_read_epc(long)["text"]) == 140


def test_the_svg_is_a_plain_path_without_style_or_script() -> None:
    svg = qr_svg("BCD\n002\n1\nSCT\n\nA\n" + IBAN + "\nEUR1.00\n\n\nRE-1")
    assert svg.startswith("<svg") and "<path" in svg
    assert "style" not in svg and "script" not in svg.lower()


def test_the_customer_page_shows_the_girocode_of_an_open_invoice(
    link_token, invoice_with_pdf: Document, org_a: Organization
) -> None:
    client = Client()
    assert "<svg" not in client.get(f"/s/{link_token}/", follow=True).content.decode()  # no IBAN
    _with_iban(org_a)
    invoice_with_pdf.refresh_from_db()
    code = girocode_for(invoice_with_pdf)
    assert code is not None
    fields = _read_epc(code.payload)
    assert fields["iban"] == IBAN and fields["bic"] == "COBADEFFXXX"
    assert fields["name"] == "Alpha Werkstatt GmbH"
    assert fields["text"] == invoice_with_pdf.voucher_number
    expected = invoice_with_pdf.open_amount or invoice_with_pdf.total_amount
    assert fields["amount"] == f"EUR{expected:.2f}"
    html = client.get(f"/s/{link_token}/", follow=True).content.decode()
    assert code.svg in html and IBAN in html


def test_no_girocode_once_paid_or_for_a_credit_note(
    invoice_with_pdf: Document, org_a: Organization
) -> None:
    _with_iban(org_a)
    invoice_with_pdf.refresh_from_db()
    assert girocode_for(invoice_with_pdf) is not None
    invoice_with_pdf.status = "paid"
    assert girocode_for(invoice_with_pdf) is None
    invoice_with_pdf.status = "open"
    invoice_with_pdf.voucher_type = "creditnote"
    assert girocode_for(invoice_with_pdf) is None
    invoice_with_pdf.voucher_type = "invoice"
    invoice_with_pdf.open_amount = Decimal("0.00")
    assert girocode_for(invoice_with_pdf) is None
