"""Sentry, when an operator wants it: `SENTRY_DSN` set and `pip install sentry-sdk` done.

The SDK is optional (not in the lock files): imported only here, only when a DSN is set. Its
Django and Celery integrations report web and worker exceptions on their own. No personal
data is sent (send_default_pii=False)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def sentry_init(dsn: str, *, environment: str = "") -> bool:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        logger.warning("SENTRY_DSN is set but sentry-sdk is not installed: errors are not sent")
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
    return True
