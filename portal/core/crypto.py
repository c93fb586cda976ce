"""Encryption at rest for secrets we must be able to read back (Lexware API keys).

MultiFernet over a key ring from PORTAL_ENCRYPTION_KEYS (newest first): new values are
encrypted with the newest key, every key in the ring can decrypt, and `rotate` re-encrypts
a token under the newest key. Kept independent of SECRET_KEY so both rotate separately.
"""

from __future__ import annotations

import base64
import binascii
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class DecryptionError(Exception):
    """The ciphertext cannot be read with the configured key ring."""


def validate_key_ring(keys: list[str], *, setting_name: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    if not keys:
        raise ImproperlyConfigured(
            f"{setting_name} is required: one or more comma-separated Fernet keys, newest first. "
            'Create one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        )
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{setting_name}: key number {position} is not a valid Fernet key "
                "(32 bytes, url-safe base64)."
            )


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _ring() -> MultiFernet:
    from django.conf import settings

    return _fernet(tuple(settings.PORTAL_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return _ring().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _ring().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("cannot decrypt with the configured PORTAL_ENCRYPTION_KEYS") from None


def rotate(token: str) -> str:
    """The same plaintext, encrypted under the newest key."""
    try:
        return _ring().rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("cannot decrypt with the configured PORTAL_ENCRYPTION_KEYS") from None


def is_under_newest_key(token: str) -> bool:
    from django.conf import settings

    newest = Fernet(settings.PORTAL_ENCRYPTION_KEYS[0].encode())
    try:
        newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True
