"""Account forms: sign-in with e-mail, profile. Password forms are Django's own."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.accounts.throttling import login_blocked_for_address, login_failed


def single_line_name(value: str) -> str:
    """Names end up in e-mail subjects and headers: one line, no control characters, no markup."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(_("Please use a single line without control characters."))
    if "<" in value or ">" in value:
        raise forms.ValidationError(_("Please leave out the characters < and >."))
    # Invisible format characters (bidi overrides, zero-width spaces) make a name read other
    # than it is: "Müller GmbH" and "Müller\u200b GmbH" would look alike in every list.
    if any(unicodedata.category(ch) == "Cf" for ch in value):
        raise forms.ValidationError(_("Please leave out invisible formatting characters."))
    return " ".join(value.split())


# Language names in their own language, as every language menu shows them.
LANGUAGE_CHOICES = [("de", "Deutsch"), ("en", "English"), ("", _("Browser default"))]


class LoginForm(AuthenticationForm):
    """Django's sign-in form (which passes the request to authenticate(), as axes needs).

    Axes locks an account after repeated failures from one address; on top of that, an address
    that fails too often across accounts is refused for a while (throttling.py)."""

    error_messages = {
        # One message for every failure, so the form is no oracle for which accounts exist.
        "invalid_login": _("E-mail address or password is not correct."),
        "inactive": _("E-mail address or password is not correct."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})

    def clean(self) -> dict[str, Any]:
        if self.request is not None and login_blocked_for_address(self.request):
            raise forms.ValidationError(
                _(
                    "Too many failed sign-ins from your network. Please wait a few minutes and try again."
                ),
                code="throttled",
            )
        try:
            return super().clean()
        except forms.ValidationError:
            if self.request is not None:
                login_failed(self.request)
            raise

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip().lower()
        # AuthenticationForm sets max_length after the field exists, so no validator checks
        # it; without this, an over-long name reaches authenticate() and axes' attempt log.
        if len(username) > (User._meta.get_field("email").max_length or 254):
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return username


class ProfileForm(forms.ModelForm[User]):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)

    class Meta:
        model = User
        fields = ["full_name", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_full_name(self) -> str:
        return single_line_name(self.cleaned_data["full_name"])
