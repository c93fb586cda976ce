"""Demo and scale content (seed.py). Everything is built as plain dicts in the stored shape,
without going through the handlers: seeding 100,000 vouchers must stay well under a minute."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lexware.simulator.pdfgen_receipts import receipt_pdf, receipt_png
from lexware.simulator.seed_base import new_tenant, new_uuid, optional_module
from lexware.simulator.state import Tenant
from lexware.simulator.timefmt import BERLIN, add_days, berlin_date, format_datetime

COMPANY = "Brenner Holz & Bau GmbH"
_FIRMS = [
    "Schreinerei",
    "Elektro",
    "Sanitär",
    "Gartenbau",
    "Dachdeckerei",
    "Malerbetrieb",
    "Autohaus",
    "Praxis",
    "Kanzlei",
    "Bäckerei",
    "Hotel",
    "Ingenieurbüro",
    "Baustoffhandel",
    "Metallbau",
]
_FAMILY = [
    "Becker",
    "Schulz",
    "Hoffmann",
    "Wagner",
    "Neumann",
    "Krüger",
    "Lange",
    "Vogel",
    "Hahn",
    "Keller",
    "Frank",
    "Berger",
    "Roth",
    "Beck",
    "Lorenz",
    "Jäger",
    "Winter",
    "Sommer",
    "Brandt",
]
_FIRST = [
    "Anna",
    "Lukas",
    "Marie",
    "Jonas",
    "Lea",
    "Felix",
    "Mia",
    "Paul",
    "Emma",
    "Leon",
    "Sofia",
    "Noah",
    "Clara",
    "Elias",
    "Hannah",
    "Ben",
]
_CITIES = [
    ("10115", "Berlin"),
    ("20095", "Hamburg"),
    ("80331", "München"),
    ("50667", "Köln"),
    ("60311", "Frankfurt am Main"),
    ("70173", "Stuttgart"),
    ("04109", "Leipzig"),
    ("28195", "Bremen"),
    ("90402", "Nürnberg"),
    ("01067", "Dresden"),
    ("30159", "Hannover"),
    ("79098", "Freiburg"),
]
_FOREIGN = [
    ("AT", "1010", "Wien"),
    ("CH", "8001", "Zürich"),
    ("NL", "1012", "Amsterdam"),
    ("FR", "67000", "Strasbourg"),
]
_STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Lindenallee",
    "Am Markt",
    "Industriestraße",
    "Mühlenweg",
]
_ARTICLES = [
    ("Montagestunde Geselle", "SERVICE", "Stunde", 58.0),
    ("Montagestunde Meister", "SERVICE", "Stunde", 72.0),
    ("Anfahrtspauschale", "SERVICE", "Pauschal", 35.0),
    ("Aufmaß vor Ort", "SERVICE", "Pauschal", 90.0),
    ("Wartungspauschale", "SERVICE", "Monat", 50.0),
    ("Planung und Beratung", "SERVICE", "Stunde", 85.0),
    ("Entsorgung Bauschutt", "SERVICE", "m³", 120.0),
    ("Gerüststellung", "SERVICE", "Tag", 180.0),
    ("Konstruktionsvollholz 60x120", "PRODUCT", "lfm", 7.9),
    ("Douglasie Terrassendiele", "PRODUCT", "lfm", 9.45),
    ("OSB-Platte 18 mm", "PRODUCT", "Stück", 24.9),
    ("Dämmwolle 140 mm", "PRODUCT", "m²", 11.2),
    ("Dachlatte 30x50", "PRODUCT", "lfm", 1.35),
    ("Holzschutzlasur 2,5 l", "PRODUCT", "Stück", 32.5),
    ("Edelstahlschrauben 5x60 (250)", "PRODUCT", "Packung", 18.9),
    ("Winkelverbinder 90 mm", "PRODUCT", "Stück", 2.1),
    ("Eichenparkett Landhausdiele", "PRODUCT", "m²", 54.0),
    ("Trittschalldämmung", "PRODUCT", "m²", 3.8),
    ("Sockelleiste Eiche", "PRODUCT", "lfm", 6.5),
    ("Innentür Weißlack", "PRODUCT", "Stück", 289.0),
    ("Zarge 86 cm", "PRODUCT", "Stück", 119.0),
    ("Fensterbank Innen", "PRODUCT", "Stück", 64.0),
    ("Carport Bausatz", "PRODUCT", "Stück", 1890.0),
    ("Gartenhaus 3x3 m", "PRODUCT", "Stück", 2450.0),
    ("Holzleim D3 750 g", "PRODUCT", "Stück", 9.9),
    ("Schleifpapier K120 (50)", "PRODUCT", "Packung", 14.5),
    ("Fachbuch Holzbau", "PRODUCT", "Stück", 39.9),
    ("Dachrinne Zink", "PRODUCT", "lfm", 22.0),
    ("Zaunelement Lärche", "PRODUCT", "Stück", 79.0),
    ("Pfostenträger", "PRODUCT", "Stück", 12.4),
    ("Reparaturpauschale", "SERVICE", "Pauschal", 145.0),
    ("Notdienstzuschlag", "SERVICE", "Pauschal", 95.0),
]
_SALES_CATEGORIES = ["8f8664a8-fd86-11e1-a21f-0800200c9a66", "8f8664a0-fd86-11e1-a21f-0800200c9a66"]
# Purchase vouchers all book on the one outgo category with a source (§5.17's purchase sample;
# README "Reference data"); the names are the seeded suppliers (collective contact names).
_OUTGO_CATEGORY = "16d04a28-fd91-11e1-a21f-0800200c9a66"
_OUTGO = [
    (_OUTGO_CATEGORY, "Holzhandel"),
    (_OUTGO_CATEGORY, "Bürobedarf"),
    (_OUTGO_CATEGORY, "Telekom"),
    (_OUTGO_CATEGORY, "Tankstelle"),
    (_OUTGO_CATEGORY, "Hausverwaltung"),
]


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _day_ts(day: date) -> str:
    return format_datetime(datetime(day.year, day.month, day.day, tzinfo=BERLIN))


def make_contact(
    tenant: Tenant, rng: random.Random, ids: random.Random, index: int, stamp: str
) -> dict[str, Any]:
    roll = rng.random()
    roles: dict[str, Any] = {}
    if roll < 0.7 or roll >= 0.9:
        roles["customer"] = {"number": tenant.next_number("customer", start=10000)}
    if roll >= 0.7:
        roles["vendor"] = {"number": tenant.next_number("vendor", start=10000)}
    zip_code, city = rng.choice(_CITIES)
    country = "DE"
    if rng.random() < 0.08:
        country, zip_code, city = rng.choice(_FOREIGN)
    address = {
        "street": f"{rng.choice(_STREETS)} {rng.randint(1, 120)}",
        "zip": zip_code,
        "city": city,
        "countryCode": country,
    }
    contact: dict[str, Any] = {
        "id": new_uuid(ids),
        "organizationId": tenant.organization_id,
        "version": 1,
        "roles": roles,
    }
    last, first = rng.choice(_FAMILY), rng.choice(_FIRST)
    slug = f"{first}.{last}".lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    if rng.random() < 0.6:
        name = f"{rng.choice(_FIRMS)} {last}{' GmbH' if rng.random() < 0.5 else ' & Söhne KG'}"
        domain = (
            name.split()[1].lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
            + f"{index}.example"
        )
        contact["company"] = {
            "name": name,
            "vatRegistrationId": f"DE{rng.randint(100000000, 999999999)}"
            if rng.random() < 0.5
            else None,
            "allowTaxFreeInvoices": False,
            "contactPersons": [
                {
                    "salutation": rng.choice(["Frau", "Herr"]),
                    "firstName": first,
                    "lastName": last,
                    "primary": True,
                    "emailAddress": f"{slug}@{domain}",
                    "phoneNumber": f"0{rng.randint(30, 989)} {rng.randint(100000, 9999999)}",
                }
            ],
        }
        contact["emailAddresses"] = {"business": [f"info@{domain}"]}
        if index % 11 == 3 and "customer" in roles:  # public-sector style customers for XRechnung
            contact["xRechnung"] = {
                "buyerReference": f"04011000-{rng.randint(10000, 99999)}-{rng.randint(10, 99)}",
                "vendorNumberAtCustomer": f"K{rng.randint(1000, 9999)}",
            }
    else:
        contact["person"] = {
            "salutation": rng.choice(["Frau", "Herr"]),
            "firstName": first,
            "lastName": last,
        }
        contact["emailAddresses"] = {"private": [f"{slug}{index}@mail.example"]}
    contact["addresses"] = {"billing": [address]}
    contact["phoneNumbers"] = {
        "business": [f"0{rng.randint(30, 989)} {rng.randint(100000, 9999999)}"]
    }
    if index % 17 == 5:  # edited in the web app: several entries → PUT rejected (§5.5)
        contact["addresses"]["shipping"] = [dict(address), {**address, "street": "Lagerplatz 1"}]
    contact["archived"] = index % 29 == 7
    contact["_createdDate"] = contact["_updatedDate"] = stamp
    tenant.contacts[contact["id"]] = contact
    return contact


def make_article(
    tenant: Tenant, ids: random.Random, index: int, spec: tuple[str, str, str, float], stamp: str
) -> None:
    title, kind, unit, net = spec
    rate = 7 if title.startswith("Fachbuch") else 19
    gross = _money(Decimal(str(net)) * (1 + Decimal(rate) / 100))
    article: dict[str, Any] = {
        "id": new_uuid(ids),
        "organizationId": tenant.organization_id,
        "createdDate": stamp,
        "updatedDate": stamp,
        "archived": False,
        "title": title,
        "description": None,
        "type": kind,
        "articleNumber": f"{'DL' if kind == 'SERVICE' else 'AR'}-{1000 + index}",
        "gtin": None,
        "note": None,
        "unitName": unit,
        "price": {"netPrice": net, "grossPrice": gross, "leadingPrice": "NET", "taxRate": rate},
        "version": 0,
    }
    tenant.articles[article["id"]] = article


def make_voucher(
    tenant: Tenant,
    rng: random.Random,
    ids: random.Random,
    index: int,
    day: date,
    status: str,
    pools: dict[str, list[dict[str, Any]]],
    with_file: bool,
    stamp: str,
) -> dict[str, Any]:
    sales = rng.random() < 0.4
    kind = (
        ("salesinvoice" if rng.random() < 0.9 else "salescreditnote")
        if sales
        else ("purchaseinvoice" if rng.random() < 0.92 else "purchasecreditnote")
    )
    rate = rng.choice([19, 19, 19, 7, 0])
    gross = Decimal(rng.randint(500, 250000)) / 100
    tax = (gross - gross / (1 + Decimal(rate) / 100)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    role = "customer" if sales else "vendor"
    pool = pools[role]
    contact = rng.choice(pool) if pool and rng.random() < 0.8 else None
    category = rng.choice(_SALES_CATEGORIES) if sales else rng.choice(_OUTGO)[0]
    voucher: dict[str, Any] = {
        "id": new_uuid(ids),
        "organizationId": tenant.organization_id,
        "type": kind,
        "voucherStatus": status,
        "voucherNumber": f"{'RE' if sales else 'ER'}-{day.year}-{index:05d}",
        "voucherDate": _day_ts(day),
        "shippingDate": None,
        "dueDate": _day_ts(day + timedelta(days=14)),
        "totalGrossAmount": float(gross),
        "totalTaxAmount": float(tax),
        "taxType": "gross",
        "useCollectiveContact": contact is None,
        "contactId": contact["id"] if contact else None,
        "contactName": None if contact else ("Barverkauf" if sales else rng.choice(_OUTGO)[1]),
        "remark": None,
        "voucherItems": [
            {
                "amount": float(gross),
                "taxAmount": float(tax),
                "taxRatePercent": rate,
                "categoryId": category,
            }
        ],
        "files": [],
        "createdDate": stamp,
        "updatedDate": stamp,
        "version": 1,
    }
    if status == "unchecked":
        voucher.update(voucherNumber=None, dueDate=None)
    if with_file:
        file_id = new_uuid(ids)
        if index % 3:
            content = receipt_pdf(
                f"Beleg {voucher['voucherNumber'] or index}",
                [voucher["contactName"] or "", f"Brutto {gross} EUR", f"MwSt {rate} %"],
            )
            name, media = f"beleg_{index}.pdf", "application/pdf"
        else:
            content, name, media = (
                receipt_png(shade=180 + index % 60),
                f"scan_{index}.png",
                "image/png",
            )
        tenant.files[file_id] = {
            "id": file_id,
            "content": content,
            "filename": name,
            "mediaType": media,
            "checksum": hashlib.sha256(content).hexdigest(),
            "voucherId": voucher["id"],
            "status": "upload_success",
        }
        voucher["files"] = [file_id]
    tenant.vouchers[voucher["id"]] = voucher
    if status == "paid":
        tenant.payments[voucher["id"]] = [
            {
                "paymentItemType": "manualPayment",
                "postingDate": _day_ts(day + timedelta(days=rng.randint(1, 20))),
                "amount": float(gross),
                "currency": "EUR",
            }
        ]
    return voucher


def role_pools(contacts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {role: [c for c in contacts if role in c["roles"]] for role in ("customer", "vendor")}


def demo(rng: random.Random, ids: random.Random, now: datetime) -> Tenant:
    tenant = new_tenant(ids, now, COMPANY)
    stamp = format_datetime(add_days(now, -540))
    contacts = [make_contact(tenant, rng, ids, i, stamp) for i in range(60)]
    pools = role_pools(contacts)
    for i, spec in enumerate(_ARTICLES):
        make_article(tenant, ids, i, spec, stamp)
    today = berlin_date(now)
    for i in range(48):
        day = today - timedelta(days=rng.randint(0, 540))
        status = (
            "unchecked"
            if i % 8 == 0
            else ("open" if day > today - timedelta(days=45) or i % 5 == 0 else "paid")
        )
        make_voucher(
            tenant, rng, ids, i + 1, day, status, pools, with_file=True, stamp=_day_ts(day)
        )
    sales_seed = optional_module("lexware.simulator.sales_seed")
    if sales_seed is not None and hasattr(sales_seed, "seed_demo_sales"):
        sales_seed.seed_demo_sales(tenant, rng, now)
    return tenant


def scale(
    rng: random.Random, ids: random.Random, now: datetime, size: int, *, contacts: int | None = None
) -> Tenant:
    """`size` vouchers and `contacts` contacts (default `size`; at least 1, the vouchers need some)."""
    tenant = new_tenant(ids, now, "Skalierung Test GmbH")
    stamp = format_datetime(add_days(now, -400))
    contact_count = size if contacts is None else max(1, contacts)
    contacts_made = [make_contact(tenant, rng, ids, i, stamp) for i in range(contact_count)]
    pools = role_pools(contacts_made)
    sales_seed = optional_module("lexware.simulator.sales_seed_scale")
    has_sales = sales_seed is not None and hasattr(sales_seed, "seed_scale_sales")
    bookkeeping = size // 2 if has_sales else size
    today = berlin_date(now)
    for i in range(bookkeeping):
        day = today - timedelta(days=rng.randint(0, 1000))
        status = "open" if rng.random() < 0.3 else "paid"
        make_voucher(tenant, rng, ids, i + 1, day, status, pools, with_file=False, stamp=stamp)
    if has_sales and sales_seed is not None:
        sales_seed.seed_scale_sales(tenant, rng, now, size - bookkeeping)
    return tenant
