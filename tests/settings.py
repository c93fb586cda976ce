"""Test settings: the production module with test-only overrides (like pretix's tests/settings)."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-anything-else-0123456789")
# Two fixed test keys; tests that rotate keys override PORTAL_ENCRYPTION_KEYS themselves.
os.environ.setdefault("PORTAL_ENCRYPTION_KEYS", "dGVzdC1rZXktb25lLWZvci10aGUtdGVzdC1zdWl0ZSE=")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LEXWARE_BASE_URL", "https://api.lexware.io")
# Fetched document files go to a temporary folder (inherited by the reliability workers).
os.environ.setdefault("PORTAL_FILES_DIR", tempfile.mkdtemp(prefix="portal-test-files-"))

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run inline in ordinary tests; the reliability tests start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# Lexware calls go to one in-process simulator (tests/conftest.py resets it per test).
LEXWARE_BASE_URL = "https://api.lexware.io"
LEXWARE_IN_PROCESS_SIMULATOR = True
LEXWARE_LIMITER = "none"
OPERATION_RECONCILE_DELAY = 0
# Refreshes do not start file fetches unless a test asks (tests/portal/files).
FILES_FETCH_ON_CHANGE = os.environ.get("FILES_FETCH_ON_CHANGE", "false") == "true"
# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
