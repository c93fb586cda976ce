"""Contacts (lexware-api.md §5.5; legacy error shape §2.2; Appendix A).

Create answers 200 with an action result (Appendix A). Contact objects carry no timestamps
(Appendix A); the action result's dates come from private fields. There is no DELETE.
"""

from __future__ import annotations

import re
from typing import Any

from lexware.simulator.actions import action_result
from lexware.simulator.bodies import (
    Problems,
    bad_request,
    is_blank,
    json_body,
    like_pattern,
    not_found,
    require_version,
    unescape_filter,
)
from lexware.simulator.errors import legacy
from lexware.simulator.paging import paginate
from lexware.simulator.reference_data import COUNTRY_CODES
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import new_id, public
from lexware.simulator.timefmt import format_datetime

FAMILY = "legacy"
EMAIL_KINDS = ("business", "office", "private", "other")
PHONE_KINDS = ("business", "office", "mobile", "private", "fax", "other")
_PHONE = re.compile(r"^[0-9+()/\-. ]{1,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_VAT_ID = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,12}$")
_DE_VAT_ID = re.compile(r"^DE[0-9]{9}$")


def contact_name(contact: dict[str, Any]) -> str:
    """The name Lexware lists and searches by: company name, or "firstName lastName"."""
    company = contact.get("company")
    if isinstance(company, dict):
        return str(company.get("name") or "")
    person = contact.get("person") or {}
    return " ".join(part for part in (person.get("firstName"), person.get("lastName")) if part)


def contact_emails(contact: dict[str, Any]) -> list[str]:
    found = [
        mail for values in (contact.get("emailAddresses") or {}).values() for mail in values or []
    ]
    for person in (contact.get("company") or {}).get("contactPersons") or []:
        if person.get("emailAddress"):
            found.append(person["emailAddress"])
    return found


def _check_single_entries(body: dict[str, Any], problems: Problems) -> None:
    """§5.5: at most one entry per list on create and update."""
    lists: list[tuple[str, Any]] = []
    addresses = body.get("addresses") or {}
    lists += [(f"addresses.{kind}", addresses.get(kind)) for kind in ("billing", "shipping")]
    lists += [
        (f"emailAddresses.{k}", (body.get("emailAddresses") or {}).get(k)) for k in EMAIL_KINDS
    ]
    lists += [(f"phoneNumbers.{k}", (body.get("phoneNumbers") or {}).get(k)) for k in PHONE_KINDS]
    lists.append(("company.contactPersons", (body.get("company") or {}).get("contactPersons")))
    for field, value in lists:
        if isinstance(value, list) and len(value) > 1:
            problems.add(field, "too_many_entries", "höchstens ein Eintrag erlaubt")


