"""Worker side of files: fetch a finalized document's PDF (and XRechnung XML) from Lexware's
`/file` endpoint (§5.3) through the shared rate limiter, and keep them by document version.

Repeatable: a file already stored for the version is not fetched again, so a retry after a
429/503 or a lost worker only fetches what is still missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexware import errors as lx
from portal.documents.fetch import fetch_document
from portal.documents.models import API_RESOURCE, Document
from portal.files.models import FileKind
from portal.files.selectors import current_files, has_file, wanted_kinds
from portal.files.services import FILES_FETCH
from portal.files.storage import store_file
from portal.operations.models import Operation
from portal.operations.registry import OperationFailed, operation_kind

if TYPE_CHECKING:
    from lexware import LexwareClient
    from lexware.models import DownloadedFile


def _document_page(operation: Operation) -> str | None:
    if not operation.target_id:
        return None
    return reverse(
        "documents:detail",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )


def fetch_document_files(*, client: LexwareClient, document: Document) -> dict[str, Any]:
    if document.voucher_type not in API_RESOURCE:
        raise OperationFailed(_("Lexware renders no file for this kind of document."))
    if document.version is None or document.details_stale:
        # The version names the stored file: learn the current one first. fetch_document
        # (not refresh_document) so that this refresh does not start another file fetch.
        refreshed = fetch_document(
            client=client,
            organization=document.organization,
            voucher_type=document.voucher_type,
            lexware_id=str(document.lexware_id),
        )
        if refreshed is None:
            raise OperationFailed(_("The document no longer exists in Lexware."))
        document = refreshed
    if not has_file(document) or document.version is None:
        raise OperationFailed(
            _("Drafts have no file: Lexware renders it once the document is finalized.")
        )
    resource = getattr(client, API_RESOURCE[document.voucher_type])
    have = current_files(document)
    stored = []
    for kind in wanted_kinds(document):
        if kind in have:
            continue
        try:
            downloaded = resource.file(str(document.lexware_id), accept=kind)
        except lx.ConflictError:
            if document.voucher_type != "dunning":
                raise OperationFailed(
                    _("Lexware says this document is a draft: drafts have no file.")
                ) from None
            downloaded = _rendered_dunning(client, document)
        except lx.NotFoundError:
            if kind == FileKind.XML:
                continue  # not an XRechnung after all (§5.3: XML of other profiles → 404)
            raise
        store_file(
            document=document, version=document.version, kind=kind, content=downloaded.content
        )
        stored.append(kind)
    return {"version": document.version, "stored": stored}


NO_DUNNING_PDF = _(
    "Lexware renders no PDF for this dunning. Send the invoice's customer link instead; the "
    "dunning itself can be printed in Lexware."
)


def _rendered_dunning(client: LexwareClient, document: Document) -> DownloadedFile:
    """A dunning is always a draft (§5.10), and `/file` answers a draft with 409 (§5.3). The
    deprecated `/document` renders dunnings although they are drafts (§5.3, §5.10): ask it for
    the file id and download that. When Lexware refuses that too, the dunning has no PDF: the
    e-mail page then offers the invoice's customer link instead."""
    try:
        rendered = client.dunnings.document(str(document.lexware_id))
        if rendered.document_file_id:
            return client.files.download(rendered.document_file_id, accept="pdf")
    except (lx.ValidationError, lx.ConflictError, lx.NotFoundError):
        pass
    raise OperationFailed(NO_DUNNING_PDF)


@operation_kind(FILES_FETCH, label=_("Fetch PDF from Lexware"), result_url=_document_page)
def document_files_fetch_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    document = Document.objects.filter(
        organization=operation.organization, lexware_id=operation.input["id"]
    ).first()
    if document is None:
        raise OperationFailed(_("The document is not in the portal."))
    return fetch_document_files(client=client, document=document)
