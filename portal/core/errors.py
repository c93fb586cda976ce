"""Errors that carry a message meant for the person using the portal (HackSoft's ApplicationError)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the application was violated; `message` is safe to show to the user.

    Services raise it; views catch it and show the message next to the form or as a
    flash message. It is never a 500.
    """

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)
