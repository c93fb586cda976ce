"""URL reversing with a memory: `reverse` answers the same question the same way for the life
of the process, and a page asks it 25-30 times (navigation, menus, links) at about 45 µs each
on a slow machine (benchmarks.profile_pages). The answer depends on the view name, its
arguments, the current app, the script prefix, the URLconf and the language (should URLs ever
carry it), so all of them make the key; a question that cannot be a key (an unhashable
argument) or has no answer (NoReverseMatch, never remembered) goes to Django every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


@lru_cache(maxsize=4096)
def _remembered(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    urlconf: Any,
    prefix: str,
    language: str | None,
) -> str:
    del prefix, language  # part of the key only: reverse reads them itself
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def cached_reverse(
    view_name: str,
    *,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """django.urls.reverse, remembered (see the module's docstring)."""
    key_args = tuple(args or ())
    key_kwargs = tuple(sorted((kwargs or {}).items()))
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    try:
        return _remembered(
            view_name,
            key_args,
            key_kwargs,
            current_app,
            urlconf,
            get_script_prefix(),
            get_language(),
        )
    except TypeError:  # an unhashable argument
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
