"""Up to 300 items (§5.1): the editor's htmx totals update for a quotation of 300 lines
(regular, optional and alternative items at 19 % and 7 %) is right to the cent, and a row
action at 300 lines is right too. Run with -s for the figures (server time per request, no
timing asserted: the machine is shared): a row action without the script re-renders the whole
editor (before); with the script (static/js/sales-editor.js) the row moves in the page and the
server only answers the totals update that follows (after)."""

from __future__ import annotations

import re
import statistics
import time
from decimal import Decimal
from urllib.parse import urlencode

from lexware.totals import Line, compute
from portal.sales.lines import LINE_FIELDS
from tests.portal.sales.conftest import form_fields

NEW = "/o/alpha/documents/new/quotation/"
TOTALS = f"{NEW}totals/"


def _data(client) -> tuple[dict[str, str], list[Line]]:
    # Every field the editor's page has (header and the rows' ten), as a browser posts them.
    data = {
        **form_fields(client.get(NEW).content.decode()),
        "address_name": "Großkunde AG",
        "address_country": "DE",
        "voucher_date": "2026-11-02",
        "expiration_date": "2026-12-02",
        "tax_type": "net",
        "lines-TOTAL_FORMS": "300",
        "lines-INITIAL_FORMS": "0",
    }
    expected: list[Line] = []
    for i in range(300):
        position = ("", "optional", "alternative", "")[i % 4]
        rate = "19" if i % 3 else "7"
        price = f"{(i * 7919) % 50000 / 100 + 0.05:.2f}"
        quantity = f"{1 + i % 5}.25"
        data.update(
            {
                f"lines-{i}-type": "custom",
                f"lines-{i}-article_id": "",
                f"lines-{i}-description": "",
                f"lines-{i}-name": f"Position {i + 1}",
                f"lines-{i}-quantity": quantity,
                f"lines-{i}-unit_name": "Stück",
                f"lines-{i}-unit_price": price,
                f"lines-{i}-tax_rate": rate,
                f"lines-{i}-discount": "2.5" if i % 7 == 0 else "",
                f"lines-{i}-position": position,
            }
        )
        expected.append(
            Line(
                quantity=Decimal(quantity),
                price=Decimal(price),
                tax_rate=Decimal(rate),
                discount_percentage=Decimal("2.5") if i % 7 == 0 else Decimal(0),
                counted=position == "",
            )
        )
    return data, expected


def test_the_totals_of_300_lines_are_right_and_quick(client_for, bob, connected) -> None:

    client = client_for(bob)
    data, expected = _data(client)
    totals = compute(expected, gross_prices=False)
    timings = []
    for _round in range(5):
        started = time.perf_counter()
        # As htmx sends it: urlencoded, not multipart.
        response = client.post(
            TOTALS,
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"},
        )
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    html = response.content.decode()
    shown = dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))
    assert (
        shown["net"]
        .replace(".", "")
        .replace(",", "")
        .endswith(f"{totals.net:.2f}".replace(".", ""))
    ), (shown, totals.net)
    assert len(re.findall(r'id="line-amount-\d+" hx-swap-oob', html)) == 300
    assert len(data) > 3000  # what DATA_UPLOAD_MAX_NUMBER_FIELDS must allow
    print(f"\n300-line totals update: {_figures(timings)}")

    # Before: a row action posted as a button (no script) re-renders the whole editor.
    moves = []
    for _round in range(3):
        started = time.perf_counter()
        response = client.post(
            NEW,
            urlencode({**data, "action": "up:150"}),
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"},
        )
        moves.append(time.perf_counter() - started)
    moved = re.search(r'name="lines-149-name" value="([^"]*)"', response.content.decode())
    assert moved and moved.group(1) == "Position 151"
    print(f"300-line row action, whole editor (without the script): {_figures(moves)}")

    # After: the script moves line 151 up (or removes line 1 and renumbers) in the page; the
    # server's part of the row action is the totals update of the new order.
    swapped = {**data}
    for key in LINE_FIELDS:
        swapped[f"lines-149-{key}"] = data[f"lines-150-{key}"]
        swapped[f"lines-150-{key}"] = data[f"lines-149-{key}"]
    removed = {k: v for k, v in data.items() if not k.startswith("lines-")}
    removed.update({k: v for k, v in data.items() if k.startswith("lines-") and "-" not in k[6:]})
    removed["lines-TOTAL_FORMS"] = "299"
    for i in range(1, 300):
        for key in LINE_FIELDS:
            removed[f"lines-{i - 1}-{key}"] = data[f"lines-{i}-{key}"]
    in_page = []
    for posted, gone in ((swapped, None), (removed, 0)) * 3:
        started = time.perf_counter()
        response = client.post(
            TOTALS,
            urlencode(posted),
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"},
        )
        in_page.append(time.perf_counter() - started)
        html = response.content.decode()
        amounts = re.findall(r'id="line-amount-\d+" hx-swap-oob', html)
        assert len(amounts) == (300 if gone is None else 299)
        left = [line for i, line in enumerate(expected) if i != gone]
        net = compute(left, gross_prices=False).net
        shown_net = dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))["net"]
        assert shown_net.replace(".", "").replace(",", "").endswith(f"{net:.2f}".replace(".", ""))
    print(f"300-line row action in the page (script), its totals update: {_figures(in_page)}")


def _figures(timings: list[float]) -> str:
    median = statistics.median(timings)
    return f"median {median * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
