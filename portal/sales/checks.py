"""The check before finalizing (issue 11 item 2): everything Lexware would refuse, found
before the document is sent, each pointing at the place in the editor where it is fixed.

- the form's own errors: the required fields per type (§5.1, §5.7–§5.20) and the tax-type
  rules of §5.1 (vat-free types need a contact and tax rate 0; tax-exempt organizations write
  only vat-free documents), on their fields and rows;
- the XRechnung prerequisites of §5.13, checked by Lexware at finalization only;
- the pursue rules of §5.2 for a follow-up document;
- a portal draft finalized a second time.

Reads the mirror only. What the portal cannot see (the organization's address, phone, tax ids,
the print layout's bank account) is listed as a note: Lexware checks it when finalizing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from portal.documents.models import TYPE_LABELS, Document
from portal.operations.models import OperationState
from portal.sales import selectors
from portal.sales.followup import pursue_refusal
from portal.sales.forms import DocumentForm
from portal.sales.lines import TEXT
from portal.sales.models import DraftReplacement

XRECHNUNG_TYPES = ("invoice", "creditnote")


@dataclass(frozen=True)
class Problem:
    message: str
    # The id of the editor element to jump to ("id_address_zip", "line-3"), or "".
    anchor: str = ""
    label: str = ""


@dataclass
class Check:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    xrechnung: bool = False
    preceding: Document | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def finalize_check(form: DocumentForm) -> Check:
    """What Lexware would refuse if `form` (bound) were finalized now."""
    check = Check()
    form.is_valid()
    _form_problems(form, check)
    if form.organization is None:
        return check
    cleaned: Mapping[str, Any] = getattr(form, "cleaned_data", {}) or {}
    _pursue_problems(form, cleaned, check)
    _draft_problems(form, cleaned, check)
    if form.sales_type.voucher_type in XRECHNUNG_TYPES:
        _xrechnung_problems(form, cleaned, check)
    return check


def _form_problems(form: DocumentForm, check: Check) -> None:
    for name, errors in form.errors.items():
        if name == "__all__":
            check.problems.extend(Problem(str(error)) for error in errors)
            continue
        bound = form[name] if name in form.fields else None
        label = str(bound.label) if bound is not None and bound.label else name
        hidden = bound is not None and bound.is_hidden
        anchor = "customer" if hidden or name == "customer_query" else f"id_{name}"
        check.problems.extend(Problem(str(e), anchor=anchor, label=label) for e in errors)
    for error in form.lines.non_form_errors():
        check.problems.append(Problem(str(error), anchor="items"))
    for index, row in enumerate(form.lines.forms):
        for name, errors in row.errors.items():
            label = _("Line %(n)s") % {"n": index + 1}
            if name in row.fields and row.fields[name].label:
                label = f"{label}, {row.fields[name].label}"
            check.problems.extend(
                Problem(str(error), anchor=f"line-{index}", label=label) for error in errors
            )


def _pursue_problems(form: DocumentForm, cleaned: Mapping[str, Any], check: Check) -> None:
    preceding_id = cleaned.get("preceding_id")
    if not preceding_id:
        return
    assert form.organization is not None
    source = Document.objects.filter(
        organization=form.organization, lexware_id=preceding_id, deleted_at__isnull=True
    ).first()
    check.preceding = source
    if source is None:
        check.problems.append(Problem(_("The preceding document is no longer in Lexware.")))
        return
    refusal = pursue_refusal(source, form.sales_type.voucher_type)
    if refusal:
        check.problems.append(Problem(refusal, label=str(TYPE_LABELS[source.voucher_type])))
    contact = cleaned.get("contact_id")
    if form.sales_type.voucher_type == "creditnote" and contact != source.contact_lexware_id:
        check.notes.append(_("The credit note goes to another customer than the invoice."))


def _draft_problems(form: DocumentForm, cleaned: Mapping[str, Any], check: Check) -> None:
    """A portal draft is finalized once: a second copy would be a second numbered document."""
    draft_id = cleaned.get("replaces_draft")
    if not draft_id:
        return
    done = DraftReplacement.objects.filter(
        organization=form.organization, draft_lexware_id=draft_id
    ).exclude(operation__state=OperationState.FAILED)
    if done.exists():
        check.problems.append(
            Problem(_("This draft has already been finalized as a new document."))
        )


def _xrechnung_problems(form: DocumentForm, cleaned: Mapping[str, Any], check: Check) -> None:
    """§5.13: an invoice for a contact with a buyer reference and a vendor number becomes an
    XRechnung unless the buyer reference is sent empty; sent for a contact without them: 406."""
    assert form.organization is not None
    contact_id = cleaned.get("contact_id")
    contact = (
        selectors.customer(organization=form.organization, lexware_id=contact_id)
        if contact_id
        else None
    )
    raw: Mapping[str, Any] = (contact.raw or {}) if contact is not None else {}
    data = raw.get("xRechnung") or {}
    contact_has = bool(data.get("buyerReference") and data.get("vendorNumberAtCustomer"))
    sent: Any = None
    if form.is_valid():
        sent = (form.to_lexware().get("xRechnung") or {}).get("buyerReference")
    if sent and not contact_has:
        check.problems.append(
            Problem(
                _("A buyer reference is given, but the customer has no XRechnung data in Lexware."),
                anchor="customer",
                label=_("XRechnung"),
            )
        )
        return
    if not contact_has or sent == "":
        return
    check.xrechnung = True
    label = _("XRechnung")
    if cleaned.get("tax_type") and cleaned.get("tax_type") != "net":
        check.problems.append(
            Problem(
                _("An XRechnung needs net prices (tax type net)."),
                anchor="id_tax_type",
                label=label,
            )
        )
    billing = ((raw.get("addresses") or {}).get("billing") or [{}])[0] or {}
    if not billing.get("zip") or not billing.get("city"):
        check.problems.append(
            Problem(
                _("The customer's billing address in Lexware needs a postcode and a city."),
                anchor="customer",
                label=label,
            )
        )
    rows = [row for row in form.lines.forms if row.data.get(row.add_prefix("type")) != TEXT]
    if not rows:
        check.problems.append(
            Problem(_("An XRechnung needs at least one item with a price."), "items", label)
        )
    for index, row in enumerate(form.lines.forms):
        if row.data.get(row.add_prefix("type")) == TEXT:
            continue
        missing = [
            name
            for name in ("name", "quantity", "unit_name")
            if not str(row.data.get(row.add_prefix(name)) or "").strip()
        ]
        if missing:
            check.problems.append(
                Problem(
                    _("Every item of an XRechnung needs a name, a quantity and a unit."),
                    anchor=f"line-{index}",
                    label=_("Line %(n)s") % {"n": index + 1},
                )
            )
    profile = selectors.tax_profile(organization=form.organization)
    company = selectors.company_name(organization=form.organization)
    if profile.known and not company:
        check.problems.append(
            Problem(_("Your organization has no company name in Lexware."), label=label)
        )
    check.notes.append(
        _(
            "Lexware also checks when finalizing that your company's address, phone, e-mail "
            "and tax numbers are complete and that the print layout's footer has a bank account."
        )
    )
