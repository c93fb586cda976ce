"""Signals of the documents mirror, for the apps above it (files fetch a changed document's
PDF) without the mirror importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by a worker after it fetched a document's current state from Lexware (a webhook's
# refresh or an on-demand fetch): kwargs `organization`, `document`.
document_refreshed = Signal()
