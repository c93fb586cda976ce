"""Query-string forms of the document and bookkeeping voucher lists."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.browse import BrowseFilterForm
from portal.core.templatetags.formatting import status_text
from portal.documents.models import BOOKKEEPING_TYPES, SALES_TYPES, TYPE_LABELS
from portal.documents.selectors import (
    BOOKKEEPING_STATUSES,
    DEFAULT_SORT,
    INVOICE_TYPES,
    SALES_STATUSES,
    SORT_CHOICES,
)

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


def style_date_range(form: forms.Form) -> None:
    """The `date_from`/`date_to` inputs of a filter form: typed, not picked."""
    for name in ("date_from", "date_to"):
        form.fields[name].widget.attrs.update(
            # Translators: how a date is typed into a date field, e.g. 28.11.2026.
            {
                "placeholder": _("YYYY-MM-DD"),
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 10,
            }
        )


def check_date_range(form: forms.Form, cleaned: dict[str, Any]) -> None:
    """Errors on `date_from`/`date_to`: far dates overflow the day arithmetic of the filter
    (9999-12-31 + 1 day), and no document of a living business is dated outside these years;
    an end before the start."""
    for name in ("date_from", "date_to"):
        day = cleaned.get(name)
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            form.add_error(
                name,
                _("Please enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DAY.year, "latest": LATEST_DAY.year},
            )
    start, end = cleaned.get("date_from"), cleaned.get("date_to")
    if start and end and start > end:
        form.add_error("date_to", _("The end date is before the start date."))


class DocumentFilterForm(BrowseFilterForm):
    voucher_types: ClassVar[tuple[str, ...]] = SALES_TYPES
    # Choices that stand for several types: "all invoices" is what the dashboard counts.
    type_groups: ClassVar[dict[str, tuple[str, ...]]] = {"invoices": INVOICE_TYPES}
    statuses: ClassVar[tuple[str, ...]] = SALES_STATUSES

    type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    # Text inputs, not type=date: the browser draws a date input in the browser's locale
    # (mm/dd/yyyy on an English system), whatever the page's language. The active language's
    # DATE_INPUT_FORMATS (Django's de/en format modules) render the value and parse what is
    # typed: 28.11.2026 in German; ISO 2026-11-28 is accepted in both (shared links).
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput())
    contact = forms.UUIDField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORT_CHOICES], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request so that labels follow the active language.
        type_field = cast(forms.ChoiceField, self.fields["type"])
        groups = [("invoices", _("Invoices and down-payment invoices"))] if self.type_groups else []
        type_field.choices = [("", _("All types")), *groups] + [
            (voucher_type, TYPE_LABELS[voucher_type]) for voucher_type in self.voucher_types
        ]
        status_field = cast(forms.ChoiceField, self.fields["status"])
        status_field.choices = [("", _("All statuses"))] + [
            (status, status_text(status)) for status in self.statuses
        ]
        style_date_range(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_date_range(self, cleaned)
        return cleaned

    def filters(self) -> dict[str, Any]:
        filters = super().filters()
        data = self.cleaned_data
        chosen = data.get("type")
        filters.update(
            types=list(self.type_groups.get(chosen) or [chosen])
            if chosen
            else list(self.voucher_types),
            status=data.get("status") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            contact=data.get("contact"),
            sort=data.get("sort") or DEFAULT_SORT,
        )
        return filters


class VoucherFilterForm(DocumentFilterForm):
    voucher_types = BOOKKEEPING_TYPES
    type_groups: ClassVar[dict[str, tuple[str, ...]]] = {}
    statuses = BOOKKEEPING_STATUSES
