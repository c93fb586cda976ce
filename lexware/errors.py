"""The one exception tree of the Lexware client (openai-python ``_exceptions.py`` shape).

::

    LexwareError
    ├── InvalidRequestError        rejected before anything was sent (also a ValueError)
    ├── RateLimitTimeout           no limiter permit within the timeout (nothing sent)
    ├── LimiterUnavailable         limiter store down: fail closed (nothing sent)
    └── APIError
        ├── APIConnectionError     transport failure
        │   └── APITimeoutError
        ├── AmbiguousWriteError    a POST that may have reached Lexware (never re-sent)
        ├── ResponseTooLargeError  body exceeded the download cap
        └── APIStatusError         Lexware answered with an error status
            ├── BadRequestError 400, AuthenticationError 401, PaymentRequiredError 402,
            ├── PermissionDeniedError 403, NotFoundError 404, ValidationError 406,
            ├── ConflictError 409 (and 406 stale version on contacts), UnsupportedMediaTypeError 415,
            ├── RateLimitError 429 (and 500 "rate limit exceeded"), InternalServerError 5xx
            └── UnexpectedRedirectError 3xx (redirects are never followed)

Every error body shape of lexware-api.md §2.1 – gateway ``{"message"}``, legacy ``IssueList``
and regular objects with ``details`` – is parsed into ``message``, ``field_errors`` (field path →
readable text, ready to show next to a form field) and ``trace_id``.

Exceptions hold no httpx objects: a request carries the ``Authorization`` header, and Celery
pickles exceptions into its result backend. The request loop redacts the API key from every
message and body before an exception is built (the 403 gateway message echoes the token, §2.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousWriteError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidRequestError",
    "LexwareError",
    "LimiterUnavailable",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitTimeout",
    "ResponseTooLargeError",
    "UnexpectedRedirectError",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "make_status_error",
    "parse_error_body",
]


def _restore(cls: type[LexwareError], state: dict[str, Any]) -> LexwareError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (state.get("message", ""),)
    return error


class LexwareError(Exception):
    """Root of every error raised by the ``lexware`` package."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors break the default exception pickling (cls(*args)).
        return (_restore, (type(self), dict(self.__dict__)))


class InvalidRequestError(LexwareError, ValueError):
    """The call was rejected by the client before anything was sent (§5.22 filter rules,
    upload size/type, a dunning without its invoice, …)."""


class RateLimitTimeout(LexwareError):
    """No permit from the rate limiter within the allowed wait; nothing was sent."""


class LimiterUnavailable(LexwareError):
    """The shared limiter store (Redis) is unreachable. We fail closed: nothing is sent
    (reliability.md RL5)."""


class APIError(LexwareError):
    """Something went wrong talking to Lexware."""

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        path: str = "",
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.body = body


class APIConnectionError(APIError):
    """The transport failed (DNS, refused connection, dropped connection, pool exhausted)."""


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout."""


class ResponseTooLargeError(APIError):
    """The response body exceeded the client's size cap; the download was aborted."""


class AmbiguousWriteError(APIError):
    """A POST may have been executed by Lexware but we did not get its answer (read timeout,
    5xx, 504 after the gateway's 30 s, connection dropped after sending).

    It is never re-sent automatically (Lexware has no idempotency keys, DESIGN.md §2 rule 4);
    a reconciler uses the fields below to look for the created object first.
    """

    def __init__(
        self,
        message: str,
        *,
        resource: str,
        method: str,
        path: str,
        request_body: Any,
        params: Mapping[str, Any] | None,
        sent_at: datetime,
        status_code: int | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message, method=method, path=path, body=body)
        self.resource = resource
        self.request_body = request_body
        self.params = dict(params or {})
        self.sent_at = sent_at
        self.status_code = status_code

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(resource={self.resource!r}, method={self.method!r}, "
            f"path={self.path!r}, status_code={self.status_code!r}, sent_at={self.sent_at!r})"
        )


class APIStatusError(APIError):
    """Lexware answered with a non-success status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str = "",
        path: str = "",
        body: Any = None,
        field_errors: Mapping[str, str] | None = None,
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, body=body)
        self.status_code = status_code
        self.field_errors: dict[str, str] = dict(field_errors or {})
        self.trace_id = trace_id

    def __str__(self) -> str:
        text = f"{self.status_code}: {self.message}"
        if self.trace_id:
            text += f" (traceId {self.trace_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r}, "
            f"field_errors={self.field_errors!r}, trace_id={self.trace_id!r})"
        )


class UnexpectedRedirectError(APIStatusError):
    """A 3xx answer. Redirects are never followed: the base URL is fixed by configuration."""


class BadRequestError(APIStatusError):
    """400: malformed request or bad query (e.g. a too-short contact filter, §2.3)."""


class AuthenticationError(APIStatusError):
    """401: API key missing, invalid or disabled (§1.2)."""


class PaymentRequiredError(APIStatusError):
    """402: the organisation's Lexware plan does not include this action."""


class PermissionDeniedError(APIStatusError):
    """403: key scope insufficient, or the gateway's answer for an unknown route."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist (or no XML representation exists, §5.3)."""


