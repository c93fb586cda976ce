"""The one request loop of the Lexware client: auth, limiter permit, send, map errors, retry.

Retry rules (reliability.md "(c) Outbound HTTP", lexware-api.md §1.5 and §2.3):

* 429 – and a 500 whose message mentions the rate limit – is always retried, for every method:
  Lexware did not execute the call. Capped exponential backoff with jitter; after
  ``breaker_threshold`` consecutive 429s the client stops sending for ``breaker_cooldown``
  seconds and raises :class:`RateLimitError` at once (no tight loop against a key that someone
  else is also using).
* Nothing sent (connect error, connect timeout, pool timeout): retried for every method.
* GET, PUT, DELETE: also retried on read/write timeouts, dropped connections and 5xx. (A PUT
  carries ``version``: a repeat of an executed PUT is refused with a conflict, never applied
  twice.)
* POST: once it may have reached Lexware (read timeout, dropped connection after sending, 5xx,
  504 after the gateway's 30 s) it is never re-sent; :class:`AmbiguousWriteError` carries what a
  reconciler needs.
* 3xx, 4xx other than 429: never retried. Redirects are not followed; TLS is always verified.

Every attempt, retries included, first acquires a permit from the rate limiter. Logs carry
method, path (no query), status, duration and traceId only: never headers, bodies or the key.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from lexware.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    ResponseTooLargeError,
    is_rate_limit_message,
    make_status_error,
    parse_error_body,
)
from lexware.ratelimit import RateLimiter, key_fingerprint

logger = logging.getLogger("lexware.http")

DEFAULT_BASE_URL = "https://api.lexware.io"
# Reads: 20 s. Writes: 35 s, longer than the gateway's 30 s, so we see its 504 instead of
# guessing (reliability.md "(c) Outbound HTTP").
DEFAULT_TIMEOUT = httpx.Timeout(connect=3.0, read=20.0, write=10.0, pool=5.0)
DEFAULT_WRITE_TIMEOUT = httpx.Timeout(connect=3.0, read=35.0, write=10.0, pool=5.0)
DEFAULT_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
_ERROR_BODY_CAP = 1024 * 1024
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD"})

ParamValue = str | int | float | bool | None | Sequence[str]


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3  # transient failures (connection, timeout, 5xx) where retrying is safe
    max_rate_limit_retries: int = 8
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    breaker_threshold: int = 5  # consecutive 429s that open the circuit breaker
    breaker_cooldown: float = 5.0
    acquire_timeout: float | None = 60.0  # longest wait for a limiter permit per attempt

    def backoff(self, retry_number: int) -> float:
        """Capped exponential backoff with jitter (openai-python ``_calculate_retry_timeout``)."""
        delay = min(self.max_backoff, self.initial_backoff * (2.0**retry_number))
        return delay * (1.0 - 0.25 * random.random())


class CircuitBreaker:
    """Opens after N consecutive 429s; while open, calls fail fast without being sent."""

    def __init__(
        self, threshold: int, cooldown: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._consecutive = 0
        self._open_until = 0.0

    def remaining(self) -> float:
        with self._lock:
            return max(0.0, self._open_until - self._clock())

    def record_rate_limited(self) -> None:
        with self._lock:
            self._consecutive += 1
            if self.threshold > 0 and self._consecutive >= self.threshold:
                self._open_until = self._clock() + self.cooldown
                self._consecutive = 0

    def record_success(self) -> None:
        with self._lock:
            self._consecutive = 0


@dataclass(frozen=True)
class RawResponse:
    status_code: int
    headers: httpx.Headers
    content: bytes
    elapsed_ms: float = 0.0

    def json(self) -> Any:
        if not self.content:
            return None
        return jsonlib.loads(self.content)


def encode_query(params: Mapping[str, ParamValue] | None) -> str:
    """URL-encode a query the way Lexware's FAQ shows it (space → %20, §1.3). Lists become
    comma-separated values; None values are left out; booleans are lower case."""
    if not params:
        return ""
    parts: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str | int | float):
            text = str(value)
        else:
            text = ",".join(str(item) for item in value)
        parts.append(f"{quote(name, safe='')}={quote(text, safe='')}")
    return "&".join(parts)


def _redact(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, "***") if secret else value
    if isinstance(value, dict):
        return {_redact(k, secret): _redact(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(item, secret) for item in value]
    return value


class HttpCore:
    """Owns the httpx client and the retry loop; shared by every resource namespace."""

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        write_timeout: httpx.Timeout = DEFAULT_WRITE_TIMEOUT,
        limiter: RateLimiter,
        lane: str = "interactive",
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key or not api_key.strip():
            raise ValueError("api_key must not be empty")
        self._api_key = api_key
        self.key_id = key_fingerprint(api_key)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.write_timeout = write_timeout
        self.limiter = limiter
        self.lane = lane
        self.retry = retry or RetryPolicy()
        self.max_download_bytes = max_download_bytes
        self._sleep = sleep
        self.breaker = CircuitBreaker(self.retry.breaker_threshold, self.retry.breaker_cooldown)
        # Called with (method, path) after the limiter's permit, just before a request leaves:
        # a caller that must know whether a write may have gone out records it here.
        self.before_send: Callable[[str, str], None] | None = None
        if transport is None:
            # retries=0: connection retries happen in our loop so that each takes a permit.
            transport = httpx.HTTPTransport(
                retries=0, limits=httpx.Limits(max_connections=4, max_keepalive_connections=2)
            )
        self._client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            follow_redirects=False,
            timeout=timeout,
            headers={"Authorization": f"Bearer {api_key}", "User-Agent": "lexware-portal/0.1"},
        )

    def __repr__(self) -> str:
        return f"HttpCore(base_url={self.base_url!r}, key_id={self.key_id!r}, lane={self.lane!r})"

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        resource: str,
        params: Mapping[str, ParamValue] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        accept: str = "application/json",
        max_bytes: int | None = None,
        lane: str | None = None,
    ) -> RawResponse:
        method = method.upper()
        lane = lane or self.lane
        query = encode_query(params)
        url = f"{path}?{query}" if query else path
        timeout = self.write_timeout if method in ("POST", "PUT") else self.timeout
        cap = max_bytes if max_bytes is not None else self.max_download_bytes
        policy = self.retry
        transient_retries = 0
        rate_limit_retries = 0
        while True:
            open_for = self.breaker.remaining()
            if open_for > 0:
                raise RateLimitError(
                    f"Lexware rate limit: pausing calls for {open_for:.1f} s after repeated 429s",
                    status_code=429,
                    method=method,
                    path=path,
                )
            self.limiter.acquire(self.key_id, lane=lane, timeout=policy.acquire_timeout)
            request = self._client.build_request(
                method,
                url,
                json=json,
                files=files,
                data=data,
                headers={"Accept": accept},
                timeout=timeout,
            )
            if self.before_send is not None:
                self.before_send(method, path)
            sent_at = datetime.now(UTC)
            started = time.monotonic()
            try:
                response = self._client.send(request, stream=True)
                try:
                    limit = cap if response.status_code < 300 else _ERROR_BODY_CAP
                    content = self._read_capped(response, limit, method=method, path=path)
                finally:
                    response.close()
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Nothing reached Lexware: safe to retry even a POST.
                self._log(method, path, type(exc).__name__, started)
                if transient_retries < policy.max_retries:
                    self._sleep(policy.backoff(transient_retries))
                    transient_retries += 1
                    continue
                raise self._transport_error(exc, method, path) from exc
            except httpx.TransportError as exc:
                self._log(method, path, type(exc).__name__, started)
                if method not in _IDEMPOTENT:
                    raise self._ambiguous(
                        f"{method} {path}: {type(exc).__name__} after sending; outcome unknown",
                        resource=resource,
                        method=method,
                        path=path,
                        json=json,
                        params=params,
                        sent_at=sent_at,
                    ) from exc
                if transient_retries < policy.max_retries:
                    self._sleep(policy.backoff(transient_retries))
                    transient_retries += 1
                    continue
                raise self._transport_error(exc, method, path) from exc

            status = response.status_code
            elapsed_ms = (time.monotonic() - started) * 1000
            if status < 300:
                self.breaker.record_success()
                self._log(method, path, status, started)
                return RawResponse(status, response.headers, content, elapsed_ms)

            body = _redact(self._parse_body(content), self._api_key)
            trace_id = parse_error_body(body)[2]
            self._log(method, path, status, started, trace_id)
            raw_message = body.get("message") if isinstance(body, dict) else None
            if status == 429 or (status >= 500 and is_rate_limit_message(raw_message)):
                # §1.5: the call was not executed, so retrying is safe for every method.
                self.breaker.record_rate_limited()
                if rate_limit_retries < policy.max_rate_limit_retries:
                    self._sleep(policy.backoff(rate_limit_retries))
                    rate_limit_retries += 1
                    continue
                error = make_status_error(status, body, method=method, path=path)
                if not isinstance(error, RateLimitError):
                    error = RateLimitError(
                        error.message,
                        status_code=status,
                        method=method,
                        path=path,
                        body=body,
                        trace_id=trace_id,
                    )
                raise error
            self.breaker.record_success()
            if status >= 500:
                if method not in _IDEMPOTENT:
                    raise self._ambiguous(
                        f"{method} {path}: Lexware answered {status}; the call may have been "
                        "executed",
                        resource=resource,
                        method=method,
                        path=path,
                        json=json,
                        params=params,
                        sent_at=sent_at,
                        status_code=status,
                        body=body,
                    )
                if transient_retries < policy.max_retries:
                    self._sleep(policy.backoff(transient_retries))
                    transient_retries += 1
                    continue
            raise make_status_error(status, body, method=method, path=path)

    def _read_capped(
        self, response: httpx.Response, limit: int, *, method: str, path: str
    ) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdecimal() and int(declared) > limit:
            raise ResponseTooLargeError(
                f"response of {declared} bytes exceeds the {limit}-byte cap",
                method=method,
                path=path,
            )
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise ResponseTooLargeError(
                    f"response exceeded the {limit}-byte cap; download aborted",
                    method=method,
                    path=path,
                )
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _parse_body(content: bytes) -> Any:
        if not content:
            return None
        try:
            return jsonlib.loads(content)
        except ValueError:
            return content.decode("utf-8", "replace")

    def _transport_error(self, exc: Exception, method: str, path: str) -> APIConnectionError:
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        text = _redact(str(exc), self._api_key) or type(exc).__name__
        return cls(f"{method} {path}: {type(exc).__name__}: {text}", method=method, path=path)

    def _ambiguous(
        self,
        message: str,
        *,
        resource: str,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, ParamValue] | None,
        sent_at: datetime,
        status_code: int | None = None,
        body: Any = None,
    ) -> AmbiguousWriteError:
        return AmbiguousWriteError(
            message,
            resource=resource,
            method=method,
            path=path,
            request_body=json,
            params=dict(params or {}),
            sent_at=sent_at,
            status_code=status_code,
            body=body,
        )

    @staticmethod
    def _log(
        method: str, path: str, status: int | str, started: float, trace_id: str | None = None
    ) -> None:
        duration_ms = (time.monotonic() - started) * 1000
        logger.info(
            "lexware %s %s -> %s in %.0f ms traceId=%s",
            method,
            path,
            status,
            duration_ms,
            trace_id or "-",
        )
