"""Property: for random quotations with regular, optional and alternative items, the editor's
preview equals what the simulator's pricing (`price_voucher`, the same lexware.totals) stores
for the body the editor sends — net and gross documents, line and total discounts."""

from __future__ import annotations

import copy
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexware.totals import price_voucher
from portal.sales.forms import DocumentForm
from portal.sales.preview import preview
from portal.sales.types import SALES_TYPES

ROW = st.fixed_dictionaries(
    {
        "position": st.sampled_from(["", "", "optional", "alternative"]),
        "quantity": st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(500), places=4),
        "unit_price": st.decimals(min_value=Decimal(0), max_value=Decimal(20000), places=4),
        "tax_rate": st.sampled_from(["19", "7", "0"]),
        "discount": st.one_of(
            st.just(""), st.decimals(min_value=Decimal(0), max_value=Decimal(100), places=2)
        ),
    }
)


def _data(rows, gross: bool, total_discount) -> dict[str, str]:
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "address_name": "Zufall GmbH",
        "address_country": "DE",
        "voucher_date": "2026-11-02",
        "expiration_date": "2026-12-02",
        "tax_type": "gross" if gross else "net",
        "total_discount_percentage": "" if total_discount is None else f"{total_discount}",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        position = row["position"]
        if index == 0 and position == "alternative":
            position = ""  # an alternative needs an item above it
        data.update(
            {
                f"lines-{index}-type": "custom",
                f"lines-{index}-name": f"Position {index + 1}",
                f"lines-{index}-unit_name": "Stück",
                f"lines-{index}-quantity": f"{row['quantity']}",
                f"lines-{index}-unit_price": f"{row['unit_price']}",
                f"lines-{index}-tax_rate": row["tax_rate"],
                f"lines-{index}-discount": f"{row['discount']}",
                f"lines-{index}-position": position,
            }
        )
    return data


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(ROW, min_size=1, max_size=8),
    gross=st.booleans(),
    total_discount=st.one_of(
        st.none(), st.decimals(min_value=Decimal(0), max_value=Decimal(50), places=2)
    ),
)
def test_the_preview_equals_the_simulators_pricing(rows, gross, total_discount) -> None:
    from django.utils import translation

    with translation.override("en"):
        form = DocumentForm(_data(rows, gross, total_discount), sales_type=SALES_TYPES["quotation"])
        assert form.is_valid(), (form.errors, [f.errors for f in form.lines.forms])
        shown = preview(form)
        body = copy.deepcopy(form.to_lexware())
    price_voucher(body)
    total = body["totalPrice"]
    assert float(shown.totals.net) == total["totalNetAmount"]
    assert float(shown.totals.gross) == total["totalGrossAmount"]
    assert float(shown.totals.tax) == total["totalTaxAmount"]
    # Every row's amount, in the order of the rows (alternatives nested in the body).
    stored = []
    for item in body["lineItems"]:
        stored.append(item["lineItemAmount"])
        stored.extend(sub["lineItemAmount"] for sub in item.get("subItems") or [])
    assert [float(a) for a in shown.line_amounts] == stored
    counted = [
        r
        for i, r in enumerate(rows)
        if r["position"] == "" or (i == 0 and r["position"] == "alternative")
    ]
    if not counted:
        assert total["totalGrossAmount"] == 0
