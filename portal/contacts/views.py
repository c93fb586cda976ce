"""Contact pages: read-only views of the local mirror; no view here calls Lexware."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lexware import deeplinks
from portal.contacts import selectors
from portal.contacts.forms import ContactFilterForm
from portal.core.browse import query_without_page
from portal.core.htmx import render_page
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer


@require_GET
@require_viewer
def contact_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ContactFilterForm(request.GET)
    page = selectors.contact_list(organization=request.organization, **form.filters())
    context = {
        "form": form,
        "page_obj": page,
        "query": query_without_page(request),
    }
    return render_page(request, "contacts/contact_list.html", context, partial="results")


@require_GET
@require_viewer
def contact_detail(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    contact = selectors.contact_detail(organization=request.organization, lexware_id=lexware_id)
    raw = contact.raw or {}
    context = {
        "contact": contact,
        "raw": raw,
        "company": raw.get("company") or {},
        "person": raw.get("person") or {},
        "roles": raw.get("roles") or {},
        "addresses": raw.get("addresses") or {},
        "email_addresses": raw.get("emailAddresses") or {},
        "phone_numbers": raw.get("phoneNumbers") or {},
        "xrechnung": raw.get("xRechnung") or {},
        "documents": selectors.contact_documents(organization=request.organization, contact=contact),
        "lexware_url": deeplinks.contact_view_url(contact.lexware_id),
    }
    return render(request, "contacts/contact_detail.html", context)
