"""Query-string form of the article list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.browse import BrowseFilterForm


class ArticleFilterForm(BrowseFilterForm):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All")), ("PRODUCT", _("Products")), ("SERVICE", _("Services"))],
    )

    def filters(self) -> dict[str, Any]:
        filters = super().filters()
        filters["article_type"] = self.cleaned_data.get("type") or None
        return filters
