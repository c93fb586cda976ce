"""Helpers for client unit tests: a recording httpx.MockTransport and a client factory."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from lexware import LexwareClient, NoLimiter, RetryPolicy

API_KEY = "test-key-0123456789-SECRET"
ID = "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11"
ID2 = "7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21"
ACTION = {
    "id": ID,
    "resourceUri": f"https://api.lexware.io/v1/x/{ID}",
    "createdDate": "2026-03-02T10:15:30.123+01:00",
    "updatedDate": "2026-03-02T10:15:30.123+01:00",
    "version": 1,
}


@dataclass
class Sent:
    method: str
    path: str
    raw_query: str
    query: dict[str, str]
    headers: httpx.Headers
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorder:
    """Answers with ``responses`` in order (the last one repeats) or with ``handler``."""

    responses: list[httpx.Response | Exception] = field(default_factory=list)
    handler: Handler | None = None
    sent: list[Sent] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        raw_query = request.url.query.decode()
        self.sent.append(
            Sent(
                request.method,
                request.url.path,
                raw_query,
                dict(parse_qsl(raw_query, keep_blank_values=True)),
                request.headers,
                content,
            )
        )
        if self.handler is not None:
            return self.handler(request)
        index = min(len(self.sent) - 1, len(self.responses) - 1)
        answer = self.responses[index]
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def last(self) -> Sent:
        return self.sent[-1]


def make_client(
    recorder: Recorder, *, sleeps: list[float] | None = None, **kwargs: Any
) -> LexwareClient:
    """A client on the recorder, with no limiter and recorded (not real) backoff sleeps."""
    recorded = sleeps if sleeps is not None else []
    kwargs.setdefault("limiter", NoLimiter())
    kwargs.setdefault("retry", RetryPolicy(breaker_threshold=100))
    return LexwareClient(
        API_KEY, transport=httpx.MockTransport(recorder), sleep=recorded.append, **kwargs
    )


def json_response(status: int, body: Any, **kwargs: Any) -> httpx.Response:
    return httpx.Response(status, json=body, **kwargs)
