from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.emails.services import DocumentEmail
from portal.sharing.forms import checked_expiry_day, end_of_day

MAX_RECIPIENTS = 10


class DocumentEmailForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    to = forms.CharField(
        label=_("Recipients"),
        max_length=1000,
        help_text=_("Several addresses separated by commas."),
    )
    copy_to_me = forms.BooleanField(label=_("Send a copy to me"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("{link} is replaced by the customer link."),
    )
    include_link = forms.BooleanField(label=_("Include a customer link"), required=False)
    link_expires_on = forms.DateField(
        label=_("Link valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attach_pdf = forms.BooleanField(label=_("Attach the PDF"), required=False)
    attach_statement = forms.BooleanField(
        label=_("Attach the customer's statement of open items (PDF)"), required=False
    )

    @staticmethod
    def fresh_key() -> str:
        return str(uuid.uuid4())

    def clean_to(self) -> list[str]:
        raw = self.cleaned_data["to"]
        addresses = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        if not addresses:
            raise forms.ValidationError(_("Enter at least one e-mail address."))
        if len(addresses) > MAX_RECIPIENTS:
            raise forms.ValidationError(_("At most 10 recipients."))
        for address in addresses:
            if "\n" in address or "\r" in address:
                raise forms.ValidationError(_("Enter valid e-mail addresses."))
            try:
                validate_email(address)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(address)s” is not a valid e-mail address."), params={"address": address}
                ) from None
        return list(dict.fromkeys(addresses))

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        return " ".join(subject.split())  # no line breaks in a header

    def clean_link_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("link_expires_on")
        return None if value is None else checked_expiry_day(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("include_link", "attach_pdf", "attach_statement")):
            raise forms.ValidationError(_("Include the customer link, attach the PDF, or both."))
        if (
            data.get("include_link")
            and not data.get("link_expires_on")
            and not self.has_error("link_expires_on")
        ):
            self.add_error("link_expires_on", _("Choose until when the link is valid."))
        return data

    def email(self) -> DocumentEmail:
        data = self.cleaned_data
        day = data.get("link_expires_on") or timezone.localdate() + timedelta(days=30)
        return DocumentEmail(
            to=data["to"],
            subject=data["subject"],
            body=data["body"],
            include_link=bool(data["include_link"]),
            attach_pdf=bool(data["attach_pdf"]),
            attach_statement=bool(data.get("attach_statement")),
            copy_to_me=bool(data["copy_to_me"]),
            link_expires_at=end_of_day(day),
        )
