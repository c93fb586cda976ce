"""Receipts in the browser (issue 13): bob drops two receipts on the vouchers page, each shows
its progress until Lexware's OCR made an unchecked voucher, then he completes one with a 19 %
and a 7 % position (totals computed live) and sees it open with its receipt beside it.
Tasks run inline (eager, transactional test); the delayed read-back after OCR is run by the
test once the simulator's OCR is done, as the worker would run it after its countdown."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

LONG = 20_000  # a totals round trip queued behind others on a loaded machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP = """(files) => {
  const dt = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.data), c => c.charCodeAt(0));
    dt.items.add(new File([bytes], f.name, {type: "application/pdf"}));
  }
  const zone = document.querySelector("[data-dropzone]");
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""


def _pdf(label: str) -> str:
    content = f"%PDF-1.4\n% {label} {time.time()}\n%%EOF\n".encode()
    return base64.b64encode(content).decode()


def _run_read_backs(simulator: Any) -> None:
    from portal.bookkeeping.services import CHECK
    from portal.operations import runner
    from portal.operations.models import Operation

    simulator.scheduler.wait_idle(10)
    for op in Operation.objects.filter(kind=CHECK, state="pending"):
        Operation.objects.filter(pk=op.pk).update(not_before=None)
        runner.execute(op.pk)


def test_bob_drops_two_receipts_and_completes_one_with_two_tax_rates(
    page: Page, bob: Any, synced_org: Any
) -> None:
    from portal.bookkeeping.models import Receipt
    from portal.operations.clients import in_process_simulator

    simulator = in_process_simulator()
    simulator.ocr_delay = 0.2
    sign_in(page, bob.email)
    page.goto("/o/alpha/bookkeeping/")
    files = [{"name": "buero.pdf", "data": _pdf("buero")}, {"name": "tank.pdf", "data": _pdf("t")}]
    page.evaluate(DROP, files)
    rows = page.locator("#receipt-list li.receipt-row")
    expect(rows).to_have_count(2)
    expect(page.locator("#receipt-list")).to_contain_text("Lexware liest den Beleg")
    screenshot(page, "receipts-dropped-de")
    deadline = time.monotonic() + 20
    while Receipt.objects.filter(voucher_id=None).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    _run_read_backs(simulator)
    expect(page.locator("#receipt-list .receipt-row--unchecked")).to_have_count(2)
    screenshot(page, "receipts-unchecked-de")

    page.locator("#receipt-list li", has_text="buero.pdf").get_by_role(
        "link", name="Vervollständigen"
    ).click()
    expect(page.locator("h1")).to_have_text("Beleg vervollständigen")
    expect(page.locator(".voucher-layout__receipt iframe")).to_be_visible()  # the receipt beside
    form = page.locator("form#write-region")
    form.get_by_label("Belegnummer").fill("RE-2026-117")
    form.get_by_label("Belegdatum").fill(timezone.localdate().strftime("%d.%m.%Y"))
    contact = form.locator("select[name=contact]")
    vendor = next(
        label for label in contact.locator("option").all_text_contents() if "(Lieferant" in label
    )
    contact.select_option(label=vendor)
    form.locator("select[name=tax_type]").select_option("gross")
    form.locator("[name='items-0-amount']").fill("119,00")
    form.locator("select[name='items-0-tax_rate']").select_option("19")
    form.locator("select[name='items-0-category']").select_option(index=1)
    with page.expect_response(lambda r: "/edit/" in r.url):
        form.get_by_role("button", name="Position hinzufügen").click()
    form = page.locator("form#write-region")
    form.locator("[name='items-1-amount']").fill("107,00")
    form.locator("select[name='items-1-tax_rate']").select_option("7")
    form.locator("select[name='items-1-category']").select_option(index=1)
    totals = page.locator("#voucher-totals")
    # Each field's change posts the form for new totals while earlier posts may still be under
    # way; the region must end with the totals of what the form shows (19 % and 7 %), not the
    # answer to an earlier post (36,08 € tax with both at 19 %).
    expect(totals.locator("[data-total-tax]")).to_have_text("26,00 €", timeout=LONG)
    expect(totals.locator("[data-total-gross]")).to_have_text("226,00 €")
    form.get_by_label("Gesamtbetrag laut Beleg (brutto)").fill("226,00")
    page.wait_for_timeout(1200)  # the totals region's next round trip after typing
    expect(totals.locator("[data-total-gross]")).to_have_text("226,00 €")
    expect(page.locator("select[name='items-0-category']")).to_have_count(1)
    screenshot(page, "voucher-complete-de")
    with page.expect_navigation():
        form.get_by_role("button", name="Beleg vervollständigen").click()
    expect(page.locator("h1")).to_contain_text("RE-2026-117")
    expect(page.locator("h1")).to_contain_text("Offen")
    expect(page.locator("#voucher-files")).to_contain_text("buero.pdf")
    screenshot(page, "voucher-open-de")
    receipt = Receipt.objects.get(filename="buero.pdf")
    voucher = (
        in_process_simulator().tenant_for_key(_key(synced_org)).vouchers[str(receipt.voucher_id)]
    )
    assert voucher["voucherStatus"] == "open" and voucher["files"] == [str(receipt.file_id)]
    assert [i["taxRatePercent"] for i in voucher["voucherItems"]] == [19, 7]


def _key(connection: Any) -> str:
    from portal.core import crypto

    return str(crypto.decrypt(connection.encrypted_api_key))
