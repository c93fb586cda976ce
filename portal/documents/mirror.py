"""Writes documents, payments and recurring templates into the mirror.

Voucherlist rows (§5.22) and full documents (§5.x GET) fill the same Document row: the list
row first, the details later. A detail write never blanks what the list row set and the
details do not carry (a bookkeeping voucher's details have no contact name, for example).
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from portal.core.mirror import (
    mirror_columns,
    normalise_search,
    parse_day,
    parse_decimal,
    parse_timestamp,
)
from portal.documents.models import Document, Payment, RecurringTemplate
from portal.organizations.models import Organization

# Columns both the list row and the details fill; an empty value in the details keeps the
# list row's value instead of blanking it.
KEEP_WHEN_DETAILS_LACK = (
    "contact_name",
    "contact_lexware_id",
    "voucher_number",
    "voucher_date",
    "due_date",
    "total_amount",
)


def _document_search(number: Any, contact_name: Any) -> str:
    return normalise_search(number, contact_name)


# What a voucherlist row (§5.22) sets; everything else (details, version, raw) is kept.
LIST_ROW_COLUMNS = (
    "voucher_type",
    "status",
    "voucher_number",
    "voucher_date",
    "due_date",
    "contact_lexware_id",
    "contact_name",
    "total_amount",
    "open_amount",
    "currency",
    "archived",
    "lexware_created_at",
    "lexware_updated_at",
    "synced_at",
    "deleted_at",
    "search_text",
)


def _list_row_columns(row: dict[str, Any], now: Any) -> dict[str, Any]:
    return {
        "voucher_type": str(row.get("voucherType") or ""),
        "status": str(row.get("voucherStatus") or ""),
        "voucher_number": str(row.get("voucherNumber") or "")[:100],
        "voucher_date": parse_timestamp(row.get("voucherDate")),
        "due_date": parse_timestamp(row.get("dueDate")),
        "contact_lexware_id": row.get("contactId") or None,
        "contact_name": str(row.get("contactName") or "")[:300],
        "total_amount": parse_decimal(row.get("totalAmount")),
        "open_amount": parse_decimal(row.get("openAmount")),
        "currency": str(row.get("currency") or "EUR")[:3],
        "archived": bool(row.get("archived")),
        "lexware_created_at": parse_timestamp(row.get("createdDate")),
        "lexware_updated_at": parse_timestamp(row.get("updatedDate")),
        "synced_at": now,
        "deleted_at": None,
        "search_text": _document_search(row.get("voucherNumber"), row.get("contactName")),
    }


def upsert_document_from_list_row(*, organization: Organization, row: dict[str, Any]) -> Document:
    """One voucherlist row (§5.22). Keeps fetched details; marks them stale by updatedDate."""
    document, _ = Document.objects.update_or_create(
        organization=organization,
        lexware_id=row["id"],
        defaults=_list_row_columns(row, timezone.now()),
    )
    return document


def upsert_documents_from_list_rows(
    *, organization: Organization, rows: list[dict[str, Any]]
) -> int:
    """A page of voucherlist rows in one statement (INSERT … ON CONFLICT DO UPDATE of the list
    columns only): the sync writes 250 rows per call without a query per row."""
    now = timezone.now()
    # One statement may not touch a row twice (PostgreSQL refuses): the last copy of an id wins.
    unique = {str(row["id"]): row for row in rows if row.get("id")}
    if not unique:
        return 0
    if connection.vendor == "postgresql":
        _upsert_list_rows_postgresql(organization=organization, rows=unique, now=now)
        return len(unique)
    documents = [
        Document(organization=organization, lexware_id=lexware_id, **_list_row_columns(row, now))
        for lexware_id, row in unique.items()
    ]
    Document.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["organization", "lexware_id"],
        update_fields=list(LIST_ROW_COLUMNS),
    )
    return len(documents)


# The per-row columns of a list row and their PostgreSQL types: the page travels as one JSON
# parameter read by json_to_recordset. bulk_create's UNNEST arrays cost more per row than the
# database's work (psycopg escapes every quote of every JSON document in Python).
_RECORD_TYPES = {
    "lexware_id": "uuid",
    "voucher_type": "text",
    "status": "text",
    "voucher_number": "text",
    "voucher_date": "timestamptz",
    "due_date": "timestamptz",
    "contact_lexware_id": "uuid",
    "contact_name": "text",
    "total_amount": "numeric",
    "open_amount": "numeric",
    "currency": "text",
    "archived": "boolean",
    "lexware_created_at": "timestamptz",
    "lexware_updated_at": "timestamptz",
    "search_text": "text",
}
_SHARED = ("synced_at", "deleted_at")  # the same value for every row of a page


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        return str(value)
    return value


# Lexware's own timestamp shape (§8.1), zoned: PostgreSQL reads such a text as it is.
_ZONED_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})"
)


def _record_timestamp(value: Any) -> Any:
    """A timestamp for the record: Lexware's zoned text passes unchanged once Python has read it
    as a real instant (a 13th month would fail the whole page in PostgreSQL); anything else
    takes parse_timestamp's lenient way, as the ORM path does."""
    if isinstance(value, str) and _ZONED_TIMESTAMP.fullmatch(value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return None
        return value
    return _json_value(parse_timestamp(value))


def _record_amount(value: Any) -> Any:
    """An amount for the record: a finite JSON number passes as it came (json.dumps writes the
    shortest text that reads back as the same float, as str() does); anything else takes
    parse_decimal's way."""
    if type(value) in (int, float) and math.isfinite(value):
        return value
    return _json_value(parse_decimal(value))


def _list_row_record(lexware_id: str, row: dict[str, Any]) -> dict[str, Any]:
    """The json_to_recordset item of one list row: the columns of _list_row_columns without
    turning texts into Python objects only to turn them back into texts (a test holds the two
    equal)."""
    get = row.get
    number, contact_name = get("voucherNumber"), get("contactName")
    return {
        "lexware_id": lexware_id,
        "voucher_type": str(get("voucherType") or ""),
        "status": str(get("voucherStatus") or ""),
        "voucher_number": str(number or "")[:100],
        "voucher_date": _record_timestamp(get("voucherDate")),
        "due_date": _record_timestamp(get("dueDate")),
        "contact_lexware_id": get("contactId") or None,
        "contact_name": str(contact_name or "")[:300],
        "total_amount": _record_amount(get("totalAmount")),
        "open_amount": _record_amount(get("openAmount")),
        "currency": str(get("currency") or "EUR")[:3],
        "archived": bool(get("archived")),
        "lexware_created_at": _record_timestamp(get("createdDate")),
        "lexware_updated_at": _record_timestamp(get("updatedDate")),
        "search_text": _document_search(number, contact_name),
    }


def _upsert_list_rows_postgresql(
    *, organization: Organization, rows: dict[str, dict[str, Any]], now: datetime
) -> None:
    record = [_list_row_record(lexware_id, row) for lexware_id, row in rows.items()]
    selected: list[str] = []
    params: list[Any] = []
    names: list[str] = []
    for field in Document._meta.concrete_fields:
        if field.primary_key or (
            field.db_default is not NOT_PROVIDED and field.name not in _RECORD_TYPES
        ):
            continue  # the database fills these
        names.append(connection.ops.quote_name(field.column))
        if field.name in _RECORD_TYPES:
            selected.append(f"r.{field.name}")
            continue
        if field.name == "organization":
            value: Any = organization.pk
        elif field.name in _SHARED:
            value = _list_row_columns({}, now)[field.name]
        else:  # columns the list row leaves alone get their defaults on insert only
            value = field.get_default()
        selected.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    # The list columns are plain fields whose columns carry their names.
    updates = ", ".join(
        f"{connection.ops.quote_name(name)} = EXCLUDED.{connection.ops.quote_name(name)}"
        for name in LIST_ROW_COLUMNS
    )
    types = ", ".join(f"{name} {sql_type}" for name, sql_type in _RECORD_TYPES.items())
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Document._meta.db_table)} ({', '.join(names)}) "
        f"SELECT {', '.join(selected)} FROM json_to_recordset(%s::json) AS r({types}) "
        f'ON CONFLICT ("organization_id", "lexware_id") DO UPDATE SET {updates}'
    )
    params.append(json.dumps(record, separators=(",", ":")))
    if connection.in_atomic_block:  # the caller's transaction decides how it commits
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # Without waiting for the disk: mirror rows can be fetched again, and a crash can lose
        # only the last moment's pages, never rows behind a sync cursor, which is committed
        # after them and synchronously (a synchronous commit flushes all WAL before it).
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, params)


