"""Matched rows offered as updates (issue 10 item 6): the preview's choice "update the existing
records" feeds contact_update / article_update (the edit form's read-merge-put) on the bulk
lane; "skip" (the default) leaves them alone. In-process simulator, eager Celery."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from portal.articles.models import Article
from portal.articles.services import article_create
from portal.contacts.models import Contact
from portal.contacts.services import contact_create
from portal.imports import services
from portal.imports.columns import ARTICLE_COLUMNS
from portal.imports.files import row_reason
from portal.imports.models import ImportJob, ImportRow
from portal.operations.models import Lane, Operation, OperationState
from tests.portal.imports.conftest import KEY, contact_cells, csv_file

INDEX = "/o/alpha/imports/"


def _job_url(job: ImportJob, action: str = "job") -> str:
    return reverse(f"imports:{action}", kwargs={"org_slug": "alpha", "code": job.code})


def _puts(sim: Any, since: float) -> list[dict[str, Any]]:
    return [r for r in sim.requests_since(since, key_fingerprint(KEY)) if r["method"] == "PUT"]


@pytest.fixture
def contact(connected, sim, django_capture_on_commit_callbacks) -> Contact:
    """A company in Lexware and the mirror, with a customer number Lexware assigned, a note and
    a private e-mail address the import file does not hold."""
    with django_capture_on_commit_callbacks(execute=True):
        op = contact_create(
            organization=connected.organization,
            user=None,
            data={
                "roles": {"customer": {}},
                "company": {"name": "Werft Möller GmbH", "taxNumber": "22/815/08150"},
                "emailAddresses": {
                    "business": ["info@werft.example"],
                    "private": ["chef@werft.example"],
                },
                "phoneNumbers": {"business": ["040 123"]},
                "addresses": {
                    "billing": [
                        {"street": "Kai 1", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
                    ]
                },
                "note": "Rahmenvertrag 2026",
            },
        )
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    made = Contact.objects.get(lexware_id=op.target_id)
    assert made.customer_number
    return made


def _import(client: Any, rows: list[list[str]], choice: str | None, capture: Any, **kw: Any):
    client.post(
        INDEX, {"kind": kw.get("kind", "contacts"), "file": csv_file(rows, **kw.get("file", {}))}
    )
    job = ImportJob.objects.get()
    data = {} if choice is None else {"matched": choice}
    with capture(execute=True):
        assert client.post(_job_url(job, "start"), data).status_code == 302
    job.refresh_from_db()
    return job


def _row(contact: Contact, **values: str) -> list[str]:
    roles = {"is_customer": "ja", "is_vendor": "nein"}
    return contact_cells(customer_number=str(contact.customer_number), **{**roles, **values})


def test_the_preview_offers_the_choice_with_the_row_count(client_for, bob, contact) -> None:
    client = client_for(bob)
    client.post(INDEX, {"kind": "contacts", "file": csv_file([_row(contact, company_name="X")])})
    page = client.get(_job_url(ImportJob.objects.get())).content.decode()
    assert "The 1 row that matches an existing record" in page
    assert re.search(r'<input type="radio" name="matched" value="skip"[^>]*checked', page)
    assert not re.search(r'value="update"[^>]*checked', page)
    assert "Update the existing records with the filled cells" in page


def test_a_matched_contact_row_updates_the_filled_fields_only(
    client_for, bob, contact, sim, django_capture_on_commit_callbacks
) -> None:
    since = time.time()
    row = _row(
        contact,
        company_name="Werft Möller & Söhne GmbH",
        email="neu@werft.example",
        is_customer="ja",
        is_vendor="nein",
        city="Kiel",
        # phone, note, tax number, street, zip: empty cells
    )
    job = _import(client_for(bob), [row], "update", django_capture_on_commit_callbacks)
    assert job.state == ImportJob.State.DONE
    op = Operation.objects.get(kind="contact.update")
    assert op.state == OperationState.SUCCEEDED and op.lane == Lane.BULK, op.error_message
    assert op.idempotency_key == job.idempotency_key(2)
    assert len(_puts(sim, since)) == 1
    stored = sim.tenant_for_key(KEY).contacts[str(contact.lexware_id)]
    assert stored["company"]["name"] == "Werft Möller & Söhne GmbH"
    assert stored["emailAddresses"]["business"] == ["neu@werft.example"]
    # Not in the file or empty cells: kept.
    assert stored["emailAddresses"]["private"] == ["chef@werft.example"]
    assert stored["note"] == "Rahmenvertrag 2026"
    assert stored["phoneNumbers"]["business"] == ["040 123"]
    assert stored["company"]["taxNumber"] == "22/815/08150"
    assert stored["addresses"]["billing"][0] == {
        "street": "Kai 1",
        "zip": "20457",
        "city": "Kiel",
        "countryCode": "DE",
    }
    assert stored["roles"]["customer"]["number"] == contact.customer_number
    assert "vendor" not in stored["roles"]
    progress_page = client_for(bob).get(_job_url(job)).content.decode()
    assert "Import finished" in progress_page and "1 / 1" in progress_page
    from portal.imports.selectors import job_progress

    progress = job_progress(job=job)
    assert (progress.updated, progress.created, progress.failed, progress.skipped) == (1, 0, 0, 0)
    # The mirror was read back.
    assert Contact.objects.get(pk=contact.pk).name == "Werft Möller & Söhne GmbH"


def test_skip_is_the_default_and_still_skips(
    client_for, bob, contact, sim, django_capture_on_commit_callbacks
) -> None:
    since = time.time()
    rows = [
        _row(contact, company_name="Anders GmbH"),
        contact_cells(company_name="Neu GmbH", is_customer="ja", is_vendor="nein"),
    ]
    for choice in (None, "skip"):
        ImportJob.objects.all().delete()
        job = _import(client_for(bob), rows, choice, django_capture_on_commit_callbacks)
        assert job.state == ImportJob.State.DONE
        row = job.rows.get(number=2)
        assert row.action == ImportRow.Action.SKIP and row.operation is None
    assert not Operation.objects.filter(kind="contact.update").exists()
    assert not _puts(sim, since)
    assert sim.tenant_for_key(KEY).contacts[str(contact.lexware_id)]["company"]["name"] == (
        "Werft Möller GmbH"
    )


def test_a_bad_choice_starts_nothing(client_for, bob, contact) -> None:
    client = client_for(bob)
    client.post(INDEX, {"kind": "contacts", "file": csv_file([_row(contact, company_name="X")])})
    job = ImportJob.objects.get()
    assert client.post(_job_url(job, "start"), {"matched": "<script>"}).status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW


def test_a_conflict_fails_the_row_with_the_reason(
    client_for, bob, contact, sim, django_capture_on_commit_callbacks
) -> None:
    """Someone renamed the company in Lexware after the last sync: the row's other name is not
    written over it; the row fails and the error file says which field."""
    stored = sim.tenant_for_key(KEY).contacts[str(contact.lexware_id)]
    stored["company"]["name"] = "Werft Möller (Lexware)"
    stored["version"] += 1
    since = time.time()
    row = _row(contact, company_name="Werft Möller (Datei)")
    client = client_for(bob)
    job = _import(client, [row], "update", django_capture_on_commit_callbacks)
    assert job.state == ImportJob.State.DONE
    op = Operation.objects.get(kind="contact.update")
    assert op.state == OperationState.FAILED and op.conflict is not None
    assert not _puts(sim, since)
    import_row = job.rows.get(number=2)
    reason = row_reason(job, import_row)
    assert "someone changed these fields in Lexware" in reason and "company.name" in reason
    response = client.get(_job_url(job, "errors"))
    errors = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "company.name" in errors
    from portal.imports.selectors import job_progress

    progress = job_progress(job=job)
    assert (progress.failed, progress.updated, progress.not_imported) == (1, 0, 1)


def test_the_pump_run_twice_sends_one_put_per_row(
    client_for, bob, contact, sim, django_capture_on_commit_callbacks
) -> None:
    since = time.time()
    job = _import(
        client_for(bob),
        [_row(contact, company_name="Einmal GmbH")],
        "update",
        django_capture_on_commit_callbacks,
    )
    assert len(_puts(sim, since)) == 1
    # A duplicate delivery of the feeder after the row was handed over.
    job.state = ImportJob.State.RUNNING
    job.save()
    ImportRow.objects.filter(job=job).update(status=ImportRow.Status.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_pump(job_id=job.pk)
    assert Operation.objects.filter(kind="contact.update").count() == 1
    assert len(_puts(sim, since)) == 1


def test_a_matched_article_row_updates_the_price(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        op = article_create(
            organization=connected.organization,
            user=None,
            data={
                "title": "Wartung",
                "type": "SERVICE",
                "unitName": "Stunde",
                "articleNumber": "SRV-9",
                "note": "intern: nur Bestandskunden",
                "price": {"leadingPrice": "NET", "netPrice": 80.0, "taxRate": 7},
            },
        )
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert Article.objects.filter(article_number="SRV-9").exists()
    keys = [c.key for c in ARTICLE_COLUMNS]
    values = {
        "article_number": "SRV-9",
        "title": "Wartung",
        "type": "Dienstleistung",
        "unit_name": "Stunde",
        "net_price": "89,50",
    }
    since = time.time()
    job = _import(
        client_for(bob),
        [[values.get(key, "") for key in keys]],
        "update",
        django_capture_on_commit_callbacks,
        kind="articles",
        file={"headings": [c.heading for c in ARTICLE_COLUMNS], "name": "artikel.csv"},
    )
    assert job.state == ImportJob.State.DONE
    update = Operation.objects.get(kind="article.update")
    assert update.state == OperationState.SUCCEEDED, update.error_message
    assert len(_puts(sim, since)) == 1
    stored = sim.tenant_for_key(KEY).articles[op.target_id]
    assert stored["price"]["netPrice"] == 89.5
    # The empty tax rate cell does not put back the default 19 %; the note is kept.
    assert stored["price"]["taxRate"] == 7
    assert stored["note"] == "intern: nur Bestandskunden"


def test_a_company_row_on_a_person_contact_is_a_row_error(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        op = contact_create(
            organization=connected.organization,
            user=None,
            data={"roles": {"customer": {}}, "person": {"firstName": "Jana", "lastName": "Sommer"}},
        )
    op.refresh_from_db()
    person = Contact.objects.get(lexware_id=op.target_id)
    client = client_for(bob)
    job = _import(
        client,
        [_row(person, company_name="Sommer GmbH")],
        "update",
        django_capture_on_commit_callbacks,
    )
    assert job.state == ImportJob.State.DONE
    assert not Operation.objects.filter(kind="contact.update").exists()
    row = job.rows.get(number=2)
    assert row.action == ImportRow.Action.INVALID and row.status == ImportRow.Status.NOT_SENT
    assert row_reason(job, row) == (
        "Firmenname: The existing contact is a person; a row cannot turn it into a company."
    )
    from portal.imports.selectors import job_progress

    progress = job_progress(job=job)
    assert (progress.to_send, progress.invalid, progress.not_imported) == (0, 1, 1)
    assert "person" in sim.tenant_for_key(KEY).contacts[op.target_id]
