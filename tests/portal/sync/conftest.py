from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.test import Client
from django.urls import reverse

from lexware import key_fingerprint
from portal.core import crypto
from portal.operations.clients import in_process_simulator
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization


@pytest.fixture
def demo_key(sim: Any) -> str:
    key = f"sync-test-{uuid.uuid4().hex}"
    sim.seed_tenant(key, "demo")
    return key


@pytest.fixture
def connected(org_a: Organization, demo_key: str) -> LexwareConnection:
    tenant = in_process_simulator().tenant_for_key(demo_key)
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(demo_key),
        key_last_four=demo_key[-4:],
        key_fingerprint=key_fingerprint(demo_key),
        status=ConnectionStatus.OK,
        lexware_organization_id=tenant.organization_id,
    )


# Signed webhooks (lexware-api.md §7.3) for the receiver tests.
LEXWARE_ORG = "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c"


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def public_pem(signing_key: rsa.RSAPrivateKey, settings: Any) -> str:
    pem = (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings.LEXWARE_WEBHOOK_PUBLIC_KEY = pem
    return pem


def sign(key: rsa.RSAPrivateKey, body: bytes, algorithm: Any = None) -> str:
    return base64.b64encode(
        key.sign(body, padding.PKCS1v15(), algorithm or hashes.SHA512())
    ).decode()


def body_for(
    event_type: str = "contact.changed", resource_id: str | None = None, org: str = LEXWARE_ORG
) -> bytes:
    payload = {
        "organizationId": org,
        "eventType": event_type,
        "resourceId": resource_id or str(uuid.uuid4()),
        "eventDate": "2026-11-21T10:30:00.000+01:00",
    }
    return json.dumps(payload, separators=(",", ":")).encode()


@pytest.fixture
def connection(org_a, alice) -> LexwareConnection:
    from portal.core import crypto

    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt("k" * 20),
        key_last_four="kkkk",
        key_fingerprint="f" * 16,
        status=ConnectionStatus.OK,
        lexware_organization_id=LEXWARE_ORG,
    )


def post(client: Client, body: bytes, signature: str | None) -> Any:
    headers = {"HTTP_X_LXO_SIGNATURE": signature} if signature is not None else {}
    return client.post(
        reverse("hooks:lexware"), data=body, content_type="application/json", **headers
    )
