"""Lexware webhook callbacks: signature check and event parsing (lexware-api.md §7).

``X-Lxo-Signature`` is the base64 RSA signature (PKCS#1 v1.5, SHA-512) over the raw request
body exactly as sent. Verify the raw bytes before parsing: re-serialised JSON is not the same
bytes. :func:`verify` never raises on attacker-controlled input; anything odd is ``False``.

Verifying needs the ``cryptography`` package (extra ``lexware-portal[webhooks]``); it is imported
inside :func:`verify`, so parsing events and the rest of the client work without it.
"""

from __future__ import annotations

import binascii
import json
from base64 import b64decode

from lexware.models import EVENT_TYPES, WebhookEvent

__all__ = ["EVENT_TYPES", "SIGNATURE_HEADER", "WebhookEvent", "parse_event", "verify"]

SIGNATURE_HEADER = "X-Lxo-Signature"
_MAX_SIGNATURE_CHARS = 4096  # a 4096-bit RSA signature is 684 base64 characters


def verify(body: bytes, signature_b64: str, public_key_pem: str | bytes) -> bool:
    """True only if ``signature_b64`` is a valid signature of ``body`` under the key.

    Raises ImportError (naming the extra) when ``cryptography`` is not installed: a missing
    library is a deployment fault and must not look like a merely invalid signature.
    """
    try:
        from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding, rsa
    except ImportError as exc:
        raise ImportError(
            "lexware.webhooks.verify needs the 'cryptography' package: "
            "pip install 'lexware-portal[webhooks]'"
        ) from exc
    try:
        if not isinstance(body, bytes) or not isinstance(signature_b64, str):
            return False
        if not signature_b64 or len(signature_b64) > _MAX_SIGNATURE_CHARS:
            return False
        signature = b64decode(signature_b64.strip(), validate=True)
        pem = public_key_pem.encode("ascii") if isinstance(public_key_pem, str) else public_key_pem
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, rsa.RSAPublicKey):
            return False
        key.verify(signature, body, padding.PKCS1v15(), hashes.SHA512())
        return True
    except (InvalidSignature, binascii.Error, ValueError, TypeError, UnsupportedAlgorithm):
        return False


def parse_event(body: bytes | str) -> WebhookEvent:
    """Parse a (verified) callback body. Raises ValueError for anything that is not an event."""
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("webhook body is not a JSON object")
    return WebhookEvent.model_validate(data)
