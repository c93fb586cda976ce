"""Reference data every organisation sees (lexware-api.md §5.6, §5.16-5.18).

Only entries with a citable source (issue 17, item 6; README "Reference data"):

* Countries: ISO 3166-1 (`data_countries`, generated from Debian iso-codes) with
  `taxClassification` `de` for DE, `intraCommunity` for the other 26 EU member states, else
  `thirdPartyCountry` (§5.6), plus the two special tax regions §5.6 names (`ES_CN`, `GR_69`;
  outside the EU VAT area, hence `thirdPartyCountry`). The live list has 257 entries
  (Appendix B); Lexware's own names and its remaining special-region codes are not available.
* Posting categories: the ids §5.17 documents, the purchase sample id of §5.17 and the ids
  public clients hard-code (Appendix B). The live list has 231 (62 income / 169 outgo, 12
  `contactRequired`); the rest is not available.
"""

from __future__ import annotations

from typing import Any

from lexware.simulator.data_countries import ISO_3166_1

# The 27 EU member states (§5.6 `intraCommunity`; Germany is `de`).
EU_MEMBER_STATES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
# §5.6: "extended ISO 3166-2 style codes for special tax regions (e.g. `ES_CN` Canary Islands,
# `GR_69` Mount Athos)". Only these two are named there.
SPECIAL_TAX_REGIONS = (
    ("ES_CN", "Kanarische Inseln", "Canary Islands"),
    ("GR_69", "Berg Athos", "Mount Athos"),
)


def _classification(code: str) -> str:
    if code == "DE":
        return "de"
    return "intraCommunity" if code in EU_MEMBER_STATES else "thirdPartyCountry"


def countries() -> list[dict[str, Any]]:
    rows = [
        {
            "countryCode": code,
            "countryNameDE": de,
            "countryNameEN": en,
            "taxClassification": _classification(code),
        }
        for code, de, en in ISO_3166_1
    ]
    rows += [
        {
            "countryCode": code,
            "countryNameDE": de,
            "countryNameEN": en,
            "taxClassification": "thirdPartyCountry",
        }
        for code, de, en in SPECIAL_TAX_REGIONS
    ]
    return rows


COUNTRY_CODES = frozenset(row["countryCode"] for row in countries())


def payment_conditions() -> list[dict[str, Any]]:
    """Exactly one organisation default (§5.16)."""
    return [
        {
            "id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a01",
            "organizationDefault": True,
            "paymentTermLabelTemplate": "Zahlbar sofort, rein netto",
            "paymentTermDuration": 0,
        },
        {
            "id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a02",
            "organizationDefault": False,
            "paymentTermLabelTemplate": "Zahlbar innerhalb von {paymentRange} Tagen ohne Abzug",
            "paymentTermDuration": 14,
        },
        {
            "id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a03",
            "organizationDefault": False,
            "paymentTermLabelTemplate": "Zahlbar innerhalb von {paymentRange} Tagen ohne Abzug",
            "paymentTermDuration": 30,
        },
        {
            "id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a04",
            "organizationDefault": False,
            "paymentTermLabelTemplate": "{discount} Skonto bei Zahlung innerhalb von {discountRange} Tagen, "
            "zahlbar innerhalb von {paymentRange} Tagen",
            "paymentTermDuration": 30,
            "paymentDiscountConditions": {"discountPercentage": 2.0, "discountRange": 10},
        },
    ]


