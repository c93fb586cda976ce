"""The import end to end in-process (issue 10 item 6): upload → preview with row errors, nothing
sent → start → one bulk-lane contact.create per row through the outbox → progress → error file;
existing customer numbers skipped; cancel withdraws waiting rows; the permission gate."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from lexware import key_fingerprint
from portal.contacts.models import Contact
from portal.imports import services
from portal.imports.models import ImportJob, ImportRow
from portal.operations.models import Lane, Operation, OperationState
from tests.portal.conftest import make_contact
from tests.portal.imports.conftest import KEY, contact_cells, csv_file, xlsx_file

INDEX = "/o/alpha/imports/"


def _posts(sim: Any, since: float) -> list[dict[str, Any]]:
    return [
        r
        for r in sim.requests_since(since, key_fingerprint(KEY))
        if r["method"] == "POST" and r["path"].startswith("/v1/contacts")
    ]


def _upload(client: Any, upload: Any, kind: str = "contacts") -> Any:
    return client.post(INDEX, {"kind": kind, "file": upload})


def _job_url(job: ImportJob, action: str = "job") -> str:
    return reverse(f"imports:{action}", kwargs={"org_slug": "alpha", "code": job.code})


ROWS = [
    contact_cells(
        company_name="Hafenkontor Sommer GmbH",
        is_customer="ja",
        is_vendor="nein",
        email="info@hafenkontor.example",
        city="Hamburg",
        zip="20457",
        street="Hafenweg 3",
    ),
    contact_cells(first_name="Jana", last_name="Sommer", is_customer="ja", is_vendor="ja"),
    contact_cells(
        company_name="Kaputt AG", is_customer="ja", is_vendor="nein", email="kein-at-zeichen"
    ),
]


def test_preview_shows_row_errors_and_sends_nothing(client_for, bob, connected, sim) -> None:
    since = time.time()
    response = _upload(client_for(bob), csv_file(ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == _job_url(job)
    assert (
        job.state == ImportJob.State.PREVIEW
        and job.delimiter == ";"
        and job.encoding == "utf-8-sig"
    )
    page = client_for(bob).get(_job_url(job)).content.decode()
    assert "2 rows will be created in Lexware." in page
    assert "1 row has errors and will not be sent." in page
    assert "<strong>E-Mail</strong>: Enter a valid e-mail address." in page
    assert not Operation.objects.exists() and not _posts(sim, since)


def test_the_import_creates_each_row_once_on_the_bulk_lane(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    _upload(client, csv_file(ROWS))
    job = ImportJob.objects.get()
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_job_url(job, "start")).status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.state
    operations = Operation.objects.filter(kind="contact.create")
    assert operations.count() == 2
    assert {op.lane for op in operations} == {Lane.BULK}
    assert {op.state for op in operations} == {OperationState.SUCCEEDED}
    assert {op.idempotency_key for op in operations} == {
        f"import:{job.code}:2",
        f"import:{job.code}:3",
    }
    assert len(_posts(sim, since)) == 2
    names = set(Contact.objects.values_list("name", flat=True))
    assert names == {"Hafenkontor Sommer GmbH", "Jana Sommer"}
    sent = sim.tenant_for_key(KEY).contacts
    person = next(c for c in sent.values() if "person" in c)
    assert set(person["roles"]) == {"customer", "vendor"}
    page = client.get(_job_url(job)).content.decode()
    assert "Import finished" in page and "2 / 2" in page
    # Running the feeder again (a duplicate delivery) creates nothing more.
    job.state = ImportJob.State.RUNNING
    job.save()
    ImportRow.objects.filter(job=job, action=ImportRow.Action.CREATE).update(
        status=ImportRow.Status.WAITING
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_pump(job_id=job.pk)
    assert Operation.objects.filter(kind="contact.create").count() == 2
    assert len(_posts(sim, since)) == 2


def test_the_error_file_has_the_failed_rows_in_the_uploaded_format(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    """A row the preview refused and a row Lexware refused (an unknown country, 406)."""
    client = client_for(bob)
    rows = [
        *ROWS,
        contact_cells(
            company_name="Nirgendwo GmbH",
            is_customer="ja",
            is_vendor="nein",
            city="X",
            country_code="XX",
        ),
    ]
    _upload(client, csv_file(rows, delimiter=",", encoding="cp1252", name="liste.csv"))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_job_url(job, "start"))
    response = client.get(_job_url(job, "errors"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="liste-Fehler.csv"'
    text = b"".join(response.streaming_content).decode("cp1252")
    table = list(csv.reader(io.StringIO(text), delimiter=","))
    assert table[0][-1] == "Fehler" and table[0][4] == "Firmenname"
    assert [row[4] for row in table[1:]] == ["Kaputt AG", "Nirgendwo GmbH"]
    assert "E-Mail: Enter a valid e-mail address." in table[1][-1]
    assert "countryCode" in table[2][-1]


def test_an_xlsx_upload_gets_an_xlsx_error_file(client_for, bob, connected, sim) -> None:
    from openpyxl import load_workbook

    client = client_for(bob)
    _upload(
        client,
        xlsx_file(
            [contact_cells(company_name="", last_name="", is_customer="ja", is_vendor="nein")]
        ),
    )
    job = ImportJob.objects.get()
    assert job.file_format == "xlsx"
    client.post(_job_url(job, "discard"))
    response = client.get(_job_url(job, "errors"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.values)
    assert rows[0][-1] == "Fehler" and "Enter a company name or a last name." in rows[1][-1]


def test_existing_customer_numbers_are_skipped(client_for, bob, connected, org_a, sim) -> None:
    make_contact(org_a, name="Schon Da GmbH", customer_number=10007)
    rows = [
        contact_cells(
            customer_number="10007",
            company_name="Schon Da GmbH",
            is_customer="ja",
            is_vendor="nein",
        ),
        ROWS[0],
    ]
    _upload(client_for(bob), csv_file(rows))
    job = ImportJob.objects.get()
    row = job.rows.get(number=2)
    assert row.action == ImportRow.Action.SKIP and row.status == ImportRow.Status.NOT_SENT
    page = client_for(bob).get(_job_url(job)).content.decode()
    assert "1 row matches an existing record" in page


def test_cancel_withdraws_the_rows_not_yet_sent(client_for, bob, connected, sim, settings) -> None:
    """Without running the outbox: the first window waits in the queue when the user cancels."""
    settings.IMPORT_WINDOW = 2
    rows = [
        contact_cells(company_name=f"Firma {i} GmbH", is_customer="ja", is_vendor="nein")
        for i in range(5)
    ]
    client = client_for(bob)
    _upload(client, csv_file(rows))
    job = ImportJob.objects.get()
    since = time.time()
    client.post(_job_url(job, "start"))  # the feeder's task is enqueued on commit: not run here
    services.import_pump(job_id=job.pk)  # feeds the first window of 2
    assert job.rows.filter(status=ImportRow.Status.SENT).count() == 2
    assert client.post(_job_url(job, "cancel")).status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED
    assert job.rows.filter(status=ImportRow.Status.CANCELLED).count() == 5
    assert set(Operation.objects.values_list("state", flat=True)) == {OperationState.FAILED}
    assert not services.import_pump(job_id=job.pk)  # a late feeder does nothing
    assert not _posts(sim, since)
    page = client.get(_job_url(job)).content.decode()
    assert "Import cancelled" in page and "rows not imported" in page


def test_the_upload_form_shows_file_errors(client_for, bob, connected) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _upload(client_for(bob), SimpleUploadedFile("x.xlsx", b"no zip"))
    assert response.status_code == 400
    assert "This is not an Excel (XLSX) file." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_pages_are_german_first(client_for, bob, connected) -> None:
    _upload(client_for(bob), csv_file(ROWS))
    job = ImportJob.objects.get()
    with translation.override("de"):
        page = client_for(bob).get(_job_url(job), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Vorschau" in page


@pytest.mark.parametrize("action", ["start", "cancel", "discard"])
def test_viewers_cannot_import(client_for, carol, connected, action: str) -> None:
    job = ImportJob.objects.create(
        organization=connected.organization, kind="contacts", file_format="csv"
    )
    assert client_for(carol).post(_job_url(job, action)).status_code == 403
    assert client_for(carol).get(INDEX).status_code == 403
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW


@pytest.mark.parametrize(
    "value",
    [
        ("Müller 🧾 \u202eRTL\u202c שלום 漢字 " * 200)[:5000],
        '<script>alert("x")</script>',
        "' OR 1=1; DROP TABLE accounts_user; --",
        "abc\x00def",
        "name\r\nBcc: victim@example.org",
    ],
    ids=["long-unicode", "script", "sql", "nul", "crlf"],
)
def test_hostile_cells_become_row_errors_never_a_500(
    client_for, bob, connected, value: str
) -> None:
    """reliability.md F1/T4 for the file's cells: the preview lists the row, escaped (a NUL
    byte makes it a binary file, not a CSV: the form says so, nothing is kept)."""
    response = _upload(
        client_for(bob),
        csv_file(
            [contact_cells(company_name=value, is_customer="ja", is_vendor="nein", note=value)]
        ),
    )
    if response.status_code == 400:
        assert "This is not a CSV file." in response.content.decode()
        assert not ImportJob.objects.exists()
        return
    assert response.status_code == 302
    page = client_for(bob).get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert" not in html
    assert not Operation.objects.exists()


def test_articles_are_imported_too(
    client_for, bob, connected, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    """Article rows (§5.4) go through article_create on the bulk lane; an existing article
    number is skipped; a bad GTIN stays in the preview."""
    import uuid

    from portal.articles.mirror import upsert_article
    from portal.imports.columns import ARTICLE_COLUMNS

    upsert_article(
        organization=org_a,
        data={
            "id": str(uuid.uuid4()),
            "title": "Alt",
            "type": "PRODUCT",
            "unitName": "Stück",
            "articleNumber": "A-1",
        },
    )
    keys = [c.key for c in ARTICLE_COLUMNS]

    def row(**values: str) -> list[str]:
        return [values.get(key, "") for key in keys]

    rows = [
        row(article_number="A-1", title="Alt", type="Produkt", unit_name="Stück", net_price="1"),
        row(
            article_number="SRV-9",
            title="Wartung",
            type="Dienstleistung",
            unit_name="Stunde",
            net_price="89,50",
            tax_rate="19",
        ),
        row(
            title="Kabel",
            type="Produkt",
            unit_name="Stück",
            gross_price="11,90",
            leading_price="Brutto",
            gtin="4006381333932",
        ),
    ]
    client = client_for(bob)
    _upload(
        client,
        csv_file(rows, headings=[c.heading for c in ARTICLE_COLUMNS], name="artikel.csv"),
        kind="articles",
    )
    job = ImportJob.objects.get()
    assert [r.action for r in job.rows.order_by("number")] == ["skip", "create", "invalid"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_job_url(job, "start"))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    op = Operation.objects.get(kind="article.create")
    assert op.state == OperationState.SUCCEEDED and op.lane == Lane.BULK, op.error_message
    made = sim.tenant_for_key(KEY).articles[op.target_id]
    assert made["title"] == "Wartung" and made["price"]["netPrice"] == 89.5
    assert made["articleNumber"] == "SRV-9" and made["type"] == "SERVICE"
