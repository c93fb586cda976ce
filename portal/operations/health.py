"""Is anyone working the queue? For a readiness page and for operators (reliability.md R8, O4).

A worker that died (host crash, OOM kill of the whole process group) leaves no trace in the
broker: its unacknowledged messages come back after the visibility timeout, and the sweeper
settles the operations it held once their lease ends. What nobody sees without asking is that
the worker itself is gone. :func:`workers_alive` asks: a broadcast ping over Celery's remote
control channel, answered only by worker processes that are alive and reading the broker.
"""

from __future__ import annotations

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def workers_alive(timeout: float = 1.0) -> list[str]:
    """Node names (``celery@host``) of the workers that answered a ping within ``timeout``
    seconds, sorted. An empty list means no worker answered, or the broker could not be
    reached (logged): either way nothing is consuming operations right now."""
    try:
        replies = current_app.control.inspect(timeout=timeout).ping() or {}
    except Exception:
        logger.warning("worker ping failed: the broker is unreachable", exc_info=True)
        return []
    return sorted(
        name
        for name, reply in replies.items()
        if isinstance(reply, dict) and reply.get("ok") == "pong"
    )
