"""Query-string form of the contact list: it validates and normalises, nothing else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.browse import BrowseFilterForm


class ContactFilterForm(BrowseFilterForm):
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All")), ("customer", _("Customers")), ("vendor", _("Vendors"))],
    )

    def filters(self) -> dict[str, Any]:
        filters = super().filters()
        filters["role"] = self.cleaned_data.get("role") or None
        return filters