def validate_contact(body: dict[str, Any], problems: Problems) -> None:
    roles = body.get("roles")
    if not isinstance(roles, dict) or not ({"customer", "vendor"} & set(roles)):
        problems.missing("roles")
    company, person = body.get("company"), body.get("person")
    if company is not None and person is not None:
        problems.invalid("company", "entweder company oder person, nicht beides")
    elif company is None and person is None:
        problems.missing("company")
    if isinstance(company, dict):
        if is_blank(company.get("name")):
            problems.missing("company.name")
        vat_id = company.get("vatRegistrationId")
        if isinstance(vat_id, str) and vat_id:
            # Appendix B (Baebeca 320): a lower-case VAT id is accepted and stored upper-cased.
            vat_id = company["vatRegistrationId"] = vat_id.strip().upper()
        if vat_id and not (
            _DE_VAT_ID.match(vat_id) if vat_id.startswith("DE") else _VAT_ID.match(vat_id)
        ):
            problems.invalid("company.vatRegistrationId", "ungültige USt-IdNr.")
        for i, cp in enumerate(company.get("contactPersons") or []):
            if not isinstance(cp, dict) or is_blank(cp.get("lastName")):
                problems.missing(f"company.contactPersons[{i}].lastName")
                continue
            if len(cp.get("salutation") or "") > 25:
                problems.invalid(f"company.contactPersons[{i}].salutation", "maximal 25 Zeichen")
            if cp.get("emailAddress") and not _EMAIL.match(cp["emailAddress"]):
                problems.invalid(
                    f"company.contactPersons[{i}].emailAddress", "ungültige E-Mail-Adresse"
                )
            if cp.get("phoneNumber") and not _PHONE.match(cp["phoneNumber"]):
                problems.invalid(
                    f"company.contactPersons[{i}].phoneNumber", "ungültige Telefonnummer"
                )
    elif company is not None:
        problems.invalid("company")
    if isinstance(person, dict):
        if is_blank(person.get("lastName")):
            problems.missing("person.lastName")
        if len(person.get("salutation") or "") > 25:
            problems.invalid("person.salutation", "maximal 25 Zeichen")
    elif person is not None:
        problems.invalid("person")
    for kind in ("billing", "shipping"):
        for i, address in enumerate((body.get("addresses") or {}).get(kind) or []):
            code = address.get("countryCode") if isinstance(address, dict) else None
            if is_blank(code):
                problems.missing(f"addresses.{kind}[{i}].countryCode")
            elif code not in COUNTRY_CODES:
                # Appendix B: a bad country → 406 `countryCode: countrycode_is_not_valid`.
                problems.add("countryCode", "countrycode_is_not_valid", "unbekannter Ländercode")
    for kind in EMAIL_KINDS:
        for i, mail in enumerate((body.get("emailAddresses") or {}).get(kind) or []):
            if not isinstance(mail, str) or not _EMAIL.match(mail):
                problems.invalid(f"emailAddresses.{kind}[{i}]", "ungültige E-Mail-Adresse")
    for kind in PHONE_KINDS:
        for i, phone in enumerate((body.get("phoneNumbers") or {}).get(kind) or []):
            if not isinstance(phone, str) or not _PHONE.match(phone):
                problems.invalid(f"phoneNumbers.{kind}[{i}]", "ungültige Telefonnummer")
    xrechnung = body.get("xRechnung")
    if (
        isinstance(xrechnung, dict)
        and xrechnung.get("buyerReference")
        and is_blank(xrechnung.get("vendorNumberAtCustomer"))
    ):
        problems.missing("xRechnung.vendorNumberAtCustomer")
    if len(body.get("note") or "") > 1000:
        problems.invalid("note", "maximal 1000 Zeichen")
    _check_single_entries(body, problems)


def _writable(body: dict[str, Any]) -> dict[str, Any]:
    keep = ("company", "person", "addresses", "xRechnung", "emailAddresses", "phoneNumbers", "note")
    return {key: body[key] for key in keep if body.get(key) is not None}


def _roles(
    ctx: Context, requested: dict[str, Any], existing: dict[str, Any] | None
) -> dict[str, Any]:
    """Numbers are assigned by Lexware from 10000 per role and never change (§5.5)."""
    roles: dict[str, Any] = {}
    for role in ("customer", "vendor"):
        if role not in requested:
            continue
        old = (existing or {}).get(role)
        number = old["number"] if old else ctx.tenant.next_number(role, start=10000)
        roles[role] = {"number": number}
    return roles


def render(contact: dict[str, Any]) -> dict[str, Any]:
    return public(contact)


@router.route("POST", "/v1/contacts", family=FAMILY)
def contact_create(ctx: Context, req: Request) -> Response:
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    if body.get("version") != 0:
        problems.missing("version")
    validate_contact(body, problems)
    problems.raise_if_any()
    now = format_datetime(ctx.now())
    contact: dict[str, Any] = {
        "id": new_id(),
        "organizationId": ctx.tenant.organization_id,
        "version": 1,
        "roles": _roles(ctx, body["roles"], None),
        **_writable(body),
        "archived": False,
        "_createdDate": now,
        "_updatedDate": now,
    }
    ctx.tenant.contacts[contact["id"]] = contact
    ctx.sim.emit(ctx.tenant, "contact.created", contact["id"])
    return action_result(ctx, f"/v1/contacts/{contact['id']}", contact, status=200, created=True)


