"""Request, response and route table of the simulator (plain WSGI, no framework).

Handler modules register routes on the shared `router`:

    @router.route("GET", "/v1/contacts/{id}", family="legacy")
    def contact_get(ctx: Context, req: Request, id: str) -> Response: ...

`family` names the error body shape the endpoint family uses (lexware-api.md §2.2):
"legacy" (IssueList: contacts, files, vouchers) or "regular" (everything else).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from datetime import datetime

    from lexware.simulator.app import Simulator
    from lexware.simulator.state import Tenant


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    raw_query: str = ""
    path_params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        if environ.get("CONTENT_LENGTH"):
            headers["content-length"] = environ["CONTENT_LENGTH"]
        raw_query = environ.get("QUERY_STRING", "")
        path = environ.get("PATH_INFO", "/") or "/"
        # PEP 3333 hands PATH_INFO over as latin-1 decoded bytes.
        path = path.encode("latin-1").decode("utf-8", "replace")
        return cls(
            method=environ["REQUEST_METHOD"].upper(),
            path=path,
            query=parse_qs(raw_query, keep_blank_values=True),
            headers=headers,
            body=body,
            raw_query=raw_query,
        )

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """The parsed JSON body; raises ValueError on malformed JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, status: int, data: Any, headers: list[tuple[str, str]] | None = None) -> Response:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode(
            "utf-8"
        )
        return cls(status, body, [("Content-Type", "application/json"), *(headers or [])])

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status)


@dataclass
class Context:
    """What a handler needs besides the request: the simulator and the caller's tenant."""

    sim: Simulator
    tenant: Tenant

    def now(self) -> datetime:
        return self.sim.now()


Handler = Callable[..., Response]


@dataclass
class Route:
    method: str
    pattern: str
    regex: re.Pattern[str]
    handler: Handler
    family: str
    # The request Content-Type a POST/PUT must carry (lexware-api.md §1.3: otherwise 415).
    accepts: str = "application/json"


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self,
        method: str,
        pattern: str,
        *,
        family: str = "regular",
        accepts: str = "application/json",
    ) -> Callable[[Handler], Handler]:
        regex = re.compile(
            "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.rstrip("/")) + "/?$"
        )

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method.upper(), pattern, regex, handler, family, accepts))
            return handler

        return register

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """(route, path params, path exists for another method)."""
        path_known = False
        for route in self.routes:
            found = route.regex.match(path)
            if found is None:
                continue
            path_known = True
            if route.method == method or (method == "HEAD" and route.method == "GET"):
                return route, found.groupdict(), True
        return None, {}, path_known


router = Router()
