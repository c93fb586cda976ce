"""Document settings of the editor beyond dates and conditions (lexware-api.md §5.1, §5.13):
language, print layout, the XRechnung buyer reference, and the text formatting hints for
title, introduction and remark. A form mixin of DocumentForm: its fields, their rules, their
part of Lexware's JSON and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organizations.models import Organization
from portal.sales import reference
from portal.sales.lines import single_line
from portal.sales.types import SalesType

GERMAN, ENGLISH = "de", "en"
LANGUAGES = ((GERMAN, _("German")), (ENGLISH, _("English")))
# §5.1 text formatting (since 05.05.2026): bold, italic, lists in introduction, remark and
# line descriptions, not in the title.
FORMATTING_HELP = _("Formatting: **bold**, __italic__, lines starting with “- ” become a list.")
TITLE_HELP = _("Up to 25 characters, printed without formatting.")

SETTINGS_FIELDS = (
    ("language", "language"),
    ("printLayoutId", "print_layout"),
    ("xRechnung", "buyer_reference"),
    ("xRechnung.buyerReference", "buyer_reference"),
)


class DocumentSettings(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=LANGUAGES, initial=GERMAN, required=False
    )
    print_layout = forms.ChoiceField(label=_("Print layout"), required=False)
    buyer_reference = forms.CharField(
        label=_("Buyer reference (Leitweg-ID)"),
        max_length=255,
        required=False,
        validators=[single_line],
        help_text=_("Left empty: Lexware uses the customer's own buyer reference."),
    )
    standard_invoice = forms.BooleanField(
        label=_("Write a standard invoice instead of an XRechnung"), required=False
    )

    organization: Organization | None
    sales_type: SalesType
    pro: bool
    print_layouts: list[reference.PrintLayout]

    def init_settings(self, *, organization: Organization | None) -> None:
        """Choices that depend on the organization; called from DocumentForm.__init__."""
        self.pro = True
        self.print_layouts = []
        if organization is not None:
            self.pro = reference.invoicing_pro(organization=organization)
            self.print_layouts = reference.print_layouts(organization=organization)
        layout_field = self.fields["print_layout"]
        assert isinstance(layout_field, forms.ChoiceField)
        layout_field.choices = [
            ("", _("Lexware's default")),
            *[(layout.id, layout.name) for layout in self.print_layouts],
        ]
        self.fields["title"].help_text = TITLE_HELP
        for name in ("introduction", "remark"):
            self.fields[name].help_text = FORMATTING_HELP

    @property
    def shows_print_layouts(self) -> bool:
        return self.pro and bool(self.print_layouts)

    @property
    def contact_xrechnung(self) -> reference.XRechnung | None:
        """The chosen contact's XRechnung data (invoices only), from the form's current value."""
        if self.sales_type.voucher_type != "invoice":
            return None
        if self.organization is None:
            return None
        value = self["contact_id"].value()
        return reference.contact_xrechnung(organization=self.organization, contact_id=value)

    def clean_settings(self, data: dict[str, Any]) -> None:
        if data.get("language") == ENGLISH and not self.pro:
            self.add_error("language", _("English documents need Lexware's INVOICING_PRO feature."))
        if data.get("print_layout") and not self.pro:
            self.add_error("print_layout", _("Print layouts need Lexware's INVOICING_PRO feature."))
        reference_text = str(data.get("buyer_reference") or "").strip()
        data["buyer_reference"] = reference_text
        if self.sales_type.voucher_type != "invoice":
            data.update(buyer_reference="", standard_invoice=False)  # invoices only (§5.13)
            return
        if not reference_text and not data.get("standard_invoice"):
            return
        xrechnung = self.contact_xrechnung
        if xrechnung is None:
            # §5.13: a buyer reference for a contact without XRechnung data → 406.
            self.add_error(
                "buyer_reference",
                _(
                    "This customer has no XRechnung data in Lexware (buyer reference and vendor number)."
                ),
            )
        elif reference_text and data.get("standard_invoice"):
            self.add_error(
                "standard_invoice",
                _("Either a buyer reference or a standard invoice, not both."),
            )
        elif reference_text and data.get("tax_type") not in (None, "net"):
            self.add_error("buyer_reference", _("An XRechnung needs net prices (tax type net)."))

    def settings_to_lexware(self, body: dict[str, Any], data: Mapping[str, Any]) -> None:
        body["language"] = data.get("language") or GERMAN
        if data.get("print_layout"):
            body["printLayoutId"] = data["print_layout"]
        if self.sales_type.voucher_type != "invoice":
            return
        if data.get("standard_invoice"):
            body["xRechnung"] = {"buyerReference": ""}  # §5.13: "" = a standard invoice
        elif data.get("buyer_reference"):
            xrechnung = self.contact_xrechnung
            if xrechnung is None or data["buyer_reference"] != xrechnung.buyer_reference:
                body["xRechnung"] = {"buyerReference": data["buyer_reference"]}
            # the contact's own reference is used when none is sent (§5.13)

    @staticmethod
    def settings_from_lexware(body: Mapping[str, Any]) -> dict[str, Any]:
        xrechnung = body.get("xRechnung") if isinstance(body.get("xRechnung"), dict) else None
        buyer = str((xrechnung or {}).get("buyerReference") or "")
        return {
            "language": body.get("language") or GERMAN,
            "print_layout": body.get("printLayoutId") or "",
            "buyer_reference": buyer,
            "standard_invoice": "on" if xrechnung is not None and not buyer else "",
        }
