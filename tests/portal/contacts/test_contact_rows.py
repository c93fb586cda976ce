"""The contacts table's rows, built in Python for speed (issue 18 item 2), read exactly as the
template loop they replace did, in both languages, escaping and links included."""

from __future__ import annotations

import re
import uuid

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.contacts.models import Contact
from portal.organizations.models import Organization

# The loop as templates/contacts/contact_list.html wrote it before.
PER_CELL_TEMPLATE = Template("""{% load i18n %}{% for contact in rows %}
      <tr>
        <td><a href="{% url 'contacts:detail' org_slug=organization.slug lexware_id=contact.lexware_id %}">{{ contact.name|default:_("(no name)") }}</a>{% if contact.archived %} <span class="badge badge--none">{% translate "archived" %}</span>{% endif %}</td>
        <td class="nowrap">
          {% if contact.is_customer %}<span class="badge badge--role">{% translate "Customer" %} {{ contact.customer_number|default_if_none:"" }}</span>{% endif %}
          {% if contact.is_vendor %}<span class="badge badge--role">{% translate "Vendor" %} {{ contact.vendor_number|default_if_none:"" }}</span>{% endif %}
        </td>
        <td>{% if contact.email %}<a href="mailto:{{ contact.email }}">{{ contact.email }}</a>{% else %}—{% endif %}</td>
        <td class="nowrap">{{ contact.phone|default:"—" }}</td>
        <td>{{ contact.city|default:"—" }}{% if contact.country_code and contact.country_code != "DE" %} ({{ contact.country_code }}){% endif %}</td>
      </tr>
    {% endfor %}""")
TAG = Template("{% load contact_rows %}{% contact_rows rows list_url %}")


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _contact(org: Organization, **fields: object) -> Contact:
    return Contact.objects.create(organization=org, lexware_id=uuid.uuid4(), **fields)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_rows_read_as_the_template_loop_did(org_a: Organization, language: str) -> None:
    _contact(
        org_a,
        name='Müller & Söhne <GmbH> "Nord" \'s',
        is_customer=True,
        customer_number=10001,
        email="a&b@example.org",
        phone="+49 89 1234",
        city="München",
        country_code="DE",
    )
    _contact(org_a, name="", is_vendor=True, vendor_number=None, archived=True, country_code="AT")
    _contact(
        org_a,
        name="Beide KG",
        is_customer=True,
        is_vendor=True,
        customer_number=None,
        vendor_number=70001,
        city="Wien",
        country_code="AT",
    )
    _contact(org_a, name="Ohne Rolle")
    rows = list(Contact.objects.filter(organization=org_a).order_by("pk"))
    list_url = reverse("contacts:list", kwargs={"org_slug": org_a.slug})
    context = {"rows": rows, "organization": org_a, "list_url": list_url}
    with translation.override(language):
        expected = PER_CELL_TEMPLATE.render(Context(context))
        built = TAG.render(Context(context))
    assert _normalised(built) == _normalised(expected)
    assert "Müller &amp; Söhne &lt;GmbH&gt; &quot;Nord&quot; &#x27;s" in built
    assert ("Kunde 10001" if language == "de" else "Customer 10001") in built
