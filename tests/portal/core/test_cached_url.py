"""`{% url %}` and the navigation reverse through a memory (portal/core/reverse.py): the same
answers as Django's reverse, under another script prefix too, and the same errors."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.engine import Engine as DjangoEngine
from django.urls import NoReverseMatch, reverse, set_script_prefix

from portal.core.reverse import cached_reverse
from portal.core.templatetags.cached_url import CachedURLNode

ID = uuid.UUID("5b9b9a0c-6a5e-4d6b-8f7e-0c3c0d5f0a11")


def _portal_template(text: str) -> Template:
    from django.template import engines

    return engines["django"].engine.from_string(text)  # type: ignore[attr-defined,no-any-return]


def test_the_portal_templates_use_the_remembering_tag() -> None:
    template = _portal_template("{% url 'organizations:home' %}")
    assert isinstance(template.nodelist[0], CachedURLNode)


@pytest.mark.parametrize(
    "text",
    [
        "{% url 'organizations:home' %}",
        "{% url 'documents:list' org_slug=slug %}",
        "{% url 'contacts:detail' org_slug=slug lexware_id=id %}",
        "{% url 'contacts:detail' slug id %}",
        "{% url name org_slug=slug %}|{% url name org_slug=slug %}",
        "{% url 'documents:list' org_slug=slug as link %}[{{ link }}]",
        "{% url 'no:such' as link %}[{{ link }}]",
        "{% url 'documents:list' org_slug=odd %}",
    ],
)
def test_the_tag_renders_as_djangos_tag(text: str) -> None:
    context = {"slug": "alpha", "id": ID, "name": "dashboard:index", "odd": "a-b_c"}
    django_engine = DjangoEngine(libraries={}, builtins=[])
    expected = django_engine.from_string(text).render(Context(context))
    for _ in range(2):  # the second answer comes from the memory
        assert _portal_template(text).render(Context(context)) == expected


def test_a_missing_route_raises_each_time() -> None:
    template = _portal_template("{% url 'no:such' %}")
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            template.render(Context({}))


def test_a_malformed_tag_is_djangos_syntax_error() -> None:
    with pytest.raises(TemplateSyntaxError):
        Engine(builtins=["portal.core.templatetags.cached_url"]).from_string("{% url %}")


def test_the_memory_keys_on_the_script_prefix_and_arguments() -> None:
    plain = cached_reverse("documents:list", kwargs={"org_slug": "alpha"})
    assert plain == reverse("documents:list", kwargs={"org_slug": "alpha"})
    assert cached_reverse("documents:list", kwargs={"org_slug": "beta"}).endswith(
        "/o/beta/documents/"
    )
    set_script_prefix("/portal/")
    try:
        prefixed = cached_reverse("documents:list", kwargs={"org_slug": "alpha"})
        assert prefixed == reverse("documents:list", kwargs={"org_slug": "alpha"})
        assert prefixed == "/portal" + plain
    finally:
        set_script_prefix("/")
    assert cached_reverse("documents:list", kwargs={"org_slug": "alpha"}) == plain


def test_an_unhashable_argument_goes_to_django() -> None:
    assert cached_reverse("contacts:detail", args=["alpha", ID]) == reverse(
        "contacts:detail", args=["alpha", ID]
    )
    with pytest.raises(NoReverseMatch):
        cached_reverse("documents:list", kwargs={"org_slug": ["not", "hashable"]})
