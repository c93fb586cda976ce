"""Route × role × tenant matrix over every URL pattern (reliability.md T1, S7; DESIGN.md §6).

The inventory lives in permission_inventory.py; this module only walks it. A URL pattern that
is not in the inventory fails the first test, so no view can be added without deciding who may
open it.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.accounts.models import User
from portal.organizations.models import Organization
from tests.portal.permission_inventory import (
    INVENTORY,
    SHARE_TOKENS,
    USER_BELOW_ROLE,
    USER_WITH_ROLE,
    MatrixContext,
    Route,
)

ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(full URL name, route) of every pattern below `resolver`, the admin's own left out."""
    found: list[tuple[str, str]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if ns == "admin":
                continue  # Django's admin: one separate check below (test_admin_*).
            found += _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = (
                f"{namespace}:{pattern.name}"
                if namespace and pattern.name
                else (pattern.name or "")
            )
            found.append((name, prefix + str(pattern.pattern)))
    return found


ROUTES = _walk(get_resolver())


def _names(kind: str) -> list[str]:
    return sorted(name for name, route in INVENTORY.items() if route.kind == kind)


def test_every_url_pattern_is_in_the_inventory() -> None:
    unnamed = [route for name, route in ROUTES if not name]
    missing = sorted(
        f"{name}  ({route})" for name, route in ROUTES if name and name not in INVENTORY
    )
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    assert not missing, (
        "URL patterns missing from tests/portal/permission_inventory.py (add one line each):\n  "
        + "\n  ".join(missing)
    )


def test_the_inventory_names_only_existing_routes() -> None:
    existing = {name for name, _route in ROUTES}
    assert sorted(set(INVENTORY) - existing) == []


# ---------------------------------------------------------------- helpers


def _url(route_name: str, route: Route, ctx: MatrixContext) -> str:
    kwargs: dict[str, Any] = dict(route.kwargs(ctx)) if route.kwargs else {}
    if route.kind == "org":
        kwargs["org_slug"] = ctx.organization.slug
    return reverse(route_name, kwargs=kwargs)


def _call(client: Client, method: str, url: str, **extra: Any) -> Any:
    return getattr(client, method.lower())(url, **extra)


@pytest.fixture
def ctx_a(request: pytest.FixtureRequest, org_a: Organization, alice: User) -> MatrixContext:
    return MatrixContext(organization=org_a, owner=alice, request=request)


@pytest.fixture
def ctx_b(request: pytest.FixtureRequest, org_b: Organization, charlie: User) -> MatrixContext:
    return MatrixContext(organization=org_b, owner=charlie, request=request)


@pytest.fixture
def everyone(
    alice: User, bob: User, carol: User, dave: User, charlie: User, operator: User
) -> dict[str, User]:
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "charlie": charlie,
        "operator": operator,
    }


def _assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


# ---------------------------------------------------------------- organization routes


@pytest.mark.parametrize("name", _names("org"))
def test_org_route_works_for_the_minimum_role(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User], client_for: Any
) -> None:
    route = INVENTORY[name]
    client = client_for(everyone[USER_WITH_ROLE[route.role]])
    for method in route.methods:
        url = _url(name, route, ctx_a)
        response = _call(client, method, url)
        if method == "GET":
            assert response.status_code == 200, (name, response.status_code)
            htmx = _call(client, method, url, headers={"HX-Request": "true"})
            assert htmx.status_code == 200, (name, "htmx", htmx.status_code)
        else:
            # The role gate let the request through; what the view then does is its own test's concern.
            assert response.status_code not in (403, 404, 405), (name, method, response.status_code)
            assert response.status_code < 500


@pytest.mark.parametrize("name", [n for n in _names("org") if USER_BELOW_ROLE[INVENTORY[n].role]])
def test_org_route_refuses_a_lower_role(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User], client_for: Any
) -> None:
    route = INVENTORY[name]
    client = client_for(everyone[USER_BELOW_ROLE[route.role]])
    for method in route.methods:
        for headers in ({}, {"HX-Request": "true"}):
            response = _call(client, method, _url(name, route, ctx_a), headers=headers)
            assert response.status_code == 403, (name, method, headers, response.status_code)


