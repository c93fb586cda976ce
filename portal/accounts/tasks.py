"""Password-reset mails are rendered and sent by a worker: the request only enqueues, so the
answer takes the same time whether the address has an account or not (issue 16 item 2)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from portal.accounts.models import User


@shared_task(name="accounts.send_password_reset", ignore_result=True)
def send_password_reset(email: str) -> None:
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    # In the user's language; links are built from SITE_URL, never from a request's Host header.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        _send(form)


def _send(form: PasswordResetForm) -> None:
    form.save(
        domain_override=settings.SITE_URL.split("://", 1)[-1],
        use_https=settings.SITE_URL.startswith("https://"),
        subject_template_name="emails/password_reset-subject.txt",
        email_template_name="emails/password_reset-body.txt",
        html_email_template_name="emails/password_reset-body.html",
        extra_email_context={"site_url": settings.SITE_URL},
    )
