"""Bugs a new user met in the demo (issue 8 item 7), each pinned by a test."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from urllib.parse import urlsplit

from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.documents import selectors
from portal.documents.forms import DocumentFilterForm
from portal.documents.mirror import apply_document_details
from portal.documents.models import Document
from portal.organizations.models import Organization
from tests.portal.conftest import make_document

ClientFor = Callable[[User | None], Client]


def test_a_voucher_detail_write_keeps_the_contact_name_of_its_list_row(org_a: Organization) -> None:
    """After the background detail sync the bookkeeping list showed "—": a voucher's details
    carry a contactId but no contact name, and the write blanked the list row's name."""
    row = make_document(
        org_a, voucher_type="purchaseinvoice", number="ER-7", contact_name="Bäckerei Krume KG"
    )
    details = {
        "id": str(row.lexware_id),
        "type": "purchaseinvoice",
        "voucherStatus": "open",
        "voucherNumber": "ER-7",
        "voucherDate": "2026-11-01T00:00:00.000+01:00",
        "totalGrossAmount": 119.0,
        "version": 3,
        "contactId": "9b2c5c5e-0000-4000-8000-000000000001",
        "voucherItems": [],
    }
    apply_document_details(organization=org_a, voucher_type="purchaseinvoice", data=details)
    stored = Document.objects.get(pk=row.pk)
    assert stored.contact_name == "Bäckerei Krume KG"
    assert "bäckerei krume kg" in stored.search_text
    assert stored.details_synced_at is not None and stored.version == 3


def _count_behind(href: str, organization: Organization) -> int:
    query = QueryDict(urlsplit(unescape(href)).query)
    form = DocumentFilterForm(query)
    assert form.is_valid(), form.errors
    return selectors.document_list(organization=organization, **form.filters()).paginator.count


def test_the_dashboard_figures_open_lists_with_the_same_documents(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    """The dashboard said "57 open invoices" and its link listed 202 documents of every type."""
    make_document(org_a, number="RE-1", total=100, open_amount=100, due_days=5)
    make_document(org_a, number="RE-2", status="overdue", total=50, open_amount=50, due_days=-3)
    make_document(
        org_a,
        voucher_type="downpaymentinvoice",
        number="AR-1",
        total=30,
        open_amount=30,
        due_days=5,
    )
    make_document(
        org_a, voucher_type="quotation", number="AG-1", total=999, open_amount=None, due_days=None
    )
    make_document(
        org_a,
        voucher_type="orderconfirmation",
        number="AB-1",
        total=999,
        open_amount=None,
        due_days=None,
    )
    make_document(org_a, number="RE-3", status="paid", total=70, open_amount=0)
    figures = selectors.dashboard_figures(organization=org_a)
    client = client_for(cast["carol"])
    page = client.get(reverse("dashboard:index", kwargs={"org_slug": org_a.slug})).content.decode()
    # The totals lead to the receivables page (issue 14), which must count the same invoices
    # and list exactly them.
    links = [unescape(href) for href in re.findall(r'class="figure[^"]*" href="([^"]+)"', page)]
    assert figures.open_count == 3 and figures.overdue_count == 1
    assert len(links) == 2
    behind = client.get(links[0]).content.decode()
    assert "3 open invoices" in behind and "1 overdue invoice" in behind
    listed = client.get(
        reverse("receivables:invoices", kwargs={"org_slug": org_a.slug})
    ).content.decode()
    assert "RE-1" in listed and "RE-2" in listed and "AR-1" in listed
    assert "AG-1" not in listed and "AB-1" not in listed and "RE-3" not in listed
