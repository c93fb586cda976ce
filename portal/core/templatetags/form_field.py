"""`{% form_field form.name %}`: one form field with its label, help and errors.

It writes what the include it replaced (components/_field.html) wrote, whitespace aside:
where that template had a run of spaces and newlines this writes one space, which the browser
shows the same way (tests/portal/core/test_form_field.py compares the two over every field of
every portal form, with and without errors). A template tag rather than an include: an include
a field cost more than drawing the widget itself, and the editor of a 300-line invoice has
thousands of fields. Loaded as a template builtin.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _e(value: Any) -> str:
    return str(conditional_escape(value))


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    errors = field.errors
    checkbox = field.widget_type == "checkbox"
    classes = "field"
    if errors:
        classes += " field--invalid"
    if field.field.required:
        classes += " field--required"
    if checkbox:
        classes += " field--checkbox"
    widget = str(field)
    label = f'<label for="{_e(field.id_for_label)}">{_e(field.label)}</label>'
    if checkbox:
        parts = [widget, label]
    elif field.is_hidden:
        parts = [widget]
    else:
        parts = [label, widget]
    if field.help_text:
        parts.append(
            f'<div class="field__help" id="{_e(field.auto_id)}_helptext">{field.help_text}</div>'
        )
    if errors:
        items = "".join(f"<li>{_e(error)}</li>" for error in errors)
        parts.append(
            f'<ul class="field__errors errorlist" id="{_e(field.auto_id)}_error">{items}</ul>'
        )
    return mark_safe(f'<div class="{classes}"> {" ".join(parts)} </div>')  # noqa: S308
