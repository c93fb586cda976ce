"""Contact pages: views of the local mirror, and the new-contact form whose write runs as an
Operation (DESIGN.md §7). No view here calls Lexware."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lexware import deeplinks
from portal.contacts import selectors, services
from portal.contacts.forms import ContactFilterForm, ContactForm
from portal.core.browse import query_without_page
from portal.core.htmx import render_page
from portal.operations.writeflow import WritePage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member, require_viewer

NEW_CONTACT = WritePage(
    "contacts/contact_form.html", ContactForm, services.CREATE, input_key="contact"
)


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
        "documents": selectors.contact_documents(
            organization=request.organization, contact=contact
        ),
        "lexware_url": deeplinks.contact_view_url(contact.lexware_id),
    }
    return render(request, "contacts/contact_detail.html", context)


def _status_url(request: OrgRequest, code: UUID) -> str:
    return reverse(
        "contacts:create_status", kwargs={"org_slug": request.organization.slug, "code": code}
    )


@require_http_methods(["GET", "POST"])
@require_member
def contact_create(request: OrgRequest, org_slug: str) -> HttpResponse:
    if request.method != "POST":
        return NEW_CONTACT.render_form(request, NEW_CONTACT.form(request))
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            operation = services.contact_create(
                organization=request.organization,
                user=request.user,
                data=form.to_lexware(),
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return NEW_CONTACT.started(
                request, operation, status_url=_status_url(request, operation.code)
            )
    return NEW_CONTACT.render_form(request, form)


@require_GET
@require_member
def contact_create_status(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    operation = NEW_CONTACT.operation(request, code)
    return NEW_CONTACT.status(request, operation, status_url=_status_url(request, operation.code))
