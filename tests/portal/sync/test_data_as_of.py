"""The "Data as of" line's time (sync.selectors.data_as_of): the part's last finished sync,
read with the written-out statement on PostgreSQL, equal to the ORM's answer; before any
finished sync, the newest mirrored row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from portal.contacts.models import Contact
from portal.organizations.models import Organization
from portal.sync import selectors
from portal.sync.models import SyncPart


@pytest.mark.postgres
def test_the_last_finished_part_is_the_answer_on_either_way(
    org_a: Organization, org_b: Organization
) -> None:
    assert connection.vendor == "postgresql"
    finished = datetime(2026, 11, 27, 22, 30, 15, 123456, tzinfo=UTC)
    SyncPart.objects.create(organization=org_a, name="contacts", finished_at=finished)
    SyncPart.objects.create(organization=org_a, name="articles")  # not finished
    SyncPart.objects.create(
        organization=org_b, name="contacts", finished_at=datetime(2020, 1, 1, tzinfo=UTC)
    )

    for part in ("contacts", "articles", "voucherlist"):
        written = selectors._part_finished_at(organization_id=org_a.pk, part=part)
        orm = selectors._part_finished_at_orm(organization_id=org_a.pk, part=part)
        assert written == orm
    answer = selectors.data_as_of(organization=org_a, part="contacts", model=Contact)
    assert answer == finished and answer.tzinfo is not None


def test_before_a_finished_sync_the_newest_row_stands_in(org_a: Organization) -> None:
    SyncPart.objects.create(organization=org_a, name="contacts")
    assert selectors.data_as_of(organization=org_a, part="contacts", model=None) is None
    contact = Contact.objects.create(
        organization=org_a, lexware_id="5b9b9a0c-6a5e-4d6b-8f7e-0c3c0d5f0a11", name="Erste GmbH"
    )
    assert selectors.data_as_of(organization=org_a, part="contacts", model=Contact) == (
        contact.synced_at
    )
