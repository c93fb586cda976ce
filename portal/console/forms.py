"""The console's form: method, a path under /v1/, a query and a JSON body, checked before
anything reaches a worker. Only paths of the public API are allowed: no host, no scheme, no
`..`, no percent-escapes, nothing outside /v1/."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any
from urllib.parse import parse_qsl

from django import forms
from django.utils.translation import gettext_lazy as _

READ_METHODS = ("GET",)
WRITE_METHODS = ("POST", "PUT", "DELETE")
MAX_PATH = 300
MAX_QUERY = 1000
MAX_QUERY_PARAMS = 30
MAX_BODY = 200_000
_SEGMENT = re.compile(r"^[A-Za-z0-9_\-.]+$")
_PARAM_NAME = re.compile(r"^[A-Za-z0-9_\-.]+$")


def clean_api_path(value: str) -> str:
    """A path of the public API, or ValidationError. Raises for anything that could leave
    /v1/ (another host, `..`, escapes) or carry a query (that has its own field)."""
    path = value.strip()
    if not path.startswith("/v1/"):
        raise forms.ValidationError(
            _("The path starts with /v1/ (e.g. /v1/profile); no host, no scheme."),
            code="prefix",
        )
    if len(path) > MAX_PATH:
        raise forms.ValidationError(_("This path is too long."), code="length")
    segments = path.split("/")[2:]
    for segment in segments:
        if segment in ("", ".", "..") or not _SEGMENT.match(segment):
            raise forms.ValidationError(
                _(
                    "A path holds only letters, digits, - _ . between single slashes; no .., no "
                    "query (use the query field), no escapes."
                ),
                code="characters",
            )
    return path


def parse_query(value: str) -> dict[str, str]:
    text = value.strip().lstrip("?")
    if not text:
        return {}
    if len(text) > MAX_QUERY:
        raise forms.ValidationError(_("This query is too long."), code="length")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise forms.ValidationError(
            _("Write the query as name=value pairs joined by &, e.g. voucherType=invoice&page=0."),
            code="syntax",
        ) from None
    if len(pairs) > MAX_QUERY_PARAMS:
        raise forms.ValidationError(_("Too many query parameters."), code="count")
    for name, _value in pairs:
        if not _PARAM_NAME.match(name):
            raise forms.ValidationError(
                _("“%(name)s” is not a parameter name."), code="name", params={"name": name[:40]}
            )
    return dict(pairs)


class ConsoleForm(forms.Form):
    """`allowed_methods` depends on the role: GET for admins, writes as well for owners."""

    method = forms.ChoiceField(label=_("Method"), choices=[(m, m) for m in READ_METHODS])
    path = forms.CharField(
        label=_("Path"),
        max_length=MAX_PATH,
        initial="/v1/profile",
        help_text=_("Under /v1/, as in Lexware's API reference, e.g. /v1/contacts/{id}."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    query = forms.CharField(
        label=_("Query"),
        required=False,
        max_length=MAX_QUERY,
        help_text=_("Optional: name=value pairs joined by &, e.g. page=0&size=25."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("JSON body"),
        required=False,
        max_length=MAX_BODY,
        strip=True,
        help_text=_("For POST and PUT only: one JSON object or array."),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "code"}),
    )
    # The confirmation step of a write: sent back from the "Send this change?" panel.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # One call per rendered form: a double submit joins the first operation.
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, allowed_methods: tuple[str, ...] = READ_METHODS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        method = self.fields["method"]
        assert isinstance(method, forms.ChoiceField)
        method.choices = [(m, m) for m in allowed_methods]
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(24))
        if tuple(allowed_methods) == READ_METHODS:
            method.help_text = _("Admins read (GET); only owners send changes.")

    def clean_path(self) -> str:
        return clean_api_path(self.cleaned_data["path"])

    def clean_query(self) -> dict[str, str]:
        return parse_query(self.cleaned_data.get("query") or "")

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        if not re.match(r"^[A-Za-z0-9_\-]{16,64}$", token):
            raise forms.ValidationError(_("Please reload the page and try again."), code="token")
        return token

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method, text = data.get("method"), data.get("body") or ""
        if not text:
            data["body"] = None
            return data
        if method not in ("POST", "PUT"):
            self.add_error("body", _("Only POST and PUT send a body."))
            return data
        try:
            body = json.loads(text)
        except ValueError as exc:
            self.add_error(
                "body",
                _("This is not valid JSON (%(error)s).") % {"error": str(exc)[:120]},
            )
            return data
        if not isinstance(body, dict | list):
            self.add_error("body", _("The body is a JSON object or array."))
            return data
        data["body"] = body
        return data

    @property
    def is_write(self) -> bool:
        return self.cleaned_data.get("method") in WRITE_METHODS