@pytest.mark.parametrize("name", _names("org"))
def test_org_route_is_404_for_another_organization(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User], client_for: Any
) -> None:
    route = INVENTORY[name]
    client = client_for(everyone["charlie"])
    for method in route.methods:
        for headers in ({}, {"HX-Request": "true"}):
            response = _call(client, method, _url(name, route, ctx_a), headers=headers)
            assert response.status_code == 404, (name, method, headers, response.status_code)


@pytest.mark.parametrize(
    "name", [n for n in _names("org") if INVENTORY[n].kwargs and INVENTORY[n].idor]
)
def test_org_route_is_404_for_an_object_of_another_organization(
    name: str,
    ctx_a: MatrixContext,
    ctx_b: MatrixContext,
    everyone: dict[str, User],
    client_for: Any,
) -> None:
    """IDOR: alice (owner of A) asks under /o/alpha/ for an object that belongs to org B."""
    route = INVENTORY[name]
    assert route.kwargs is not None
    foreign = dict(route.kwargs(ctx_b))
    url = reverse(name, kwargs={**foreign, "org_slug": ctx_a.organization.slug})
    client = client_for(everyone["alice"])
    for method in route.methods:
        response = _call(client, method, url)
        assert response.status_code == 404, (name, method, response.status_code)


@pytest.mark.parametrize("name", _names("org"))
def test_org_route_sends_anonymous_visitors_to_login(
    name: str, ctx_a: MatrixContext, client_for: Any
) -> None:
    route = INVENTORY[name]
    for method in route.methods:
        _assert_login_redirect(_call(client_for(None), method, _url(name, route, ctx_a)))


@pytest.mark.parametrize("name", _names("org"))
def test_org_route_rejects_other_methods(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User], client_for: Any
) -> None:
    route = INVENTORY[name]
    client = client_for(everyone["alice"])
    for method in ALL_METHODS:
        if method in route.methods:
            continue
        response = _call(client, method, _url(name, route, ctx_a))
        assert response.status_code == 405, (name, method, response.status_code)


# ---------------------------------------------------------------- other kinds


@pytest.mark.parametrize("name", _names("global"))
def test_global_route_needs_a_signed_in_user(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User], client_for: Any
) -> None:
    route = INVENTORY[name]
    for method in route.methods:
        _assert_login_redirect(_call(client_for(None), method, _url(name, route, ctx_a)))
    if "GET" in route.methods:
        response = client_for(everyone["carol"]).get(_url(name, route, ctx_a))
        if route.get_is_page:
            assert response.status_code == 200, (name, response.status_code)
        else:
            assert response.status_code in (200, 302) and "login" not in response.get(
                "Location", ""
            )
    for method in ALL_METHODS:
        if method not in route.methods:
            response = _call(client_for(everyone["carol"]), method, _url(name, route, ctx_a))
            assert response.status_code == 405, (name, method, response.status_code)


@pytest.mark.parametrize("name", _names("staff"))
def test_staff_route_is_404_for_everyone_but_operators(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User], client_for: Any
) -> None:
    route = INVENTORY[name]
    for who in (None, "alice", "carol", "charlie"):
        client = client_for(everyone[who] if who else None)
        for method in ALL_METHODS:
            response = _call(client, method, _url(name, route, ctx_a))
            assert response.status_code == 404, (name, who, method, response.status_code)
    if "GET" in route.methods:
        assert client_for(everyone["operator"]).get(_url(name, route, ctx_a)).status_code == 200