class ValidationError(APIStatusError):
    """406: Lexware's validation status; ``field_errors`` says what to fix."""


class ConflictError(APIStatusError):
    """409 stale ``version`` / duplicate subscription / file of a draft, and the 406 that
    contacts answer for a stale version (Appendix A). GET again, merge, retry."""


class UnsupportedMediaTypeError(APIStatusError):
    """415: missing or unsupported Content-Type."""


class RateLimitError(APIStatusError):
    """429 (or a 500 whose message mentions the rate limit) after all retries, or the
    client's circuit breaker is open after repeated 429s."""


class InternalServerError(APIStatusError):
    """5xx from Lexware."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    406: ValidationError,
    409: ConflictError,
    415: UnsupportedMediaTypeError,
    429: RateLimitError,
}

# Readable English for the documented and observed legacy i18nKeys (§2.4); anything else is
# turned into a sentence from the key itself.
_I18N_TEXT = {
    "missing_entity": "This field is required.",
    "bad_request_error": "The value is not valid.",
    "validation_failure": "The value is not valid.",
    "technical_error": "Lexware reported a technical error.",
    "inacceptable_file_extension": "This file type is not accepted.",
    "account_number_already_exists": "This account number already exists; try again shortly.",
    "custom_contact_name_for_referenced_contact_not_allowed": (
        "A custom contact name cannot be combined with a referenced contact."
    ),
}


def readable_i18n_key(key: str | None) -> str:
    if not key:
        return "The value is not valid."
    if key in _I18N_TEXT:
        return _I18N_TEXT[key]
    text = key.replace("_", " ").replace(".", " ").strip()
    return text[:1].upper() + text[1:] + "."


def is_rate_limit_message(message: object) -> bool:
    """§1.5: Docs-2026 quote a 500 "Internal server error or rate limit exceeded"."""
    return isinstance(message, str) and "rate limit" in message.lower()


def parse_error_body(body: Any) -> tuple[str, dict[str, str], str | None]:
    """(message, field_errors, trace_id) from any of the three body shapes of §2.1."""
    if not isinstance(body, Mapping):
        text = body.strip() if isinstance(body, str) else ""
        return (text[:500], {}, None)
    field_errors: dict[str, str] = {}

    def add(field: str, text: str) -> None:
        field_errors[field] = f"{field_errors[field]}; {text}" if field in field_errors else text

    issues = body.get("IssueList")
    if isinstance(issues, list):  # (b) legacy
        general: list[str] = []
        for issue in issues:
            if not isinstance(issue, Mapping):
                continue
            text = readable_i18n_key(issue.get("i18nKey"))
            source = issue.get("source")
            if isinstance(source, str) and source:
                add(source, text)
                general.append(f"{source}: {text}")
            else:
                general.append(text)
        message = "; ".join(general) or "Lexware rejected the request."
        return (message, field_errors, _trace_id(body))
    details = body.get("details")  # (c) regular
    if isinstance(details, list):
        for detail in details:
            if not isinstance(detail, Mapping):
                continue
            field = detail.get("field")
            text = detail.get("message") or detail.get("violation") or "The value is not valid."
            if isinstance(field, str) and field:
                add(field, str(text))
    raw_message = body.get("message")
    if isinstance(raw_message, str) and raw_message:
        message = raw_message
    else:
        error = body.get("error")
        message = error if isinstance(error, str) and error else "Lexware returned an error."
    return (message, field_errors, _trace_id(body))


def _trace_id(body: Mapping[str, Any]) -> str | None:
    trace_id = body.get("traceId")
    return trace_id if isinstance(trace_id, str) and trace_id else None


def _is_stale_version_issue(body: Any) -> bool:
    """Appendix A: contacts answer a stale ``version`` with a 406 IssueList, not 409."""
    if not isinstance(body, Mapping):
        return False
    entries: list[Any] = []
    if isinstance(body.get("IssueList"), list):
        entries = body["IssueList"]
    elif isinstance(body.get("details"), list):
        entries = body["details"]
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        words = " ".join(
            str(entry.get(name) or "")
            for name in ("i18nKey", "source", "field", "violation", "message", "type")
        ).lower()
        if any(hint in words for hint in ("version", "optimistic", "locking", "outdated", "stale")):
            return True
    return False


def make_status_error(
    status_code: int,
    body: Any,
    *,
    method: str = "",
    path: str = "",
) -> APIStatusError:
    """Build the right exception for an error response (body already parsed and redacted)."""
    message, field_errors, trace_id = parse_error_body(body)
    cls: type[APIStatusError]
    if 300 <= status_code < 400:
        cls = UnexpectedRedirectError
        message = f"Unexpected redirect ({status_code}); redirects are not followed"
    elif status_code == 406 and path.startswith("/v1/contacts") and _is_stale_version_issue(body):
        cls = ConflictError
    elif status_code >= 500:
        raw = body.get("message") if isinstance(body, Mapping) else None
        cls = RateLimitError if is_rate_limit_message(raw) else InternalServerError
    else:
        cls = _STATUS_CLASSES.get(status_code, APIStatusError)
    return cls(
        message,
        status_code=status_code,
        method=method,
        path=path,
        body=body,
        field_errors=field_errors,
        trace_id=trace_id,
    )
