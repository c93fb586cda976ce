"""The sync engine: full sync, reconciliation and refreshes, as Operations on the bulk lane.

A full sync is a chain of small steps (each one Operation of kind `sync.step`, at most
STEP_CALLS Lexware calls), so that no task runs long, every step is retried and swept like
any other operation, and progress is visible per part on the sync page.

Voucherlist paging (§4, §5.22): one query can reach at most 10,000 rows. We list
voucherType=any & voucherStatus=any sorted by voucherDate ascending; when a window's pages
are used up, the next window starts at the voucherDate of the last row seen. Only that one
day is fetched twice, so the calls stay within a few percent of ceil(rows / 250).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from lexware.pagination import page_is_last
from portal.articles.mirror import upsert_article
from portal.contacts.mirror import upsert_contact
from portal.core.mirror import api_dict, parse_timestamp
from portal.documents.fetch import fetch_document
from portal.documents.mirror import upsert_documents_from_list_rows, upsert_recurring_template
from portal.documents.models import Document
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem
from portal.sync import mirror_write
from portal.sync.models import SyncPart

if TYPE_CHECKING:
    from lexware import LexwareClient

logger = logging.getLogger(__name__)

PAGE_SIZE = 250
SEARCH_WINDOW = 10_000
# A step ends after this many calls or seconds, whichever comes first, so that it stays far
# below the task time limit even when several bulk operations share one key's budget.
STEP_CALLS = 40


def step_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "SYNC_STEP_SECONDS", 20))


class StepClock:
    def __init__(self) -> None:
        import time

        self._deadline = time.monotonic() + step_seconds()

    def expired(self) -> bool:
        import time

        return time.monotonic() >= self._deadline


FULL_SYNC_ORDER = [
    SyncPart.Name.REFERENCE,
    SyncPart.Name.CONTACTS,
    SyncPart.Name.ARTICLES,
    SyncPart.Name.RECURRING,
    SyncPart.Name.VOUCHERLIST,
    SyncPart.Name.DETAILS,
]


def full_sync_order() -> list[str]:
    """FULL_SYNC_ORDER, without the per-document details part when SYNC_FULL_INCLUDES_DETAILS is
    off (one GET per document: 100,000 documents are 14 h at 2/s; benchmarks leave it out)."""
    from django.conf import settings

    if getattr(settings, "SYNC_FULL_INCLUDES_DETAILS", True):
        return list(FULL_SYNC_ORDER)
    return [name for name in FULL_SYNC_ORDER if name != SyncPart.Name.DETAILS]


STEP = "sync.step"
FULL = "sync.full"
RECONCILE = "sync.reconcile"


def _next_step(
    operation: Operation, part: str, chain: list[str], cursor: dict[str, Any] | None
) -> None:
    """Continue this part (cursor given) or move on to the next part of the chain."""
    if cursor is not None:
        payload = {"part": part, "chain": chain, "cursor": cursor}
    elif chain:
        payload = {"part": chain[0], "chain": chain[1:]}
    else:
        return
    operation_start(organization=operation.organization, kind=STEP, lane=Lane.BULK, input=payload)


def _part(organization: Organization, name: str) -> SyncPart:
    part, _ = SyncPart.objects.get_or_create(organization=organization, name=name)
    if part.status != SyncPart.Status.RUNNING:
        part.status = SyncPart.Status.RUNNING
        part.started_at = part.started_at or timezone.now()
        part.save(update_fields=["status", "started_at"])
    return part


def _finish_part(part: SyncPart) -> None:
    part.status = SyncPart.Status.DONE
    part.finished_at = timezone.now()
    part.cursor = {}
    if part.total is None or part.total < part.done:
        part.total = part.done
    part.save()


# Parts of a few calls each: one step runs them back to back and goes on with the voucherlist
# within the step's calls and seconds. An operation per part left the key's budget idle while
# the next one was queued and claimed (seconds per handoff on a busy machine:
# benchmarks.tenants); the details keep steps of their own.
SMALL_PARTS = (
    SyncPart.Name.REFERENCE,
    SyncPart.Name.CONTACTS,
    SyncPart.Name.ARTICLES,
    SyncPart.Name.RECURRING,
)
FOLLOWS_SMALL_PARTS = (*SMALL_PARTS, SyncPart.Name.VOUCHERLIST)


def sync_step(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    org = operation.organization
    name = operation.input["part"]
    chain = list(operation.input.get("chain", []))
    cursor = operation.input.get("cursor") or {}
    clock = StepClock()
    calls = 0
    while True:
        part = _part(org, name)
        calls_before = part.api_calls
        if name == SyncPart.Name.VOUCHERLIST:
            # Within what is left of this step (a chained one may have used some of it).
            next_cursor = _step_voucherlist(
                org, client, part, cursor, max_calls=STEP_CALLS - calls, clock=clock
            )
        else:
            next_cursor = _STEPS[name](org, client, part, cursor)
        calls += part.api_calls - calls_before
        if next_cursor is not None:
            part.cursor = next_cursor
            part.save(update_fields=["cursor", "done", "total", "api_calls", "write_seconds"])
            break
        _finish_part(part)
        chained = name in SMALL_PARTS and chain and chain[0] in FOLLOWS_SMALL_PARTS
        if not (chained and calls < STEP_CALLS // 2) or clock.expired():
            break
        name, chain, cursor = chain[0], chain[1:], {}
    _next_step(operation, name, chain, next_cursor)
    return {
        "part": name,
        "done": part.done,
        "api_calls": part.api_calls,
        "more": next_cursor is not None,
    }


def _step_reference(
    org: Organization, client: LexwareClient, part: SyncPart, cursor: dict[str, Any]
) -> None:
    lists: list[tuple[str, Callable[[], Iterable[Any]]]] = [
        (ReferenceItem.Kind.COUNTRY, client.countries.list),
        (ReferenceItem.Kind.PAYMENT_CONDITION, client.payment_conditions.list),
        (ReferenceItem.Kind.POSTING_CATEGORY, client.posting_categories.list),
        (ReferenceItem.Kind.PRINT_LAYOUT, client.print_layouts.list),
    ]
    part.total = len(lists) + 1
    for kind, fetch in lists:
        items = [api_dict(item) for item in fetch()]
        part.api_calls += 1
        mirror_write.replace_reference(organization=org, kind=kind, items=items)
        part.done += 1
    profile = api_dict(client.profile.get())
    part.api_calls += 1
    mirror_write.replace_reference(
        organization=org, kind=ReferenceItem.Kind.PROFILE, items=[profile]
    )
    part.done += 1
    return None


def _paged_step(
    org: Organization, part: SyncPart, cursor: dict[str, Any], fetch: Any, write: Any
) -> dict[str, Any] | None:
    page_number = int(cursor.get("page", 0))
    clock = StepClock()
    for _ in range(STEP_CALLS):
        if clock.expired():
            break
        page = fetch(page=page_number, size=PAGE_SIZE)
        part.api_calls += 1
        for item in page.content:
            write(organization=org, data=api_dict(item))
        part.done += len(page.content)
        part.total = page.total_elements
        if page.last or not page.content:
            return None
        page_number += 1
    return {"page": page_number}


def _step_contacts(
    org: Organization, client: LexwareClient, part: SyncPart, cursor: dict[str, Any]
) -> dict[str, Any] | None:
    return _paged_step(org, part, cursor, client.contacts.list, upsert_contact)


def _step_articles(
    org: Organization, client: LexwareClient, part: SyncPart, cursor: dict[str, Any]
) -> dict[str, Any] | None:
    return _paged_step(org, part, cursor, client.articles.list, upsert_article)


def _step_recurring(
    org: Organization, client: LexwareClient, part: SyncPart, cursor: dict[str, Any]
) -> dict[str, Any] | None:
    return _paged_step(
        org, part, cursor, client.recurring_templates.list, upsert_recurring_template
    )


def _voucher_day(row: dict[str, Any]) -> str | None:
    value = parse_timestamp(row.get("voucherDate"))
    return timezone.localtime(value).date().isoformat() if value else None


def _next_window_start(last_row: dict[str, Any], date_field: str) -> str | None:
    if date_field == "voucherDate":
        return _voucher_day(last_row)
    stamp = parse_timestamp(last_row.get("updatedDate"))
    return timezone.localtime(stamp).date().isoformat() if stamp else None


def voucherlist_pages(
    org: Organization,
    client: LexwareClient,
    part: SyncPart,
    cursor: dict[str, Any],
    *,
    date_field: str,
    max_calls: int = STEP_CALLS,
    clock: StepClock | None = None,
) -> dict[str, Any] | None:
    """Up to `max_calls` voucherlist pages of a windowed walk ordered by `date_field`, until
    `clock` (a new step's by default) expires.

    date_field is "voucherDate" (full sync) or "updatedDate" (reconciliation).

    Fetching and writing overlap: as soon as a page has arrived, the request for the next one
    is handed to a helper thread (where it waits on the rate limiter) while this thread writes
    the page in one statement. Only a page that will be used is requested: the next one is
    known once a page arrives (its number, or the next window's first day), and none is
    started when the step is about to end, so the walk stays resumable from its cursor.
    """
    sort_key = {"voucherDate": "voucherDate", "updatedDate": "updatedDate"}[date_field]
    filter_name = {"voucherDate": "voucher_date_from", "updatedDate": "updated_date_from"}[
        date_field
    ]
    window_from = cursor.get("from")
    page_number = int(cursor.get("page", 0))
    clock = clock or StepClock()

    def request(window: str | None, number: int) -> Any:
        kwargs: dict[str, Any] = {
            "voucher_type": "any",
            "voucher_status": "any",
            "sort": f"{sort_key},ASC",
            "page": number,
            "size": PAGE_SIZE,
        }
        if window:
            kwargs[filter_name] = window
        return client.voucherlist.list_payload(**kwargs)

    fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="voucherlist-prefetch")
    try:
        pending: Future[Any] | None = fetcher.submit(request, window_from, page_number)
        calls = 1
        while pending is not None:
            page = pending.result()
            pending = None
            part.api_calls += 1
            # The rows as Lexware sent them (no models): the mirror reads the columns it needs.
            rows = [row for row in page.get("content") or () if isinstance(row, dict)]
            # Lexware always reports totalElements for the voucherlist; a missing one ends nothing.
            reported = page.get("totalElements")
            total_elements = reported if isinstance(reported, int) else len(rows)
            if page_number == 0:
                # Rows before this window plus what this window reports (capped at 10,000).
                part.total = part.done + total_elements
            # A window holding more than SEARCH_WINDOW rows reports a capped totalElements, so its
            # last page says `last` although more rows follow: only an uncapped window ends the walk.
            window_full = total_elements >= SEARCH_WINDOW
            finished = not rows or (page_is_last(page) and not window_full)
            if not finished:
                page_number += 1
                if page_number * PAGE_SIZE >= SEARCH_WINDOW:
                    # The 10,000-row window is used up: continue from the last row's day.
                    next_from = _next_window_start(rows[-1], date_field)
                    if next_from is None or next_from == window_from:
                        raise RuntimeError(
                            f"more than {SEARCH_WINDOW} vouchers share the day {next_from}; cannot page further"
                        )
                    window_from, page_number = next_from, 0
                if calls < max_calls and not clock.expired():
                    pending = fetcher.submit(request, window_from, page_number)
                    calls += 1
            started = time.perf_counter()
            upsert_documents_from_list_rows(organization=org, rows=rows)
            part.write_seconds += time.perf_counter() - started
            part.done += len(rows)
            if finished:
                return None
    finally:
        fetcher.shutdown(wait=False, cancel_futures=True)
    return {"from": window_from, "page": page_number}


def _step_voucherlist(
    org: Organization,
    client: LexwareClient,
    part: SyncPart,
    cursor: dict[str, Any],
    *,
    max_calls: int = STEP_CALLS,
    clock: StepClock | None = None,
) -> dict[str, Any] | None:
    started = part.started_at or timezone.now()
    result = voucherlist_pages(
        org, client, part, cursor, date_field="voucherDate", max_calls=max_calls, clock=clock
    )
    if result is None:
        # Everything changed before the sync started is now known.
        part.synced_until = started
        part.save(update_fields=["synced_until"])
    return result


def _step_details(
    org: Organization, client: LexwareClient, part: SyncPart, cursor: dict[str, Any]
) -> dict[str, Any] | None:
    """Fetch full documents that have none yet, newest first (bulk lane, in the background)."""

    missing = Document.objects.filter(
        organization=org, details_synced_at__isnull=True, deleted_at__isnull=True
    )
    if part.total is None:
        part.total = missing.count() + part.done
    batch = list(missing.order_by("-voucher_date")[:STEP_CALLS])
    clock = StepClock()
    fetched = 0
    for document in batch:
        if clock.expired():
            break
        fetch_document(
            client=client,
            organization=org,
            voucher_type=document.voucher_type,
            lexware_id=str(document.lexware_id),
        )
        part.api_calls += 1
        part.done += 1
        fetched += 1
    return {"continue": True} if fetched < len(batch) or len(batch) == STEP_CALLS else None


_STEPS = {
    SyncPart.Name.REFERENCE: _step_reference,
    SyncPart.Name.CONTACTS: _step_contacts,
    SyncPart.Name.ARTICLES: _step_articles,
    SyncPart.Name.RECURRING: _step_recurring,
    SyncPart.Name.VOUCHERLIST: _step_voucherlist,
    SyncPart.Name.DETAILS: _step_details,
}


def reconcile_step(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    org = operation.organization
    part = _part(org, SyncPart.Name.RECONCILE)
    cursor = operation.input.get("cursor") or {}
    if not cursor.get("page"):
        part.done, part.api_calls, part.total, part.write_seconds = 0, 0, None, 0.0
        part.started_at = timezone.now()
    started = timezone.now()
    next_cursor = voucherlist_pages(org, client, part, cursor, date_field="updatedDate")
    if next_cursor is None:
        _finish_part(part)
        SyncPart.objects.filter(organization=org, name=SyncPart.Name.VOUCHERLIST).update(
            synced_until=started
        )
        # Lists are small next to documents; contacts and articles have no "updated since".
        for name in (SyncPart.Name.CONTACTS, SyncPart.Name.ARTICLES, SyncPart.Name.DETAILS):
            operation_start(
                organization=org, kind=STEP, lane=Lane.BULK, input={"part": name, "chain": []}
            )
    else:
        part.cursor = next_cursor
        part.save()
        operation_start(
            organization=org, kind=RECONCILE, lane=Lane.BULK, input={"cursor": next_cursor}
        )
    return {"done": part.done, "api_calls": part.api_calls, "more": next_cursor is not None}
