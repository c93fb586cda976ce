"""Master data the sales seeds reference: demo customers and articles.

`ensure_master_data` returns the tenant's customers and articles, creating six of each (one
customer with an XRechnung buyer reference) when the tenant has none, so both the demo seed
(`sales_seed`) and the scale seed (`sales_seed_scale`) always have something to point at.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from lexware.simulator.sales_rules import contact_is_customer
from lexware.simulator.state import Tenant, new_id
from lexware.simulator.timefmt import add_days, format_datetime

DEMO_CUSTOMERS = (
    ("Müller & Söhne GmbH", "Hafenweg 3", "20457", "Hamburg", None),
    ("Bäckerei Krüger KG", "Lindenstraße 12", "50674", "Köln", None),
    ("Stadtwerke Beispielstadt", "Rathausplatz 1", "80331", "München", "04011000-12345-67"),
    ("Schmidt Elektrotechnik e.K.", "Gewerbering 8", "01067", "Dresden", None),
    ("Architekturbüro Weiß", "Kantstraße 44", "10623", "Berlin", None),
    ("Hotel Seeblick GmbH", "Uferpromenade 2", "78462", "Konstanz", None),
)
DEMO_ARTICLES = (
    ("Wartungspauschale", "SERVICE", "Monat", 50.0, 19),
    ("Beratung", "SERVICE", "Stunde", 95.0, 19),
    ("Montage", "SERVICE", "Stunde", 68.5, 19),
    ("Ersatzfilter", "PRODUCT", "Stück", 12.9, 19),
    ("Fachbuch Haustechnik", "PRODUCT", "Stück", 39.9, 7),
    ("Kabelsatz 10 m", "PRODUCT", "Stück", 24.75, 19),
)


def ensure_master_data(
    tenant: Tenant, rng: random.Random, now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Customers and articles to reference; creates a few when the tenant has none."""
    stamp = format_datetime(add_days(now, -600))
    customers = [c for c in tenant.contacts.values() if contact_is_customer(c)]
    if not customers:
        for name, street, zip_code, city, leitweg in DEMO_CUSTOMERS:
            contact: dict[str, Any] = {
                "id": new_id(),
                "organizationId": tenant.organization_id,
                "version": 1,
                "roles": {"customer": {"number": tenant.next_number("customer", 10000)}},
                "company": {
                    "name": name,
                    "contactPersons": [
                        {
                            "salutation": "Frau",
                            "firstName": "Jana",
                            "lastName": "Sommer",
                            "primary": True,
                        }
                    ],
                },
                "addresses": {
                    "billing": [
                        {"street": street, "zip": zip_code, "city": city, "countryCode": "DE"}
                    ]
                },
                "emailAddresses": {
                    "business": [
                        f"rechnung@{city.lower().replace('ü', 'ue').replace('ö', 'oe')}.example"
                    ]
                },
                "archived": False,
            }
            if leitweg:
                contact["xRechnung"] = {
                    "buyerReference": leitweg,
                    "vendorNumberAtCustomer": "K-4711",
                }
            tenant.contacts[contact["id"]] = contact
            customers.append(contact)
    articles = list(tenant.articles.values())
    if not articles:
        for title, kind, unit, net, rate in DEMO_ARTICLES:
            article: dict[str, Any] = {
                "id": new_id(),
                "organizationId": tenant.organization_id,
                "createdDate": stamp,
                "updatedDate": stamp,
                "archived": False,
                "title": title,
                "type": kind,
                "unitName": unit,
                "price": {
                    "netPrice": net,
                    "grossPrice": round(net * (1 + rate / 100), 2),
                    "leadingPrice": "NET",
                    "taxRate": rate,
                },
                "version": 1,
            }
            tenant.articles[article["id"]] = article
            articles.append(article)
    return customers, articles
