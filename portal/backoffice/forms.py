from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.audit.recorder import Action
from portal.operations.models import Lane, OperationState

ACTION_GROUPS = [
    ("auth", _("Sign-in and sign-out")),
    ("mfa", _("Two-factor authentication")),
    ("member", _("Members and roles")),
    ("invitation", _("Invitations")),
    ("connection", _("Lexware key")),
    ("lexware", _("Changes sent to Lexware")),
    ("operator", _("Operator actions")),
]


def _action_choices() -> list[tuple[Any, Any]]:
    return [
        ("", _("all")),
        (_("Groups"), ACTION_GROUPS),
        (_("Single actions"), [(value, label) for value, label in Action.choices]),
    ]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    text = forms.CharField(label=_("Object"), required=False, max_length=100)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class BackofficeAuditFilterForm(AuditFilterForm):
    organization = forms.CharField(label=_("Organization"), required=False, max_length=100)


class OperationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("all")), *OperationState.choices]
    )
    lane = forms.ChoiceField(
        label=_("Lane"), required=False, choices=[("", _("all")), *Lane.choices]
    )
    kind = forms.CharField(label=_("Kind"), required=False, max_length=60)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=100)


class WebhookFilterForm(forms.Form):
    event_type = forms.CharField(label=_("Event"), required=False, max_length=60)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=100)


class ResolveForm(forms.Form):
    OUTCOMES = [
        ("succeeded", _("It was done in Lexware")),
        ("failed", _("It was not done in Lexware")),
    ]
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect)
    lexware_id = forms.UUIDField(
        label=_("Lexware id of what was created"),
        required=False,
        help_text=_("When it was done: the id in Lexware, if you know it."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: how you found out. It is kept in the audit trail."),
    )

    def clean_comment(self) -> str:
        comment = str(self.cleaned_data.get("comment", "")).strip()
        if len(comment) < 5:
            raise forms.ValidationError(_("Please say how you found out (at least 5 characters)."))
        return comment


class SupportForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required, e.g. the support ticket. The organization sees it in its audit trail."
        ),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason", "")).strip()
        if len(reason) < 10:
            raise forms.ValidationError(_("Please state the reason (at least 10 characters)."))
        return reason
