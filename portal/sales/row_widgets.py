"""The editor rows' widgets, rendered in Python instead of through Django's widget templates.

Same HTML as Django's templates (django/forms/widgets/{input,select,textarea}.html), same
context (`get_context`: localized values, the attributes the bound field adds such as
`aria-invalid`); only the template engine is skipped. A 300-line editor renders about 3000 of
these, and the templates were most of the time a row action (add, move, remove) took.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal.core.form_renderer import attrs_html


class RowTextInput(forms.TextInput):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_attr = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_attr}{attrs_html(widget["attrs"])}>'
        )


class RowHiddenInput(RowTextInput):
    input_type = "hidden"
    template_name = "django/forms/widgets/hidden.html"


class RowTextarea(forms.Textarea):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        text = conditional_escape(widget["value"]) if widget["value"] else ""
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            mark_safe(attrs_html(widget["attrs"])),
            text,
        )


class RowSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for _group, choices, _index in widget["optgroups"]:
            for option in choices:
                options.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
        return mark_safe(
            f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>'
            f"{''.join(options)}\n</select>"
        )
