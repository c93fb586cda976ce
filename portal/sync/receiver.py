"""POST /hooks/lexware/: Lexware's signed event callbacks (lexware-api.md §7, reliability.md W).

Verify the signature over the raw bytes before parsing anything, store the event once,
enqueue the refresh after commit, answer at once. Never 404 or 410 to a validly signed call:
Lexware would delete the subscription. The database being down gives 503, so Lexware retries.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.audit import counters
from portal.documents.models import Document
from portal.organizations.models import ConnectionStatus, LexwareConnection
from portal.sync.mirror_write import mark_deleted
from portal.sync.models import WebhookEvent
from portal.sync.refresh import EVENT_RESOURCES
from portal.sync.services import resource_refresh

logger = logging.getLogger("portal.security.webhooks")

MAX_BODY_BYTES = 64 * 1024


@cache
def _public_key(configured: str) -> str:
    if configured.lstrip().startswith("-----BEGIN"):
        return configured
    return Path(configured).read_text() if configured else ""


def public_key() -> str:
    return _public_key(settings.LEXWARE_WEBHOOK_PUBLIC_KEY)


@csrf_exempt
@require_POST
def lexware_webhook(request: HttpRequest) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    from lexware import webhooks

    body = request.body
    signature = request.headers.get("X-Lxo-Signature", "")
    key = public_key()
    if not key or not signature or not webhooks.verify(body, signature, key):
        logger.warning(
            "rejected a Lexware webhook with a missing or bad signature from %s",
            request.META.get("REMOTE_ADDR"),
        )
        counters.bump(counters.WEBHOOK_SIGNATURE_FAILED)
        return HttpResponse("bad signature", status=401, content_type="text/plain")
    try:
        payload = json.loads(body)
    except RecursionError:
        # Nested deeper than the parser goes: no event of Lexware's looks like this (F3).
        logger.warning("refused a signed Lexware webhook nested too deeply to parse")
        return HttpResponse("body nested too deeply", status=400, content_type="text/plain")
    except ValueError:
        payload = None
    fields = _event_fields(payload)
    if fields is None:
        # Signed by Lexware but not understood: acknowledge, so Lexware does not retry forever.
        logger.warning("ignored a signed Lexware webhook with an unexpected body")
        return JsonResponse({"status": "ignored"})
    lexware_org, event_type, resource_id, event_date = fields
    try:
        return _store_and_enqueue(lexware_org, event_type, resource_id[:64], event_date[:40])
    except DatabaseError:
        logger.exception("database unavailable while receiving a Lexware webhook")
        return HttpResponse("try again later", status=503, content_type="text/plain")


def _event_fields(payload: object) -> tuple[str, str, str, str] | None:
    """organizationId, eventType, resourceId, eventDate, or None for a body that is no event:
    not an object, a field missing or not text, a NUL (PostgreSQL cannot store it), or a
    resourceId that is no UUID (every Lexware resource id is one; a refresh would crash on it)."""
    if not isinstance(payload, dict):
        return None
    values = [
        payload.get("organizationId"),
        payload.get("eventType"),
        payload.get("resourceId"),
        payload.get("eventDate") or "",
    ]
    if not all(isinstance(value, str) for value in values):
        return None
    lexware_org, event_type, resource_id, event_date = (str(value) for value in values)
    if any("\x00" in value for value in (lexware_org, event_type, resource_id, event_date)):
        return None
    if not event_type or not _is_uuid(resource_id):
        return None
    return lexware_org, event_type, resource_id, event_date


def _store_and_enqueue(
    lexware_org: str, event_type: str, resource_id: str, event_date: str
) -> HttpResponse:
    connection = (
        LexwareConnection.objects.select_related("organization")
        .filter(lexware_organization_id=lexware_org)
        .first()
        if _is_uuid(lexware_org)
        else None
    )
    organization = connection.organization if connection else None
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                organization=organization,
                lexware_organization_id=lexware_org
                if _is_uuid(lexware_org)
                else "00000000-0000-0000-0000-000000000000",
                event_type=event_type[:60],
                resource_id=resource_id,
                event_date=event_date,
            )
            outcome = _act_on(event, connection)
            event.outcome = outcome
            event.save(update_fields=["outcome"])
    except IntegrityError:
        return JsonResponse({"status": "duplicate"})
    return JsonResponse({"status": "accepted"})


def _act_on(event: WebhookEvent, connection: LexwareConnection | None) -> str:
    if connection is None or event.organization is None:
        return "unknown organization: dropped"
    if event.event_type == "token.revoked":
        connection.set_status(
            ConnectionStatus.REVOKED, gettext("Lexware reported that the API key was revoked.")
        )
        return "connection marked revoked"
    if not connection.is_usable:
        return "connection not usable: dropped"
    prefix, _, action = event.event_type.partition(".")
    if prefix == "payment":
        resource_refresh(
            organization=event.organization,
            resource="documents",
            lexware_id=event.resource_id,
            voucher_type=_known_type(event),
        )
        return "payment refresh queued"
    resource = EVENT_RESOURCES.get(prefix)
    if resource is None:
        return "event type not mirrored"
    if action == "deleted":
        mark_deleted(
            organization=event.organization, resource=resource[0], lexware_id=event.resource_id
        )
        return "marked deleted"
    resource_refresh(
        organization=event.organization,
        resource=resource[0],
        lexware_id=event.resource_id,
        voucher_type=resource[1],
    )
    return "refresh queued"


def _known_type(event: WebhookEvent) -> str | None:
    document = (
        Document.objects.filter(
            organization=event.organization, lexware_id=event.resource_id
        ).first()
        if _is_uuid(event.resource_id)
        else None
    )
    return document.voucher_type if document else "invoice"


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
