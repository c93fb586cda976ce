from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.organizations.models import KEY_MAX_MONTHS

_KEY_CHARACTERS = re.compile(r"^[A-Za-z0-9._~+/=-]+$")


class ApiKeyForm(forms.Form):
    """Write-only: the key is never rendered back into the form (render_value=False)."""

    api_key = forms.CharField(
        label=_("Lexware API key"),
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "Create a key in Lexware Office under Erweiterungen › Public API. It is stored encrypted."
        ),
    )

    def clean_api_key(self) -> str:
        key: str = self.cleaned_data["api_key"]
        if len(key) < 16:
            raise forms.ValidationError(_("This is too short to be a Lexware API key."))
        if not _KEY_CHARACTERS.match(key):
            raise forms.ValidationError(
                _("An API key contains only letters, digits and . _ ~ + / = -")
            )
        return key


def _months_ahead(today: date, months: int) -> date:
    month = today.month - 1 + months
    year, month = today.year + month // 12, month % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class KeyExpiryForm(forms.Form):
    """The key's end date as Lexware showed it when the key was made (at most 24 months)."""

    key_expires_on = forms.DateField(
        label=_("The key is valid until"),
        required=False,
        # type=date wants ISO whatever the language (a German date would be refused).
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_(
            "Lexware shows it when the key is created; keys last at most 24 months. Leave empty "
            "if unknown."
        ),
    )

    def clean_key_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("key_expires_on")
        if value is None:
            return None
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("This date has passed: enter a new key instead."))
        if value > _months_ahead(today, KEY_MAX_MONTHS):
            raise forms.ValidationError(
                _("Lexware keys last at most 24 months: the date must be before %(limit)s."),
                params={"limit": _months_ahead(today, KEY_MAX_MONTHS).isoformat()},
            )
        return value
