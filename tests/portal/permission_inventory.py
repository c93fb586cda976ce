"""Every URL pattern of the portal, who may open it, and with which methods (reliability.md T1).

tests/portal/test_permission_matrix.py walks Django's resolver and fails for any pattern that
is missing here, then checks each entry against the cast (DESIGN.md §6):

    "org"          /o/<slug>/… pages: the minimum role gets in (GET 200), one role lower 403,
                   charlie (other organization) 404, anonymous → login, a wrong method 405;
                   an object of org B addressed under org A is 404 (IDOR).
    "global"       signed-in pages outside an organization: anonymous → login.
    "public"       capability links (token in the URL): anyone with a valid token; junk → 404.
    "staff"        operators only: everyone else 404 (signed in or not).
    "anonymous-ok" sign-in, password reset, health: open to everyone.
    "webhook"      machine callers; the only kind exempt from CSRF (S7).

Adding a URL is one line, e.g.

    "contacts:list": Org(VIEWER),
    "contacts:create": Org(MEMBER, methods=("GET", "POST")),
    "contacts:detail": Org(VIEWER, kwargs=lambda c: {"lexware_id": c.mirror("contacts.Contact").lexware_id}),

A kwargs factory receives a MatrixContext and must create its object in `c.organization`
(the matrix calls it once for org A and once for org B). It can use `c.fixture("name")` to
reach any fixture from tests/conftest.py (e.g. a factory fixture that takes organization=…).
`org_slug` is added for "org" entries automatically.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from portal.accounts.models import User
from portal.organizations.models import Invitation, Membership, Organization, Role

OWNER, ADMIN, MEMBER, VIEWER = Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER


@dataclass
class MatrixContext:
    """What a kwargs factory may use to build the object its URL points at."""

    organization: Organization
    owner: User
    request: pytest.FixtureRequest

    def fixture(self, name: str) -> Any:
        return self.request.getfixturevalue(name)

    def membership(self, role: str = MEMBER) -> Membership:
        """A fresh member of this organization with the given role."""
        email = f"matrix-{uuid.uuid4().hex[:10]}@example.org"
        user = User.objects.create_user(email, "matrix-password-123", full_name="Matrix Person")
        return Membership.objects.create(user=user, organization=self.organization, role=role)

    def invitation(self, role: str = MEMBER) -> tuple[Invitation, str]:
        from portal.organizations.services import invitation_create

        actor = Membership.objects.get(user=self.owner, organization=self.organization)
        return invitation_create(
            actor=actor, email=f"invited-{uuid.uuid4().hex[:8]}@example.org", role=role
        )

    def operation(self) -> Any:
        Operation = apps.get_model("operations", "Operation")
        return Operation.objects.create(
            organization=self.organization, kind="matrix.test", created_by=self.owner
        )

    def mirror(self, model: str, **fields: Any) -> Any:
        """A mirror row ("app_label.Model") of this organization with a random Lexware id."""
        model_class = apps.get_model(model)
        return model_class.objects.create(
            organization=self.organization,
            lexware_id=uuid.uuid4(),
            synced_at=timezone.now(),
            **fields,
        )


KwargsFactory = Callable[[MatrixContext], dict[str, Any]]


@dataclass(frozen=True)
class Route:
    kind: str
    methods: tuple[str, ...] = ("GET",)
    role: str | None = None
    kwargs: KwargsFactory | None = None
    # Extra words for the report, e.g. why a route is exempt from something.
    note: str = ""
    # Whether GET by an allowed user must be exactly 200 (pages) or just not an error (redirects).
    get_is_page: bool = True
    # False when the kwargs name no object of the organization (a document type, not an id):
    # there is nothing of org B to reach, so no IDOR case.
    idor: bool = True


def Org(
    role: str,
    methods: tuple[str, ...] = ("GET",),
    kwargs: KwargsFactory | None = None,
    *,
    idor: bool = True,
    get_is_page: bool = True,
) -> Route:  # noqa: N802
    return Route("org", methods, role, kwargs, idor=idor, get_is_page=get_is_page)


def Global(
    methods: tuple[str, ...] = ("GET",),
    kwargs: KwargsFactory | None = None,
    *,
    get_is_page: bool = True,
) -> Route:  # noqa: N802
    return Route("global", methods, None, kwargs, get_is_page=get_is_page)


def Public(
    methods: tuple[str, ...] = ("GET",),
    kwargs: KwargsFactory | None = None,
    *,
    get_is_page: bool = True,
) -> Route:  # noqa: N802
    return Route("public", methods, None, kwargs, get_is_page=get_is_page)


def Staff(methods: tuple[str, ...] = ("GET",), kwargs: KwargsFactory | None = None) -> Route:  # noqa: N802
    return Route("staff", methods, None, kwargs)


def AnonymousOk(
    methods: tuple[str, ...] = ("GET",),
    kwargs: KwargsFactory | None = None,
    *,
    get_is_page: bool = True,
) -> Route:  # noqa: N802
    return Route("anonymous-ok", methods, None, kwargs, get_is_page=get_is_page)


def Webhook(methods: tuple[str, ...] = ("POST",), note: str = "") -> Route:  # noqa: N802
    return Route("webhook", methods, None, None, note=note)


def _member_code(c: MatrixContext) -> dict[str, Any]:
    return {"code": c.membership(MEMBER).code}


def _invitation_code(c: MatrixContext) -> dict[str, Any]:
    return {"code": c.invitation()[0].code}


def _invitation_token(c: MatrixContext) -> dict[str, Any]:
    return {"token": c.invitation()[1]}


def _operation_code(c: MatrixContext) -> dict[str, Any]:
    return {"code": c.operation().code}


def _error_event(c: MatrixContext) -> dict[str, Any]:
    ErrorEvent = apps.get_model("audit", "ErrorEvent")
    event = ErrorEvent.objects.create(
        fingerprint=uuid.uuid4().hex, where="web", exception_type="ValueError", context="/x/"
    )
    return {"pk": event.pk}


def _invoice_create_code(c: MatrixContext) -> dict[str, Any]:
    """A new-invoice operation still waiting (its status page shows the status, 200)."""
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="invoice.create",
        created_by=c.owner,
        input={"document": {"address": {"name": "Matrix", "countryCode": "DE"}, "lineItems": []}},
    )
    return {"voucher_type": "invoice", "code": operation.code}


_INVOICE = {"voucher_type": "invoice"}


def _sales_source(c: MatrixContext, voucher_type: str = "quotation") -> Any:
    """A document of the mirror with its details (line items), as a fetch leaves it."""
    return c.mirror(
        "documents.Document",
        voucher_type=voucher_type,
        status="open",
        details_synced_at=timezone.now(),
        raw={
            "lineItems": [{"type": "text", "name": "Matrix"}],
            "taxConditions": {"taxType": "net"},
        },
    )


def _portal_draft(c: MatrixContext) -> dict[str, Any]:
    """A draft invoice the portal made (its succeeded create keeps the input)."""
    document = c.mirror("documents.Document", voucher_type="invoice", status="draft")
    Operation = apps.get_model("operations", "Operation")
    Operation.objects.create(
        organization=c.organization,
        kind="invoice.create",
        created_by=c.owner,
        state="succeeded",
        target_type="invoice",
        target_id=str(document.lexware_id),
        input={"document": {"address": {"name": "Matrix", "countryCode": "DE"}, "lineItems": []}},
    )
    return {"lexware_id": document.lexware_id}


def _contact_create_code(c: MatrixContext) -> dict[str, Any]:
    """A new-contact operation still waiting (its status page shows the status, 200)."""
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="contact.create",
        created_by=c.owner,
        input={"contact": {"roles": {"customer": {}}, "company": {"name": "Matrix"}}},
    )
    return {"code": operation.code}


def _receipt(c: MatrixContext) -> dict[str, Any]:
    """A dropped receipt of this organization (its bytes stored, its upload not sent yet)."""
    Receipt = apps.get_model("bookkeeping", "Receipt")
    content = b"%PDF-1.4 matrix " + uuid.uuid4().bytes
    receipt = Receipt.objects.create(
        organization=c.organization,
        sha256=uuid.uuid4().hex * 2,
        filename="matrix.pdf",
        media_type="application/pdf",
        size=len(content),
        content=content,
    )
    return {"pk": receipt.pk}


def _voucher_to_edit(c: MatrixContext) -> dict[str, Any]:
    """An open bookkeeping voucher with its details in the mirror, and one file."""
    document = c.mirror(
        "documents.Document",
        voucher_type="purchaseinvoice",
        status="open",
        version=1,
        details_synced_at=timezone.now(),
    )
    file_id = str(uuid.uuid4())
    document.raw = {
        "id": str(document.lexware_id),
        "type": "purchaseinvoice",
        "voucherStatus": "open",
        "voucherNumber": "M-1",
        "taxType": "gross",
        "voucherItems": [],
        "files": [file_id],
        "version": 1,
    }
    document.save(update_fields=["raw"])
    return {"lexware_id": document.lexware_id, "file_id": file_id}


def _voucher_create_code(c: MatrixContext) -> dict[str, Any]:
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="voucher.create",
        created_by=c.owner,
        input={"voucher": {"type": "purchaseinvoice", "taxType": "gross"}},
    )
    return {"code": operation.code}


def _voucher_edit_code(c: MatrixContext) -> dict[str, Any]:
    kwargs = _voucher_to_edit(c)
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="voucher.update",
        created_by=c.owner,
        target_id=str(kwargs["lexware_id"]),
        input={
            "lexware_id": str(kwargs["lexware_id"]),
            "base_version": 1,
            "voucher": {"voucherNumber": "M-2"},
            "base": None,
        },
    )
    return {"lexware_id": kwargs["lexware_id"], "code": operation.code}


def _voucher_id(c: MatrixContext) -> dict[str, Any]:
    return {"lexware_id": _voucher_to_edit(c)["lexware_id"]}


def _download(role: str, kwargs: KwargsFactory | None = None) -> Route:
    """An organization route that answers a file, not a page (no German text to read)."""
    return Route("org", ("GET",), role, kwargs, note="file download", get_is_page=False)


def _import_job(c: MatrixContext) -> dict[str, Any]:
    """An import in its preview (start, discard and cancel answer with a redirect)."""
    ImportJob = apps.get_model("imports", "ImportJob")
    job = ImportJob.objects.create(
        organization=c.organization,
        kind="contacts",
        created_by=c.owner,
        file_name="matrix.csv",
        file_format="csv",
        headings=["Firmenname"],
    )
    return {"code": job.code}


def _article_create_code(c: MatrixContext) -> dict[str, Any]:
    """A new-article operation still waiting (its status page shows the status, 200)."""
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="article.create",
        created_by=c.owner,
        input={"article": {"title": "Matrix", "type": "PRODUCT", "unitName": "Stück"}},
    )
    return {"code": operation.code}


def _article_to_edit(c: MatrixContext) -> dict[str, Any]:
    article = c.mirror("articles.Article", title="Matrix", version=0)
    article.raw = {
        "id": str(article.lexware_id),
        "version": 0,
        "title": "Matrix",
        "type": "SERVICE",
        "unitName": "Stunde",
        "price": {"netPrice": 10.0, "leadingPrice": "NET", "taxRate": 19},
    }
    article.save(update_fields=["raw"])
    return {"lexware_id": article.lexware_id}


def _article_edit_code(c: MatrixContext) -> dict[str, Any]:
    """An article edit still waiting (its status page shows the status, 200)."""
    kwargs = _article_to_edit(c)
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="article.update",
        created_by=c.owner,
        target_id=str(kwargs["lexware_id"]),
        input={
            "lexware_id": str(kwargs["lexware_id"]),
            "base_version": 0,
            "article": {"title": "Matrix 2"},
            "base": None,
        },
    )
    return {**kwargs, "code": operation.code}


def _article_delete_code(c: MatrixContext) -> dict[str, Any]:
    """An article delete still waiting, with the article it deletes."""
    article = c.mirror("articles.Article", title="Matrix")
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="article.delete",
        created_by=c.owner,
        target_type="article",
        target_id=str(article.lexware_id),
        input={"id": str(article.lexware_id), "title": "Matrix"},
    )
    return {"lexware_id": article.lexware_id, "code": operation.code}


def _contact_to_edit(c: MatrixContext) -> dict[str, Any]:
    contact = c.mirror("contacts.Contact", name="Matrix", version=1)
    contact.raw = {
        "id": str(contact.lexware_id),
        "version": 1,
        "roles": {"customer": {"number": 10000}},
        "company": {"name": "Matrix"},
    }
    contact.save(update_fields=["raw"])
    return {"lexware_id": contact.lexware_id}


def _contact_edit_code(c: MatrixContext) -> dict[str, Any]:
    """A contact edit still waiting (its status page shows the status, 200)."""
    kwargs = _contact_to_edit(c)
    Operation = apps.get_model("operations", "Operation")
    operation = Operation.objects.create(
        organization=c.organization,
        kind="contact.update",
        created_by=c.owner,
        target_id=str(kwargs["lexware_id"]),
        input={
            "lexware_id": str(kwargs["lexware_id"]),
            "base_version": 1,
            "contact": {"company": {"name": "Matrix 2"}},
            "base": None,
        },
    )
    return {**kwargs, "code": operation.code}


def _dunning_run_code(c: MatrixContext) -> dict[str, Any]:
    DunningRun = apps.get_model("receivables", "DunningRun")
    return {"code": DunningRun.objects.create(organization=c.organization, created_by=c.owner).code}


# --- documents out (issue 12): files and customer links

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _finalized_document(c: MatrixContext, **raw: Any) -> Any:
    return c.mirror("documents.Document", voucher_type="invoice", status="open", version=1, raw=raw)


def _document_file(c: MatrixContext, kind: str = "pdf", **raw: Any) -> Any:
    from portal.files.storage import store_file

    document = _finalized_document(c, **raw)
    return store_file(document=document, version=1, kind=kind, content=MINIMAL_PDF)


def _export_code(c: MatrixContext) -> dict[str, Any]:
    from portal.files.models import DocumentExport

    document = _document_file(c).document
    export = DocumentExport.objects.create(
        organization=c.organization, document_ids=[document.pk], total=1
    )
    return {"code": export.code}


def _done_export_code(c: MatrixContext) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from portal.files.models import DocumentExport
    from portal.files.storage import document_storage

    code = _export_code(c)["code"]
    name = document_storage().save(f"{c.organization.code}/exports/{code}.zip", ContentFile(b"PK"))
    DocumentExport.objects.filter(code=code).update(state="done", storage_name=name, size=2)
    return {"code": code}


def _draft_with_details(c: MatrixContext) -> Any:
    from django.utils import timezone as tz

    raw = {
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "address": {"name": "Matrix GmbH", "city": "Berlin", "countryCode": "DE"},
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 1,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 10, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
    }
    return c.mirror(
        "documents.Document",
        voucher_type="invoice",
        status="draft",
        version=1,
        raw=raw,
        details_synced_at=tz.now(),
    )


def _statement_token(c: MatrixContext) -> dict[str, Any]:
    """A customer link whose organization offers statements, with the statement rendered."""
    from portal.rendering import render, services
    from portal.sharing.models import ShareLink

    kwargs = _share_token(c)
    link = ShareLink.objects.order_by("-pk").filter(organization=c.organization).first()
    contact = c.mirror("contacts.Contact", is_customer=True, name="Matrix Kunde")
    link.document.contact_lexware_id = contact.lexware_id
    link.document.save(update_fields=["contact_lexware_id"])
    c.organization.statement_on_customer_link = True
    c.organization.save(update_fields=["statement_on_customer_link"])
    for language in ("de", "en"):
        job = services.statement(organization=c.organization, contact=contact, language=language)
        render.render_job(job.pk)
    return kwargs


def _statement_code(c: MatrixContext) -> dict[str, Any]:
    """The token-free statement address of such a link (opened with its cookie, L6)."""
    from portal.sharing.models import ShareLink
    from portal.sharing.tokens import token_hash

    token = _statement_token(c)["token"]
    code = ShareLink.objects.get(token_hash=token_hash(token)).code
    SHARE_TOKENS[str(code)] = token
    return {"code": code}


def _render_job(c: MatrixContext, *, done: bool = True) -> dict[str, Any]:
    """A finished (or failed) render job of this organization with its PDF in storage."""
    from portal.rendering.models import RenderJob
    from portal.rendering.storage import save_render

    job = RenderJob.objects.create(
        organization=c.organization,
        kind="preview",
        input={},
        input_hash=uuid.uuid4().hex,
        state="succeeded" if done else "failed",
        error="" if done else "ValueError: matrix",
    )
    if done:
        job.storage_name = save_render(job, MINIMAL_PDF)
        job.save(update_fields=["storage_name"])
    return {"code": job.code}


def _share_token(c: MatrixContext, *, e_invoice: bool = False) -> dict[str, Any]:
    """A valid customer link of a connected organization's finalized invoice with its files."""
    from portal.core import crypto
    from portal.organizations.models import LexwareConnection
    from portal.sharing.services import share_link_create

    LexwareConnection.objects.get_or_create(
        organization=c.organization,
        defaults={"encrypted_api_key": crypto.encrypt("matrix-key"), "key_last_four": "-key"},
    )
    raw = {"electronicDocumentProfile": "XRechnung"} if e_invoice else {}
    stored = _document_file(c, **raw)
    if e_invoice:
        from portal.files.storage import store_file

        store_file(document=stored.document, version=1, kind="xml", content=b"<Invoice/>")
    _, token = share_link_create(
        organization=c.organization,
        document=stored.document,
        user=c.owner,
        expires_at=timezone.now() + timedelta(days=5),
    )
    return {"token": token}


