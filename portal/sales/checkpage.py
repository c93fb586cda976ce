"""The check page before finalizing (issue 11 item 2): what Lexware would refuse (checks.py)
and the totals, in place of the editor. It carries everything the editor posted as hidden
fields, so "back to the editor" (and each problem's "fix") shows the editor again with the
input kept, and "finalize" sends exactly what was checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse

from portal.core.htmx import render_page
from portal.operations.writeflow import REGION
from portal.organizations.http import OrgRequest
from portal.sales.checks import finalize_check
from portal.sales.forms import DocumentForm
from portal.sales.preview import preview

TEMPLATE = "sales/document_check.html"
NOT_CARRIED = {"csrfmiddlewaretoken", "action"}


def carried(form: DocumentForm) -> Iterator[tuple[str, str]]:
    """The posted values as (name, value) pairs, in order, for the hidden fields."""
    data: Any = form.data
    pairs = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    for name, values in pairs:
        if name in NOT_CARRIED:
            continue
        for value in values:
            yield str(name), "" if value is None else str(value)


def check_response(request: OrgRequest, form: DocumentForm) -> HttpResponse:
    check = finalize_check(form)
    context = {
        "form": form,
        "sales_type": form.sales_type,
        "check": check,
        "preview": preview(form),
        "carried": list(carried(form)),
        "customer_name": (getattr(form, "cleaned_data", None) or {}).get("address_name")
        or form.data.get("address_name"),
    }
    return render_page(request, TEMPLATE, context, partial=REGION)
