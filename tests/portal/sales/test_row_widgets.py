"""The rows' Python-rendered widgets (portal/sales/row_widgets.py) give the same HTML as
Django's widget templates, for filled, empty, invalid and hostile values, in both languages."""

from __future__ import annotations

import copy

import pytest
from django import forms
from django.utils import translation

from portal.sales.lines import LineForm

TEMPLATE_WIDGETS = {
    "RowHiddenInput": forms.HiddenInput,
    "RowTextInput": forms.TextInput,
    "RowTextarea": forms.Textarea,
    "RowSelect": forms.Select,
}
VALUES = [
    {},
    {
        "type": "custom",
        "name": 'Schraube "M6" <b>&</b>',
        "description": "Zeile 1\nZeile 2 <script>",
        "quantity": "2,5",
        "unit_name": "Stück",
        "unit_price": "13,4",
        "tax_rate": "7",
        "discount": "abc",
        "position": "optional",
        "article_id": "not-a-uuid",
    },
]


@pytest.mark.parametrize("values", VALUES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_row_widgets_render_what_djangos_templates_render(values, language) -> None:
    with translation.override(language):
        fast = LineForm({f"lines-0-{k}": v for k, v in values.items()}, prefix="lines-0")
        fast.is_valid()
        for name in fast.fields:
            bound = fast[name]
            widget = fast.fields[name].widget
            template_class = TEMPLATE_WIDGETS[type(widget).__name__]
            reference = copy.deepcopy(fast.fields[name])
            template_widget = template_class(attrs=widget.attrs)
            template_widget.is_localized = widget.is_localized
            template_widget.is_required = widget.is_required
            if isinstance(widget, forms.Select):
                template_widget.choices = widget.choices
            reference.widget = template_widget
            expected = forms.BoundField(fast, reference, name).as_widget()
            assert str(bound) == str(expected), name
