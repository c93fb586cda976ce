"""Reference data every organisation sees (lexware-api.md §5.6, §5.16-5.18).

Country list: all EU member states (intraCommunity, Germany `de`), common third countries and
the extended special-tax-region codes of §5.6 (Canary Islands, Mount Athos, … are outside the
EU VAT area, hence thirdPartyCountry). Names are the usual German/English names.
"""

from __future__ import annotations

from typing import Any

_EU = [
    ("AT", "Österreich", "Austria"), ("BE", "Belgien", "Belgium"), ("BG", "Bulgarien", "Bulgaria"),
    ("CY", "Zypern", "Cyprus"), ("CZ", "Tschechien", "Czech Republic"), ("DK", "Dänemark", "Denmark"),
    ("EE", "Estland", "Estonia"), ("ES", "Spanien", "Spain"), ("FI", "Finnland", "Finland"),
    ("FR", "Frankreich", "France"), ("GR", "Griechenland", "Greece"), ("HR", "Kroatien", "Croatia"),
    ("HU", "Ungarn", "Hungary"), ("IE", "Irland", "Ireland"), ("IT", "Italien", "Italy"),
    ("LT", "Litauen", "Lithuania"), ("LU", "Luxemburg", "Luxembourg"), ("LV", "Lettland", "Latvia"),
    ("MT", "Malta", "Malta"), ("NL", "Niederlande", "Netherlands"), ("PL", "Polen", "Poland"),
    ("PT", "Portugal", "Portugal"), ("RO", "Rumänien", "Romania"), ("SE", "Schweden", "Sweden"),
    ("SI", "Slowenien", "Slovenia"), ("SK", "Slowakei", "Slovakia"),
]
_THIRD = [
    ("CH", "Schweiz", "Switzerland"), ("LI", "Liechtenstein", "Liechtenstein"),
    ("NO", "Norwegen", "Norway"), ("IS", "Island", "Iceland"), ("GB", "Vereinigtes Königreich", "United Kingdom"),
    ("US", "Vereinigte Staaten von Amerika", "United States of America"), ("CA", "Kanada", "Canada"),
    ("AU", "Australien", "Australia"), ("JP", "Japan", "Japan"), ("CN", "China", "China"),
    ("IN", "Indien", "India"), ("TR", "Türkei", "Turkey"), ("UA", "Ukraine", "Ukraine"),
    ("RS", "Serbien", "Serbia"), ("BA", "Bosnien und Herzegowina", "Bosnia and Herzegovina"),
    ("AL", "Albanien", "Albania"), ("MK", "Nordmazedonien", "North Macedonia"), ("ME", "Montenegro", "Montenegro"),
    ("AE", "Vereinigte Arabische Emirate", "United Arab Emirates"), ("IL", "Israel", "Israel"),
    ("ZA", "Südafrika", "South Africa"), ("BR", "Brasilien", "Brazil"), ("MX", "Mexiko", "Mexico"),
    ("SG", "Singapur", "Singapore"), ("KR", "Südkorea", "South Korea"), ("NZ", "Neuseeland", "New Zealand"),
    ("MC", "Monaco", "Monaco"), ("SM", "San Marino", "San Marino"), ("AD", "Andorra", "Andorra"),
    ("ES_CN", "Kanarische Inseln", "Canary Islands"), ("ES_CE", "Ceuta", "Ceuta"),
    ("ES_ML", "Melilla", "Melilla"), ("GR_69", "Berg Athos", "Mount Athos"),
    ("IT_LIV", "Livigno", "Livigno"), ("DE_HEL", "Helgoland", "Heligoland"),
    ("FR_GF", "Französisch-Guayana", "French Guiana"), ("FI_AX", "Ålandinseln", "Åland Islands"),
]


def countries() -> list[dict[str, Any]]:
    rows = [{"countryCode": "DE", "countryNameDE": "Deutschland", "countryNameEN": "Germany",
             "taxClassification": "de"}]
    rows += [{"countryCode": c, "countryNameDE": de, "countryNameEN": en, "taxClassification": "intraCommunity"}
             for c, de, en in _EU]
    rows += [{"countryCode": c, "countryNameDE": de, "countryNameEN": en, "taxClassification": "thirdPartyCountry"}
             for c, de, en in _THIRD]
    return rows


COUNTRY_CODES = frozenset(row["countryCode"] for row in countries())


