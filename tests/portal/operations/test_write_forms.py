"""The form half of the write path (portal/operations/forms.py): Lexware's field errors by JSON
path onto form fields, nested rows included; nothing dropped."""

from __future__ import annotations

from typing import Any

from django import forms

from portal.operations.forms import WriteForm, field_for_path, map_field_errors

TABLE = (
    ("company.name", "company_name"),
    ("addresses.billing[*].zip", "zip"),
    ("emailAddresses.*[*]", "email"),
    ("lineItems[*].unitPrice.netAmount", "lines-{0}-net_amount"),
    ("lineItems[*].discounts[*].percent", "lines-{0}-discount-{1}"),
)


def test_paths_map_to_fields_with_the_row_indices() -> None:
    assert field_for_path("company.name", TABLE) == "company_name"
    assert field_for_path("addresses.billing[0].zip", TABLE) == "zip"
    assert field_for_path("emailAddresses.business[0]", TABLE) == "email"
    assert field_for_path("emailAddresses.private[3]", TABLE) == "email"
    assert field_for_path("lineItems[12].unitPrice.netAmount", TABLE) == "lines-12-net_amount"
    assert field_for_path("lineItems[2].discounts[1].percent", TABLE) == "lines-2-discount-1"


def test_near_misses_do_not_match() -> None:
    for path in (
        "company",
        "company.names",
        "xcompany.name",
        "addresses.billing.zip",
        "addresses.billing[a].zip",
        "emailAddresses.business",
        "emailAddresses.a.b[0]",
    ):
        assert field_for_path(path, TABLE) is None, path


def test_unknown_paths_are_kept_apart() -> None:
    by_field, unmapped = map_field_errors(
        {"company.name": "required", "addresses.billing[0].zip": "bad", "version": "stale"}, TABLE
    )
    assert by_field == {"company_name": ["required"], "zip": ["bad"]}
    assert unmapped == [("version", "stale")]


class _Form(WriteForm):
    name = forms.CharField(required=False)
    lexware_fields = (("company.name", "name"), ("company.secret", "idempotency_key"))

    @classmethod
    def data_from_lexware(cls, body: Any) -> dict[str, Any]:
        return {"name": (body.get("company") or {}).get("name", "")}


def _bound() -> _Form:
    return _Form({"idempotency_key": "6f1c2c3e-9d1b-4c59-9f53-2f0f5b0c8a11", "name": "Acme"})


def test_errors_land_on_fields_and_the_rest_on_the_form() -> None:
    form = _bound()
    form.add_lexware_errors(
        {"company.name": "too long", "company.vatRegistrationId": "invalid", "company.secret": "no"}
    )
    assert form.errors["name"] == ["Lexware: too long"]
    non_field = " ".join(form.non_field_errors())
    # A path no pattern claims, and one that points at a hidden field, are shown on top with
    # Lexware's own path.
    assert "company.vatRegistrationId" in non_field and "invalid" in non_field
    assert "company.secret" in non_field and "no" in non_field


def test_a_failure_without_field_errors_shows_its_message() -> None:
    form = _bound()
    form.add_lexware_errors({}, "The Lexware connection is not usable.")
    assert form.non_field_errors() == ["The Lexware connection is not usable."]


def test_an_unbound_form_gets_a_fresh_token_each_time() -> None:
    assert _Form().initial["idempotency_key"] != _Form().initial["idempotency_key"]
