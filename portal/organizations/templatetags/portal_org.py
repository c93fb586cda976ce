"""Template helpers for the organization chrome: navigation, switcher, optional links."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from portal.organizations.navigation import NavLink, navigation_for
from portal.organizations.selectors import user_organizations

register = template.Library()


@register.simple_tag(takes_context=True)
def org_navigation(context: template.Context) -> list[NavLink]:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if request is None or membership is None:
        return []
    return navigation_for(membership=membership, current_path=request.path)


@register.simple_tag(takes_context=True)
def my_organizations(context: template.Context) -> list[Any]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    loaded = getattr(request, "user_memberships", None)  # OrganizationMiddleware's query
    if loaded is not None:
        return list(loaded)
    return list(user_organizations(user=request.user))


@register.simple_tag
def optional_url(url_name: str, **kwargs: Any) -> str:
    """The URL, or "" when the name does not resolve (yet): `{% optional_url 'connection:detail' … as u %}`."""
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
