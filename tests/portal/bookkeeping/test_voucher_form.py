"""The voucher form (issue 13 items 2–4): completing an uploaded (unchecked) voucher with 19 %
and 7 % positions makes it open with its receipt kept; every update path keeps every file id
(§5.23 deletes omitted ones for good); the §5.23 rules are checked before sending; Lexware's
field errors land on the position rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lexware.totals import voucher_item_tax, voucher_totals
from portal.bookkeeping.forms import VoucherForm
from portal.bookkeeping.models import Receipt
from portal.bookkeeping.services import receipt_upload, voucher_attach, voucher_update
from portal.documents.models import Document
from portal.operations.models import Operation, OperationState
from tests.portal.bookkeeping.conftest import INCOME, KEY, OUTGO, pdf_bytes, png_bytes, run_pending


def _uploaded(connected: Any, sim: Any, label: str = "beleg") -> Receipt:
    receipt, _ = receipt_upload(
        organization=connected.organization,
        user=None,
        filename=f"{label}.pdf",
        media_type="application/pdf",
        content=pdf_bytes(label),
    )
    run_pending(sim)
    receipt.refresh_from_db()
    return receipt


def _form_data(token: str, version: Any, vendor: str, **extra: str) -> dict[str, str]:
    data = {
        "idempotency_key": token,
        "base_version": str(version),
        "voucher_type": "purchaseinvoice",
        "voucher_number": "RE-2026-117",
        "voucher_date": "2026-11-20",
        "contact": vendor,
        "tax_type": "net",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-amount": "37,79",
        "items-0-tax_rate": "19",
        "items-0-category": OUTGO,
        "items-1-amount": "83,14",
        "items-1-tax_rate": "7",
        "items-1-category": OUTGO,
        "expected_total": "133,93",
    }
    data.update(extra)
    return data


def test_the_rounding_example_of_5_23_adds_up_to_the_cent() -> None:
    taxes = [voucher_item_tax(a, r, tax_type="net") for a, r in (("37.79", 19), ("83.14", 7))]
    taxes.append(voucher_item_tax("0.07", 0, tax_type="net"))
    assert taxes == [Decimal("7.18"), Decimal("5.82"), Decimal("0.00")]
    totals = voucher_totals(zip(["37.79", "83.14", "0.07"], taxes, strict=True), tax_type="net")
    assert (totals.tax, totals.gross) == (Decimal("13.00"), Decimal("134.00"))
    assert voucher_item_tax("119.00", 19, tax_type="gross") == Decimal("19.00")


def test_completing_an_uploaded_voucher_makes_it_open_and_keeps_its_receipt(
    client_for, bob, connected, sim, vendor, no_follow_up
) -> None:
    receipt = _uploaded(connected, sim)
    document = Document.objects.get(lexware_id=receipt.voucher_id)
    url = f"/o/alpha/bookkeeping/{receipt.voucher_id}/edit/"
    page = client_for(bob).get(url).content.decode()
    assert "receipt-preview" in page  # the receipt beside the form
    from tests.portal.articles.conftest import token

    # Bob reads the portal in English: amounts as he types them there.
    english = {"items-0-amount": "37.79", "items-1-amount": "83.14", "expected_total": "133.93"}
    response = client_for(bob).post(
        url, _form_data(token(page), document.version, vendor, **english)
    )
    assert response.status_code == 302
    run_pending(sim)
    op = Operation.objects.get(kind="voucher.update")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    stored = sim.tenant_for_key(KEY).vouchers[str(receipt.voucher_id)]
    assert stored["voucherStatus"] == "open"
    assert stored["files"] == [str(receipt.file_id)]
    assert stored["totalTaxAmount"] == 13.0 and stored["totalGrossAmount"] == 133.93
    assert [i["taxRatePercent"] for i in stored["voucherItems"]] == [19, 7]
    document.refresh_from_db()
    assert document.status == "open" and document.raw["files"] == [str(receipt.file_id)]


def test_every_update_path_keeps_every_file_id(connected, sim, vendor, no_follow_up) -> None:
    """Upload → attach a second file → complete (PUT) → change again (PUT): both files stay."""
    receipt = _uploaded(connected, sim, "erste")
    voucher_id = str(receipt.voucher_id)
    attached = voucher_attach(
        organization=connected.organization,
        user=None,
        lexware_id=voucher_id,
        filename="zweite.png",
        media_type="image/png",
        content=png_bytes(7),
    )
    run_pending(sim)
    attached.refresh_from_db()
    files = [str(receipt.file_id), str(attached.file_id)]
    assert sim.tenant_for_key(KEY).vouchers[voucher_id]["files"] == files
    for number in ("RE-1", "RE-2"):
        document = Document.objects.get(lexware_id=voucher_id)
        form = VoucherForm(
            _form_data(
                "00000000-0000-4000-8000-000000000001",
                document.version,
                vendor,
                voucher_number=number,
            ),
            organization=connected.organization,
            editing=True,
        )
        assert form.is_valid(), form.errors
        voucher_update(
            organization=connected.organization,
            user=None,
            lexware_id=voucher_id,
            data=form.to_lexware(),
            base_version=form.version,
        )
        run_pending(sim)
        stored = sim.tenant_for_key(KEY).vouchers[voucher_id]
        assert stored["voucherNumber"] == number and stored["files"] == files
    assert len(sim.tenant_for_key(KEY).files) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"voucher_number": ""}, "voucher_number"),
        ({"voucher_date": ""}, "voucher_date"),
        ({"expected_total": "134,00"}, "expected_total"),
        ({"use_collective_contact": "on"}, "contact"),
        ({"contact_name": "Laden"}, "contact_name"),
        ({"shipping_date": "2026-11-01"}, "shipping_date"),
        ({"voucher_type": "salesinvoice"}, "contact"),
        ({"status": "unchecked"}, "tax_type"),
    ],
)
def test_the_5_23_rules_are_checked_before_sending(connected, vendor, change, field) -> None:
    data = {
        **_form_data("00000000-0000-4000-8000-000000000002", 1, vendor, status="open"),
        **change,
    }
    form = VoucherForm(data, organization=connected.organization)
    assert not form.is_valid()
    assert field in form.errors, form.errors


def test_a_category_of_the_wrong_kind_is_refused_on_its_row(connected, vendor) -> None:
    data = _form_data("00000000-0000-4000-8000-000000000003", 1, vendor, status="open")
    data["items-1-category"] = INCOME
    form = VoucherForm(data, organization=connected.organization)
    assert not form.is_valid()
    assert "category" in form.rows["items"].forms[1].errors


def test_lexware_field_errors_land_on_the_position_rows(connected, vendor) -> None:
    data = _form_data("00000000-0000-4000-8000-000000000004", 1, vendor, status="open")
    form = VoucherForm(data, organization=connected.organization)
    form.add_lexware_errors({"voucherItems[1].taxRatePercent": "erlaubt: 0, 5, 7, 16, 19"})
    assert "tax_rate" in form.rows["items"].forms[1].errors


def test_the_live_totals_region_stays_and_only_its_content_is_swapped(
    client_for, bob, connected
) -> None:
    """The page's region posts to the totals URL and keeps its queue of posts (hx-sync); the
    answer is the region's content only, so no second region and no form action land inside."""
    page = client_for(bob).get("/o/alpha/bookkeeping/new/").content.decode()
    region = page[page.index('<section id="voucher-totals"') :].split(">", 1)[0]
    assert 'hx-post="/o/alpha/bookkeeping/totals/"' in region
    assert 'hx-swap="innerHTML"' in region and 'hx-sync="this:queue last"' in region
    response = client_for(bob).post(
        "/o/alpha/bookkeeping/totals/",
        {
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-amount": "37.79",
            "items-0-tax_rate": "19",
            "items-1-amount": "83.14",
            "items-1-tax_rate": "7",
            "tax_type": "net",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "hx-post" not in html and 'id="voucher-totals"' not in html
    assert "13.00" in html or "13,00" in html
    assert "133.93" in html or "133,93" in html
    assert "items-0-category" not in html
