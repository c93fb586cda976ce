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
