"""File responses from storage, shared by the staff views and the customer links (L9)."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.cache import patch_cache_control

from portal.files.models import DocumentFile
from portal.files.storage import document_storage, download_filename

# The preview is framed by our own pages only; everything else keeps "frame-ancestors 'none'".
PREVIEW_CSP = "default-src 'none'; frame-ancestors 'self'"


def file_response(stored: DocumentFile, *, inline: bool = False) -> FileResponse:
    """The stored bytes with the right type, a server-built RFC 6266 file name, `nosniff`
    (SecurityMiddleware) and no caching outside the browser's memory."""
    response = FileResponse(
        document_storage().open(stored.storage_name, "rb"),
        as_attachment=not inline,
        filename=download_filename(stored.document, stored.kind),
        content_type=stored.media_type,
    )
    patch_cache_control(response, private=True, no_store=True)
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response
