"""A daily reminder to an organization's owners that its Lexware key ends (issue 15 item 6):
30, 7 and 1 days ahead and on the day it ends, by plain e-mail in each owner's language."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit.recorder import Action, record
from portal.organizations.models import LexwareConnection, Membership, Role

logger = logging.getLogger(__name__)

REMIND_DAYS_AHEAD = (30, 7, 1, 0)


def key_expiry_reminders_send(*, today: date | None = None) -> int:
    """Mail the owners of each organization whose key ends on one of the reminder days."""
    today = today or timezone.localdate()
    days = [today + timedelta(days=n) for n in REMIND_DAYS_AHEAD]
    sent = 0
    for connection in LexwareConnection.objects.filter(key_expires_on__in=days).select_related(
        "organization"
    ):
        organization = connection.organization
        ends = connection.key_expires_on
        assert ends is not None  # filtered on it above
        url = settings.SITE_URL + reverse(
            "connection:detail", kwargs={"org_slug": organization.slug}
        )
        owners = Membership.objects.filter(
            organization=organization, role=Role.OWNER, user__is_active=True
        ).select_related("user")
        for membership in owners:
            user = membership.user
            with translation.override(user.language or settings.LANGUAGE_CODE):
                left = (ends - today).days
                subject = _("Lexware API key of %(organization)s ends on %(day)s") % {
                    "organization": organization.name,
                    "day": ends.isoformat(),
                }
                body = _(
                    "The Lexware API key of %(organization)s (…%(last_four)s) ends in %(days)d "
                    "day(s). After that nothing reaches Lexware from the portal. Create a new "
                    "key in Lexware Office and enter it here:\n\n%(url)s\n"
                ) % {
                    "organization": organization.name,
                    "last_four": connection.key_last_four,
                    "days": left,
                    "url": url,
                }
            try:
                send_mail(subject, body, None, [user.email], fail_silently=False)
            except Exception:
                logger.warning("key expiry reminder to user %s failed", user.pk, exc_info=True)
                continue
            record(
                Action.EMAIL_SENT,
                system=True,
                organization=organization,
                object_type="connection",
                details={"about": "key_expiry", "to_domains": [user.email.rpartition("@")[2]]},
            )
            sent += 1
    return sent