def _details_total(voucher_type: str, data: dict[str, Any]) -> Decimal | None:
    if "totalGrossAmount" in data:  # bookkeeping voucher
        return parse_decimal(data.get("totalGrossAmount"))
    total = data.get("totalPrice") or {}
    return parse_decimal(total.get("totalGrossAmount"))


def apply_document_details(
    *, organization: Organization, voucher_type: str, data: dict[str, Any]
) -> Document:
    """A full document from GET /v1/{type}/{id} or /v1/vouchers/{id}."""
    address = data.get("address") or {}
    contact_name = address.get("name") or data.get("contactName") or ""
    contact_id = address.get("contactId") or data.get("contactId") or None
    status = data.get("voucherStatus") or ""
    updated = parse_timestamp(data.get("updatedDate"))
    defaults: dict[str, Any] = {
        "voucher_type": voucher_type,
        "version": data.get("version"),
        "raw": data,
        "details_synced_at": timezone.now(),
        "details_updated_at": updated,
        "synced_at": timezone.now(),
        "deleted_at": None,
        "voucher_number": str(data.get("voucherNumber") or "")[:100],
        "voucher_date": parse_timestamp(data.get("voucherDate")),
        "due_date": parse_timestamp(data.get("dueDate")),
        "contact_lexware_id": contact_id,
        "contact_name": str(contact_name)[:300],
        "total_amount": _details_total(voucher_type, data),
        "archived": bool(data.get("archived")),
        "lexware_created_at": parse_timestamp(data.get("createdDate")),
        "lexware_updated_at": updated,
        "search_text": _document_search(data.get("voucherNumber"), contact_name),
    }
    existing = Document.objects.filter(organization=organization, lexware_id=data["id"]).first()
    if existing is not None:
        for column in KEEP_WHEN_DETAILS_LACK:
            if defaults[column] in (None, "") and getattr(existing, column) not in (None, ""):
                del defaults[column]
        if "contact_name" not in defaults:
            defaults["search_text"] = _document_search(
                defaults.get("voucher_number") or existing.voucher_number, existing.contact_name
            )
    # The list row knows "overdue", which the details do not: keep it while still open.
    if not (existing and existing.status == "overdue" and status == "open"):
        defaults["status"] = status
    document, _ = Document.objects.update_or_create(
        organization=organization, lexware_id=data["id"], defaults=defaults
    )
    return document


