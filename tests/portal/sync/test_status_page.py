"""The sync page follows a sync that "Sync now" started until it has finished (issue 8 item 7:
the page stayed on "Queued" although the sync had finished).

The worker is played by hand: each queued step is run with the runner, in order, the way a
worker takes them from the queue, so the page can be looked at between the steps.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from portal.organizations.models import LexwareConnection
from portal.sync.engine import STEP
from portal.sync.models import SyncPart

POLLS = 'hx-trigger="every 2s"'
# The state badge of the sync operation shown (markup, not words: the page may be in German).
QUEUED, DONE = "badge--pending", "badge--succeeded"


def _page(client: Client, *, partial: bool = False) -> str:
    headers = {"HX-Request": "true"} if partial else {}
    response = client.get(reverse("sync:status", kwargs={"org_slug": "alpha"}), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _run_next_step(connected: LexwareConnection) -> bool:
    step = (
        Operation.objects.filter(
            organization=connected.organization, kind=STEP, state=OperationState.PENDING
        )
        .order_by("pk")
        .first()
    )
    if step is None:
        return False
    runner.execute(step.pk)
    step.refresh_from_db()
    assert step.state == OperationState.SUCCEEDED, step.error_message
    return True


def test_the_page_polls_from_sync_now_until_the_sync_has_finished(
    connected: LexwareConnection, alice: User
) -> None:
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("sync:start", kwargs={"org_slug": "alpha"}))

    # Right after "Sync now" no part runs yet: the first step waits for a worker. The page
    # must keep asking, or it shows "Queued" for good.
    page = _page(client)
    assert QUEUED in page
    assert POLLS in page

    steps = 0
    while _run_next_step(connected):
        steps += 1
        parts = SyncPart.objects.filter(organization=connected.organization)
        if parts.exclude(status=SyncPart.Status.DONE).exists():
            # Between two steps no part may be running (one done, the next one's step queued):
            # the sync is not finished, so the partial keeps polling.
            assert POLLS in _page(client, partial=True), f"stopped polling after step {steps}"
    assert steps > 1  # the sync took several steps, so the in-between states were looked at

    assert (
        not SyncPart.objects.filter(organization=connected.organization)
        .exclude(status=SyncPart.Status.DONE)
        .exists()
    )
    partial = _page(client, partial=True)
    assert POLLS not in partial and QUEUED not in partial
    assert DONE in partial
