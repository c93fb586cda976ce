"""Deeplinks into the Lexware Office web app (lexware-api.md §5.24).

Edit links redirect to the view when editing is no longer allowed; unknown ids redirect to the
voucher list. Ids are checked to be UUIDs so that no caller can smuggle a path into the link.
"""

from __future__ import annotations

import uuid

__all__ = [
    "APP_BASE_URL",
    "contact_view_url",
    "edit_url",
    "files_inbox_url",
    "view_url",
]

APP_BASE_URL = "https://app.lexware.de"

# resource name (as in client.<resource>) → permalink segment. Down payment invoices use the
# invoice paths (§5.9).
_VIEW: dict[str, str] = {
    "contacts": "contacts",
    "invoices": "invoices",
    "down_payment_invoices": "invoices",
    "credit_notes": "credit-notes",
    "quotations": "quotations",
    "order_confirmations": "order-confirmations",
    "delivery_notes": "delivery-notes",
    "dunnings": "dunnings",
    "vouchers": "vouchers",
}
_EDIT: dict[str, str] = {
    "invoices": "invoices",
    "down_payment_invoices": "invoices",
    "credit_notes": "credit-notes",
    "quotations": "quotations",
    "order_confirmations": "order-confirmations",
    "delivery_notes": "delivery-notes",
    "dunnings": "dunnings",
    "recurring_templates": "recurring-templates",
    "vouchers": "vouchers",
}


def _uuid(value: str | uuid.UUID) -> str:
    try:
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    except ValueError:
        raise ValueError(f"not a Lexware id: {value!r}") from None


def _base(app_base_url: str) -> str:
    return app_base_url.rstrip("/")


def view_url(resource: str, id: str | uuid.UUID, *, app_base_url: str = APP_BASE_URL) -> str:
    """``{appbaseurl}/permalink/<segment>/view/{id}``; recurring templates have no view link."""
    try:
        segment = _VIEW[resource]
    except KeyError:
        raise ValueError(f"no view deeplink for {resource!r}") from None
    return f"{_base(app_base_url)}/permalink/{segment}/view/{_uuid(id)}"


def edit_url(resource: str, id: str | uuid.UUID, *, app_base_url: str = APP_BASE_URL) -> str:
    """``{appbaseurl}/permalink/<segment>/edit/{id}``; contacts have no edit link."""
    try:
        segment = _EDIT[resource]
    except KeyError:
        raise ValueError(f"no edit deeplink for {resource!r}") from None
    return f"{_base(app_base_url)}/permalink/{segment}/edit/{_uuid(id)}"


def contact_view_url(id: str | uuid.UUID, *, app_base_url: str = APP_BASE_URL) -> str:
    return view_url("contacts", id, app_base_url=app_base_url)


def files_inbox_url(*, app_base_url: str = APP_BASE_URL) -> str:
    """The "Zu prüfen" inbox of uploaded files."""
    return f"{_base(app_base_url)}/permalink/files/view"
