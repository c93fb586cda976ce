"""One settings module for every environment, driven by environment variables.

Every variable is documented in `.env.example`. Outside DEBUG nothing secret has a default:
a missing or malformed value stops startup with a message that names the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Generic Django classes (ModelAdmin[Model], ModelForm[Model]) subscriptable at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def envsecret(name: str) -> str:
    """A secret from NAME, or from the file NAME_FILE points at (Docker secrets)."""
    file_name = os.environ.get(f"{name}_FILE", "")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, "")


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS")

# Lexware API keys are encrypted with their own key ring, independent of SECRET_KEY, so the
# two rotate separately. Newest key first; see `manage.py rotate_encryption_keys`.
PORTAL_ENCRYPTION_KEYS = envlist("PORTAL_ENCRYPTION_KEYS")
if not PORTAL_ENCRYPTION_KEYS and DEBUG:
    # A fixed development key ring: DEBUG data is throwaway demo data.
    PORTAL_ENCRYPTION_KEYS = ["ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U="]
from portal.core.crypto import validate_key_ring  # noqa: E402  (needs the env helpers above)

validate_key_ring(PORTAL_ENCRYPTION_KEYS, setting_name="PORTAL_ENCRYPTION_KEYS")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with the portal's site class: 404 for non-operators (portal/backoffice).
    "portal.backoffice.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    # MFA (issue 16 item 1): TOTP authenticator apps and one-time recovery codes. Before
    # portal.accounts, whose admin module takes their device admins back off the admin site.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.core",
    "portal.audit",
    "portal.accounts",
    "portal.organizations",
    "portal.operations",
    "portal.connections",
    "portal.console",
    "portal.reference",
    "portal.sync",
    "portal.contacts",
    "portal.articles",
    "portal.documents",
    "portal.bookkeeping",
    "portal.receivables",
    "portal.sales",
    "portal.sharing",
    "portal.imports",
    "portal.files",
    "portal.rendering",
    "portal.emails",
    "portal.backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.middleware.SessionTimeoutMiddleware",
    # Who acts and from which network, for the audit trail (portal/audit/context.py).
    "portal.audit.middleware.AuditContextMiddleware",
    "portal.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.organizations.middleware.OrganizationMiddleware",
    "portal.core.middleware.NoStoreForAuthenticatedMiddleware",
    # Last, so that a locked-out login still passes through everything above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Plain widgets written out without templates (portal/core/form_renderer.py).
FORM_RENDERER = "portal.core.form_renderer.PortalFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.organizations.context_processors.organization",
            ],
            # {% url %} with a memory (portal/core/reverse.py): it replaces Django's tag.
            # {% form_field %}: a form field with label, help and errors (form_field.py).
            "builtins": [
                "portal.core.templatetags.cached_url",
                "portal.core.templatetags.form_field",
            ],
        },
    }
]

VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

# Embedded default: a SQLite file. Production: DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL and a busy timeout let the demo's web and worker processes share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organizations:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (reliability.md S5): lock one account from one address after 5 failures,
# for 15 minutes; a locked-out user can still reset the password.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envfloat("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# How many proxies of ours stand in front of gunicorn (the TLS proxy: 1). The client address
# for throttling is read from X-Forwarded-For through exactly these (portal/core/client_ip.py).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "portal.core.client_ip.client_ip"
# django-ratelimit rates ("count/period"): failed sign-ins per client address across accounts,
# password-reset requests per client address and per e-mail address.
LOGIN_FAILURES_PER_IP = os.environ.get("LOGIN_FAILURES_PER_IP", "20/15m")
PASSWORD_RESETS_PER_IP = os.environ.get("PASSWORD_RESETS_PER_IP", "10/h")
PASSWORD_RESETS_PER_EMAIL = os.environ.get("PASSWORD_RESETS_PER_EMAIL", "3/h")
# Customer links (portal/sharing): failed link lookups allowed per client address (L4).
SHARE_LINK_MISSES_PER_IP = os.environ.get("SHARE_LINK_MISSES_PER_IP", "30/m")
# After the first visit the token becomes a signed cookie for this long (reliability.md L6).
SHARE_LINK_COOKIE_SECONDS = envint("SHARE_LINK_COOKIE_SECONDS", 3600)
# "Send me a new link" on an expired link: per network and per link (anti mail-bombing).
SHARE_LINK_RENEWALS_PER_IP = os.environ.get("SHARE_LINK_RENEWALS_PER_IP", "5/h")
SHARE_LINK_RENEWALS_PER_LINK = os.environ.get("SHARE_LINK_RENEWALS_PER_LINK", "3/d")
RATELIMIT_IP_META_KEY = "portal.core.client_ip.client_ip"

# MFA (issue 16 item 1). The issuer names the portal in authenticator apps. Failed codes slow
# the next try down exponentially (1 s, 2 s, 4 s, … per device; django-otp's throttling).
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Lexware Office Portal")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Changing the password, MFA or the Lexware key needs a password (+ code) this recent.
RECENT_AUTH_SECONDS = envint("RECENT_AUTH_SECONDS", 10 * 60)
# How long the code page waits for the code after a correct password.
MFA_PENDING_LOGIN_SECONDS = envint("MFA_PENDING_LOGIN_SECONDS", 5 * 60)
MFA_RECOVERY_CODE_COUNT = 10

# Sessions (reliability.md S3/S4): in the database so they survive a Redis restart and can be
# ended per user; 12 h absolute lifetime, 30 min inactivity timeout (SessionTimeoutMiddleware).
# Django's database engine with its per-request read written out (portal/accounts/sessions.py).
SESSION_ENGINE = "portal.accounts.sessions"
SESSION_COOKIE_AGE = envint("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = envbool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # __Host- cookies must be Secure, Path=/ and carry no Domain: the browser enforces it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The portal is served only over HTTPS on its own host, so it may ask to be preloaded.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# CSP without inline scripts (django-csp 4): scripts and styles only from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# The sales editor posts up to 300 rows of 10 fields plus its ~50 header fields (issue 11).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4000

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language, also where Django renders dates itself (portal/formats).
FORMAT_MODULE_PATH = ["portal.formats"]
# The language switcher's cookie (visitors; signed-in users also keep the choice in their
# profile): as strict as the session cookie, and no script needs to read it.
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if SECURE_COOKIES:
    LANGUAGE_COOKIE_NAME = "__Host-language"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Fetched PDFs and XRechnung XML (portal/files), kept by document version. Default: a folder
# under PORTAL_VAR_DIR. With FILES_S3_BUCKET set: any S3-compatible store (django-storages).
FILES_DIR = Path(os.environ.get("PORTAL_FILES_DIR", VAR_DIR / "files"))
if os.environ.get("FILES_S3_BUCKET"):
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["FILES_S3_BUCKET"],
            "endpoint_url": os.environ.get("FILES_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("FILES_S3_REGION") or None,
            "access_key": os.environ.get("FILES_S3_ACCESS_KEY_ID") or None,
            "secret_key": envsecret("FILES_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("FILES_S3_PREFIX", "documents"),
            # Private objects, served only through the portal's own views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(FILES_DIR)},
    }
# Fetch a document's files when the mirror learns it was created or changed (bulk lane).
FILES_FETCH_ON_CHANGE = envbool("FILES_FETCH_ON_CHANGE", True)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

REDIS_URL = os.environ.get("REDIS_URL", "")
# A cache shared by every process (a Redis database of its own, never the broker's);
# unset: each process keeps a small local cache.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "portal",
        }
    }

# Celery: Redis in production; the filesystem transport when REDIS_URL is unset (demo).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
    }
else:
    # Longer than any task's run time and any countdown (reliability.md R13).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 1800)
    }
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = TIME_ZONE
# Periodic work (one beat process per deployment).
CELERY_BEAT_SCHEDULE = {
    "sweep-operations": {
        "task": "operations.sweep",
        "schedule": envfloat("OPERATION_SWEEP_SECONDS", 30),
    },
    "reconcile-mirrors": {
        "task": "sync.reconcile_all",
        "schedule": envfloat("SYNC_RECONCILE_SECONDS", 600),
    },
    "feed-quiet-imports": {
        "task": "imports.pump_stale",
        "schedule": envfloat("IMPORT_STALE_SECONDS", 60),
    },
    "check-subscriptions": {
        "task": "sync.check_subscriptions_all",
        "schedule": envfloat("SYNC_SUBSCRIPTIONS_SECONDS", 3600),
    },
    "prune-lexware-call-log": {"task": "audit.prune_calls", "schedule": 3600.0},
    # Document e-mails whose task was lost (broker down when queued) are enqueued again.
    "sweep-emails": {"task": "emails.sweep", "schedule": envfloat("EMAIL_SWEEP_SECONDS", 300)},
    # Owners are told 30, 7 and 1 days before their Lexware key ends, and on the day.
    "key-expiry-reminders": {"task": "connections.key_expiry_reminders", "schedule": 86400.0},
    # Bulk exports whose worker went quiet (killed mid-build) start their build again.
    "sweep-exports": {
        "task": "files.export_sweep",
        "schedule": envfloat("EXPORT_SWEEP_SECONDS", 30),
    },
    # Draft previews and statements older than RENDER_PREVIEW_DAYS / RENDER_STATEMENT_DAYS are
    # dropped with their files.
    "prune-previews": {"task": "rendering.prune", "schedule": 3600.0},
}
# A bulk export's worker lease: a build with an older heartbeat is taken over.
EXPORT_LEASE_SECONDS = envint("EXPORT_LEASE_SECONDS", 60)
# Days a finished export's ZIP is kept for download (the PDFs in it stay stored regardless).
EXPORT_KEEP_DAYS = envint("EXPORT_KEEP_DAYS", 7)
# Days a rendered draft preview is kept.
RENDER_PREVIEW_DAYS = envint("RENDER_PREVIEW_DAYS", 14)
# Days a rendered statement is kept (it shows its day's open items); one an e-mail carried stays.
RENDER_STATEMENT_DAYS = envint("RENDER_STATEMENT_DAYS", 7)
# Days the request log of Lexware calls (health page) is kept; the audit trail is kept forever.
LEXWARE_CALL_LOG_DAYS = envint("LEXWARE_CALL_LOG_DAYS", 3)
# Minutes an operator's read-only support access to an organization lasts (backoffice).
SUPPORT_SESSION_MINUTES = envint("SUPPORT_SESSION_MINUTES", 30)
# How long a running operation may take before the sweeper settles it; > task time limit.
OPERATION_LEASE_SECONDS = envint("OPERATION_LEASE_SECONDS", 240)
# Pending rows older than this whose message may be lost are enqueued again.
OPERATION_PENDING_GRACE_SECONDS = envint("OPERATION_PENDING_GRACE_SECONDS", 120)
OPERATION_RECONCILE_DELAY = envfloat("OPERATION_RECONCILE_DELAY", 15)
# Imports: rows of one job queued or running at a time, and how often its feeder tops them up.
IMPORT_WINDOW = envint("IMPORT_WINDOW", 12)
IMPORT_PUMP_SECONDS = envfloat("IMPORT_PUMP_SECONDS", 1.0)
# A sync step stops after this many seconds and continues as a new operation.
SYNC_STEP_SECONDS = envfloat("SYNC_STEP_SECONDS", 20)
# false: a full sync stops after the lists (no per-document fetch, one call per document).
SYNC_FULL_INCLUDES_DETAILS = envbool("SYNC_FULL_INCLUDES_DETAILS", True)

# Lexware
# Outside DEBUG it must be given: a production that silently talked to a simulator (or to the
# real API from a staging copy) would send customers' keys where they do not belong.
if not DEBUG and not os.environ.get("LEXWARE_BASE_URL"):
    raise ImproperlyConfigured(
        "LEXWARE_BASE_URL is required when DEBUG is off (https://api.lexware.io for Lexware)."
    )
LEXWARE_BASE_URL = os.environ.get("LEXWARE_BASE_URL", "https://api.lexware.io").rstrip("/")
# The limiter's defaults are the lexware package's own (lexware/ratelimit.py), so both agree.
from lexware import ratelimit as _limiter_defaults  # noqa: E402

# Permits per second per Lexware key, shared by all processes; Lexware allows 2.
LEXWARE_RATE_PER_SECOND = envfloat("LEXWARE_RATE_PER_SECOND", _limiter_defaults.DEFAULT_RATE)
LEXWARE_BURST = envfloat("LEXWARE_BURST", _limiter_defaults.DEFAULT_BURST)
# Variation of the delay between a permit and Lexware receiving the call that the limiter
# tolerates without a 429 (usable bucket: LEXWARE_BURST - rate * this).
LEXWARE_JITTER_SECONDS = envfloat("LEXWARE_JITTER_SECONDS", _limiter_defaults.DEFAULT_JITTER)
# PEM of the key that signs Lexware webhooks (a file path or the PEM itself).
LEXWARE_WEBHOOK_PUBLIC_KEY = os.environ.get("LEXWARE_WEBHOOK_PUBLIC_KEY", "")
# Public https URL Lexware posts webhooks to; empty: SITE_URL + /hooks/lexware/.
LEXWARE_WEBHOOK_URL = os.environ.get("LEXWARE_WEBHOOK_URL", "")
LEXWARE_LIMITER_DIR = VAR_DIR / "ratelimit"
# "auto": Redis when REDIS_URL is set, else a lock file shared by this machine's processes.
LEXWARE_LIMITER = os.environ.get("LEXWARE_LIMITER", "auto")

SHARE_LINK_MAX_AGE_DAYS = envint("SHARE_LINK_MAX_AGE_DAYS", 30)

# Unhandled errors reach an operator (issue 15 item 7): stored for the health page always;
# mailed to ADMINS ("Name <a@b>, c@d" or plain addresses, comma-separated) when set; sent to
# Sentry when SENTRY_DSN is set and the optional sentry-sdk package is installed.
ADMINS = [
    (address.split("<")[0].strip() or address.strip(), address.split("<")[-1].rstrip("> ").strip())
    for address in os.environ.get("ADMINS", "").split(",")
    if address.strip()
]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from portal.core.sentry import sentry_init

    sentry_init(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", ""))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "portal.core.logging.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "httpx": {"level": "WARNING"},
    },
}