def payment_conditions() -> list[dict[str, Any]]:
    """Exactly one organisation default (§5.16)."""
    return [
        {"id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a01", "organizationDefault": True,
         "paymentTermLabelTemplate": "Zahlbar sofort, rein netto", "paymentTermDuration": 0},
        {"id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a02", "organizationDefault": False,
         "paymentTermLabelTemplate": "Zahlbar innerhalb von {paymentRange} Tagen ohne Abzug",
         "paymentTermDuration": 14},
        {"id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a03", "organizationDefault": False,
         "paymentTermLabelTemplate": "Zahlbar innerhalb von {paymentRange} Tagen ohne Abzug",
         "paymentTermDuration": 30},
        {"id": "c3d0a8f2-3a51-4b7e-9d24-5b8f0e1c7a04", "organizationDefault": False,
         "paymentTermLabelTemplate": "{discount} Skonto bei Zahlung innerhalb von {discountRange} Tagen, "
                                     "zahlbar innerhalb von {paymentRange} Tagen",
         "paymentTermDuration": 30,
         "paymentDiscountConditions": {"discountPercentage": 2.0, "discountRange": 10}},
    ]


_INCOME = [
    ("8f8664a8-fd86-11e1-a21f-0800200c9a66", "Warenverkäufe", True, "Einnahmen"),
    ("8f8664a0-fd86-11e1-a21f-0800200c9a66", "Dienstleistungen", True, "Einnahmen"),
    ("8f8664a1-fd86-11e1-a21f-0800200c9a66", "Einnahmen", True, "Einnahmen"),
    ("9075a4e3-66de-4795-a016-3889feca0d20", "Innergemeinschaftliche Lieferung", False, "Einnahmen"),
    ("380a20cb-d04c-426e-b49c-84c22adfa362", "Fremdleistungen §13b", False, "Einnahmen"),
    ("93d24c20-ea84-424e-a731-5e1b78d1e6a9", "Ausfuhrlieferungen an Drittländer", False, "Einnahmen"),
    ("ef5b1a6e-f690-4004-9a19-91276348894f", "Dienstleistungen an Drittländer", False, "Einnahmen"),
    ("f5c7fee8-f184-4e7a-ab04-8f7e7ad6c207", "Einnahmen als Kleinunternehmer", False, "Einnahmen"),
    ("7c112b66-0565-479c-bc18-5845e080880a", "Fernverkauf", True, "Einnahmen"),
    ("d73b880f-c24a-41ea-a862-18d90e1c3d82", "Elektronische Dienstleistungen", True, "Einnahmen"),
    ("4ebd965a-7126-416c-9d8c-a5c9366ee473", "Fernverkauf in EU-Land steuerpflichtig", True, "Einnahmen"),
    ("7ecea006-844c-4c98-a02d-aa3142640dd5", "Elektronische Dienstleistung in EU-Land steuerpflichtig", True,
     "Einnahmen"),
]
# The purchase sample id of §5.17 plus a few plausible expense categories of our own.
_OUTGO = [
    ("16d04a28-fd91-11e1-a21f-0800200c9a66", "Wareneingang", True, "Ausgaben"),
    ("16d04a29-fd91-11e1-a21f-0800200c9a66", "Büromaterial", True, "Ausgaben"),
    ("16d04a2a-fd91-11e1-a21f-0800200c9a66", "Fremdleistungen", True, "Ausgaben"),
    ("16d04a2b-fd91-11e1-a21f-0800200c9a66", "Reisekosten", True, "Ausgaben"),
    ("16d04a2c-fd91-11e1-a21f-0800200c9a66", "Miete und Nebenkosten", True, "Ausgaben"),
    ("16d04a2d-fd91-11e1-a21f-0800200c9a66", "Telefon und Internet", True, "Ausgaben"),
    ("16d04a2e-fd91-11e1-a21f-0800200c9a66", "Kfz-Kosten", True, "Ausgaben"),
    ("16d04a2f-fd91-11e1-a21f-0800200c9a66", "Werbekosten", True, "Ausgaben"),
]
INCOME_CATEGORY_IDS = frozenset(row[0] for row in _INCOME)
# §5.17 "(DESTINATION)" categories: with distanceSalesPrinciple DESTINATION they book the
# destination country's VAT rates (§8.4; Appendix B, Baebeca 015).
DISTANCE_SALES_CATEGORY_IDS = frozenset({
    "4ebd965a-7126-416c-9d8c-a5c9366ee473",  # Fernverkauf in EU-Land steuerpflichtig
    "7ecea006-844c-4c98-a02d-aa3142640dd5",  # Elektronische Dienstleistung in EU-Land steuerpflichtig
})
OUTGO_CATEGORY_IDS = frozenset(row[0] for row in _OUTGO)


def posting_categories() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind, table in (("income", _INCOME), ("outgo", _OUTGO)):
        for cat_id, name, split, group in table:
            rows.append({"id": cat_id, "name": name, "type": kind, "contactRequired": False,
                         "splitAllowed": split, "groupName": group})
    return rows


def print_layouts() -> list[dict[str, Any]]:
    return [
        {"id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a01", "name": "Standard", "default": True},
        {"id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a02", "name": "Mit Bankverbindung und Logo", "default": False},
        {"id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a03", "name": "Englisch", "default": False},
    ]
