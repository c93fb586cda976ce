"""L6: the token is exchanged for a short-lived, signed, document-scoped cookie on the first
hit and the browser is sent to a token-free URL; logs mask the token path segment."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.core.gunicorn_logger import RedactingLogger
from portal.core.logging import RedactSecretsFilter
from portal.sharing.link_cookie import cookie_name
from portal.sharing.models import ShareLink
from portal.sharing.services import share_link_create
from tests.portal.sharing.test_public import _body


def test_l6_the_first_hit_sets_the_cookie_and_leaves_the_token_behind(
    link_token, invoice_with_pdf, settings
) -> None:
    client = Client()
    response = client.get(f"/s/{link_token}/?lang=en")
    link = ShareLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/s/v/{link.code}/?lang=en"
    assert link_token not in response["Location"]
    cookie = response.cookies[cookie_name(link.code)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == settings.SHARE_LINK_COOKIE_SECONDS <= 3600
    assert link_token not in cookie.value  # the hash, signed; never the token
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(response["Location"])
    assert page.status_code == 200 and link_token not in page.content.decode()
    assert "Cache-Control" in page and "no-store" in page["Cache-Control"]


def test_l6_without_the_cookie_or_with_a_forged_one_the_token_free_url_is_the_404(
    link_token, invoice_with_pdf, bob
) -> None:
    link = ShareLink.objects.get()
    url = f"/s/v/{link.code}/"
    reference = Client().get(f"/s/v/{uuid.uuid4()}/")
    stranger = Client()
    assert stranger.get(url).status_code == 404
    stranger.cookies[cookie_name(link.code)] = link.token_hash  # unsigned
    assert stranger.get(url).status_code == 404
    assert _body(stranger.get(url)) == _body(reference)
    # Document-scoped: the cookie of one link does not open another link's address.
    _, other_token = share_link_create(
        organization=invoice_with_pdf.organization,
        document=invoice_with_pdf,
        user=bob,
        expires_at=timezone.now() + timedelta(days=3),
    )
    other = ShareLink.objects.exclude(pk=link.pk).get()
    holder = Client()
    holder.get(f"/s/{other_token}/")
    assert holder.get(f"/s/v/{other.code}/").status_code == 200
    holder.cookies[cookie_name(link.code)] = holder.cookies[cookie_name(other.code)].value
    assert holder.get(url).status_code == 404


def test_l6_the_cookie_is_short_lived(link_token, invoice_with_pdf, settings) -> None:
    client = Client()
    location = client.get(f"/s/{link_token}/")["Location"]
    assert client.get(location).status_code == 200
    settings.SHARE_LINK_COOKIE_SECONDS = 0  # the signature's age now exceeds the lifetime
    assert client.get(location).status_code == 404
    settings.SHARE_LINK_COOKIE_SECONDS = 3600
    assert client.get(f"/s/{link_token}/", follow=True).status_code == 200  # the mail link again


def test_l6_log_lines_mask_the_token_segment() -> None:
    token = "3CzNy60EFm_K7mCf_WSHYzpaFu05czzd6iua1Qe_Lno"
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"GET /s/%s/pdf/ HTTP/1.1" 302', (token,), None
    )
    RedactSecretsFilter().filter(record)
    assert token not in record.getMessage() and "/s/[redacted]/pdf/" in record.getMessage()


def test_l6_gunicorn_access_lines_mask_the_token_segment() -> None:
    token = "3CzNy60EFm_K7mCf_WSHYzpaFu05czzd6iua1Qe_Lno"
    logger = RedactingLogger(SimpleNamespace(**_gunicorn_cfg()))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/s/{token}/",
        "PATH_INFO": f"/s/{token}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://portal.example/s/{token}/",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[], response_length=0)
    request = SimpleNamespace(headers=[], method="GET", path=f"/s/{token}/")
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["r"] == "GET /s/[redacted]/ HTTP/1.1"
    assert token not in repr(atoms)


def _gunicorn_cfg() -> dict[str, object]:
    from gunicorn.config import Config

    config = Config()
    return {name: setting.get() for name, setting in config.settings.items()}


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(code=st.uuids(), value=st.text(max_size=400))
def test_f6_hostile_cookies_on_token_free_addresses_get_the_uniform_404(
    code: uuid.UUID, value: str, db: None
) -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client()
    client.cookies[cookie_name(code)] = value.encode("ascii", "backslashreplace").decode()
    for suffix in ("", "pdf/", "xml/", "preview/"):
        response = client.get(f"/s/v/{code}/{suffix}")
        assert response.status_code == 404, (value, suffix)
        assert response["Referrer-Policy"] == "no-referrer"
