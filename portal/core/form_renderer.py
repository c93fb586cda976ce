"""The form renderer: Django's, with the plain widgets written out in Python.

Django draws every widget from templates: a select of 20 choices is 42 template renders (the
select, each option, and the attributes of each). On a list page the filter form's two selects
and two date inputs took more server time than the table of 50 rows (benchmarks.profile_pages).
The widgets below are built here with the same escaping, giving the same HTML as Django's
templates (tests/portal/core/test_form_renderer.py compares the two over every widget of every
form in the portal); any other template, or a widget with its own option template, still goes
through Django's templates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = WIDGETS + "select_option.html"
# The widgets whose template is only {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    WIDGETS + f"{name}.html"
    for name in (
        "input",
        "text",
        "search",
        "email",
        "url",
        "tel",
        "number",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
    )
)


def _text(value: Any) -> str:
    # {{ value|stringformat:'s' }}: the value as text, escaped unless it is already safe HTML.
    return str(conditional_escape(str(value) if not hasattr(value, "__html__") else value))


def attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its bare
    name (also used by the editor rows' widgets, portal/sales/row_widgets.py)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(localize(group_name))}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # a widget with its own option template: Django draws it
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{conditional_escape(localize(option['label']))}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(localize(widget["value"])) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _drawer(template_name: str) -> Callable[[dict[str, Any]], str | None] | None:
    if template_name in INPUT_TEMPLATES:
        return _input
    if template_name == WIDGETS + "select.html":
        return _select
    if template_name == WIDGETS + "textarea.html":
        return _textarea
    return None


class PortalFormRenderer(DjangoTemplates):
    """FORM_RENDERER: plain inputs, selects and text areas without templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        drawer = _drawer(template_name)
        widget = context.get("widget") if drawer is not None else None
        if drawer is not None and isinstance(widget, dict):
            html = drawer(widget)
            if html is not None:
                # BaseRenderer.render strips the template's output the same way.
                return SafeString(mark_safe(html.strip()))  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request)
