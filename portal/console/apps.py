from __future__ import annotations

from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The API console of an organization's admins (issue 15 item 5): one Lexware call typed
    by hand, run by a worker as an operation through the rate limiter, its answer shown."""

    name = "portal.console"
    label = "console"
