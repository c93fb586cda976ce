from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from portal.audit.models import LexwareCall


@shared_task(name="audit.prune_calls", ignore_result=True)
def prune_calls() -> int:
    """The request log is for the health page's last hour and day: older rows go."""
    cutoff = timezone.now() - timedelta(days=int(getattr(settings, "LEXWARE_CALL_LOG_DAYS", 3)))
    deleted, _details = LexwareCall.objects.filter(at__lt=cutoff).delete()
    return deleted
