"""The sales document editor (issue 11): one page for every type, through the write path
(DESIGN.md §7, portal/operations/writeflow.py). No view calls Lexware.

The page posts its whole form for everything: "send" starts the create; every other button
(`action=add:text`, `up:3`, `customer:<id>`, `article:<id>`) changes the form on the server
and shows it again, so adding, moving and taking over work without JavaScript. With htmx the
same posts swap the form in place, the searches answer as one types, and the totals region
posts the form to `totals` after every change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from portal.operations.models import Operation
from portal.operations.writeflow import WritePage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member
from portal.sales import editing, parking, selectors, services
from portal.sales.checkpage import check_response
from portal.sales.checks import finalize_check
from portal.sales.forms import DocumentForm, lines_data
from portal.sales.lines import MAX_LINES, new_rows
from portal.sales.preview import amounts_oob, preview
from portal.sales.types import SalesType, sales_type

TEMPLATE = "sales/document_form.html"


@dataclass(frozen=True)
class EditorPage(WritePage):
    # Keyword-only: WritePage's own fields end with defaults (`atomic`).
    sales_type: SalesType = field(kw_only=True)

    def form_kwargs(self, request: OrgRequest) -> dict[str, Any]:
        return {"sales_type": self.sales_type, "organization": request.organization}

    def context(self, request: OrgRequest, form: DocumentForm | None = None) -> dict[str, Any]:
        org = request.organization
        context: dict[str, Any] = {"sales_type": self.sales_type, "max_lines": MAX_LINES}
        if form is not None:
            query = str(form["customer_query"].value() or "")
            article_query = str(form["article_query"].value() or "")
            context.update(
                preview=_preview_of(form),
                customers=selectors.customer_search(organization=org, query=query),
                articles=selectors.article_search(organization=org, query=article_query),
                customer_query=query,
                article_query=article_query,
                new_lines=new_rows(prices_required=self.sales_type.totals),
            )
        return context

    def reopen(self, request: OrgRequest, operation: Operation) -> DocumentForm:
        """The form from the operation's input, with what is kept beside the body: the
        preceding document and the draft a finalized copy replaces."""
        form = super().reopen(request, operation)
        assert isinstance(form, DocumentForm)
        beside = {
            "preceding_id": operation.input.get("preceding") or "",
            "replaces_draft": operation.input.get("replaces_draft") or "",
        }
        form.data = {**form.data, **beside}
        return form

    def show(self, request: OrgRequest, form: DocumentForm) -> HttpResponse:
        return self.render_form(request, form, self.context(request, form))


def _preview_of(form: DocumentForm) -> Any:
    """A bound form is priced as it is; an unbound one through a bound twin of its data, so its
    own (unvalidated) rendering shows no errors while the user is still editing."""
    if form.is_bound:
        return preview(form)
    twin = DocumentForm(
        getattr(form, "state_data", None) or _initial_data(form),
        sales_type=form.sales_type,
        organization=form.organization,
    )
    result = preview(twin)
    for row, amount in zip(form.lines.forms, result.line_amounts, strict=False):
        row.preview_amount = amount
    return result


def _initial_data(form: DocumentForm) -> dict[str, Any]:
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    lines = [{name: row[name].value() or "" for name in row.fields} for row in form.lines.forms]
    return {**data, **lines_data([{k: str(v) for k, v in line.items()} for line in lines])}


def _page(voucher_type: str) -> EditorPage:
    st = sales_type(voucher_type)
    return EditorPage(TEMPLATE, DocumentForm, st.kind, services.INPUT_KEY, sales_type=st)


def _status_url(request: OrgRequest, st: SalesType, code: UUID) -> str:
    return reverse(
        "sales:status",
        kwargs={
            "org_slug": request.organization.slug,
            "voucher_type": st.voucher_type,
            "code": code,
        },
    )


def editing_form(page: EditorPage, request: OrgRequest, state: editing.EditorState) -> DocumentForm:
    """The form to show while editing: unbound (no errors yet), holding the posted values."""
    data = state.as_data()
    header = {k: v for k, v in data.items() if not k.startswith("lines-")}
    form = DocumentForm(
        sales_type=page.sales_type,
        organization=request.organization,
        initial=header,
        lines_initial=state.lines,
    )
    form.state_data = data  # type: ignore[attr-defined]
    return form


@require_http_methods(["GET", "POST"])
@require_member
def document_new(request: OrgRequest, org_slug: str, voucher_type: str) -> HttpResponse:
    page = _page(voucher_type)
    if request.method != "POST":
        resumed = _resumed(page, request)
        if resumed is not None:
            return page.show(request, resumed)
        form = page.form(request)
        return page.show(request, form)  # type: ignore[arg-type]
    action = str(request.POST.get("action") or editing.SEND)
    if action == editing.NEW_CUSTOMER:
        return _to_new_customer(page, request)
    if action not in (editing.SEND, editing.FINALIZE, editing.FINALIZE_CONFIRMED):
        state = editing.apply(
            editing.EditorState.from_data(request.POST),
            action[:100],
            organization=request.organization,
            sales_type=page.sales_type,
        )
        return page.show(request, editing_form(page, request, state))
    form = DocumentForm(request.POST, **page.form_kwargs(request))
    if action == editing.FINALIZE or (
        action == editing.FINALIZE_CONFIRMED and form.is_valid() and not finalize_check(form).ok
    ):
        # Finalizing cannot be undone (§6.3): first the check page, then "Finalize".
        return check_response(request, form)
    if form.is_valid():
        try:
            operation = services.document_create(
                organization=request.organization,
                user=request.user,
                sales_type=page.sales_type,
                data=form.to_lexware(),
                finalize=action == editing.FINALIZE_CONFIRMED,
                idempotency_key=form.key,
                replaces=form.replaced_code,
                preceding=form.cleaned_data.get("preceding_id"),
                replaces_draft=form.cleaned_data.get("replaces_draft"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return page.started(
                request,
                operation,
                status_url=_status_url(request, page.sales_type, operation.code),
                context=page.context(request),
            )
    return page.show(request, form)


def _to_new_customer(page: EditorPage, request: OrgRequest) -> HttpResponse:
    """The input parked in the session, then the new-customer page (customer_views.py)."""
    state = editing.EditorState.from_data(request.POST)
    voucher_type = page.sales_type.voucher_type
    token = parking.park(
        request, organization=request.organization, voucher_type=voucher_type, data=state.as_data()
    )
    url = reverse(
        "sales:customer_new",
        kwargs={"org_slug": request.organization.slug, "voucher_type": voucher_type},
    )
    url = f"{url}?resume={token}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _resumed(page: EditorPage, request: OrgRequest) -> DocumentForm | None:
    """`?resume=<token>[&customer=<id>]`: the parked input again, the new customer chosen."""
    token = str(request.GET.get("resume") or "")
    customer = str(request.GET.get("customer") or "")[:64]
    data = token and parking.parked(
        request,
        organization=request.organization,
        voucher_type=page.sales_type.voucher_type,
        token=token,
    )
    if not data and customer:
        data = _initial_data(page.form(request))  # type: ignore[arg-type]  # a fresh document
    if not data:
        return None
    state = editing.EditorState.from_data(data)
    if customer:
        state = editing.apply(
            state,
            f"customer:{customer}",
            organization=request.organization,
            sales_type=page.sales_type,
        )
    return editing_form(page, request, state)


@require_GET
@require_member
def document_new_status(
    request: OrgRequest, org_slug: str, voucher_type: str, code: UUID
) -> HttpResponse:
    page = _page(voucher_type)
    operation = page.operation(request, code)
    status_url = _status_url(request, page.sales_type, operation.code)
    response = page.status(request, operation, status_url=status_url, context=page.context(request))
    return response


@require_POST
@require_member
def document_totals(request: OrgRequest, org_slug: str, voucher_type: str) -> HttpResponse:
    """The totals region for the posted form (htmx, after every change)."""
    page = _page(voucher_type)
    form = DocumentForm(request.POST, **page.form_kwargs(request))
    result = preview(form)
    context = {**page.context(request), "form": form, "preview": result, "oob": True}
    context["amounts_oob"] = amounts_oob(result)
    return render(request, f"{TEMPLATE}#totals", context)


@require_GET
@require_member
def customer_search(request: OrgRequest, org_slug: str, voucher_type: str) -> HttpResponse:
    query = str(request.GET.get("customer_query") or "")[:100]
    customers = selectors.customer_search(organization=request.organization, query=query)
    context = {
        "customers": customers,
        "customer_query": query,
        "sales_type": sales_type(voucher_type),
    }
    return render(request, f"{TEMPLATE}#customer-results", context)


@require_GET
@require_member
def article_search(request: OrgRequest, org_slug: str, voucher_type: str) -> HttpResponse:
    query = str(request.GET.get("article_query") or "")[:100]
    articles = selectors.article_search(organization=request.organization, query=query)
    context = {"articles": articles, "article_query": query, "sales_type": sales_type(voucher_type)}
    return render(request, f"{TEMPLATE}#article-results", context)
