""" "This link has expired — send me a new one" (issue 12 item 3, reliability.md L8).

The customer types an e-mail address on the page of a link that no longer opens. Only when
it is one of the document's contact's addresses on file is a fresh link made and e-mailed
(through the outgoing-mail queue, by a worker); the answer is the same either way, so the page
never tells whether the address, the link or the document exists. Throttled per network and
per link, so nobody can use it to flood a customer's inbox.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from portal.audit.recorder import Action, record
from portal.core.client_ip import client_ip
from portal.emails.compose import compose, with_link
from portal.emails.models import OutgoingEmail
from portal.emails.queue import enqueue_email_on_commit
from portal.emails.views import contact_addresses
from portal.files.selectors import has_file
from portal.sharing.public_views import private_headers
from portal.sharing.selectors import renewable_link
from portal.sharing.services import default_expiry, share_link_create
from portal.sharing.tokens import token_hash

logger = logging.getLogger("portal.security.sharing")


class RenewalForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)


def share_link_renew(*, token: str, email: str, language: str) -> bool:
    """A fresh link to the address on file, if `email` is one; True when one was queued."""
    link = renewable_link(token)
    if link is None or not has_file(link.document):
        return False
    document = link.document
    on_file = {address.strip().lower(): address for address in contact_addresses(document)}
    address = on_file.get(email.strip().lower())
    if address is None:
        return False
    with transaction.atomic():
        new_link, new_token = share_link_create(
            organization=link.organization,
            document=document,
            user=None,
            expires_at=default_expiry(document),
        )
        subject, body = compose(document=document, language=language)
        url = settings.SITE_URL + reverse("public:share", kwargs={"token": new_token})
        outgoing = OutgoingEmail.objects.create(
            organization=link.organization,
            document=document,
            idempotency_key=f"renewal-{new_link.code}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            subject=subject,
            body=with_link(body, url),
        )
        record(
            Action.SHARE_LINK_RESENT,
            system=True,
            organization=link.organization,
            object_type="share_link",
            object_id=new_link.code,
            object_repr=str(document.voucher_number or "")[:200],
            details={"expired_link": str(link.code), "to_domain": address.rsplit("@", 1)[-1]},
        )
    enqueue_email_on_commit(outgoing.pk)
    return True


def _over_limit(request: HttpRequest, token: str) -> bool:
    by_network = is_ratelimited(
        request,
        group="share-link-renewal-ip",
        key=lambda _group, req: client_ip(req),
        rate=settings.SHARE_LINK_RENEWALS_PER_IP,
        increment=True,
    )
    digest = token_hash(token)
    by_link = is_ratelimited(
        request,
        group="share-link-renewal-link",
        key=lambda _group, _req: digest,
        rate=settings.SHARE_LINK_RENEWALS_PER_LINK,
        increment=True,
    )
    return bool(by_network or by_link)


@require_POST
def share_link_renew_view(request: HttpRequest, token: str) -> HttpResponseBase:
    form = RenewalForm(request.POST)
    if not form.is_valid():
        response = render(
            request,
            "sharing/public_not_found.html",
            {"renewable": True, "renewal_form": form},
            status=200,
        )
        return private_headers(response)
    if _over_limit(request, token):
        logger.info("customer link renewal throttled (hash %s…)", token_hash(token)[:8])
    else:
        sent = share_link_renew(
            token=token, email=form.cleaned_data["email"], language=get_language() or "de"
        )
        # Only a hash prefix, never the token or the address (ASVS 16.2.5).
        logger.info(
            "customer link renewal %s (hash %s…)",
            "sent" if sent else "not sent",
            token_hash(token)[:8],
        )
    return private_headers(render(request, "emails/public_renewal.html"))
