"""Link tokens (reliability.md L1): 256 bits from `secrets`, URL-safe, never derived from ids;
stored only as SHA-256 (a high-entropy token needs no slow hash)."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets

TOKEN_BYTES = 32
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def well_formed(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def ip_prefix(address: str) -> str:
    """The visitor's network for the access log: IPv4 /24, IPv6 /48 (data minimisation)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
