"""The text of a document e-mail from a template per document type and language.

`templates/emails/document/<type>.<language>.txt`, else `default.<language>.txt`; the first
line is the subject. Placeholders: number, type_label, amount, due_date, organization,
contact_name, attached (the PDF goes with it); for dunnings, which have no number or amount of
their own (§5.10), their invoice's: invoice_number, open_amount, invoice_date, invoice_due_date. `{link}` stays literal until sending, when the customer link is made.
"""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import translation

from portal.core.templatetags.formatting import format_day, format_money
from portal.documents.models import Document
from portal.documents.selectors import dunned_invoice
from portal.organizations.models import Organization

LINK_PLACEHOLDER = "{link}"


def issuer_name(organization: Organization) -> str:
    connection = getattr(organization, "lexware_connection", None)
    return (connection.company_name if connection else "") or organization.name


def _dunning_context(document: Document, language: str) -> dict[str, str]:
    """A dunning has no number, amount or due date of its own (§5.10): its invoice's."""
    invoice = dunned_invoice(document=document)
    if invoice is None:
        return {"invoice_number": "", "open_amount": "", "invoice_date": "", "invoice_due_date": ""}
    open_amount = invoice.open_amount if invoice.open_amount is not None else invoice.total_amount
    return {
        "invoice_number": invoice.voucher_number,
        "open_amount": format_money(open_amount, invoice.currency, language)
        if open_amount is not None
        else "",
        "invoice_date": format_day(invoice.voucher_date, language) if invoice.voucher_date else "",
        "invoice_due_date": format_day(invoice.due_date, language) if invoice.due_date else "",
    }


def compose(*, document: Document, language: str, attached: bool = False) -> tuple[str, str]:
    """Subject and body; `attached`: the PDF goes with the e-mail (the text may say so)."""
    language = language if language in ("de", "en") else "de"
    names = [
        f"emails/document/{document.voucher_type}.{language}.txt",
        f"emails/document/default.{language}.txt",
    ]
    try:
        template = select_template(names)
    except TemplateDoesNotExist:  # pragma: no cover - default templates ship with the app
        template = select_template(["emails/document/default.de.txt"])
    with translation.override(language):
        text = template.render(
            {
                "number": document.voucher_number,
                "type_label": document.type_label,
                "amount": format_money(document.total_amount, document.currency, language)
                if document.total_amount is not None
                else "",
                "due_date": format_day(document.due_date, language) if document.due_date else "",
                "organization": issuer_name(document.organization),
                "contact_name": document.contact_name,
                "attached": attached,
                **(
                    _dunning_context(document, language)
                    if document.voucher_type == "dunning"
                    else {}
                ),
            }
        )
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def with_link(body: str, url: str) -> str:
    """The body with the customer link in place of `{link}` (appended if the user removed it)."""
    if LINK_PLACEHOLDER in body:
        return body.replace(LINK_PLACEHOLDER, url)
    return f"{body.rstrip()}\n\n{url}\n"


def without_link(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if LINK_PLACEHOLDER not in line) + "\n"
