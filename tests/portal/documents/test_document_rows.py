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


def test_with_a_select_form_each_row_leads_with_its_checkbox(org_a: Organization) -> None:
    make_document(org_a, number='RE-"9"<', contact_name="Kunde")
    make_document(org_a, number="", contact_name="Ohne Nummer")
    rows = list(Document.objects.filter(organization=org_a).order_by("voucher_number"))
    tag = Template(
        "{% load document_rows %}"
        "{% document_rows rows documents_url bookkeeping_url 'pdf-export' %}"
    )
    built = tag.render(
        Context({"rows": rows, "documents_url": "/o/a/documents/", "bookkeeping_url": "/b/"})
    )
    lines = built.split("\n")
    assert len(lines) == 2
    for line, doc in zip(lines, rows, strict=True):
        assert line.startswith(
            '<tr><td class="select-cell"><input type="checkbox" name="document" '
            f'value="{doc.lexware_id}" form="pdf-export" '
        )
        assert f'<a href="/o/a/documents/{doc.lexware_id}/">' in line
    # The number is escaped in the checkbox's label and in the link alike; no number: a dash.
    assert 'aria-label="RE-&quot;9&quot;&lt;"' in lines[1]
    assert '">RE-&quot;9&quot;&lt;</a>' in lines[1]
    assert 'aria-label="—"' in lines[0]


def test_the_list_selectors_rows_read_as_the_documents_themselves(org_a: Organization) -> None:
    from portal.documents.selectors import DocumentRow, document_list, shown_status

    make_document(org_a, number="RE-1", contact_name="Müller & Söhne", total=99.5, due_days=-2)
    make_document(org_a, voucher_type="purchaseinvoice", number="B-7", open_amount=None)
    make_document(org_a, voucher_type="quotation", status="draft", number="AG-1", due_days=None)
    page = document_list(
        organization=org_a, types=["invoice", "purchaseinvoice", "quotation"], sort="number"
    )
    assert all(isinstance(row, DocumentRow) for row in page.object_list)
    models = list(Document.objects.filter(organization=org_a).order_by("voucher_number", "pk"))
    for model in models:
        model.shown_status = shown_status(model)  # type: ignore[attr-defined]
    assert [row.shown_status for row in page.object_list] == ["draft", "open", "overdue"]
    context = {"documents_url": "/o/a/documents/", "bookkeeping_url": "/o/a/bookkeeping/"}
    assert TAG.render(Context({**context, "rows": page.object_list})) == TAG.render(
        Context({**context, "rows": models})
    )


def test_a_list_row_has_the_listed_columns_in_the_selectors_order() -> None:
    """document_list builds DocumentRow(*values) from values_list("pk", *LIST_COLUMNS)."""
    from dataclasses import fields

    from portal.documents.selectors import LIST_COLUMNS, DocumentRow

    assert [field.name for field in fields(DocumentRow)] == ["pk", *LIST_COLUMNS, "shown_status"]
