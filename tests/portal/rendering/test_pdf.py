"""The drawing itself (portal/rendering), checked by reading the PDFs back with pypdf."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from portal.rendering.fonts import clean
from portal.rendering.statement_pdf import draw_statement
from portal.rendering.voucher_pdf import draw_voucher

MARK_DE = "Entwurf / Vorschau – keine Rechnung"
MARK_EN = "Draft / preview – not an invoice"
LETTERHEAD = {
    "company": "Demo Werkstatt GmbH",
    "address_lines": ["Hauptstraße 1", "10115 Berlin"],
    "tax_number": "12/345/67890",
    "vat_id": "DE123456789",
    "bank": {
        "holder": "Demo Werkstatt GmbH",
        "iban": "DE02120300000000202051",
        "bic": "BYLADEM1001",
        "bank_name": "DKB",
    },
}


def voucher(**changes: Any) -> dict[str, Any]:
    """The §5.13 sample body: totals net 34.99, tax 6.05, gross 41.04 (§8.3)."""
    body: dict[str, Any] = {
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "address": {
            "name": "Müller & Söhne GmbH",
            "street": "Königsallee 5",
            "zip": "40212",
            "city": "Düsseldorf",
            "countryCode": "DE",
        },
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 3,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 10.0, "taxRatePercentage": 19},
                "discountPercentage": 0,
                "description": "**Vor Ort** und __remote__\n- Analyse\n- Umsetzung",
            },
            {
                "type": "custom",
                "name": "Fachbuch",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "netAmount": 4.99, "taxRatePercentage": 7},
            },
            {"type": "text", "name": "Hinweis", "description": "Leistungszeitraum Februar"},
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "paymentConditions": {"paymentTermLabel": "Zahlbar in 14 Tagen", "paymentTermDuration": 14},
        "shippingConditions": {
            "shippingType": "serviceperiod",
            "shippingDate": "2026-02-01T00:00:00.000+01:00",
            "shippingEndDate": "2026-02-28T00:00:00.000+01:00",
        },
        "title": "Rechnung",
        "introduction": "Wir berechnen Ihnen:",
        "remark": "Vielen Dank.",
    }
    body.update(changes)
    return body


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def render(language: str = "de", voucher_type: str = "invoice", **changes: Any) -> list[str]:
    payload = {
        "kind": "preview",
        "language": language,
        "voucher_type": voucher_type,
        "voucher": voucher(**changes),
        "letterhead": LETTERHEAD,
    }
    rendered = draw_voucher(payload)
    texts = pages(rendered.content)
    assert len(texts) == rendered.pages
    return texts


def test_preview_shows_letterhead_lines_totals_and_the_mark() -> None:
    [text] = render()
    assert MARK_DE in text
    for expected in (
        "Demo Werkstatt GmbH",
        "Müller & Söhne GmbH",
        "Rechnung Entwurf",
        "Beratung",
        "Fachbuch",
        "Hinweis",
        "Leistungszeitraum Februar",
        "Analyse",
        "zzgl. Umsatzsteuer 19 % auf 30,00 €",
        "5,70 €",
        "0,35 €",
        "34,99 €",
        "41,04 €",
        "Zahlbar in 14 Tagen",
        "Vielen Dank.",
        "IBAN DE02120300000000202051",
        "Steuernummer 12/345/67890",
        "01.02.2026 – 28.02.2026",
        "Seite 1 von 1",
    ):
        assert expected in text, expected
    assert "**" not in text and "__" not in text  # formatting applied, not printed


def test_english_document_speaks_english() -> None:
    [text] = render(language="en")
    assert MARK_EN in text and MARK_DE not in text
    assert "plus VAT 19% on €30.00" in text and "€41.04" in text and "Page 1 of 1" in text


def test_gross_document_shows_included_tax() -> None:
    items = [
        {
            "type": "custom",
            "name": "Paket",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "grossAmount": 23.90, "taxRatePercentage": 19},
        }
    ]
    [text] = render(lineItems=items, taxConditions={"taxType": "gross"})
    assert "darin enthaltene Umsatzsteuer 19 % auf 23,90 €" in text and "3,82 €" in text


def test_quotation_optional_and_alternative_items_are_shown_but_not_counted() -> None:
    items = [
        {
            "type": "custom",
            "name": "Hauptposition",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "grossAmount": 23.90, "taxRatePercentage": 19},
            "subItems": [
                {
                    "type": "custom",
                    "name": "Variante",
                    "quantity": 1,
                    "unitName": "Stück",
                    "alternative": True,
                    "unitPrice": {"currency": "EUR", "grossAmount": 15.95, "taxRatePercentage": 19},
                }
            ],
        },
        {
            "type": "custom",
            "name": "Zubehör",
            "quantity": 1,
            "unitName": "Stück",
            "optional": True,
            "unitPrice": {"currency": "EUR", "grossAmount": 4.90, "taxRatePercentage": 19},
        },
    ]
    [text] = render(
        voucher_type="quotation",
        lineItems=items,
        taxConditions={"taxType": "gross"},
        title=None,
        expirationDate="2026-04-01T00:00:00.000+02:00",
    )
    assert (
        "Angebot Entwurf" in text
        and "Alternative: Variante" in text
        and "Zubehör (optional)" in text
    )
    assert "Gesamtbetrag brutto 23,90 €" in text and "Gültig bis" in text


def test_300_items_with_2000_character_texts_break_pages_and_repeat_the_header() -> None:
    long_text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40)[:2000]
    items = [
        {
            "type": "custom",
            "name": f"Artikel {i}",
            "quantity": 1,
            "unitName": "Stück",
            "description": long_text,
            "unitPrice": {"currency": "EUR", "netAmount": 1, "taxRatePercentage": 19},
        }
        for i in range(300)
    ]
    texts = render(lineItems=items, introduction=long_text, remark=long_text)
    assert len(texts) > 100
    assert all(MARK_DE in text for text in texts)
    # The column header repeats on every page the table runs over (the last may hold totals only).
    assert all("Bezeichnung" in text and "Einzelpreis" in text for text in texts[:-1])
    assert f"Seite {len(texts)} von {len(texts)}" in texts[-1]
    assert "Artikel 299" in "".join(texts[-3:])
    assert "357,00 €" in "".join(texts[-2:])  # 300 × 1 € + 19 %, before the 2,000-character remark


def test_characters_outside_the_font_never_crash_a_render() -> None:
    hostile = "日本語 😀 \u202e RTL \x00\x07 ✓ Œuvre ő ﬁ \ud7ff − –"
    [text] = render(
        title=hostile[:25],
        introduction=hostile,
        remark="**unbalanced __ markers \\ -- [x](y)",
        address={"name": hostile, "countryCode": "JP"},
    )
    assert MARK_DE in text and "?" in text and "Œuvre" in text and "[x](y)" in text


def test_clean_replaces_what_the_font_lacks_and_keeps_german() -> None:
    assert clean("Grüße „Straße“ – 5 € …") == "Grüße „Straße“ – 5 € …"
    assert clean("日\x00a\u200bb") == "?ab"
    assert clean("a\r\nb", multiline=False) == "a b"


def test_statement_lists_open_items_and_total() -> None:
    payload = {
        "kind": "statement",
        "language": "de",
        "letterhead": LETTERHEAD,
        "recipient": {"name": "Müller & Söhne GmbH", "city": "Düsseldorf"},
        "customer_number": "10001",
        "as_of": "2026-11-28",
        "items": [
            {
                "number": "RE0001",
                "date": "2026-01-02T00:00:00+01:00",
                "due_date": "2026-01-16T00:00:00+01:00",
                "amount": "119.00",
                "open": "100.00",
                "days_overdue": 316,
                "currency": "EUR",
            },
            {
                "number": "RE0002",
                "date": "2026-11-20T00:00:00+01:00",
                "due_date": "2026-12-04T00:00:00+01:00",
                "amount": "59.50",
                "open": "59.50",
                "days_overdue": 0,
                "currency": "EUR",
            },
        ],
        "total": "159.50",
    }
    rendered = draw_statement(payload)
    [text] = pages(rendered.content)
    for expected in (
        "Kontoauszug – offene Posten",
        "Stand 28.11.2026",
        "RE0001",
        "02.01.2026",
        "16.01.2026",
        "119,00 €",
        "100,00 €",
        "316",
        "RE0002",
        "Offen insgesamt",
        "159,50 €",
        "10001",
    ):
        assert expected in text, expected
    assert MARK_DE not in text  # a statement is not a draft
    empty = draw_statement({**payload, "language": "en", "items": [], "total": "0"})
    assert "No invoices are open" in pages(empty.content)[0]


def test_preview_totals_are_the_ones_lexware_stores_for_the_finalized_document() -> None:
    """The simulator prices a stored (finalized) voucher with `price_voucher`; the preview
    prints the same net, tax and gross, discounts included."""
    import copy

    from lexware.totals import price_voucher
    from portal.rendering.labels import GERMAN

    items = [
        {
            "type": "custom",
            "name": f"Position {n}",
            "quantity": 1 + n % 3,
            "unitName": "Stück",
            "unitPrice": {
                "currency": "EUR",
                "netAmount": 9.99 + n * 3.33,
                "taxRatePercentage": 19 if n % 2 else 7,
            },
            "discountPercentage": 10 if n % 4 == 0 else 0,
        }
        for n in range(9)
    ]
    body = voucher(lineItems=items, totalPrice={"currency": "EUR", "totalDiscountPercentage": 3})
    stored = copy.deepcopy(body)
    price_voucher(stored)
    [text] = render(lineItems=items, totalPrice={"currency": "EUR", "totalDiscountPercentage": 3})
    total = stored["totalPrice"]
    for key in ("totalNetAmount", "totalGrossAmount"):
        assert GERMAN.money(total[key]) in text, (key, total[key])
    for group in stored["taxAmounts"]:
        assert GERMAN.money(group["taxAmount"]) in text, group


def test_a_draft_shows_entwurf_even_when_lexware_numbered_it() -> None:
    # Found walking the demo: the simulator (like Lexware's samples) numbers drafts, and the
    # preview of draft RE10145 printed that number, though finalizing made RE10146.
    [text] = render(voucherStatus="draft", voucherNumber="RE10145")
    assert "Rechnung Entwurf" in text and "Nummer Entwurf" in text
    assert "RE10145" not in text
    [final] = render(voucherStatus="open", voucherNumber="RE10146")
    assert "Rechnung RE10146" in final and "Nummer RE10146" in final
