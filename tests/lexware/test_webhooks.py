"""Webhook signature check (§7.3: RSA PKCS#1 v1.5 + SHA-512 over the raw body) and parsing."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from lexware import webhooks

BODY = (
    b'{"organizationId":"0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c","eventType":'
    b'"invoice.status.changed","resourceId":"3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11",'
    b'"eventDate":"2026-03-02T10:30:00.000+01:00"}'
)
PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = PRIVATE.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)


def sign(body: bytes, algorithm: hashes.HashAlgorithm | None = None) -> str:
    signature = PRIVATE.sign(body, padding.PKCS1v15(), algorithm or hashes.SHA512())
    return base64.b64encode(signature).decode()


def test_valid_signature_over_raw_bytes() -> None:
    assert webhooks.verify(BODY, sign(BODY), PUBLIC_PEM)
    assert webhooks.verify(BODY, sign(BODY), PUBLIC_PEM.decode())


def test_reserialised_body_tampered_body_wrong_hash_and_wrong_key_fail() -> None:
    signature = sign(BODY)
    assert not webhooks.verify(BODY.replace(b",", b", "), signature, PUBLIC_PEM)
    assert not webhooks.verify(BODY.replace(b"invoice", b"voucher"), signature, PUBLIC_PEM)
    assert not webhooks.verify(BODY, sign(BODY, hashes.SHA256()), PUBLIC_PEM)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    other_pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert not webhooks.verify(BODY, signature, other_pem)


@pytest.mark.parametrize("signature", ["", "not base64!!", "QUJD", "=" * 10, "A" * 5000])
def test_garbage_signatures_are_false_not_exceptions(signature: str) -> None:
    assert webhooks.verify(BODY, signature, PUBLIC_PEM) is False


def test_bad_or_non_rsa_keys_are_false() -> None:
    assert webhooks.verify(BODY, sign(BODY), b"not a pem") is False
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert webhooks.verify(BODY, sign(BODY), ec_pem) is False


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=300), signature=st.text(max_size=700))
def test_never_raises_on_attacker_input(body: bytes, signature: str) -> None:
    assert webhooks.verify(body, signature, PUBLIC_PEM) is False


def test_parse_event_and_event_types() -> None:
    event = webhooks.parse_event(BODY)
    assert event.event_type == "invoice.status.changed"
    assert event.resource_id == "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11"
    assert "invoice.status.changed" in webhooks.EVENT_TYPES
    for bad in (b"[]", b"not json", b'{"eventType": "x"}'):
        with pytest.raises(ValueError):
            webhooks.parse_event(bad)
