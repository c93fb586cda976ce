"""Settings for the real Celery worker processes that the reliability tests start.

They share the test database (its name comes from the test process), a real Redis broker
and the simulator served over HTTP, with short timeouts so faults play out in seconds.
"""

from __future__ import annotations

import os

from tests.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["PORTAL_TEST_DATABASE_NAME"]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 10}
REDIS_URL = os.environ["REDIS_URL"]
LEXWARE_IN_PROCESS_SIMULATOR = False
LEXWARE_BASE_URL = os.environ["LEXWARE_BASE_URL"]
LEXWARE_LIMITER = "redis"
LEXWARE_WEBHOOK_PUBLIC_KEY = os.environ.get("LEXWARE_WEBHOOK_PUBLIC_KEY", "")
LEXWARE_WEBHOOK_URL = os.environ.get("LEXWARE_WEBHOOK_URL", "")
OPERATION_LEASE_SECONDS = int(os.environ.get("OPERATION_LEASE_SECONDS", "6"))
OPERATION_PENDING_GRACE_SECONDS = int(os.environ.get("OPERATION_PENDING_GRACE_SECONDS", "3"))
OPERATION_RECONCILE_DELAY = 1.0
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_TASK_TIME_LIMIT = 40
SYNC_STEP_SECONDS = 8
