"""Pure-Python client of the Lexware Office public API (no Django imports anywhere here).

Public surface: :class:`LexwareClient`, the error tree of :mod:`lexware.errors`, the rate
limiters of :mod:`lexware.ratelimit`; models live in :mod:`lexware.models`.
"""

from __future__ import annotations

from lexware._http import DEFAULT_TIMEOUT, DEFAULT_WRITE_TIMEOUT, RetryPolicy
from lexware.client import LexwareClient
from lexware.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidRequestError,
    LexwareError,
    LimiterUnavailable,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    RateLimitTimeout,
    ResponseTooLargeError,
    UnexpectedRedirectError,
    UnsupportedMediaTypeError,
    ValidationError,
)
from lexware.ratelimit import (
    FileRateLimiter,
    InMemoryRateLimiter,
    NoLimiter,
    RateLimiter,
    RedisRateLimiter,
    key_fingerprint,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WRITE_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousWriteError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "FileRateLimiter",
    "InMemoryRateLimiter",
    "InternalServerError",
    "InvalidRequestError",
    "LexwareClient",
    "LexwareError",
    "LimiterUnavailable",
    "NoLimiter",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitTimeout",
    "RateLimiter",
    "RedisRateLimiter",
    "ResponseTooLargeError",
    "RetryPolicy",
    "UnexpectedRedirectError",
    "UnsupportedMediaTypeError",
    "ValidationError",
    "key_fingerprint",
]
