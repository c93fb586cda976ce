"""Every sign-in is a fresh authentication: sudo mode (decorators.py) starts counting there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from portal.accounts.mfa import mark_recent_auth


@receiver(user_logged_in, dispatch_uid="accounts.recent_auth_at_login")
def _recent_auth_at_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        mark_recent_auth(request)
