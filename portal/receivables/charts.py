"""Geometry of the receivables charts, drawn as SVG by the templates on the server.

No script and no inline style (the CSP stays strict): the templates write plain SVG elements
with presentation attributes (x, y, width, height, fill) and classes that static CSS colours,
so the charts print as they are shown. Numbers here are SVG user units of a fixed viewBox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.receivables.history import Month
from portal.receivables.selectors import BucketFigure


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str
    value: Decimal
    count: int = 0
    key: str = ""


@dataclass(frozen=True)
class Tick:
    y: float
    value: Decimal


@dataclass(frozen=True)
class BucketChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


STRIP_WIDTH = 600
STRIP_HEIGHT = 18


def aging_strip(figures: list[BucketFigure]) -> list[Bar]:
    """The dashboard's small aging bar: one strip, a segment per bucket as wide as its share
    of the open amount (a bucket with invoices keeps at least a sliver, so it can be seen)."""
    total = sum((f.amount for f in figures if f.amount > 0), Decimal("0"))
    if total <= 0:
        return []
    segments = []
    x = 0.0
    for figure in figures:
        if figure.count == 0:
            continue
        share = float(max(figure.amount, Decimal("0")) / total)
        width = round(max(share * STRIP_WIDTH, 3.0), 1)
        segments.append(
            Bar(
                x=round(x, 1),
                y=0,
                width=width,
                height=STRIP_HEIGHT,
                css=f"chart-bar chart-bar--{figure.bucket.key}",
                label=str(figure.bucket.label),
                value=figure.amount,
                count=figure.count,
                key=figure.bucket.key,
            )
        )
        x += width
    # Slivers may push the strip past its width: scale back into the viewBox.
    if x > STRIP_WIDTH:
        factor = STRIP_WIDTH / x
        segments = [
            Bar(
                x=round(bar.x * factor, 1),
                y=bar.y,
                width=round(bar.width * factor, 1),
                height=bar.height,
                css=bar.css,
                label=bar.label,
                value=bar.value,
                count=bar.count,
                key=bar.key,
            )
            for bar in segments
        ]
    return segments


BUCKET_ROW = 34
BUCKET_BAR = 22
BUCKET_WIDTH = 640
BUCKET_LABEL = 130
BUCKET_VALUE_ROOM = 130


def bucket_chart(figures: list[BucketFigure]) -> BucketChart:
    """One horizontal bar per bucket, longest = the largest amount."""
    largest = max((f.amount for f in figures), default=Decimal("0")) or Decimal("1")
    room = BUCKET_WIDTH - BUCKET_LABEL - BUCKET_VALUE_ROOM
    bars = []
    for index, figure in enumerate(figures):
        length = float(figure.amount / largest) * room if figure.amount > 0 else 0.0
        bars.append(
            Bar(
                x=BUCKET_LABEL,
                y=index * BUCKET_ROW + (BUCKET_ROW - BUCKET_BAR) / 2,
                width=round(max(length, 1.0 if figure.count else 0.0), 1),
                height=BUCKET_BAR,
                css=f"chart-bar chart-bar--{figure.bucket.key}",
                label=str(figure.bucket.label),
                value=figure.amount,
                count=figure.count,
                key=figure.bucket.key,
            )
        )
    return BucketChart(
        width=BUCKET_WIDTH,
        height=len(figures) * BUCKET_ROW,
        label_width=BUCKET_LABEL,
        bars=bars,
    )


@dataclass(frozen=True)
class MonthGroup:
    start: date
    x: float
    center: float
    invoiced: Bar
    paid: Bar


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    plot_right: int
    ticks: list[Tick]
    groups: list[MonthGroup]


MONTH_WIDTH = 720
MONTH_HEIGHT = 260
PLOT_LEFT = 80
PLOT_TOP = 10
PLOT_BOTTOM = 220


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (axis maximum)."""
    if value <= 0:
        return Decimal("1")
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"), Decimal("10")):
        if value <= step * magnitude:
            return step * magnitude
    return Decimal("10") * magnitude


def month_chart(months: list[Month]) -> MonthChart:
    """Two vertical bars per month (invoiced, paid) on a shared axis with four ticks."""
    top = nice_ceiling(max((max(m.invoiced, m.paid) for m in months), default=Decimal("0")))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (MONTH_WIDTH - PLOT_LEFT - 10) / max(len(months), 1)
    bar = slot * 0.36

    def height(value: Decimal) -> float:
        return round(float(value / top) * plot_height, 1) if value > 0 else 0.0

    groups = []
    for index, month in enumerate(months):
        x = PLOT_LEFT + index * slot + slot * 0.12
        invoiced_h, paid_h = height(month.invoiced), height(month.paid)
        groups.append(
            MonthGroup(
                start=month.start,
                x=round(x, 1),
                center=round(PLOT_LEFT + index * slot + slot / 2, 1),
                invoiced=Bar(
                    round(x, 1),
                    PLOT_BOTTOM - invoiced_h,
                    round(bar, 1),
                    invoiced_h,
                    "chart-bar chart-bar--invoiced",
                    "",
                    month.invoiced,
                ),
                paid=Bar(
                    round(x + bar, 1),
                    PLOT_BOTTOM - paid_h,
                    round(bar, 1),
                    paid_h,
                    "chart-bar chart-bar--paid",
                    "",
                    month.paid,
                ),
            )
        )
    ticks = [
        Tick(round(PLOT_BOTTOM - plot_height * share, 1), top * Decimal(str(share)))
        for share in (0, 0.25, 0.5, 0.75, 1)
    ]
    return MonthChart(
        width=MONTH_WIDTH,
        height=MONTH_HEIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_BOTTOM,
        plot_left=PLOT_LEFT,
        plot_right=MONTH_WIDTH - 10,
        ticks=ticks,
        groups=groups,
    )
