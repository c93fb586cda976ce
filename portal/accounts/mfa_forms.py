"""Forms of the MFA pages: a code (authenticator or recovery code) and re-authentication."""

from __future__ import annotations

import string
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from portal.accounts.mfa import check_code, has_mfa, normalize_code
from portal.accounts.models import User

_CODE_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)


def _code_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=32,
        required=required,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


def _clean_code(value: str) -> str:
    code = normalize_code(value)
    # Only digits (TOTP) and base32 letters (recovery codes) can ever be right: refuse the rest
    # before any device is asked (and before it counts a failure).
    if not code or not set(code) <= _CODE_CHARACTERS or not 6 <= len(code) <= 16:
        raise forms.ValidationError(_("Enter the 6-digit code or a recovery code."), code="format")
    return code


class CodeForm(forms.Form):
    code = _code_field()

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])


class ReauthForm(forms.Form):
    """Password, and for enrolled users a code: the same two factors as at sign-in."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(required=False)

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        self.device: Device | None = None
        self.needs_code = has_mfa(user)
        if self.needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean_code(self) -> str:
        return _clean_code(self.cleaned_data["code"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password is None or (self.needs_code and "code" not in cleaned):
            return cleaned
        # Through authenticate(), so axes counts wrong passwords here as at sign-in.
        if authenticate(self.request, username=self.user.email, password=password) != self.user:
            raise forms.ValidationError(_("The password is not correct."), code="invalid_password")
        if self.needs_code:
            self.device, error = check_code(user=self.user, code=cleaned["code"])
            if self.device is None:
                self.add_error("code", error)
        return cleaned
