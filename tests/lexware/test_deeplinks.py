"""Web app deeplinks (§5.24)."""

from __future__ import annotations

import pytest

from lexware import deeplinks

ID = "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11"


@pytest.mark.parametrize(
    ("resource", "view", "edit"),
    [
        ("invoices", "invoices", "invoices"),
        ("down_payment_invoices", "invoices", "invoices"),
        ("credit_notes", "credit-notes", "credit-notes"),
        ("quotations", "quotations", "quotations"),
        ("order_confirmations", "order-confirmations", "order-confirmations"),
        ("delivery_notes", "delivery-notes", "delivery-notes"),
        ("dunnings", "dunnings", "dunnings"),
        ("vouchers", "vouchers", "vouchers"),
    ],
)
def test_view_and_edit_links(resource: str, view: str, edit: str) -> None:
    assert deeplinks.view_url(resource, ID) == f"https://app.lexware.de/permalink/{view}/view/{ID}"
    assert deeplinks.edit_url(resource, ID) == f"https://app.lexware.de/permalink/{edit}/edit/{ID}"


def test_contacts_view_only_recurring_templates_edit_only_and_files_inbox() -> None:
    assert deeplinks.contact_view_url(ID) == f"https://app.lexware.de/permalink/contacts/view/{ID}"
    with pytest.raises(ValueError):
        deeplinks.edit_url("contacts", ID)
    assert deeplinks.edit_url("recurring_templates", ID).endswith(
        f"/permalink/recurring-templates/edit/{ID}"
    )
    with pytest.raises(ValueError):
        deeplinks.view_url("recurring_templates", ID)
    assert deeplinks.files_inbox_url() == "https://app.lexware.de/permalink/files/view"


def test_base_url_is_configurable_and_ids_must_be_uuids() -> None:
    link = deeplinks.view_url("invoices", ID, app_base_url="https://app.lexware-sandbox.de/")
    assert link == f"https://app.lexware-sandbox.de/permalink/invoices/view/{ID}"
    for bad in ("", "../../settings", "123"):
        with pytest.raises(ValueError):
            deeplinks.view_url("invoices", bad)
