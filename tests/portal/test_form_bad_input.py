"""Bad input into every form of accounts, organizations and the write path (issue 2 item 8, reliability.md T4).

Each form gets every field filled with one hostile value. Expected: the page (or its htmx
partial) answers 200 with a field or form error, nothing is saved, nothing is echoed unescaped,
and never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.accounts.models import User
from portal.operations.models import Operation
from portal.organizations.models import Invitation, LexwareConnection, Membership, Organization
from portal.organizations.services import invitation_create
from tests.conftest import PASSWORD, enrol_totp

LONG_UNICODE = ("Müller 🧾 \u202eRTL\u202c שלום 漢字 " * 200)[:5000]
BAD_VALUES = {
    "long-unicode": LONG_UNICODE,
    "empty": "",
    "script": '<script>alert("x")</script>',
    "sql": "' OR 1=1; DROP TABLE accounts_user; --",
    "nul": "abc\x00def",
    "crlf": "name\r\nBcc: victim@example.org",
}


@dataclass(frozen=True)
class FormCase:
    # (client maker, url) given the cast; fields every one of which receives the bad value
    url: Callable[[dict[str, Any]], str]
    who: str | None
    fields: tuple[str, ...]
    htmx: bool = False
    # Values that are legitimately acceptable here: stored verbatim, shown escaped, no error.
    accepts: frozenset[str] = frozenset()
    # Brings the client to the form's state first (e.g. the password step before the code page).
    prepare: Callable[[Client, dict[str, Any]], None] | None = None


def _bob_role_url(cast: dict[str, Any]) -> str:
    return f"/o/alpha/members/{Membership.objects.get(user=cast['bob']).code}/role/"


def _accept_url(cast: dict[str, Any]) -> str:
    _invitation, token = invitation_create(
        actor=Membership.objects.get(user=cast["alice"]), email="fresh@example.org", role="member"
    )
    return f"/invitations/{token}/"


def _password_step_of_enrolled_alice(client: Client, cast: dict[str, Any]) -> None:
    enrol_totp(cast["alice"])
    client.post("/accounts/login/", {"username": "alice@example.org", "password": PASSWORD})


def _enrolled(client: Client, cast: dict[str, Any]) -> None:
    enrol_totp(cast["alice"])


def _enrolment_started(client: Client, cast: dict[str, Any]) -> None:
    client.post("/accounts/mfa/setup/start/")


ARTICLE_FIELDS = (
    "idempotency_key",
    "replaces",
    "title",
    "type",
    "article_number",
    "gtin",
    "unit_name",
    "leading_price",
    "price",
    "tax_rate",
    "description",
)


def _article_edit_url(cast: dict[str, Any]) -> str:
    """A mirrored article of org A to edit; nothing sent may start an Operation."""
    from django.utils import timezone

    from portal.articles.models import Article

    lexware_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    Article.objects.create(
        organization=Organization.objects.get(slug="alpha"),
        lexware_id=lexware_id,
        title="Bearbeiten",
        version=2,
        synced_at=timezone.now(),
        raw={
            "id": lexware_id,
            "version": 2,
            "title": "Bearbeiten",
            "type": "PRODUCT",
            "unitName": "Stück",
            "price": {"netPrice": 1.0, "leadingPrice": "NET", "taxRate": 19},
        },
    )
    return f"/o/alpha/articles/{lexware_id}/edit/"


def _article_delete_url(cast: dict[str, Any]) -> str:
    from django.utils import timezone

    from portal.articles.models import Article

    article = Article.objects.create(
        organization=Organization.objects.get(slug="alpha"),
        lexware_id="5b3c1f7e-2a4d-4c8e-9f10-1a2b3c4d5e6f",
        title="Hostile",
        synced_at=timezone.now(),
    )
    return f"/o/alpha/articles/{article.lexware_id}/delete/"


CONTACT_FIELDS = (
    "idempotency_key",
    "replaces",
    "kind",
    "company_name",
    "tax_number",
    "vat_id",
    "allow_tax_free",
    "salutation",
    "first_name",
    "last_name",
    "roles",
    "email_business",
    "email_office",
    "email_private",
    "email_other",
    "phone_business",
    "phone_office",
    "phone_mobile",
    "phone_private",
    "phone_fax",
    "phone_other",
    "buyer_reference",
    "vendor_number_at_customer",
    "note",
    "create_anyway",
    # the row sets: their management data and a row of each
    "persons-TOTAL_FORMS",
    "persons-0-salutation",
    "persons-0-last_name",
    "persons-0-email",
    "persons-0-phone",
    "persons-0-primary",
    "billing-TOTAL_FORMS",
    "billing-INITIAL_FORMS",
    "billing-0-supplement",
    "billing-0-street",
    "billing-0-zip",
    "billing-0-city",
    "billing-0-country_code",
    "shipping-TOTAL_FORMS",
    "shipping-0-country_code",
)


def _contact_edit_url(cast: dict[str, Any]) -> str:
    """A mirrored contact of org A to edit; nothing sent may start an Operation either."""
    import uuid

    from portal.contacts.models import Contact

    lexware_id = uuid.uuid4()
    Contact.objects.create(
        organization=Organization.objects.get(slug="alpha"),
        lexware_id=lexware_id,
        name="Bearbeiten GmbH",
        version=3,
        raw={
            "id": str(lexware_id),
            "version": 3,
            "roles": {"customer": {"number": 10000}},
            "company": {"name": "Bearbeiten GmbH"},
        },
    )
    return f"/o/alpha/contacts/{lexware_id}/edit/"


def _finalized_document_url(kind: str) -> Callable[[dict[str, Any]], str]:
    """A finalized invoice of org A: the customer-link and e-mail forms (issue 12)."""

    def url(cast: dict[str, Any]) -> str:
        from tests.portal.conftest import make_document

        document = make_document(Organization.objects.get(slug="alpha"), status="open")
        return f"/o/alpha/documents/{kind}/{document.lexware_id}/"

    return url


FORMS = {
    "login": FormCase(lambda c: "/accounts/login/", None, ("username", "password")),
    "password-reset": FormCase(lambda c: "/accounts/password/reset/", None, ("email",)),
    "password-change": FormCase(
        lambda c: "/accounts/password/",
        "alice",
        ("old_password", "new_password1", "new_password2"),
        htmx=True,
    ),
    "profile": FormCase(
        lambda c: "/accounts/profile/", "alice", ("full_name", "language"), htmx=True
    ),
    "organization-create": FormCase(
        lambda c: "/organizations/new/", "alice", ("name", "slug"), htmx=True
    ),
    "invitation-create": FormCase(
        lambda c: "/o/alpha/invitations/", "alice", ("email", "role"), htmx=True
    ),
    "member-role": FormCase(_bob_role_url, "alice", ("role",), htmx=True),
    # A name with an apostrophe and a semicolon, and the same long password twice, is a valid
    # account: it must be stored literally (the ORM binds parameters), not refused.
    "invitation-accept": FormCase(
        _accept_url, None, ("full_name", "password1", "password2"), accepts=frozenset({"sql"})
    ),
    # MFA (issue 16 item 1): the code step of the sign-in, re-authentication, enrolment, and
    # the organization's requirement (a choice of two buttons).
    "login-code": FormCase(
        lambda c: "/accounts/login/code/", None, ("code",), prepare=_password_step_of_enrolled_alice
    ),
    "reauth": FormCase(
        lambda c: "/accounts/reauth/", "alice", ("password", "code"), prepare=_enrolled
    ),
    "mfa-setup": FormCase(
        lambda c: "/accounts/mfa/setup/", "alice", ("code",), prepare=_enrolment_started
    ),
    "mfa-requirement": FormCase(lambda c: "/o/alpha/members/mfa/", "alice", ("required",)),
    # The bank account (organization settings): schwifty checks IBAN and BIC.
    "bank-account": FormCase(
        lambda c: "/o/alpha/settings/",
        "alice",
        ("bank_account_holder", "iban", "bic", "bank_name"),
        htmx=True,
    ),
    # The write path's first form (DESIGN.md §7): nothing may start an Operation.
    "contact-create": FormCase(
        lambda c: "/o/alpha/contacts/new/", "bob", CONTACT_FIELDS, htmx=True
    ),
    # Editing (issue 10): the base version is hostile input too.
    "contact-edit": FormCase(
        _contact_edit_url, "bob", (*CONTACT_FIELDS, "base_version"), htmx=True
    ),
    "article-create": FormCase(
        lambda c: "/o/alpha/articles/new/", "bob", ARTICLE_FIELDS, htmx=True
    ),
    "article-edit": FormCase(
        _article_edit_url, "bob", (*ARTICLE_FIELDS, "base_version"), htmx=True
    ),
    # The delete confirmation: its only field is the one-time token.
    "article-delete": FormCase(_article_delete_url, "bob", ("idempotency_key",), htmx=True),
    # The sales editor (portal/sales): every header field, the rows' management form and row 0.
    "sales-document": FormCase(
        lambda c: "/o/alpha/documents/new/invoice/",
        "bob",
        (
            "idempotency_key",
            "replaces",
            "contact_id",
            "preceding_id",
            "replaces_draft",
            "customer_query",
            "address_name",
            "address_street",
            "address_zip",
            "address_city",
            "address_country",
            "voucher_date",
            "tax_type",
            "tax_type_note",
            "total_discount_percentage",
            "total_discount_absolute",
            "payment_terms",
            "payment_label",
            "payment_days",
            "skonto_percentage",
            "skonto_days",
            "shipping_type",
            "shipping_date",
            "shipping_end_date",
            "title",
            "introduction",
            "remark",
            "article_query",
            "lines-TOTAL_FORMS",
            "lines-INITIAL_FORMS",
            "lines-0-type",
            "lines-0-article_id",
            "lines-0-name",
            "lines-0-description",
            "lines-0-quantity",
            "lines-0-unit_name",
            "lines-0-unit_price",
            "lines-0-tax_rate",
            "lines-0-discount",
            "lines-0-position",
            "language",
            "print_layout",
            "buyer_reference",
            "standard_invoice",
        ),
        htmx=True,
    ),
    # A new customer from within the editor: nothing may start an Operation.
    "sales-new-customer": FormCase(
        lambda c: "/o/alpha/documents/new/quotation/customer/",
        "bob",
        (
            "idempotency_key",
            "replaces",
            "kind",
            "company_name",
            "first_name",
            "last_name",
            "street",
            "zip",
            "city",
            "country",
            "email",
        ),
        htmx=True,
    ),
    # The API console (issue 15): nothing may start a call.
    "api-console": FormCase(
        lambda c: "/o/alpha/console/run/",
        "alice",
        ("method", "path", "query", "body", "token", "confirmed"),
        htmx=True,
    ),
    # The key's end date (no key yet here: even an empty date is refused, with a message).
    "key-expiry": FormCase(
        lambda c: "/o/alpha/connection/expiry/", "alice", ("key_expires_on",), htmx=True
    ),
    # Bookkeeping vouchers (issue 13): the voucher form and its first position row.
    "voucher-create": FormCase(
        lambda c: "/o/alpha/bookkeeping/new/",
        "bob",
        (
            "idempotency_key",
            "replaces",
            "voucher_type",
            "status",
            "voucher_number",
            "voucher_date",
            "due_date",
            "shipping_date",
            "use_collective_contact",
            "contact",
            "contact_name",
            "tax_type",
            "remark",
            "expected_total",
            "items-TOTAL_FORMS",
            "items-INITIAL_FORMS",
            "items-0-amount",
            "items-0-tax_rate",
            "items-0-tax_amount",
            "items-0-category",
        ),
        htmx=True,
    ),
    # Documents out (issue 12): nothing may make a link or queue an e-mail.
    "share-link-create": FormCase(
        lambda c: _finalized_document_url("sharing")(c) + "new/", "bob", ("expires_on",), htmx=True
    ),
    "document-email": FormCase(
        _finalized_document_url("email"),
        "bob",
        (
            "idempotency_key",
            "to",
            "copy_to_me",
            "subject",
            "body",
            "include_link",
            "link_expires_on",
            "attach_pdf",
            "attach_statement",
        ),
    ),
}
# The editor's "Preview PDF" (issue 19) takes the editor's whole form: the same fields, and an
# invalid one starts no render.
FORMS["sales-preview-pdf"] = FormCase(
    lambda c: "/o/alpha/documents/new/invoice/preview-pdf/",
    "bob",
    FORMS["sales-document"].fields,
    htmx=True,
)


def _snapshot() -> tuple[Any, ...]:
    users = tuple(
        User.objects.order_by("pk").values_list(
            "email", "full_name", "language", "password", "is_staff"
        )
    )
    memberships = tuple(
        Membership.objects.order_by("pk").values_list("user_id", "organization_id", "role")
    )
    return (
        users,
        memberships,
        tuple(
            Organization.objects.order_by("pk").values_list(
                "name",
                "slug",
                "require_mfa_for_admins",
                "bank_account_holder",
                "iban",
                "bic",
                "bank_name",
            )
        ),
        tuple(
            Invitation.objects.order_by("pk").values_list(
                "email", "role", "accepted_at", "revoked_at"
            )
        ),
        LexwareConnection.objects.count(),
        Operation.objects.count(),
        apps.get_model("rendering", "RenderJob").objects.count(),
        tuple(TOTPDevice.objects.order_by("pk").values_list("user_id", "confirmed")),
        StaticToken.objects.count(),
        apps.get_model("sharing", "ShareLink").objects.count(),
        apps.get_model("emails", "OutgoingEmail").objects.count(),
        apps.get_model("bookkeeping", "Receipt").objects.count(),
    )


CASES = [
    pytest.param(
        form_name, value_name, htmx, id=f"{form_name}-{value_name}-{'htmx' if htmx else 'page'}"
    )
    for form_name, case in FORMS.items()
    for value_name in BAD_VALUES
    for htmx in ((False, True) if case.htmx else (False,))
]


@pytest.mark.parametrize(("form_name", "value_name", "htmx"), CASES)
def test_bad_input_gives_errors_and_saves_nothing(
    form_name: str, value_name: str, htmx: bool, cast: dict[str, User], client_for: Any
) -> None:
    case = FORMS[form_name]
    url = case.url(cast)
    client: Client = client_for(cast[case.who] if case.who else None)
    if case.prepare is not None:
        case.prepare(client, cast)
    before = _snapshot()
    value = BAD_VALUES[value_name]
    data = dict.fromkeys(case.fields, value)
    # Mass assignment (T4): fields no form offers must change nothing.
    data.update(
        {"is_staff": "on", "is_superuser": "on", "organization": "2", "email_verified": "1"}
    )
    if "role" not in case.fields:
        data["role"] = "owner"
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data, headers=headers)
    html = response.content.decode()
    if value_name in case.accepts:
        assert response.status_code == 302, (form_name, value_name, response.status_code)
        created = User.objects.get(email="fresh@example.org")
        assert created.full_name == value and created.check_password(value) and not created.is_staff
        assert Membership.objects.get(user=created).role == "member"
        return
    assert response.status_code == 200, (form_name, value_name, response.status_code)
    assert "errorlist" in html or "field__errors" in html or 'role="alert"' in html, (
        form_name,
        value_name,
    )
    assert "<script>alert" not in html
    assert _snapshot() == before, (form_name, value_name)
    if htmx:
        assert "<html" not in html  # the partial only


# Property test (reliability.md F1, F5; issue 16 item 4): any mix of values in any form's
# fields, drawn per field, gets an answer below 500 with nothing echoed unescaped.
FIELD_VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        list(BAD_VALUES.values()) + ["9999-12-31", "0001-01-01", "1e309", "-1", "owner", "on"]
    ),
)


@pytest.mark.parametrize("form_name", sorted(FORMS))
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_values_in_any_form_never_fail_the_page(
    form_name: str, cast: dict[str, User], client_for: Any, data: Any
) -> None:
    case = FORMS[form_name]
    values = {field: data.draw(FIELD_VALUES, label=field) for field in case.fields}
    headers = {"HX-Request": "true"} if case.htmx and data.draw(st.booleans(), label="htmx") else {}
    # Each example starts from the same database: what one example saved is rolled back.
    with transaction.atomic():
        client: Client = client_for(cast[case.who] if case.who else None)
        if case.prepare is not None:
            case.prepare(client, cast)
        response = client.post(case.url(cast), values, headers=headers)
        transaction.set_rollback(True)
    assert response.status_code < 500, (form_name, values, response.status_code)
    assert "<script>alert" not in response.content.decode()


# F4 (issue 13 item 5): hostile receipt files. Nothing is stored, no upload starts, the page
# says why. The type is told by the content, so a renamed file is refused too.
def _zip_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * 5_000_000)  # 5 MB that pack to a few KB
    return buffer.getvalue()


BAD_FILES = {
    "empty": ("leer.pdf", b""),
    "over-the-limit": ("gross.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)),
    "wrong-magic": ("beleg.pdf", b"MZ\x90\x00 not a pdf at all"),
    "wrong-extension": ("beleg.png", b"%PDF-1.4\n%%EOF\n"),
    "no-extension": ("beleg", b"%PDF-1.4\n%%EOF\n"),
    "zip-named-pdf": ("bomb.zip.pdf", _zip_bytes()),
    "zip": ("bomb.zip", _zip_bytes()),
    "traversal-name": ("../../etc/passwd", b"root:x:0:0"),
    "script-name": ('<script>alert("x")</script>.exe', b"MZ"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_bad_receipt_files_are_refused_and_store_nothing(
    name: str, htmx: bool, cast: dict[str, User], client_for: Any
) -> None:
    import io

    filename, content = BAD_FILES[name]
    upload = io.BytesIO(content)
    upload.name = filename
    client: Client = client_for(cast["bob"])
    before = _snapshot()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post("/o/alpha/bookkeeping/receipts/", {"files": [upload]}, headers=headers)
    assert _snapshot() == before, name
    html = response.content.decode()
    if htmx:
        assert response.status_code == 400 and 'class="receipt-row receipt-row--error"' in html
    else:
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert 'class="alert alert--error"' in html
    assert "<script>alert" not in html
