"""``LexwareClient``: one object per API key with a namespace per API area (openai-python
``_client.py`` shape). All requests go through :class:`lexware._http.HttpCore`.

::

    with LexwareClient(api_key, limiter=RedisRateLimiter.from_url(url)) as client:
        page = client.contacts.list(name="Werkstatt")
        result = client.invoices.create(body, finalize=True)
        pdf = client.invoices.file(result.id, accept="pdf")
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from lexware._http import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_WRITE_TIMEOUT,
    HttpCore,
    ParamValue,
    RawResponse,
    RetryPolicy,
)
from lexware.ratelimit import LANES, InMemoryRateLimiter, RateLimiter
from lexware.resources import (
    Articles,
    Contacts,
    Countries,
    CreditNotes,
    DeliveryNotes,
    DownPaymentInvoices,
    Dunnings,
    EventSubscriptions,
    Files,
    Invoices,
    OrderConfirmations,
    PaymentConditions,
    Payments,
    PostingCategories,
    PrintLayouts,
    ProfileResource,
    Quotations,
    RecurringTemplates,
    Voucherlist,
    Vouchers,
)


class LexwareClient:
    """Client of the Lexware Office public API for one API key.

    ``limiter`` defaults to an in-process limiter; processes that share a key must share a
    limiter store (Redis or file). ``lane`` is "interactive" (a user waits) or "bulk".
    ``timeout`` applies to reads, ``write_timeout`` to POST/PUT (read 35 s: longer than the
    gateway's 30 s so its 504 is seen). Redirects are never followed; TLS is always verified.
    """

    contacts: Contacts
    articles: Articles
    invoices: Invoices
    quotations: Quotations
    credit_notes: CreditNotes
    order_confirmations: OrderConfirmations
    delivery_notes: DeliveryNotes
    dunnings: Dunnings
    down_payment_invoices: DownPaymentInvoices
    voucherlist: Voucherlist
    vouchers: Vouchers
    files: Files
    payments: Payments
    countries: Countries
    payment_conditions: PaymentConditions
    posting_categories: PostingCategories
    print_layouts: PrintLayouts
    profile: ProfileResource
    recurring_templates: RecurringTemplates
    event_subscriptions: EventSubscriptions

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        write_timeout: httpx.Timeout = DEFAULT_WRITE_TIMEOUT,
        limiter: RateLimiter | None = None,
        lane: str = "interactive",
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if lane not in LANES:
            raise ValueError(f"lane must be one of {LANES}")
        self._http = HttpCore(
            api_key,
            base_url=base_url,
            timeout=timeout,
            write_timeout=write_timeout,
            limiter=limiter if limiter is not None else InMemoryRateLimiter(),
            lane=lane,
            transport=transport,
            retry=retry,
            max_download_bytes=max_download_bytes,
            sleep=sleep,
        )
        self._bind()

    def _bind(self) -> None:
        http = self._http
        self.contacts = Contacts(http)
        self.articles = Articles(http)
        self.invoices = Invoices(http)
        self.quotations = Quotations(http)
        self.credit_notes = CreditNotes(http)
        self.order_confirmations = OrderConfirmations(http)
        self.delivery_notes = DeliveryNotes(http)
        self.dunnings = Dunnings(http)
        self.down_payment_invoices = DownPaymentInvoices(http)
        self.voucherlist = Voucherlist(http)
        self.vouchers = Vouchers(http)
        self.files = Files(http)
        self.payments = Payments(http)
        self.countries = Countries(http)
        self.payment_conditions = PaymentConditions(http)
        self.posting_categories = PostingCategories(http)
        self.print_layouts = PrintLayouts(http)
        self.profile = ProfileResource(http)
        self.recurring_templates = RecurringTemplates(http)
        self.event_subscriptions = EventSubscriptions(http)

    @property
    def key_id(self) -> str:
        """The non-secret fingerprint of the API key (the limiter's bucket id)."""
        return self._http.key_id

    @property
    def lane(self) -> str:
        return self._http.lane

    def with_lane(self, lane: str) -> LexwareClient:
        """A client for another lane sharing this one's connections and circuit breaker."""
        if lane not in LANES:
            raise ValueError(f"lane must be one of {LANES}")
        other = copy.copy(self)
        other._http = copy.copy(self._http)
        other._http.lane = lane
        other._bind()
        return other

    def before_send(self, callback: Callable[[str, str], None] | None) -> None:
        """`callback(method, path)` runs after the rate limiter's permit, just before each
        request is handed to the network (retries included). Until it has run for a write,
        that write surely did not reach Lexware: a caller can tell "never sent" from "maybe
        sent" after a crash."""
        self._http.before_send = callback

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, ParamValue] | None = None,
        json: Any = None,
        accept: str = "application/json",
    ) -> RawResponse:
        """One call to any endpoint, through the same loop as every resource (auth, limiter,
        retries, the write rules): the portal's API console. `path` starts with "/v1/".
        Answers >= 300 raise like any call; the exception carries status and body."""
        if not path.startswith("/v1/"):
            raise ValueError("path must start with /v1/")
        resource = path.split("/")[2] if path.count("/") >= 2 else "console"
        return self._http.request(
            method, path, resource=resource or "console", params=params, json=json, accept=accept
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LexwareClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LexwareClient(base_url={self._http.base_url!r}, key_id={self.key_id!r})"
