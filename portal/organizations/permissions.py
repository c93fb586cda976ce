"""Role checks for organization views: a decorator and a mixin twin (like pretix).

The middleware has already turned non-members away with a 404; these turn members whose role
is too low away with a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from portal.organizations.models import Role


def require_role(
    minimum: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None or not membership.has_role(minimum):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        wrapper.required_role = minimum  # type: ignore[attr-defined]
        return wrapper

    return decorator


require_viewer = require_role(Role.VIEWER)
require_member = require_role(Role.MEMBER)
require_admin = require_role(Role.ADMIN)
require_owner = require_role(Role.OWNER)


class RoleRequiredMixin:
    required_role: str = Role.VIEWER

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None or not membership.has_role(self.required_role):
            raise PermissionDenied("Your role does not allow this.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