@router.route("GET", "/v1/contacts/{id}", family=FAMILY)
def contact_get(ctx: Context, req: Request, id: str) -> Response:
    contact = ctx.tenant.contacts.get(id)
    if contact is None:
        raise not_found(ctx, req, FAMILY)
    return Response.json(200, render(contact))


@router.route("PUT", "/v1/contacts/{id}", family=FAMILY)
def contact_update(ctx: Context, req: Request, id: str) -> Response:
    contact = ctx.tenant.contacts.get(id)
    if contact is None:
        raise not_found(ctx, req, FAMILY)
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    # Appendix A: a stale version on contacts is a 406 IssueList, not 409; Appendix B: the issue
    # is `{source: version, i18nKey: invalid_value}`.
    require_version(
        body,
        contact,
        problems,
        stale=lambda: legacy(
            406, [{"i18nKey": "invalid_value", "source": "version", "type": "validation_failure"}]
        ),
    )
    stored_problems = Problems(ctx, req, FAMILY)
    _check_single_entries(contact, stored_problems)
    if stored_problems.items:
        # §5.5: contacts edited in the web app with several entries can no longer be updated.
        stored_problems.raise_if_any()
    validate_contact(body, problems)
    problems.raise_if_any()
    replaced: dict[str, Any] = {
        "id": contact["id"],
        "organizationId": contact["organizationId"],
        "version": contact["version"] + 1,
        "roles": _roles(ctx, body["roles"], contact.get("roles")),
        **_writable(body),
        "archived": contact.get("archived", False),  # read-only: a PUT never (un)archives
        "_createdDate": contact.get("_createdDate"),
        "_updatedDate": format_datetime(ctx.now()),
    }
    ctx.tenant.contacts[id] = replaced
    ctx.sim.emit(ctx.tenant, "contact.changed", id)
    return action_result(ctx, f"/v1/contacts/{id}", replaced, status=200)


def _bool_filter(ctx: Context, req: Request, name: str) -> bool | None:
    value = req.param(name)
    if value is None or value == "":
        return None
    # Appendix B: `1` is accepted as true (Baebeca's client always sends 1); `0` as false.
    text = value.strip().lower()
    if text not in ("true", "false", "1", "0"):
        raise bad_request(ctx, req, FAMILY, name)
    return text in ("true", "1")


def _text_filter(ctx: Context, req: Request, name: str) -> re.Pattern[str] | None:
    value = req.param(name)
    if value is None:
        return None
    value = unescape_filter(value)
    if len(value) < 3:
        raise bad_request(ctx, req, FAMILY, "size must be between 3 and 2147483647")
    return like_pattern(value)


@router.route("GET", "/v1/contacts", family=FAMILY)
def contact_list(ctx: Context, req: Request) -> Response:
    email = _text_filter(ctx, req, "email")
    name = _text_filter(ctx, req, "name")
    customer = _bool_filter(ctx, req, "customer")
    vendor = _bool_filter(ctx, req, "vendor")
    number_text = req.param("number")
    number: int | None = None
    if number_text not in (None, ""):
        try:
            number = int(str(number_text).strip())
        except ValueError:
            raise bad_request(ctx, req, FAMILY, "number") from None

    def matches(contact: dict[str, Any]) -> bool:
        roles = contact.get("roles") or {}
        if customer is not None and ("customer" in roles) != customer:
            return False
        if vendor is not None and ("vendor" in roles) != vendor:
            return False
        if number is not None and number not in [r.get("number") for r in roles.values()]:
            return False
        if name is not None and not name.search(contact_name(contact)):
            return False
        return email is None or any(email.search(mail) for mail in contact_emails(contact))

    found = [c for c in ctx.tenant.contacts.values() if matches(c)]
    found.sort(key=lambda c: (contact_name(c).casefold(), c["id"]))
    return paginate(
        req,
        found,
        max_size=500,
        sort=[("name", "ASC")],
        family=FAMILY,
        transform=render,
        size_error="parameter 'size' exceeds the limit",
    )  # Appendix B (size=1000)
