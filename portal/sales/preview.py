"""Live totals under the items (DESIGN.md §7): computed by `lexware.totals.compute`, the same
function the simulator prices stored documents with (`price_voucher`), from whatever of the
form is already valid. Rows that cannot be priced yet count as nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from lexware.totals import Line, Totals, compute
from portal.core.templatetags.formatting import format_money
from portal.sales.forms import GROSS, VAT_FREE_TYPES, DocumentForm
from portal.sales.lines import TEXT
from portal.sales.quotation_items import counted


@dataclass(frozen=True)
class Preview:
    totals: Totals
    line_amounts: tuple[Decimal | None, ...]
    gross: bool

    @property
    def undiscounted(self) -> Decimal:
        """Sum of the counted lines before the total discount (net or gross, as the lines)."""
        base = self.totals.gross if self.gross else self.totals.net
        return base + self.totals.discount_absolute


def preview(form: DocumentForm) -> Preview:
    """Totals of a bound form, valid or not."""
    form.is_valid()
    header = getattr(form, "cleaned_data", {})
    tax_type = header.get("tax_type") or form.data.get("tax_type") or "net"
    discounts = form.sales_type.discounts
    quotation = form.sales_type.voucher_type == "quotation"
    lines: list[Line] = []
    positions: list[int | None] = []
    for row in form.lines.forms:
        data = getattr(row, "cleaned_data", None) or {}
        quantity, price = data.get("quantity"), data.get("unit_price")
        rate = data.get("tax_rate")
        if (
            data.get("type") == TEXT
            or quantity is None
            or price is None
            or rate is None
            or any(
                name in row.errors for name in ("quantity", "unit_price", "tax_rate", "discount")
            )
        ):
            positions.append(None)
            continue
        positions.append(len(lines))
        lines.append(
            Line(
                quantity=quantity,
                price=price,
                tax_rate=Decimal(0) if tax_type in VAT_FREE_TYPES else Decimal(rate),
                discount_percentage=(data.get("discount") or Decimal(0))
                if discounts
                else Decimal(0),
                # §5.20: optional items and alternatives are priced but not counted.
                counted=not quotation or counted(data.get("position")),
            )
        )
    percentage = header.get("total_discount_percentage") if discounts else None
    absolute = header.get("total_discount_absolute") if discounts else None
    totals = compute(
        lines,
        gross_prices=tax_type == GROSS,
        discount_percentage=percentage or None,
        discount_absolute=None if percentage else (absolute or None),
    )
    amounts = tuple(None if p is None else totals.line_amounts[p] for p in positions)
    for row, amount in zip(form.lines.forms, amounts, strict=True):
        row.preview_amount = amount
    return Preview(totals=totals, line_amounts=amounts, gross=tax_type == GROSS)


def amounts_oob(result: Preview) -> SafeString:
    """Every row's amount as an out-of-band swap for the totals update: the HTML of the
    template's `line-amount` partial, written here because 300 partial renders were a good
    part of an update's time."""
    return mark_safe(
        "".join(
            f'<output id="line-amount-{index}" hx-swap-oob="true">'
            f"{'' if amount is None else conditional_escape(format_money(amount))}</output>"
            for index, amount in enumerate(result.line_amounts)
        )
    )
