"""The organization's settings page (admins and owners): the bank account customers pay into,
used by the GiroCode on customer links (issue 12 item 3), and the letterhead ("Briefkopf") of
draft previews and statements (issue 19): address and tax numbers Lexware's profile lacks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.core.errors import ApplicationError
from portal.core.htmx import render_page
from portal.organizations import services
from portal.organizations.forms import BankAccountForm, LetterheadForm
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_admin

TEMPLATE = "organizations/settings.html"


def _initial(request: OrgRequest, fields: tuple[str, ...]) -> dict[str, Any]:
    organization = request.organization
    return {field: getattr(organization, field) for field in fields}


def _page(
    request: OrgRequest,
    *,
    form: BankAccountForm | None = None,
    letterhead_form: LetterheadForm | None = None,
    partial: str,
) -> HttpResponse:
    context = {
        "form": form or BankAccountForm(initial=_initial(request, services.BANK_FIELDS)),
        "letterhead_form": letterhead_form
        or LetterheadForm(initial=_initial(request, services.LETTERHEAD_FIELDS)),
    }
    return render_page(request, TEMPLATE, context, partial=partial)


@require_http_methods(["GET", "POST"])
@require_admin
def organization_settings(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = None
    if request.method == "POST":
        form = BankAccountForm(request.POST)
        if form.is_valid():
            try:
                services.organization_bank_account_set(
                    actor=request.membership,
                    values={f: form.cleaned_data[f] for f in services.BANK_FIELDS},
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The bank account is saved."))
                return redirect("org:settings", org_slug=org_slug)
    return _page(request, form=form, partial="bank-account")


@require_POST
@require_admin
def letterhead_settings(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = LetterheadForm(request.POST)
    if form.is_valid():
        try:
            services.organization_letterhead_set(
                actor=request.membership,
                values={f: form.cleaned_data[f] for f in services.LETTERHEAD_FIELDS},
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The letterhead is saved; new previews print it."))
            if request.htmx:  # the section anew, with its message (the page's GET is the bank's)
                return _page(request, partial="letterhead")
            return redirect("org:settings", org_slug=org_slug)
    return _page(request, letterhead_form=form, partial="letterhead")


@require_POST
@require_admin
def customer_link_settings(request: OrgRequest, org_slug: str) -> HttpResponse:
    enabled = request.POST.get("statement_on_customer_link") == "on"
    services.organization_statement_offer_set(actor=request.membership, enabled=enabled)
    if enabled:
        messages.success(request, _("Customer links now offer the customer's statement."))
    else:
        messages.success(request, _("Customer links no longer offer the customer's statement."))
    return redirect("org:settings", org_slug=org_slug)


@require_POST
@require_admin
def bank_account_remove(request: OrgRequest, org_slug: str) -> HttpResponse:
    services.organization_bank_account_set(actor=request.membership, values=None)
    messages.success(request, _("The bank account is removed; customer pages show no GiroCode."))
    return redirect("org:settings", org_slug=org_slug)
