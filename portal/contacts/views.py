"""Contact pages: read-only views of the local mirror; no view here calls Lexware."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from lexware import deeplinks
from portal.contacts import selectors
from portal.contacts.forms import ContactFilterForm
from portal.contacts.models import Contact
from portal.core.browse import page_template, query_without_page
from portal.core.http import OrgRequest
from portal.organizations.permissions import require_viewer
from portal.sync.models import SyncPart
from portal.sync.selectors import data_as_of


@require_GET
@require_viewer
def contact_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ContactFilterForm(request.GET)
    page = selectors.contact_list(organization=request.organization, **form.filters())
    context = {
        "form": form,
        "page_obj": page,
        "query": query_without_page(request),
        "data_as_of": data_as_of(organization=request.organization, part=SyncPart.Name.CONTACTS, model=Contact),
    }
    response = render(request, page_template(request, "contacts/contact_list.html", "results"), context)
    patch_vary_headers(response, ["HX-Request"])
    return response


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