# (id, name, splitAllowed, groupName, source). Ids and names of §5.17's table; `splitAllowed`
# and `groupName` are our choice (not documented).
_INCOME = [
    ("8f8664a8-fd86-11e1-a21f-0800200c9a66", "Warenverkäufe", True, "Einnahmen", "§5.17"),
    ("8f8664a0-fd86-11e1-a21f-0800200c9a66", "Dienstleistungen", True, "Einnahmen", "§5.17"),
    ("8f8664a1-fd86-11e1-a21f-0800200c9a66", "Einnahmen", True, "Einnahmen", "§5.17"),
    (
        "9075a4e3-66de-4795-a016-3889feca0d20",
        "Innergemeinschaftliche Lieferung",
        False,
        "Einnahmen",
        "§5.17",
    ),
    ("380a20cb-d04c-426e-b49c-84c22adfa362", "Fremdleistungen §13b", False, "Einnahmen", "§5.17"),
    (
        "93d24c20-ea84-424e-a731-5e1b78d1e6a9",
        "Ausfuhrlieferungen an Drittländer",
        False,
        "Einnahmen",
        "§5.17",
    ),
    (
        "ef5b1a6e-f690-4004-9a19-91276348894f",
        "Dienstleistungen an Drittländer",
        False,
        "Einnahmen",
        "§5.17",
    ),
    (
        "f5c7fee8-f184-4e7a-ab04-8f7e7ad6c207",
        "Einnahmen als Kleinunternehmer",
        False,
        "Einnahmen",
        "§5.17",
    ),
    ("7c112b66-0565-479c-bc18-5845e080880a", "Fernverkauf", True, "Einnahmen", "§5.17"),
    (
        "d73b880f-c24a-41ea-a862-18d90e1c3d82",
        "Elektronische Dienstleistungen",
        True,
        "Einnahmen",
        "§5.17",
    ),
    (
        "4ebd965a-7126-416c-9d8c-a5c9366ee473",
        "Fernverkauf in EU-Land steuerpflichtig",
        True,
        "Einnahmen",
        "§5.17",
    ),
    (
        "7ecea006-844c-4c98-a02d-aa3142640dd5",
        "Elektronische Dienstleistung in EU-Land steuerpflichtig",
        True,
        "Einnahmen",
        "§5.17",
    ),
    # Appendix B: hard-coded by public clients as "a 0 % category" (Baebeca's live voucher test
    # books a 0 % rounding line on a salesinvoice with it). Its Lexware name is not available.
    (
        "aba9020f-d0a6-47ca-ace6-03d6ed492351",
        "0 %-Kategorie (Name nicht belegt)",
        True,
        "Einnahmen",
        "Appendix B",
    ),
]
_OUTGO = [
    # §5.17: the purchase invoice sample's category. Its Lexware name is not available.
    (
        "16d04a28-fd91-11e1-a21f-0800200c9a66",
        "Ausgabenkategorie (Name nicht belegt)",
        True,
        "Ausgaben",
        "§5.17",
    ),
]
INCOME_CATEGORY_IDS = frozenset(row[0] for row in _INCOME)
# §5.17 "(DESTINATION)" categories: with distanceSalesPrinciple DESTINATION they book the
# destination country's VAT rates (§8.4; Appendix B, Baebeca 015).
DISTANCE_SALES_CATEGORY_IDS = frozenset(
    {
        "4ebd965a-7126-416c-9d8c-a5c9366ee473",  # Fernverkauf in EU-Land steuerpflichtig
        "7ecea006-844c-4c98-a02d-aa3142640dd5",  # Elektronische Dienstleistung in EU-Land steuerpflichtig
    }
)
OUTGO_CATEGORY_IDS = frozenset(row[0] for row in _OUTGO)


def posting_categories() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind, table in (("income", _INCOME), ("outgo", _OUTGO)):
        for cat_id, name, split, group, _source in table:
            rows.append(
                {
                    "id": cat_id,
                    "name": name,
                    "type": kind,
                    "contactRequired": False,
                    "splitAllowed": split,
                    "groupName": group,
                }
            )
    return rows


def print_layouts() -> list[dict[str, Any]]:
    return [
        {"id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a01", "name": "Standard", "default": True},
        {
            "id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a02",
            "name": "Mit Bankverbindung und Logo",
            "default": False,
        },
        {"id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a03", "name": "Englisch", "default": False},
    ]
