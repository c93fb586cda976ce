"""The day a link stops working, as the share form and the e-mail form take it: after today, at
most 120 days ahead (sharing.services.MAX_DAYS), ending at 23:59:59 in the portal's time zone."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest
from django.utils import timezone, translation

from portal.emails.forms import DocumentEmailForm
from portal.sharing.forms import ShareLinkForm

TODAY = timezone.localdate


def _email_form(day: str) -> DocumentEmailForm:
    return DocumentEmailForm(
        {
            "idempotency_key": str(uuid.uuid4()),
            "to": "kunde@example.org",
            "subject": "Rechnung",
            "body": "Guten Tag, {link}",
            "include_link": "on",
            "link_expires_on": day,
        }
    )


@pytest.mark.parametrize(
    ("days", "error"),
    [
        (0, "Choose a day after today."),
        (-3, "Choose a day after today."),
        (121, "A link may be valid for at most 120 days."),
        (1, None),
        (120, None),
    ],
)
def test_both_forms_take_the_same_days(days: int, error: str | None) -> None:
    day = (TODAY() + timedelta(days=days)).isoformat()
    share = ShareLinkForm({"expires_on": day})
    email = _email_form(day)
    with translation.override("en"):
        if error is None:
            assert share.is_valid(), share.errors
            assert email.is_valid(), email.errors
        else:
            assert share.errors["expires_on"] == [error]
            assert email.errors["link_expires_on"] == [error]


def test_the_link_ends_at_the_end_of_the_chosen_day() -> None:
    day = TODAY() + timedelta(days=10)
    share = ShareLinkForm({"expires_on": day.isoformat()})
    email = _email_form(day.isoformat())
    assert share.is_valid() and email.is_valid()
    for ends in (share.expires_at(), email.email().link_expires_at):
        local = timezone.localtime(ends)
        assert local.date() == day and local.time() == time(23, 59, 59)
