"""The sortable column header tag writes what the included template it replaces wrote
(documents/_sort_header.html before issue 18), for every sort state, in both languages."""

from __future__ import annotations

import re

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

# The include as it was.
INCLUDED = Template(
    """{% with descending="-"|add:key %}
<th scope="col" class="{{ class|default:'' }}"{% if sort == key %} aria-sort="ascending"{% elif sort == descending %} aria-sort="descending"{% endif %}>
  <a class="sort-link{% if sort == key or sort == descending %} is-sorted{% endif %}" href="{% if sort == key %}{% querystring sort=descending page=None %}{% else %}{% querystring sort=key page=None %}{% endif %}">{{ label }}{% if sort == key %} <span aria-hidden="true">▲</span>{% elif sort == descending %} <span aria-hidden="true">▼</span>{% endif %}</a>
</th>
{% endwith %}"""
)
TAG = Template("{% load sort_header %}{% sort_header key label class %}")


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("sort", ["total", "-total", "date", "", None])
@pytest.mark.parametrize(
    "query", ["", "?q=M%C3%BCller+%26+S%C3%B6hne&page=3&status=open", "?sort=total"]
)
def test_the_tag_writes_what_the_include_wrote(language: str, sort: str | None, query: str) -> None:
    request = RequestFactory().get("/o/a/documents/" + query)
    with translation.override(language):
        label = translation.gettext("Total")
        for css_class in ("num", ""):
            context = {
                "request": request,
                "sort": sort,
                "key": "total",
                "label": label,
                "class": css_class,
            }
            expected = INCLUDED.render(RequestContext(request, context))
            assert _normalised(TAG.render(RequestContext(request, context))) == _normalised(
                expected
            )


def test_a_label_with_markup_is_escaped() -> None:
    request = RequestFactory().get("/")
    context = {"request": request, "sort": "", "key": "x", "label": "<b>&</b>", "class": '"'}
    assert _normalised(TAG.render(RequestContext(request, context))) == _normalised(
        INCLUDED.render(RequestContext(request, context))
    )
