"""Articles (lexware-api.md §5.4; regular error shape; Appendix A: size < 25 replaced, 409 on
a stale version, DELETE 204 then 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lexware.simulator.actions import action_result
from lexware.simulator.bodies import Problems, bad_request, decimals, is_blank, json_body, not_found
from lexware.simulator.errors import regular
from lexware.simulator.paging import paginate
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import new_id, public
from lexware.simulator.timefmt import format_datetime
from lexware.totals import counterpart_price, round4

FAMILY = "regular"
TYPES = ("PRODUCT", "SERVICE")
TAX_RATES = (0, 7, 19)
SORTABLE = ("title", "articleNumber", "createdDate", "updatedDate")


def gtin_valid(gtin: str) -> bool:
    """GTIN-8/12/13/14 with the GS1 mod-10 check digit."""
    if not gtin.isascii() or not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    digits = [int(d) for d in gtin]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def compute_price(price: dict[str, Any]) -> dict[str, Any]:
    """The non-leading price is computed by the one totals function the portal's article form
    previews with (lexware.totals, §8.3): net 50.00 at 19 % → gross 59.50 (up to 4 decimals);
    gross 120.00 at 19 % → net 100.84 (2 decimals)."""
    rate = Decimal(str(price["taxRate"]))
    if price["leadingPrice"] == "NET":
        net = round4(Decimal(str(price["netPrice"])))
        gross = counterpart_price(net, rate, gross_prices=False)
    else:
        gross = round4(Decimal(str(price["grossPrice"])))
        net = counterpart_price(gross, rate, gross_prices=True)
    return {
        "netPrice": float(net),
        "grossPrice": float(gross),
        "leadingPrice": price["leadingPrice"],
        "taxRate": price["taxRate"],
    }


def validate_article(body: dict[str, Any], problems: Problems) -> None:
    for field in ("title", "unitName"):
        if is_blank(body.get(field)):
            problems.missing(field)
    if body.get("type") is None:
        problems.missing("type")
    elif body["type"] not in TYPES:
        problems.invalid("type", "muss PRODUCT oder SERVICE sein")
    gtin = body.get("gtin")
    if gtin not in (None, "") and not (isinstance(gtin, str) and gtin_valid(gtin)):
        problems.add("gtin", "VALIDGTIN", "ungültige GTIN")  # Appendix B: `gtin: VALIDGTIN`
    price = body.get("price")
    if not isinstance(price, dict):
        problems.missing("price")
        return
    leading = price.get("leadingPrice")
    if leading not in ("NET", "GROSS"):
        problems.missing("price.leadingPrice") if leading is None else problems.invalid(
            "price.leadingPrice"
        )
    if price.get("taxRate") is None:
        problems.missing("price.taxRate")
    elif price["taxRate"] not in TAX_RATES:
        problems.invalid("price.taxRate", "erlaubt sind 0, 7 und 19")
    needed = "netPrice" if leading == "NET" else "grossPrice" if leading == "GROSS" else None
    if needed:
        value = price.get(needed)
        places = decimals(value)
        if value is None:
            problems.missing(f"price.{needed}")
        elif places is None or places > 4 or value < 0:
            problems.invalid(f"price.{needed}", "höchstens 4 Nachkommastellen, nicht negativ")


def check_unique_number(
    ctx: Context, body: dict[str, Any], problems: Problems, own_id: str | None = None
) -> None:
    """Appendix B: a duplicate `articleNumber` → 406 `materialNumber: MATERIAL_NUMBER_ALREADY_EXISTS`."""
    number = body.get("articleNumber")
    if is_blank(number):
        return
    if any(
        a.get("articleNumber") == number and a["id"] != own_id for a in ctx.tenant.articles.values()
    ):
        problems.add(
            "materialNumber",
            "MATERIAL_NUMBER_ALREADY_EXISTS",
            f"Artikelnummer {number} ist bereits vergeben",
        )


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": body["title"],
        "description": body.get("description"),
        "type": body["type"],
        "articleNumber": body.get("articleNumber"),
        "gtin": body.get("gtin"),
        "note": body.get("note"),
        "unitName": body["unitName"],
        "price": compute_price(body["price"]),
    }


@router.route("POST", "/v1/articles")
def article_create(ctx: Context, req: Request) -> Response:
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    validate_article(body, problems)
    check_unique_number(ctx, body, problems)
    problems.raise_if_any()
    now = format_datetime(ctx.now())
    article = {
        "id": new_id(),
        "organizationId": ctx.tenant.organization_id,
        "createdDate": now,
        "updatedDate": now,
        "archived": False,
        **_fields(body),
        "version": 0,
    }
    ctx.tenant.articles[article["id"]] = article
    ctx.sim.emit(ctx.tenant, "article.created", article["id"])
    return action_result(ctx, f"/v1/articles/{article['id']}", article)


@router.route("GET", "/v1/articles/{id}")
def article_get(ctx: Context, req: Request, id: str) -> Response:
    article = ctx.tenant.articles.get(id)
    if article is None:
        raise not_found(ctx, req, FAMILY)
    return Response.json(200, public(article))


@router.route("PUT", "/v1/articles/{id}")
def article_update(ctx: Context, req: Request, id: str) -> Response:
    article = ctx.tenant.articles.get(id)
    if article is None:
        raise not_found(ctx, req, FAMILY)
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    if not isinstance(body.get("version"), int):
        problems.missing("version")
    validate_article(body, problems)
    check_unique_number(ctx, body, problems, own_id=id)
    problems.raise_if_any()
    if body["version"] != article["version"]:
        raise regular(
            409, req, "Die Version des Artikels ist veraltet (optimistic locking).", now=ctx.now()
        )
    replaced = {
        **article,
        **_fields(body),
        "updatedDate": format_datetime(ctx.now()),
        "version": article["version"] + 1,
    }
    ctx.tenant.articles[id] = replaced
    ctx.sim.emit(ctx.tenant, "article.changed", id)
    return action_result(ctx, f"/v1/articles/{id}", replaced, status=200)


@router.route("DELETE", "/v1/articles/{id}")
def article_delete(ctx: Context, req: Request, id: str) -> Response:
    if ctx.tenant.articles.pop(id, None) is None:
        raise not_found(ctx, req, FAMILY)
    ctx.sim.emit(ctx.tenant, "article.deleted", id)
    return Response.empty(204)


def _single(ctx: Context, req: Request, name: str) -> str | None:
    values = req.query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad_request(ctx, req, FAMILY, name, f"Parameter '{name}' may be given only once")
    return values[0]


@router.route("GET", "/v1/articles")
def article_list(ctx: Context, req: Request) -> Response:
    number = _single(ctx, req, "articleNumber")
    gtin = _single(ctx, req, "gtin")
    kind = _single(ctx, req, "type")
    if kind is not None and kind.strip().upper() not in TYPES:
        raise bad_request(
            ctx,
            req,
            FAMILY,
            "type",
            f"Invalid value '{kind}' received for request parameter 'type'",
        )
    prop, direction = "title", "ASC"
    sort = req.param("sort")
    if sort:
        parts = [p.strip() for p in sort.split(",")]
        if parts[0] in SORTABLE:
            prop = parts[0]
            direction = (
                parts[1].upper()
                if len(parts) > 1 and parts[1].upper() in ("ASC", "DESC")
                else "ASC"
            )
    found = [
        a
        for a in ctx.tenant.articles.values()
        if (number is None or a.get("articleNumber") == number)
        and (gtin is None or a.get("gtin") == gtin)
        and (kind is None or a.get("type") == kind.strip().upper())
    ]
    found.sort(
        key=lambda a: (str(a.get(prop) or "").casefold(), a["id"]), reverse=direction == "DESC"
    )
    return paginate(req, found, min_size=25, sort=[(prop, direction)], family=FAMILY)