# The token behind each link code the matrix made: the token-free pages (L6) open only with
# the cookie their token URL sets, so the matrix test visits that first.
SHARE_TOKENS: dict[str, str] = {}


def _share_code(c: MatrixContext, *, e_invoice: bool = False) -> dict[str, Any]:
    from portal.sharing.models import ShareLink
    from portal.sharing.tokens import token_hash

    token = _share_token(c, e_invoice=e_invoice)["token"]
    code = ShareLink.objects.get(token_hash=token_hash(token)).code
    SHARE_TOKENS[str(code)] = token
    return {"code": code}


def _share_link_code(c: MatrixContext) -> dict[str, Any]:
    from portal.sharing.models import ShareLink

    _share_token(c)
    return {"code": ShareLink.objects.filter(organization=c.organization).latest("pk").code}


INVENTORY: dict[str, Route] = {
    # --- health and accounts
    "healthz": AnonymousOk(methods=("GET", "HEAD")),
    "accounts:login": AnonymousOk(methods=("GET", "POST")),
    "accounts:logout": AnonymousOk(methods=("POST",)),
    "accounts:password_reset": AnonymousOk(methods=("GET", "POST")),
    "accounts:password_reset_done": AnonymousOk(),
    "accounts:password_reset_confirm": AnonymousOk(
        methods=("GET", "POST"), kwargs=lambda c: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": AnonymousOk(),
    "accounts:password_change": Global(methods=("GET", "POST")),
    "accounts:profile": Global(methods=("GET", "POST")),
    # MFA (issue 16 item 1). The code page belongs to a sign-in in progress: without one it
    # sends the visitor back to the sign-in page (a redirect, never an error).
    "accounts:login_code": AnonymousOk(methods=("GET", "POST"), get_is_page=False),
    "accounts:reauth": Global(methods=("GET", "POST")),
    "accounts:mfa": Global(),
    "accounts:mfa_setup_start": Global(methods=("POST",)),
    # Without an enrolment in progress it returns to the MFA page.
    "accounts:mfa_setup": Global(methods=("GET", "POST"), get_is_page=False),
    "accounts:mfa_recovery_codes": Global(methods=("POST",)),
    "accounts:mfa_disable": Global(methods=("POST",)),
    # The language switcher: on the sign-in page too, so open to everyone (redirects back).
    "accounts:language": AnonymousOk(methods=("POST",), get_is_page=False),
    # --- organizations outside /o/<slug>/
    "organizations:home": Global(get_is_page=False),
    "organizations:list": Global(),
    "organizations:create": Global(methods=("GET", "POST")),
    "organizations:invitation_accept": Public(methods=("GET", "POST"), kwargs=_invitation_token),
    # --- organization pages
    "dashboard:index": Org(VIEWER),
    "org:members": Org(VIEWER),
    "org:member_role": Org(ADMIN, methods=("POST",), kwargs=_member_code),
    "org:member_remove": Org(ADMIN, methods=("POST",), kwargs=_member_code),
    "org:leave": Org(VIEWER, methods=("POST",)),
    "org:mfa_requirement": Org(OWNER, methods=("POST",)),
    "org:settings": Org(ADMIN, methods=("GET", "POST")),
    "org:bank_account_remove": Org(ADMIN, methods=("POST",)),
    "org:customer_link_settings": Org(ADMIN, methods=("POST",)),
    "org:letterhead_settings": Org(ADMIN, methods=("POST",)),
    "org:invitation_create": Org(ADMIN, methods=("POST",)),
    "org:invitation_revoke": Org(ADMIN, methods=("POST",), kwargs=_invitation_code),
    "connection:detail": Org(ADMIN),
    "connection:save": Org(ADMIN, methods=("POST",)),
    "connection:verify": Org(ADMIN, methods=("POST",)),
    "connection:disconnect": Org(ADMIN, methods=("POST",)),
    "connection:expiry": Org(ADMIN, methods=("POST",)),
    # --- the API console (issue 15 item 5): admins read, owners also change
    "console:index": Org(ADMIN),
    "console:run": Org(ADMIN, methods=("POST",)),
    "operations:list": Org(VIEWER),
    "operations:detail": Org(VIEWER, kwargs=_operation_code),
    "operations:status": Org(VIEWER, kwargs=_operation_code),
    "sync:status": Org(ADMIN),
    "sync:start": Org(ADMIN, methods=("POST",)),
    "sync:subscriptions": Org(ADMIN),
    "sync:subscriptions_delete": Org(ADMIN, methods=("POST",)),
    "sync:subscriptions_ensure": Org(ADMIN, methods=("POST",)),
    "contacts:list": Org(VIEWER),
    "contacts:create": Org(MEMBER, methods=("GET", "POST")),
    "contacts:create_status": Org(MEMBER, kwargs=_contact_create_code),
    "contacts:edit": Org(MEMBER, methods=("GET", "POST"), kwargs=_contact_to_edit),
    "contacts:edit_status": Org(MEMBER, kwargs=_contact_edit_code),
    "contacts:detail": Org(
        VIEWER,
        kwargs=lambda c: {"lexware_id": c.mirror("contacts.Contact", name="Matrix").lexware_id},
    ),
    "articles:list": Org(VIEWER),
    # --- import (members) and export (viewers: an export only reads the mirror)
    "imports:index": Org(MEMBER, methods=("GET", "POST")),
    "imports:template": _download(MEMBER),
    "imports:export_contacts": _download(MEMBER),
    "imports:export_articles": _download(MEMBER),
    "imports:job": Org(MEMBER, kwargs=_import_job),
    "imports:start": Org(MEMBER, methods=("POST",), kwargs=_import_job),
    "imports:discard": Org(MEMBER, methods=("POST",), kwargs=_import_job),
    "imports:cancel": Org(MEMBER, methods=("POST",), kwargs=_import_job),
    "imports:errors": _download(MEMBER, kwargs=_import_job),
    "articles:create": Org(MEMBER, methods=("GET", "POST")),
    "articles:create_status": Org(MEMBER, kwargs=_article_create_code),
    "articles:price": Org(MEMBER),
    "articles:detail": Org(
        VIEWER,
        kwargs=lambda c: {"lexware_id": c.mirror("articles.Article", title="Matrix").lexware_id},
    ),
    "articles:edit": Org(MEMBER, methods=("GET", "POST"), kwargs=lambda c: _article_to_edit(c)),
    "articles:edit_status": Org(MEMBER, kwargs=_article_edit_code),
    "articles:delete": Org(
        MEMBER,
        methods=("GET", "POST"),
        kwargs=lambda c: {"lexware_id": c.mirror("articles.Article", title="Matrix").lexware_id},
    ),
    "articles:delete_status": Org(MEMBER, kwargs=_article_delete_code),
    "documents:list": Org(VIEWER),
    "documents:detail": Org(
        VIEWER,
        kwargs=lambda c: {
            "lexware_id": c.mirror("documents.Document", voucher_type="invoice").lexware_id
        },
    ),
    # The sales editor (portal/sales): members and above; one URL set for every type.
    "sales:new": Org(MEMBER, methods=("GET", "POST"), kwargs=lambda c: _INVOICE, idor=False),
    "sales:totals": Org(MEMBER, methods=("POST",), kwargs=lambda c: _INVOICE, idor=False),
    "sales:customers": Org(MEMBER, kwargs=lambda c: _INVOICE, idor=False),
    "sales:articles": Org(MEMBER, kwargs=lambda c: _INVOICE, idor=False),
    "sales:status": Org(MEMBER, kwargs=_invoice_create_code),
    "sales:pursue": Org(MEMBER, kwargs=lambda c: {"lexware_id": _sales_source(c).lexware_id}),
    "sales:copy": Org(
        MEMBER, kwargs=lambda c: {"lexware_id": _sales_source(c, "invoice").lexware_id}
    ),
    "sales:draft": Org(MEMBER, kwargs=_portal_draft),
    "sales:customer_new": Org(
        MEMBER, methods=("GET", "POST"), kwargs=lambda c: _INVOICE, idor=False
    ),
    "sales:customer_new_status": Org(
        MEMBER, kwargs=lambda c: {**_contact_create_code(c), **_INVOICE}
    ),
    "bookkeeping:list": Org(VIEWER),
    "bookkeeping:detail": Org(
        VIEWER,
        kwargs=lambda c: {
            "lexware_id": c.mirror("documents.Document", voucher_type="purchaseinvoice").lexware_id
        },
    ),
    # Bookkeeping vouchers and receipts (issue 13): uploads, the voucher form, files.
    "bookkeeping:create": Org(MEMBER, methods=("GET", "POST")),
    "bookkeeping:create_status": Org(MEMBER, kwargs=_voucher_create_code),
    "bookkeeping:totals": Org(MEMBER, methods=("POST",)),
    "bookkeeping:edit": Org(MEMBER, methods=("GET", "POST"), kwargs=_voucher_id),
    "bookkeeping:edit_status": Org(MEMBER, kwargs=_voucher_edit_code),
    "bookkeeping:upload": Org(MEMBER, methods=("POST",)),
    "bookkeeping:receipt": Org(VIEWER, kwargs=_receipt),
    "bookkeeping:receipt_retry": Org(MEMBER, methods=("POST",), kwargs=_receipt),
    "bookkeeping:receipt_file": _download(VIEWER, kwargs=_receipt),
    "bookkeeping:attach": Org(MEMBER, methods=("POST",), kwargs=_voucher_id),
    # Loading a file from Lexware is a read, like opening the page: viewers may.
    "bookkeeping:file_fetch": Org(VIEWER, methods=("POST",), kwargs=_voucher_to_edit),
    # Receivables (issue 14): read-only pages of the documents mirror.
    "receivables:overview": Org(VIEWER),
    "receivables:invoices": Org(VIEWER),
    "receivables:export": Org(VIEWER),
    "receivables:payments_fetch": Org(MEMBER, methods=("POST",)),
    "receivables:dunning": Org(MEMBER),
    "receivables:dunning_start": Org(MEMBER, methods=("POST",)),
    "receivables:dunning_settings": Org(ADMIN, methods=("POST",)),
    "receivables:dunning_run": Org(MEMBER, kwargs=_dunning_run_code),
    # --- documents out (issue 12): files, customer links and their public pages
    "files:panel": Org(VIEWER, kwargs=lambda c: {"lexware_id": _finalized_document(c).lexware_id}),
    # Starting a fetch is a read from Lexware, like opening the page: viewers may.
    "files:fetch": Org(
        VIEWER,
        methods=("POST",),
        kwargs=lambda c: {"lexware_id": _finalized_document(c).lexware_id},
    ),
    # Downloads (200 with the file), not pages: left out of the German page walk.
    "files:download": Org(
        VIEWER, kwargs=lambda c: {"code": _document_file(c).code}, get_is_page=False
    ),
    "files:preview": Org(
        VIEWER, kwargs=lambda c: {"code": _document_file(c).code}, get_is_page=False
    ),
    # The bulk export reads like a download (as "files:fetch": viewers may).
    "files:export_create": Org(VIEWER, methods=("POST",)),
    "files:export": Org(VIEWER, kwargs=_export_code),
    "files:export_download": Org(VIEWER, kwargs=_done_export_code, get_is_page=False),
    # --- rendering (issue 19): draft previews and statements, drawn by a worker
    "rendering:document_preview": Org(
        VIEWER,
        methods=("POST",),
        kwargs=lambda c: {"lexware_id": _draft_with_details(c).lexware_id},
    ),
    "rendering:statement": Org(
        VIEWER,
        methods=("POST",),
        kwargs=lambda c: {"contact_id": c.mirror("contacts.Contact", is_customer=True).lexware_id},
    ),
    "rendering:job": Org(VIEWER, kwargs=_render_job),
    "rendering:retry": Org(VIEWER, methods=("POST",), kwargs=lambda c: _render_job(c, done=False)),
    "rendering:pdf": Org(VIEWER, kwargs=_render_job, get_is_page=False),
    "rendering:download": Org(VIEWER, kwargs=_render_job, get_is_page=False),
    "sales:preview_pdf": Org(MEMBER, methods=("POST",), kwargs=lambda c: _INVOICE, idor=False),
    "sharing:links": Org(
        VIEWER, kwargs=lambda c: {"lexware_id": _finalized_document(c).lexware_id}
    ),
    "sharing:create": Org(
        MEMBER,
        methods=("POST",),
        kwargs=lambda c: {"lexware_id": _finalized_document(c).lexware_id},
    ),
    "sharing:revoke": Org(MEMBER, methods=("POST",), kwargs=_share_link_code),
    "sharing:regenerate": Org(MEMBER, methods=("POST",), kwargs=_share_link_code),
    "emails:send": Org(
        MEMBER,
        methods=("GET", "POST"),
        kwargs=lambda c: {"lexware_id": _finalized_document(c).lexware_id},
    ),
    "public:share": Public(kwargs=_share_token),
    "public:share_pdf": Public(kwargs=_share_token, get_is_page=False),
    "public:share_preview": Public(kwargs=_share_token, get_is_page=False),
    "public:share_xml": Public(kwargs=lambda c: _share_token(c, e_invoice=True), get_is_page=False),
    "public:page": Public(kwargs=_share_code),
    "public:pdf": Public(kwargs=_share_code, get_is_page=False),
    "public:preview": Public(kwargs=_share_code, get_is_page=False),
    "public:xml": Public(kwargs=lambda c: _share_code(c, e_invoice=True), get_is_page=False),
    # "Send me a new link" (POST only; the same answer for every token).
    "share_renew": AnonymousOk(methods=("POST",), kwargs=_share_token, get_is_page=False),
    "public:statement": Public(kwargs=_statement_code, get_is_page=False),
    # --- machines and operators
    "hooks:lexware": Webhook(note="signature-checked, CSRF-exempt by design (reliability.md W)"),
    "backoffice:home": Staff(),
    "backoffice:organizations": Staff(),
    "backoffice:audit": Staff(),
    "backoffice:audit_export": Staff(),
    "backoffice:operations": Staff(),
    "backoffice:operation_detail": Staff(kwargs=_operation_code),
    "backoffice:operation_retry": Staff(methods=("POST",), kwargs=_operation_code),
    "backoffice:operation_resolve": Staff(methods=("POST",), kwargs=_operation_code),
    "backoffice:webhooks": Staff(),
    "backoffice:errors": Staff(),
    "backoffice:error_detail": Staff(kwargs=_error_event),
    "backoffice:subscriptions_check": Staff(
        methods=("POST",), kwargs=lambda c: {"slug": c.organization.slug}
    ),
    "backoffice:support_start": Staff(
        methods=("GET", "POST"), kwargs=lambda c: {"slug": c.organization.slug}
    ),
    "backoffice:support_end": Staff(methods=("POST",), kwargs=lambda c: {"pk": 1}),
    # Readiness for the load balancer (reliability.md O4): like healthz, names no detail.
    "readyz": AnonymousOk(methods=("GET", "HEAD")),
    # --- the audit trail of one organization (issue 15): its admins and owners
    "audit:list": Org(ADMIN),
    "audit:export": Org(ADMIN),
}

# The user with exactly each role in org A (tests/conftest.py), and the one just below it.
USER_WITH_ROLE = {OWNER: "alice", ADMIN: "dave", MEMBER: "bob", VIEWER: "carol"}
USER_BELOW_ROLE = {OWNER: "dave", ADMIN: "bob", MEMBER: "carol", VIEWER: None}
