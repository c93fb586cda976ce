"""`{% sort_header key label "num" %}`: a sortable column header of the document tables.

As an included template it was six includes a list page, each with its own context and
`{% querystring %}`; this writes the same markup (documents/_sort_header.html, which a test
holds it to) in one call. Needs `sort` and the request in the context.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import querystring
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, key: str, label: Any, css_class: str = "") -> SafeString:
    sort = context.get("sort")
    descending = f"-{key}"
    aria, arrow, sorted_class = "", "", ""
    if sort == key:
        aria, arrow = ' aria-sort="ascending"', ' <span aria-hidden="true">▲</span>'
    elif sort == descending:
        aria, arrow = ' aria-sort="descending"', ' <span aria-hidden="true">▼</span>'
    if arrow:
        sorted_class = " is-sorted"
    link = querystring(context, sort=descending if sort == key else key, page=None)
    return format_html(
        '<th scope="col" class="{}"{}><a class="sort-link{}" href="{}">{}{}</a></th>',
        css_class,
        SafeString(aria),
        sorted_class,
        link,
        conditional_escape(label),
        SafeString(arrow),
    )
