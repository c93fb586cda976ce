"""Contact pages: views of the local mirror, and the new-contact and edit forms whose writes run
as Operations (DESIGN.md §7). No view here calls Lexware."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from lexware import deeplinks
from portal.contacts import selectors, services
from portal.contacts.form_rows import lists_with_several_entries
from portal.contacts.forms import ContactFilterForm, ContactForm
from portal.contacts.mirror import contact_display_name
from portal.contacts.models import Contact
from portal.core.browse import query_without_page
from portal.core.htmx import render_page
from portal.operations.services import operation_for_key
from portal.operations.writeflow import WritePage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member, require_viewer

NEW_CONTACT = WritePage(
    "contacts/contact_form.html", ContactForm, services.CREATE, input_key="contact"
)
EDIT_CONTACT = WritePage(
    "contacts/contact_form.html",
    ContactForm,
    services.UPDATE,
    input_key="contact",
    atomic=services.EDIT.atomic,
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


def _create_context(request: OrgRequest) -> dict[str, Any]:
    return {"form_url": reverse("contacts:create", kwargs={"org_slug": request.organization.slug})}


@require_http_methods(["GET", "POST"])
@require_member
def contact_create(request: OrgRequest, org_slug: str) -> HttpResponse:
    context = _create_context(request)
    if request.method != "POST":
        return NEW_CONTACT.render_form(request, NEW_CONTACT.form(request), context)
    form, rows_only = NEW_CONTACT.submitted_form(request)
    if not rows_only and form.is_valid():
        data = form.to_lexware()
        already = operation_for_key(organization=request.organization, idempotency_key=form.key)
        duplicates = [] if already else _duplicates(request, data)
        if duplicates:
            # Shown with the form as sent; "create anyway" sends it again with the same token.
            context["duplicates"] = duplicates
            return NEW_CONTACT.render_form(request, form, context)
        try:
            operation = services.contact_create(
                organization=request.organization,
                user=request.user,
                data=data,
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return NEW_CONTACT.started(
                request, operation, status_url=_status_url(request, operation.code), context=context
            )
    return NEW_CONTACT.render_form(request, form, context)


def _duplicates(request: OrgRequest, data: dict[str, Any]) -> list[Contact]:
    """Contacts of the mirror the new one may duplicate, unless the user said "create anyway"."""
    if request.POST.get("create_anyway") == "1":
        return []
    company = data.get("company") or {}
    emails = [mail for values in (data.get("emailAddresses") or {}).values() for mail in values]
    emails += [
        p["emailAddress"] for p in company.get("contactPersons") or [] if p.get("emailAddress")
    ]
    return selectors.contact_duplicates(
        organization=request.organization,
        name=contact_display_name(data),
        emails=emails,
        vat_id=str(company.get("vatRegistrationId") or ""),
    )


@require_GET
@require_member
def contact_create_status(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    operation = NEW_CONTACT.operation(request, code)
    return NEW_CONTACT.status(
        request,
        operation,
        status_url=_status_url(request, operation.code),
        context=_create_context(request),
    )


def _edit_context(request: OrgRequest, contact: Contact) -> dict[str, Any]:
    url = reverse(
        "contacts:edit",
        kwargs={"org_slug": request.organization.slug, "lexware_id": contact.lexware_id},
    )
    return {"contact": contact, "form_url": url, "editing": True}


def _edit_status_url(request: OrgRequest, contact: Contact, code: UUID) -> str:
    return reverse(
        "contacts:edit_status",
        kwargs={
            "org_slug": request.organization.slug,
            "lexware_id": contact.lexware_id,
            "code": code,
        },
    )


@require_http_methods(["GET", "POST"])
@require_member
def contact_edit(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    contact = selectors.contact_detail(organization=request.organization, lexware_id=lexware_id)
    context = _edit_context(request, contact)
    several = lists_with_several_entries(contact.raw or {})
    if several:
        # §5.5: Lexware rejects any API change of such a contact; say so instead of failing.
        context.update(several=several, lexware_url=deeplinks.contact_view_url(contact.lexware_id))
        return render_page(request, EDIT_CONTACT.template, context, partial="write-region")
    if request.method != "POST":
        form = EDIT_CONTACT.edit_form(request, contact.raw or {}, target_id=str(lexware_id))
        return EDIT_CONTACT.render_form(request, form, context)
    form, rows_only = EDIT_CONTACT.submitted_form(request, editing=True)
    if not rows_only and form.is_valid():
        try:
            operation = services.contact_update(
                organization=request.organization,
                user=request.user,
                lexware_id=contact.lexware_id,
                data=form.to_lexware(),
                base_version=form.version,
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status_url = _edit_status_url(request, contact, operation.code)
            return EDIT_CONTACT.started(request, operation, status_url=status_url, context=context)
    return EDIT_CONTACT.render_form(request, form, context)


@require_GET
@require_member
def contact_edit_status(
    request: OrgRequest, org_slug: str, lexware_id: UUID, code: UUID
) -> HttpResponse:
    contact = selectors.contact_detail(organization=request.organization, lexware_id=lexware_id)
    operation = EDIT_CONTACT.operation(request, code, target_id=str(lexware_id))
    return EDIT_CONTACT.status(
        request,
        operation,
        status_url=_edit_status_url(request, contact, operation.code),
        context=_edit_context(request, contact),
    )
