"""The client's address as the portal sees it through its own proxies (reliability.md S5).

Each trusted proxy in front of the portal appends the address it received the request from to
`X-Forwarded-For`. With N trusted proxies (TRUSTED_PROXY_COUNT) the client is the N-th entry
from the right; anything further left was written by the client and is ignored, so a spoofed
header cannot pick the address that login throttling counts. With no trusted proxy (the
default) the header is ignored and the socket's address is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: trust nothing the request says
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
