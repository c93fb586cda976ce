"""The portal's form renderer writes the same HTML as Django's widget templates
(portal/core/form_renderer.py): for every widget of every form in the portal, and for the
awkward values (quotes, markup, safe strings, True/False attributes, option groups)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

import portal
from portal.core.form_renderer import PortalFormRenderer

DJANGO = DjangoTemplates()
OURS = PortalFormRenderer()


def _both(widget: forms.Widget, name: str, value: Any, attrs: dict[str, Any] | None = None) -> None:
    expected = widget.render(name, value, attrs=attrs, renderer=DJANGO)
    assert widget.render(name, value, attrs=attrs, renderer=OURS) == expected


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if module.name.endswith(".forms") or ".forms_" in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("portal."):
                found.append(sub)
    return found


def test_the_portal_has_forms_to_compare() -> None:
    assert len(_all_forms()) > 20


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_widget_of_every_portal_form_renders_as_django_renders_it(
    language: str, db: None
) -> None:
    compared = 0
    with override(language):
        for form_class in _all_forms():
            for name, field in form_class.base_fields.items():
                widget = field.widget
                choices = getattr(widget, "choices", None)
                values: list[Any] = [None, "", 'Müller & <Söhne> "GmbH" \'s', 42]
                if choices:
                    values += [choice[0] for choice in list(choices)[:3]]
                for value in values:
                    try:
                        widget.render(name, value, renderer=DJANGO)
                    except (AttributeError, TypeError, ValueError):
                        continue  # a value this widget never gets (a password hash widget's int)
                    _both(widget, name, value, attrs={"id": f"id_{name}"})
                    compared += 1
    assert compared > 200


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs={"placeholder": 'say "hi" <b>', "required": True, "hidden": False}),
        forms.DateInput(attrs={"class": "date", "data-x": mark_safe("<i>safe</i>")}),
        forms.HiddenInput(),
        forms.NumberInput(attrs={"step": "0.01", "min": 0}),
        forms.EmailInput(),
        forms.PasswordInput(render_value=True),
        forms.Textarea(attrs={"rows": 3}),
        forms.Select(choices=[("", "—"), ("a", "A & B"), (1, 1000), ("x", gettext_lazy("Type"))]),
        forms.Select(
            choices=[("Gruppe <1>", [("a", "A"), ("b", "B")]), ("c", mark_safe("<b>C</b>"))]
        ),
        forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]),
    ],
)
@pytest.mark.parametrize(
    "value", [None, "", "a", 1, 1000, ["a", "c"], 'x"<y>&', mark_safe("<b>s</b>"), 3.5]
)
def test_awkward_values_render_as_django_renders_them(widget: forms.Widget, value: Any) -> None:
    _both(widget, "field", value, attrs={"id": "id_field", "aria-describedby": "help"})


def test_a_widget_with_its_own_option_template_is_drawn_by_django() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    _both(Custom(choices=[("a", "A")]), "field", "a")


def test_the_portal_uses_the_renderer(settings: Any) -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalFormRenderer)