@pytest.mark.parametrize("name", _names("public"))
def test_public_route_opens_with_its_token_and_hides_the_rest(
    name: str, ctx_a: MatrixContext, client_for: Any
) -> None:
    route = INVENTORY[name]
    assert route.kwargs is not None
    kwargs = route.kwargs(ctx_a)
    client = client_for(None)
    if "code" in kwargs:  # a token-free page: it opens with the cookie of its token URL (L6)
        assert client.get(_url(name, route, ctx_a)).status_code == 404
        client.get(reverse("public:share", kwargs={"token": SHARE_TOKENS[str(kwargs["code"])]}))
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
        junk: dict[str, Any] = {"code": uuid.uuid4()}
    else:
        assert client.get(_url(name, route, ctx_a), follow=True).status_code == 200
        junk = dict.fromkeys(kwargs, "x" * 43)
    assert client_for(None).get(reverse(name, kwargs=junk)).status_code == 404


@pytest.mark.parametrize("name", _names("anonymous-ok"))
def test_anonymous_ok_route_opens_without_signing_in(
    name: str, ctx_a: MatrixContext, client_for: Any
) -> None:
    route = INVENTORY[name]
    client = client_for(None)
    for method in route.methods:
        response = _call(client, method, _url(name, route, ctx_a))
        assert response.status_code < 400 or (method == "POST" and response.status_code == 200), (
            name,
            method,
        )
    for method in ("PUT", "DELETE"):
        assert _call(client, method, _url(name, route, ctx_a)).status_code == 405, (name, method)


# ---------------------------------------------------------------- CSRF (S7)


def _client_allowed_for(route: Route, everyone: dict[str, User]) -> Client:
    user: User | None = None
    if route.kind == "org":
        user = everyone["alice"]
    elif route.kind == "global":
        user = everyone["carol"]
    elif route.kind == "staff":
        user = everyone["operator"]
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize(
    "name", sorted(n for n, r in INVENTORY.items() if "POST" in r.methods and r.kind != "webhook")
)
def test_every_post_route_rejects_a_request_without_csrf_token(
    name: str, ctx_a: MatrixContext, everyone: dict[str, User]
) -> None:
    route = INVENTORY[name]
    client = _client_allowed_for(route, everyone)
    response = client.post(_url(name, route, ctx_a), {"role": "owner", "email": "x@example.org"})
    assert response.status_code == 403, (name, response.status_code)
    assert b"CSRF" in response.content


def test_only_webhooks_are_csrf_exempt() -> None:
    exempt = []
    for name, _route in ROUTES:
        match = get_resolver().resolve(reverse(name, kwargs=_dummy_kwargs(name)))
        if getattr(match.func, "csrf_exempt", False):
            exempt.append(name)
    assert sorted(exempt) == _names("webhook")


def _dummy_kwargs(name: str) -> dict[str, Any]:
    # Values only need to match the converters; this test looks at the view function only.
    kwargs: dict[str, Any] = {}
    for _name, route in ROUTES:
        if _name != name:
            continue
        for part in route.split("<")[1:]:
            converter, _sep, rest = (
                part.partition(":") if ":" in part.split(">")[0] else ("str", "", part)
            )
            key = rest.split(">")[0]
            kwargs[key] = {
                "uuid": "00000000-0000-0000-0000-000000000000",
                "slug": "alpha",
                "int": 1,
            }.get(converter, "x")
    return kwargs


# ---------------------------------------------------------------- Django admin (T7)


ADMIN_URLS = (
    "/backoffice/admin/",
    "/backoffice/admin/organizations/organization/",
    "/backoffice/admin/login/",
    "/backoffice/admin/accounts/user/",
    "/backoffice/admin/does-not-exist/",
)


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_is_404_for_signed_in_non_operators(
    url: str, everyone: dict[str, User], client_for: Any
) -> None:
    for who in ("alice", "carol", "charlie"):
        assert client_for(everyone[who]).get(url).status_code == 404, (url, who)
        assert client_for(everyone[who]).post(url, {}).status_code == 404, (url, who)


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_sends_anonymous_visitors_to_the_portal_login(url: str, client_for: Any) -> None:
    _assert_login_redirect(client_for(None).get(url))


def test_admin_opens_for_operators(everyone: dict[str, User], client_for: Any) -> None:
    assert client_for(everyone["operator"]).get("/backoffice/admin/").status_code == 200
