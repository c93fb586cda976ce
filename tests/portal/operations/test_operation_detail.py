"""An operation's page shows its input readably (issue 8 item 7: it showed a raw Python dict)."""

from __future__ import annotations

import html
from typing import Any

from django.urls import reverse

from portal.accounts.models import User
from portal.operations.models import Operation
from portal.organizations.models import Organization

INPUT = {
    "contact": {
        "roles": {"customer": {}},
        "company": {
            "name": "Müller & Söhne GmbH",
            "contactPersons": [{"lastName": "Sommer", "firstName": "Jana"}],
        },
        "version": 0,
    },
    "apiKey": "lx-secret-key-never-shown",
}

# Indented JSON, keys sorted at every level, umlauts as typed, the secret-looking key masked.
EXPECTED = """{
  "apiKey": "***",
  "contact": {
    "company": {
      "contactPersons": [
        {
          "firstName": "Jana",
          "lastName": "Sommer"
        }
      ],
      "name": "Müller & Söhne GmbH"
    },
    "roles": {
      "customer": {}
    },
    "version": 0
  }
}"""


def _detail(client: Any, operation: Operation) -> str:
    url = reverse(
        "operations:detail",
        kwargs={"org_slug": operation.organization.slug, "code": operation.code},
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_input_is_shown_as_sorted_indented_json(
    org_a: Organization, alice: User, client: Any
) -> None:
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    operation = Operation.objects.create(organization=org_a, kind="contact.create", input=INPUT)
    page = _detail(client, operation)

    assert f'<pre class="code">{html.escape(EXPECTED, quote=True)}</pre>' in page
    # Not the Python repr that |pprint gave: {'contact': {'company': ...
    assert "{'" not in page and "{&#x27;" not in page and "&#x27;contact&#x27;" not in page
    assert "lx-secret-key-never-shown" not in page


def test_an_operation_without_input_shows_no_input_section(
    org_a: Organization, alice: User, client: Any
) -> None:
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    operation = Operation.objects.create(organization=org_a, kind="contact.create", input={})
    assert '<pre class="code">' not in _detail(client, operation)


def test_operation_pages_name_the_kind_in_words(client, alice, org_a) -> None:
    """Kinds show what they do ("Create contact"), not their code names ("contact.create")."""
    from django.urls import reverse

    from portal.operations.models import Operation

    operation = Operation.objects.create(organization=org_a, kind="contact.create", input={})
    client.force_login(alice)
    listing = client.get(
        reverse("operations:list", kwargs={"org_slug": org_a.slug}), HTTP_ACCEPT_LANGUAGE="en"
    )
    detail = client.get(
        reverse("operations:detail", kwargs={"org_slug": org_a.slug, "code": operation.code})
    )
    # The listing asked for English; the detail page asked for nothing and reads German.
    for response, label in ((listing, "Create contact"), (detail, "Kontakt anlegen")):
        text = response.content.decode()
        assert "contact.create" not in text
        assert label in text


def test_a_sync_step_names_its_part(client, alice, org_a) -> None:
    from django.urls import reverse
    from django.utils import translation

    from portal.operations.models import Operation

    step = Operation.objects.create(
        organization=org_a, kind="sync.step", input={"part": "contacts"}
    )
    with translation.override("de"):
        assert step.kind_label == "Abgleichschritt – Kontakte"
    with translation.override("en"):
        assert step.kind_label == "Sync step – Contacts"
    client.force_login(alice)
    page = client.get(
        reverse("operations:list", kwargs={"org_slug": org_a.slug}),
        headers={"Accept-Language": "en"},
    )
    assert "Sync step – Contacts" in page.content.decode()
