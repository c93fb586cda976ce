"""The sales voucher kinds and their names (lexware-api.md §5, §7.1, Appendix A).

One kind (the voucherlist `voucherType` spelling, §5.22) maps to its URL segment, event
resource name, number range and the German titles/filename stems of its rendered documents.
"""

from __future__ import annotations

# URL segment → voucher kind (the voucherlist `voucherType` spelling, §5.22).
PATH_KINDS = {
    "invoices": "invoice",
    "credit-notes": "creditnote",
    "quotations": "quotation",
    "order-confirmations": "orderconfirmation",
    "delivery-notes": "deliverynote",
    "dunnings": "dunning",
    "down-payment-invoices": "downpaymentinvoice",
}
KIND_PATHS = {kind: path for path, kind in PATH_KINDS.items()}
# Event resource names (§7.1): "invoice.created", "credit-note.status.changed", …
EVENT_NAMES = {
    "invoice": "invoice",
    "creditnote": "credit-note",
    "quotation": "quotation",
    "orderconfirmation": "order-confirmation",
    "deliverynote": "delivery-note",
    "dunning": "dunning",
    "downpaymentinvoice": "down-payment-invoice",
}
# Number ranges (§5.1): down payment invoices share the invoice range; dunnings have none.
NUMBER_SERIES = {
    "invoice": ("invoice", "RE"),
    "downpaymentinvoice": ("invoice", "RE"),
    "creditnote": ("creditnote", "GS"),
    "quotation": ("quotation", "AG"),
    "orderconfirmation": ("orderconfirmation", "AB"),
    "deliverynote": ("deliverynote", "LS"),
}
# German document names used in PDFs and Content-Disposition filenames (Appendix A).
DOCUMENT_TITLES = {
    "invoice": "Rechnung",
    "downpaymentinvoice": "Abschlagsrechnung",
    "creditnote": "Rechnungskorrektur",
    "quotation": "Angebot",
    "orderconfirmation": "Auftragsbestätigung",
    "deliverynote": "Lieferschein",
    "dunning": "Mahnung",
}
FILENAME_STEMS = {
    "invoice": "Rechnung",
    "downpaymentinvoice": "Abschlagsrechnung",
    "creditnote": "Gutschrift",
    "quotation": "Angebot",
    "orderconfirmation": "Auftragsbestaetigung",
    "deliverynote": "Lieferschein",
    "dunning": "Mahnung",
}
