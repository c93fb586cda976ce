from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# Seconds a client (or Lexware's webhook sender) is asked to wait while the database is back.
DATABASE_DOWN_RETRY_AFTER = 30


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Says nothing about dependencies (not exposed publicly)."""
    return HttpResponse("ok", content_type="text/plain")


# Seconds each dependency may take to answer the readiness probe.
READINESS_TIMEOUT = 1.0


def _database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.warning("readiness: the database does not answer", exc_info=True)
        return False
    return True


def _redis_ready() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=READINESS_TIMEOUT,
            socket_connect_timeout=READINESS_TIMEOUT,
        )
        client.ping()
    except Exception:
        logger.warning("readiness: Redis does not answer", exc_info=True)
        return False
    return True


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness (reliability.md O4): PostgreSQL and Redis (broker and rate limiter) answer.
    503 while either is gone, so the load balancer sends no users to a process that cannot
    serve them. Workers are not part of it (the health page shows them): a stopped worker
    must not take the web pages down. Names no host, address or error (not a public page)."""
    checks = {"database": _database_ready()}
    if settings.REDIS_URL:
        checks["redis"] = _redis_ready()
    ready = all(checks.values())
    response = JsonResponse(
        {"ready": ready, **{name: "ok" if ok else "unavailable" for name, ok in checks.items()}},
        status=200 if ready else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. The database being unreachable (a PostgreSQL restart or failover) is not a
    bug in the page: answer 503 with "back in a moment" and Retry-After instead of a 500
    (reliability.md R9). Django calls this inside its exception handler, for exceptions from
    views and from middleware alike, so the exception in hand is the one that stopped the
    request. The 503 page is standalone like 500.html: it must render without the database."""
    error = sys.exc_info()[1]
    if not isinstance(error, (OperationalError, InterfaceError)):
        return django_server_error(request)
    logger.warning("database unavailable: answering 503 (%s)", type(error).__name__)
    try:
        body = loader.get_template("503.html").render()
    except Exception:  # the page must never turn a 503 into a 500
        return HttpResponse("Service unavailable", content_type="text/plain", status=503)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(DATABASE_DOWN_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
