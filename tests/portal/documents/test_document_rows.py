"""The document table's rows, built in Python for speed (issue 18 item 2), read exactly as the
template they replace did, in both languages, escaping included."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.documents.models import Document
from portal.organizations.models import Organization
from tests.portal.conftest import make_document

# The row markup as the template wrote it before (templates/documents/_document_table.html).
PER_CELL_TEMPLATE = Template("""{% load formatting %}{% for doc in rows %}
    <tr>
      <td>
        <a href="{% if doc.is_sales %}{{ documents_url }}{% else %}{{ bookkeeping_url }}{% endif %}{{ doc.lexware_id }}/">{{ doc.voucher_number|default:"—" }}</a>
      </td>
      <td>{{ doc.type_label }}</td>
      <td class="nowrap">{{ doc.voucher_date|day }}</td>
      <td>{{ doc.contact_name|default:"—" }}</td>
      {% with status=doc.shown_status|default:doc.status %}<td><span class="badge badge--{{ status|default:'none' }}">{{ status|status_label }}</span></td>{% endwith %}
      <td class="nowrap">{{ doc.due_date|day }}</td>
      <td class="num nowrap">{{ doc.total_amount|money:doc.currency }}</td>
      <td class="num nowrap">{{ doc.open_amount|money:doc.currency }}</td>
    </tr>
    {% endfor %}""")
TAG = Template("{% load document_rows %}{% document_rows rows documents_url bookkeeping_url %}")


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_rows_read_as_the_per_cell_template_did(org_a: Organization, language: str) -> None:
    make_document(
        org_a, number="RE-1", contact_name="Müller & Söhne <GmbH>", total=1234.5, open_amount=1234.5
    )
    make_document(org_a, number="RE-2", status="overdue", total=10, open_amount=None, due_days=-3)
    make_document(
        org_a,
        voucher_type="purchaseinvoice",
        number="",
        contact_name="",
        total=0.005,
        open_amount=0,
    )
    make_document(
        org_a,
        voucher_type="quotation",
        status="draft",
        number="AG-1",
        due_days=None,
        open_amount=None,
    )
    rows = list(Document.objects.filter(organization=org_a).order_by("voucher_number"))
    rows[1].shown_status = "overdue"  # type: ignore[attr-defined]
    # Late evening in UTC is the next day in Berlin; two rows share the day (formatted once).
    rows[2].voucher_date = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    rows[3].voucher_date = rows[2].voucher_date
    context = {
        "rows": rows,
        "documents_url": "/o/a/documents/",
        "bookkeeping_url": "/o/a/bookkeeping/",
    }
    with translation.override(language):
        expected = PER_CELL_TEMPLATE.render(Context(context))
        built = TAG.render(Context(context))
    assert _normalised(built) == _normalised(expected)
    assert "Müller &amp; Söhne &lt;GmbH&gt;" in built
    assert ("02.03.2026" if language == "de" else "Mar 2, 2026") in built
