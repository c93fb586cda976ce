"""Error bodies of lexware-api.md §2.1 become the right exception with field errors."""

from __future__ import annotations

import pickle

import pytest

from lexware import errors
from tests.lexware.mock_lexware import API_KEY, ID, Recorder, json_response, make_client

LEGACY_MISSING = {
    "IssueList": [
        {
            "i18nKey": "missing_entity",
            "source": "person.lastName",
            "type": "validation_failure",
            "additionalData": None,
            "args": None,
        },
        {"i18nKey": "some_new_key", "source": None, "type": "validation_failure"},
    ]
}
REGULAR_406 = {
    "timestamp": "2026-03-02T10:20:00.000+01:00",
    "status": 406,
    "error": "Not Acceptable",
    "path": "/v1/invoices",
    "traceId": "4be1c0ffee42",
    "message": "Validation failed for request. Please see details list for specific causes.",
    "details": [
        {
            "violation": "NOTNULL",
            "field": "lineItems[0].unitPrice.taxRatePercentage",
            "message": "darf nicht leer sein",
        },
        {
            "violation": "MAX",
            "field": "lineItems[0].unitPrice.taxRatePercentage",
            "message": "zu groß",
        },
    ],
}


def test_legacy_issue_list_gives_field_errors_from_source_and_readable_i18n_text() -> None:
    message, field_errors, trace_id = errors.parse_error_body(LEGACY_MISSING)
    assert field_errors == {"person.lastName": "This field is required."}
    assert "person.lastName: This field is required." in message
    assert "Some new key." in message  # unknown keys become a sentence, issues without source too
    assert trace_id is None


def test_regular_error_gives_message_trace_id_and_joined_field_errors() -> None:
    message, field_errors, trace_id = errors.parse_error_body(REGULAR_406)
    assert message.startswith("Validation failed")
    assert trace_id == "4be1c0ffee42"
    assert field_errors == {
        "lineItems[0].unitPrice.taxRatePercentage": "darf nicht leer sein; zu groß"
    }


def test_gateway_message_and_null_message() -> None:
    assert errors.parse_error_body({"message": "Unauthorized"}) == ("Unauthorized", {}, None)
    message, _, _ = errors.parse_error_body({"message": None})
    assert message == "Lexware returned an error."


def test_non_json_body_is_kept_as_text() -> None:
    assert errors.parse_error_body("<html>bad gateway</html>")[0] == "<html>bad gateway</html>"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (402, errors.PaymentRequiredError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (406, errors.ValidationError),
        (409, errors.ConflictError),
        (415, errors.UnsupportedMediaTypeError),
        (429, errors.RateLimitError),
        (500, errors.InternalServerError),
        (503, errors.InternalServerError),
        (418, errors.APIStatusError),
        (302, errors.UnexpectedRedirectError),
    ],
)
def test_status_maps_to_class(status: int, cls: type[errors.APIStatusError]) -> None:
    error = errors.make_status_error(status, {"message": "x"}, method="GET", path="/v1/articles")
    assert type(error) is cls
    assert error.status_code == status


def test_500_mentioning_the_rate_limit_is_a_rate_limit_error() -> None:
    body = {"message": "Internal server error or rate limit exceeded"}
    assert isinstance(errors.make_status_error(500, body), errors.RateLimitError)


def test_stale_contact_version_406_is_a_conflict_but_other_contact_406_is_validation() -> None:
    stale = {
        "IssueList": [
            {
                "i18nKey": "optimistic_locking_failure",
                "source": "version",
                "type": "validation_failure",
            }
        ]
    }
    conflict = errors.make_status_error(406, stale, method="PUT", path=f"/v1/contacts/{ID}")
    assert isinstance(conflict, errors.ConflictError)
    assert conflict.status_code == 406
    other = errors.make_status_error(406, LEGACY_MISSING, method="PUT", path=f"/v1/contacts/{ID}")
    assert type(other) is errors.ValidationError
    # A "version" issue on another endpoint stays a validation error.
    elsewhere = errors.make_status_error(406, stale, method="POST", path="/v1/invoices")
    assert type(elsewhere) is errors.ValidationError


def test_api_key_echoed_by_the_gateway_never_reaches_str_repr_or_pickle() -> None:
    # §2.1: the 403 gateway message repeats the token from the Authorization header.
    body = {
        "message": f"'{API_KEY}' not a valid key=value pair (missing equal-sign) in "
        f"Authorization header: 'Bearer {API_KEY}'."
    }
    client = make_client(Recorder([json_response(403, body)]))
    with pytest.raises(errors.PermissionDeniedError) as caught:
        client.profile.get()
    error = caught.value
    for text in (
        str(error),
        repr(error),
        repr(error.body),
        error.message,
        pickle.dumps(error).decode("latin-1"),
    ):
        assert API_KEY not in text
    assert "***" in error.message


def test_errors_survive_pickling_with_their_fields() -> None:
    error = errors.make_status_error(406, REGULAR_406, method="POST", path="/v1/invoices")
    restored = pickle.loads(pickle.dumps(error))
    assert type(restored) is errors.ValidationError
    assert restored.field_errors == error.field_errors
    assert restored.trace_id == "4be1c0ffee42"
    assert str(restored) == str(error)


def test_every_error_shape_arrives_through_the_client() -> None:
    client = make_client(Recorder([json_response(406, REGULAR_406)]))
    with pytest.raises(errors.ValidationError) as caught:
        client.invoices.get(ID)
    assert caught.value.trace_id == "4be1c0ffee42"
    assert caught.value.path == f"/v1/invoices/{ID}"
    assert "4be1c0ffee42" in str(caught.value)
