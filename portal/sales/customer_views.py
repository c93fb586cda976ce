"""A new customer from within the editor (issue 11 item 1). The editor's "New customer" button
keeps the document's input in the session (parking.py) and opens this page; the contact is
created through the write path by `portal.contacts.services.contact_create` (interactive lane);
when Lexware has it (and the worker has read it into the mirror), the page returns to the
editor with the input restored and the new customer chosen. Without JavaScript the same pages
work by plain posts and redirects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from portal.contacts import services as contact_services
from portal.operations.models import Operation, OperationState
from portal.operations.writeflow import WritePage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member
from portal.sales import parking
from portal.sales.customer_form import COMPANY, QuickCustomerForm
from portal.sales.types import sales_type

TEMPLATE = "sales/new_customer.html"


def editor_url(request: OrgRequest, voucher_type: str, token: str, customer: str = "") -> str:
    """The editor with the parked input (if any) and the new customer (if made)."""
    url = reverse(
        "sales:new", kwargs={"org_slug": request.organization.slug, "voucher_type": voucher_type}
    )
    query = {**({"resume": token} if token else {}), **({"customer": customer} if customer else {})}
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class NewCustomerPage(WritePage):
    """The contact write page whose success goes back to the editor, not to the contact."""

    voucher_type: str = field(kw_only=True)
    token: str = field(kw_only=True)

    def status(
        self,
        request: OrgRequest,
        operation: Operation,
        *,
        status_url: str,
        context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if operation.state == OperationState.SUCCEEDED and operation.target_id:
            url = editor_url(request, self.voucher_type, self.token, str(operation.target_id))
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        return super().status(request, operation, status_url=status_url, context=context)


def _page(request: OrgRequest, voucher_type: str) -> tuple[NewCustomerPage, dict[str, str] | None]:
    """The page for the document parked under `?resume=`. Without one (opened directly, or the
    session forgot it) the customer is still made and a fresh document gets it."""
    st = sales_type(voucher_type)
    token = str(request.GET.get("resume") or "")[:64]
    parked = parking.parked(
        request, organization=request.organization, voucher_type=st.voucher_type, token=token
    )
    if parked is None:
        token = ""
    page = NewCustomerPage(
        TEMPLATE,
        QuickCustomerForm,
        contact_services.CREATE,
        input_key="contact",
        voucher_type=st.voucher_type,
        token=token,
    )
    return page, parked


def _context(request: OrgRequest, page: NewCustomerPage) -> dict[str, Any]:
    form_url = reverse(
        "sales:customer_new",
        kwargs={"org_slug": request.organization.slug, "voucher_type": page.voucher_type},
    )
    query = f"?{urlencode({'resume': page.token})}" if page.token else ""
    return {
        "sales_type": sales_type(page.voucher_type),
        "form_url": f"{form_url}{query}",
        "kept": bool(page.token),
        "back_url": editor_url(request, page.voucher_type, page.token),
    }


def _status_url(request: OrgRequest, page: NewCustomerPage, code: UUID) -> str:
    url = reverse(
        "sales:customer_new_status",
        kwargs={
            "org_slug": request.organization.slug,
            "voucher_type": page.voucher_type,
            "code": code,
        },
    )
    return f"{url}?{urlencode({'resume': page.token})}" if page.token else url


def initial_from_document(parked: dict[str, str] | None) -> dict[str, str]:
    """What the user already typed into the editor: the search or the one-time address."""
    parked = parked or {}
    name = parked.get("address_name") or parked.get("customer_query") or ""
    return {
        "kind": COMPANY,
        "company_name": name,
        "street": parked.get("address_street", ""),
        "zip": parked.get("address_zip", ""),
        "city": parked.get("address_city", ""),
        "country": (parked.get("address_country") or "DE")[:2],
    }


@require_http_methods(["GET", "POST"])
@require_member
def customer_new(request: OrgRequest, org_slug: str, voucher_type: str) -> HttpResponse:
    page, parked = _page(request, voucher_type)
    context = _context(request, page)
    if request.method != "POST":
        form = QuickCustomerForm(initial=initial_from_document(parked))
        return page.render_form(request, form, context)
    form = QuickCustomerForm(request.POST)
    if form.is_valid():
        try:
            operation = contact_services.contact_create(
                organization=request.organization,
                user=request.user,
                data=form.to_lexware(),
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return page.started(
                request,
                operation,
                status_url=_status_url(request, page, operation.code),
                context=context,
            )
    return page.render_form(request, form, context)


@require_GET
@require_member
def customer_new_status(
    request: OrgRequest, org_slug: str, voucher_type: str, code: UUID
) -> HttpResponse:
    page, _parked = _page(request, voucher_type)
    operation = page.operation(request, code)
    return page.status(
        request,
        operation,
        status_url=_status_url(request, page, operation.code),
        context=_context(request, page),
    )
