from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

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
