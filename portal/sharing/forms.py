from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.sharing.services import MAX_DAYS


def checked_expiry_day(value: date) -> date:
    """A link's last day as chosen in a form (a share link, a link sent by e-mail): after
    today and at most MAX_DAYS ahead."""
    today = timezone.localdate()
    if value <= today:
        raise forms.ValidationError(_("Choose a day after today."))
    if value > today + timedelta(days=MAX_DAYS):
        raise forms.ValidationError(_("A link may be valid for at most 120 days."))
    return value


def end_of_day(day: date) -> datetime:
    """The end of a link's last day, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class ShareLinkForm(forms.Form):
    expires_on = forms.DateField(
        label=_("Valid until"),
        help_text=_("At most 120 days from today."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_expires_on(self) -> date:
        return checked_expiry_day(self.cleaned_data["expires_on"])

    def expires_at(self) -> datetime:
        """The end of the chosen day, in the portal's time zone."""
        return end_of_day(self.cleaned_data["expires_on"])

    @staticmethod
    def initial_for(expires_at: datetime) -> dict[str, Any]:
        return {"expires_on": timezone.localtime(expires_at).date()}
