"""`{% form_field %}` writes what the include it replaced wrote (components/_field.html before
issue 18), whitespace runs aside (one space where the template had several, which a browser
shows alike): for every field of every portal form, unbound, bound without data (the required
ones with their errors) and with help texts, labels and errors that need escaping."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import override

from tests.portal.core.test_form_renderer import _all_forms

# The include as it was.
INCLUDED = Template(
    """<div class="field{% if field.errors %} field--invalid{% endif %}{% if field.field.required %} field--required{% endif %}{% if field.widget_type == 'checkbox' %} field--checkbox{% endif %}">
  {% if field.widget_type == "checkbox" %}
    {{ field }} <label for="{{ field.id_for_label }}">{{ field.label }}</label>
  {% elif field.is_hidden %}
    {{ field }}
  {% else %}
    <label for="{{ field.id_for_label }}">{{ field.label }}</label>
    {{ field }}
  {% endif %}
  {% if field.help_text %}<div class="field__help" id="{{ field.auto_id }}_helptext">{{ field.help_text|safe }}</div>{% endif %}
  {% if field.errors %}
  <ul class="field__errors errorlist" id="{{ field.auto_id }}_error">{% for error in field.errors %}<li>{{ error }}</li>{% endfor %}</ul>
  {% endif %}
</div>"""
)
TAG = Template("{% form_field field %}")


def _spaces(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _same(bound: forms.BoundField) -> None:
    context = {"field": bound}
    assert _spaces(TAG.render(Context(context))) == _spaces(INCLUDED.render(Context(context)))


def _alone(name: str, field: forms.Field) -> type[forms.Form]:
    return type("Alone", (forms.Form,), {name: copy.deepcopy(field)})


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_field_of_every_portal_form_reads_as_the_include(language: str, db: None) -> None:
    compared = 0
    with override(language):
        for form_class in _all_forms():
            for name, field in form_class.base_fields.items():
                form_of_one = _alone(name, field)
                for form in (form_of_one(), form_of_one(data={})):
                    try:
                        form.is_bound and form.is_valid()
                        bound = form[name]
                        str(bound)
                    except (AttributeError, TypeError, ValueError):
                        continue  # a field that needs its own form's setup to draw
                    _same(bound)
                    compared += 1
    assert compared > 300


@pytest.mark.parametrize(
    "field",
    [
        forms.CharField(label='Name <&> "x"', help_text=mark_safe("<b>Hilfe</b> & mehr")),
        forms.BooleanField(label="Zustimmen", required=False, help_text="a < b"),
        forms.BooleanField(label="Pflicht"),
        forms.CharField(widget=forms.HiddenInput, required=False),
        forms.ChoiceField(choices=[("a", "A")], label="Wahl"),
        forms.DateField(label="Tag", required=False),
    ],
)
def test_awkward_fields_read_as_the_include(field: forms.Field) -> None:
    form_class: Any = _alone("feld", field)
    for form in (form_class(), form_class(data={"feld": "<script>"})):
        if form.is_bound and form.is_valid():
            form.add_error("feld", 'Falsch: "<nein>" & mehr')
        _same(form["feld"])
