"""Retry rules per method (reliability.md H and "(c) Outbound HTTP"; lexware-api.md §1.5, §2.3)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import pytest

from lexware import RetryPolicy, errors
from tests.lexware.mock_lexware import (
    ACTION,
    API_KEY,
    ID,
    Recorder,
    json_response,
    make_client,
)

INVOICE_BODY = {"voucherDate": "2026-03-02T00:00:00.000+01:00", "address": {"name": "X"}}
RATE_LIMITED = json_response(429, {"message": "Rate limit exceeded"})


def _read_timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def test_read_timeout_on_post_is_ambiguous_and_sent_exactly_once() -> None:
    """reliability.md H2, R11: a read timeout on a POST is an ambiguous write, sent once."""
    recorder = Recorder(handler=_read_timeout)
    client = make_client(recorder)
    before = datetime.now(UTC)
    with pytest.raises(errors.AmbiguousWriteError) as caught:
        client.invoices.create(INVOICE_BODY, finalize=True)
    assert len(recorder.sent) == 1
    error = caught.value
    assert error.resource == "invoices"
    assert error.method == "POST"
    assert error.path == "/v1/invoices"
    assert error.request_body == INVOICE_BODY
    assert error.params == {"finalize": True}
    assert error.sent_at.tzinfo is not None and error.sent_at >= before
    assert error.status_code is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_post_is_ambiguous_and_not_resent(status: int) -> None:
    recorder = Recorder([json_response(status, {"message": "Endpoint request timed out"})])
    client = make_client(recorder)
    with pytest.raises(errors.AmbiguousWriteError) as caught:
        client.contacts.create({"roles": {"customer": {}}, "person": {"lastName": "X"}})
    assert len(recorder.sent) == 1
    assert caught.value.status_code == status
    assert caught.value.resource == "contacts"


def test_dropped_connection_after_sending_a_post_is_ambiguous() -> None:
    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected", request=request)

    recorder = Recorder(handler=drop)
    with pytest.raises(errors.AmbiguousWriteError):
        make_client(recorder).articles.create({"title": "A"})
    assert len(recorder.sent) == 1


def test_429_on_post_is_retried_because_lexware_did_not_execute_it() -> None:
    sleeps: list[float] = []
    recorder = Recorder([RATE_LIMITED, RATE_LIMITED, json_response(201, ACTION)])
    result = make_client(recorder, sleeps=sleeps).invoices.create(INVOICE_BODY)
    assert result.id == ID
    assert len(recorder.sent) == 3
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 1.2  # growing backoff


def test_500_with_rate_limit_message_on_post_counts_as_429() -> None:
    throttled = json_response(500, {"message": "Internal server error or rate limit exceeded"})
    recorder = Recorder([throttled, json_response(201, ACTION)])
    assert make_client(recorder).invoices.create(INVOICE_BODY).id == ID
    assert len(recorder.sent) == 2


def test_connect_error_on_post_is_retried_because_nothing_was_sent() -> None:
    recorder = Recorder(
        [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), json_response(201, ACTION)]
    )
    assert make_client(recorder).invoices.create(INVOICE_BODY).id == ID
    assert len(recorder.sent) == 3


def test_connect_errors_exhaust_into_a_connection_error() -> None:
    recorder = Recorder([httpx.ConnectError("refused")])
    client = make_client(recorder, retry=RetryPolicy(max_retries=2, breaker_threshold=100))
    with pytest.raises(errors.APIConnectionError):
        client.profile.get()
    assert len(recorder.sent) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_get_is_retried(status: int) -> None:
    profile = {"organizationId": ID, "companyName": "Muster GmbH"}
    recorder = Recorder([json_response(status, {"message": None}), json_response(200, profile)])
    assert make_client(recorder).profile.get().company_name == "Muster GmbH"
    assert len(recorder.sent) == 2


def test_5xx_on_get_gives_up_after_max_retries() -> None:
    recorder = Recorder([json_response(503, {"message": None})])
    client = make_client(recorder, retry=RetryPolicy(max_retries=3, breaker_threshold=100))
    with pytest.raises(errors.InternalServerError) as caught:
        client.countries.list()
    assert caught.value.status_code == 503
    assert len(recorder.sent) == 4


def test_read_timeout_on_get_is_retried_then_a_timeout_error() -> None:
    """reliability.md H2: a read timeout on a GET is retried with backoff, then a clean timeout error."""
    recorder = Recorder(handler=_read_timeout)
    client = make_client(recorder, retry=RetryPolicy(max_retries=2, breaker_threshold=100))
    with pytest.raises(errors.APITimeoutError):
        client.payments.get(ID)
    assert len(recorder.sent) == 3


def test_put_and_delete_are_retried_on_5xx() -> None:
    current = {"id": ID, "version": 3, "title": "Old", "type": "SERVICE"}
    recorder = Recorder(
        [
            json_response(200, current),
            json_response(502, {"message": None}),
            json_response(200, ACTION),
            json_response(503, {"message": None}),
            httpx.Response(204),
        ]
    )
    client = make_client(recorder)
    client.articles.update(ID, {"title": "New"})
    client.articles.delete(ID)
    assert [s.method for s in recorder.sent] == ["GET", "PUT", "PUT", "DELETE", "DELETE"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_406_is_never_retried(method: str) -> None:
    recorder = Recorder([json_response(406, {"message": "Validation failed", "details": []})])
    client = make_client(recorder)
    with pytest.raises(errors.ValidationError):
        if method == "get":
            client.payments.get(ID)
        else:
            client.invoices.create(INVOICE_BODY)
    assert len(recorder.sent) == 1


def test_409_is_never_retried() -> None:
    recorder = Recorder([json_response(409, {"message": "conflict"})])
    with pytest.raises(errors.ConflictError):
        make_client(recorder).invoices.file(ID)
    assert len(recorder.sent) == 1


def test_redirect_is_an_error_and_not_followed() -> None:
    recorder = Recorder([httpx.Response(302, headers={"Location": "https://evil.example/"})])
    with pytest.raises(errors.UnexpectedRedirectError) as caught:
        make_client(recorder).profile.get()
    assert caught.value.status_code == 302
    assert len(recorder.sent) == 1


def test_429_exhausts_into_rate_limit_error() -> None:
    """reliability.md RL4: 429s are retried with backoff a bounded number of times."""
    recorder = Recorder([RATE_LIMITED])
    policy = RetryPolicy(max_rate_limit_retries=3, breaker_threshold=100)
    with pytest.raises(errors.RateLimitError):
        make_client(recorder, retry=policy).profile.get()
    assert len(recorder.sent) == 4


def test_circuit_breaker_opens_after_consecutive_429s_and_fails_fast() -> None:
    """reliability.md RL4: no tight loop: consecutive 429s open a breaker that fails fast without sending."""
    recorder = Recorder([RATE_LIMITED])
    policy = RetryPolicy(max_rate_limit_retries=10, breaker_threshold=3, breaker_cooldown=60)
    client = make_client(recorder, retry=policy)
    with pytest.raises(errors.RateLimitError):
        client.profile.get()
    assert len(recorder.sent) == 3  # the third 429 opened the breaker
    with pytest.raises(errors.RateLimitError) as caught:
        client.countries.list()
    assert len(recorder.sent) == 3  # nothing sent while open
    assert "pausing" in caught.value.message


def test_download_over_the_size_cap_is_aborted_cleanly() -> None:
    """reliability.md H5: an endless download is streamed with a byte cap and aborted cleanly."""

    def endless(request: httpx.Request) -> httpx.Response:
        def chunks():  # type: ignore[no-untyped-def]
            while True:
                yield b"%PDF" + b"0" * 65_532

        return httpx.Response(200, headers={"Content-Type": "application/pdf"}, content=chunks())

    recorder = Recorder(handler=endless)
    client = make_client(recorder, max_download_bytes=1_000_000)
    with pytest.raises(errors.ResponseTooLargeError):
        client.invoices.file(ID)
    assert len(recorder.sent) == 1


def test_declared_content_length_over_the_cap_is_refused_before_reading() -> None:
    """reliability.md H5: a declared size over the cap is refused before reading."""
    big = httpx.Response(200, headers={"Content-Length": "999999999"}, content=b"x")
    with pytest.raises(errors.ResponseTooLargeError):
        make_client(Recorder([big]), max_download_bytes=1000).files.download(ID)


def test_every_attempt_takes_a_limiter_permit() -> None:
    calls: list[tuple[str, str]] = []

    class CountingLimiter:
        def acquire(
            self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
        ) -> None:
            calls.append((key_id, lane))

    recorder = Recorder([RATE_LIMITED, httpx.ConnectError("x"), json_response(200, [])])
    client = make_client(recorder, limiter=CountingLimiter(), lane="bulk")
    client.countries.list()
    assert len(calls) == 3 == len(recorder.sent)
    assert {lane for _, lane in calls} == {"bulk"}
    assert calls[0][0] == client.key_id and API_KEY not in calls[0][0]


def test_limiter_unavailable_means_nothing_is_sent() -> None:
    class DownLimiter:
        def acquire(
            self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
        ) -> None:
            raise errors.LimiterUnavailable("redis down")

    recorder = Recorder([json_response(200, [])])
    with pytest.raises(errors.LimiterUnavailable):
        make_client(recorder, limiter=DownLimiter()).countries.list()
    assert recorder.sent == []


def test_logs_have_method_path_status_and_trace_id_but_no_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = {"message": "nope", "traceId": "abc123", "details": []}
    recorder = Recorder([json_response(406, body)])
    caplog.set_level(logging.DEBUG, logger="lexware")
    with pytest.raises(errors.ValidationError):
        make_client(recorder).contacts.list(name="Müller & Söhne")
    text = caplog.text
    assert "GET /v1/contacts -> 406" in text and "traceId=abc123" in text
    assert API_KEY not in text and "Bearer" not in text and "Söhne" not in text


def test_timeouts_are_explicit_for_reads_and_longer_for_creates() -> None:
    seen: list[dict[str, float | None]] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return json_response(
            201 if request.method == "POST" else 200, ACTION if request.method == "POST" else []
        )

    client = make_client(Recorder(handler=capture))
    client.countries.list()
    client.invoices.create(INVOICE_BODY)
    assert seen[0]["connect"] == 3 and seen[0]["read"] == 20
    assert seen[1]["connect"] == 3 and seen[1]["read"] == 35
