"""gunicorn's settings for the portal: what the image runs (`gunicorn -c python:portal.gunicorn_conf
portal.wsgi:application`) and what benchmarks.pages measures.

Threads, not sync workers: a CSV export streams for seconds and a receipt upload waits on the
client; with sync workers each of them holds a whole process, and three such requests stop every
page (benchmarks.pages measured a receivables p95 of 418 ms with 3 sync workers). With threads a
slow request holds one thread, and the process keeps answering. Each thread keeps its own
database connection (CONN_MAX_AGE), so workers × threads is the connections the web service uses.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
# One process per core; gunicorn's own WEB_CONCURRENCY or --workers overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The access log without customer-link tokens (reliability.md L6).
logger_class = "portal.core.gunicorn_logger.RedactingLogger"
accesslog = "-"


def post_worker_init(worker: object) -> None:
    """Move what loading the application created out of the garbage collector's sight.

    A full collection walks every tracked object; after Django and the portal are loaded that
    is about 200,000, and one such pass took 90 ms on the 2-core machine the benchmarks run on:
    a request that meets it waits that long. Frozen, those objects are never walked again, and
    collections only see what requests create. The URLconf is loaded first, so that the view
    modules it imports are among them.
    """
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now
    gc.collect()
    gc.freeze()
