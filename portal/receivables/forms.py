"""Query-string forms of the receivables pages. Invalid values are reported and ignored, so a
hostile or stale query string still shows the page (with the error), never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.browse import SEARCH_MAX_LENGTH
from portal.documents.forms import check_date_range, style_date_range
from portal.receivables.selectors import BUCKETS, Filters

EXPORT_TABLES = ("buckets", "debtors", "months", "invoices")
EXPORT_FORMATS = ("csv", "xlsx")


class ReceivablesFilterForm(forms.Form):
    # A customer is chosen by clicking it (top debtors, open items); typing searches the
    # customer name or the invoice number instead. No select of every customer: a large
    # mirror has thousands, and the page must stay fast.
    contact = forms.UUIDField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Customer or number"), max_length=SEARCH_MAX_LENGTH, required=False)
    date_from = forms.DateField(label=_("Invoice date from"), required=False)
    date_to = forms.DateField(label=_("Invoice date to"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"autocomplete": "off", "type": "search"})
        style_date_range(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_date_range(self, cleaned)
        return cleaned

    def filters(self) -> Filters:
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            contact=data.get("contact"),
            query=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class BucketForm(ReceivablesFilterForm):
    bucket = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(bucket.key, bucket.label) for bucket in BUCKETS],
        widget=forms.HiddenInput,
    )
    page = forms.IntegerField(
        min_value=1, max_value=1_000_000, required=False, widget=forms.HiddenInput
    )


class ExportForm(BucketForm):
    table = forms.ChoiceField(choices=[(t, t) for t in EXPORT_TABLES])
    format = forms.ChoiceField(choices=[(f, f) for f in EXPORT_FORMATS])