def upsert_payment(*, organization: Organization, voucher_id: str, data: dict[str, Any]) -> Payment:
    payment, _ = Payment.objects.update_or_create(
        organization=organization,
        lexware_id=voucher_id,
        defaults={
            "raw": data,
            "synced_at": timezone.now(),
            "open_amount": parse_decimal(data.get("openAmount")),
            "payment_status": str(data.get("paymentStatus") or ""),
            "voucher_status": str(data.get("voucherStatus") or ""),
            "paid_date": parse_timestamp(data.get("paidDate")),
        },
    )
    if payment.open_amount is not None:
        Document.objects.filter(organization=organization, lexware_id=voucher_id).update(
            open_amount=payment.open_amount, synced_at=timezone.now()
        )
    return payment


def upsert_recurring_template(
    *, organization: Organization, data: dict[str, Any]
) -> RecurringTemplate:
    settings = data.get("recurringTemplateSettings") or {}
    template, _ = RecurringTemplate.objects.update_or_create(
        organization=organization,
        lexware_id=data["id"],
        defaults={
            **mirror_columns(data),
            "title": str(data.get("title") or "")[:300],
            "contact_name": str((data.get("address") or {}).get("name") or "")[:300],
            "total_gross_amount": parse_decimal(
                (data.get("totalPrice") or {}).get("totalGrossAmount")
            ),
            "execution_interval": str(settings.get("executionInterval") or ""),
            "execution_status": str(settings.get("executionStatus") or ""),
            "next_execution_date": parse_day(settings.get("nextExecutionDate")),
            "search_text": normalise_search(
                data.get("title"), (data.get("address") or {}).get("name")
            ),
        },
    )
    return template


def mark_document_deleted(*, organization: Organization, lexware_id: str) -> None:
    now = timezone.now()
    # synced_at too: pages that precompute figures key them on the newest synced_at.
    Document.objects.filter(organization=organization, lexware_id=lexware_id).update(
        deleted_at=now, synced_at=now
    )
