"""Staff pages for a document's customer links: list with access log (viewers), create,
revoke, new address (members and above). A new token is shown once, in the answer to the
POST that made it; only its hash is stored."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from portal.core.htmx import render_page
from portal.documents import selectors as documents
from portal.documents.models import Document
from portal.files.selectors import has_file
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member, require_viewer
from portal.sharing import selectors
from portal.sharing.forms import ShareLinkForm
from portal.sharing.services import (
    default_expiry,
    share_link_create,
    share_link_regenerate,
    share_link_revoke,
)


def public_url(token: str) -> str:
    return settings.SITE_URL + reverse("public:share", kwargs={"token": token})


def _page(
    request: OrgRequest,
    document: Document,
    *,
    form: ShareLinkForm | None = None,
    new_url: str = "",
) -> HttpResponse:
    """Form errors answer 200 like the other forms: htmx swaps only successful answers."""
    context: dict[str, Any] = {
        "document": document,
        "links": selectors.document_links(organization=request.organization, document=document),
        "form": form or ShareLinkForm(initial=ShareLinkForm.initial_for(default_expiry(document))),
        "shareable": has_file(document),
        "new_url": new_url,
    }
    return render_page(request, "sharing/share_links.html", context, partial="links")


def _document(request: OrgRequest, lexware_id: UUID) -> Document:
    return documents.document_detail(organization=request.organization, lexware_id=lexware_id)


@require_GET
@require_viewer
def share_links(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    return _page(request, _document(request, lexware_id))


@require_POST
@require_member
def share_link_new(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    document = _document(request, lexware_id)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return _page(request, document, form=form)
    try:
        _, token = share_link_create(
            organization=request.organization,
            document=document,
            user=request.user,
            expires_at=form.expires_at(),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, document, form=form)
    return _page(request, document, new_url=public_url(token))


@require_POST
@require_member
def share_link_revoke_view(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    link = selectors.share_link(organization=request.organization, code=code)
    share_link_revoke(organization=request.organization, link=link, user=request.user)
    if request.htmx:
        return _page(request, link.document)
    return redirect("sharing:links", org_slug=org_slug, lexware_id=link.document.lexware_id)


@require_POST
@require_member
def share_link_regenerate_view(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    link = selectors.share_link(organization=request.organization, code=code)
    try:
        token = share_link_regenerate(
            organization=request.organization, link=link, user=request.user
        )
    except ValidationError:
        return _page(request, link.document)
    return _page(request, link.document, new_url=public_url(token))
