"""The bookkeeping voucher form (lexware-api.md §5.23): create, complete and change.

Positions are rows per tax rate with a posting category (§5.17) from the reference mirror;
each row's tax is computed as Lexware checks it (`lexware.totals.voucher_item_tax`, rounded per
position) unless the user types the receipt's own figure. The totals are the sums of the rows
(`lexware.totals.voucher_totals`), and the gross total printed on the receipt, when given,
must match them to the cent. The §5.23 rules are checked here before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lexware.totals import VoucherTotals, voucher_item_tax, voucher_totals
from portal.core.forms import AmountField
from portal.documents.models import TYPE_LABELS
from portal.operations.forms import WriteForm
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem

SALES_TYPES = ("salesinvoice", "salescreditnote")
# The names the voucher lists use (portal/documents), so the form and the list agree.
TYPE_CHOICES = [
    (kind, TYPE_LABELS[kind])
    for kind in ("purchaseinvoice", "purchasecreditnote", "salesinvoice", "salescreditnote")
]
TAX_RATES = ("19", "7", "0", "16", "5")
MAX_POSITIONS = 20


def _day(value: Any) -> str:
    """A Lexware date (yyyy-MM-dd, or a timestamp at 00:00 Berlin as GET returns it)."""
    return str(value or "")[:10]


def _amount(value: Any) -> Decimal | str:
    """A JSON amount for the form: a Decimal (shown in the page's language), or empty."""
    if value is None or value == "":
        return ""
    return Decimal(str(value)).quantize(Decimal("0.01"))


class VoucherItemForm(forms.Form):
    amount = AmountField(label=_("Amount"), max_digits=12, decimal_places=2, required=False)
    tax_rate = forms.TypedChoiceField(
        label=_("Tax rate"),
        choices=[(rate, f"{rate} %") for rate in TAX_RATES],
        coerce=int,
        initial="19",
    )
    tax_amount = AmountField(label=_("Tax"), max_digits=12, decimal_places=2, required=False)
    category = forms.ChoiceField(label=_("Posting category"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") is None:
            if "amount" in self.errors:
                return {}
            if data.get("category") or data.get("tax_amount") is not None:
                self.add_error("amount", _("Please enter the amount."))
            return {}  # an empty row is no row
        if not data.get("category"):
            self.add_error("category", _("Please choose a posting category."))
        return data


class VoucherForm(WriteForm):
    voucher_type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES)
    status = forms.ChoiceField(
        label=_("Record as"),
        choices=[("open", _("Complete (open)")), ("unchecked", _("To be checked (unchecked)"))],
        initial="open",
        required=False,
    )
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=100, required=False)
    voucher_date = forms.DateField(label=_("Voucher date"), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False)
    shipping_date = forms.DateField(
        label=_("Delivery/service date"),
        required=False,
        help_text=_("Sales vouchers only."),
    )
    use_collective_contact = forms.BooleanField(label=_("Collective contact"), required=False)
    contact = forms.ChoiceField(label=_("Contact"), required=False)
    contact_name = forms.CharField(
        label=_("Name on the voucher"),
        max_length=255,
        required=False,
        help_text=_("Only with the collective contact."),
    )
    tax_type = forms.ChoiceField(
        label=_("Amounts are"),
        choices=[("gross", _("Gross (incl. tax)")), ("net", _("Net (plus tax)"))],
        initial="gross",
    )
    remark = forms.CharField(
        label=_("Remark"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_total = AmountField(
        label=_("Total on the receipt (gross)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Checked against the positions to the cent."),
    )

    row_sets: ClassVar[dict[str, tuple[type[forms.Form], int]]] = {
        "items": (VoucherItemForm, MAX_POSITIONS)
    }
    lexware_fields = (
        ("type", "voucher_type"),
        ("voucherStatus", "status"),
        ("voucherNumber", "voucher_number"),
        ("voucherDate", "voucher_date"),
        ("dueDate", "due_date"),
        ("shippingDate", "shipping_date"),
        ("useCollectiveContact", "use_collective_contact"),
        ("contactId", "contact"),
        ("contactName", "contact_name"),
        ("taxType", "tax_type"),
        ("remark", "remark"),
        ("totalGrossAmount", "expected_total"),
        ("voucherItems[*].amount", "items-{0}-amount"),
        ("voucherItems[*].taxAmount", "items-{0}-tax_amount"),
        ("voucherItems[*].taxRatePercent", "items-{0}-tax_rate"),
        ("voucherItems[*].categoryId", "items-{0}-category"),
    )
    path_labels: ClassVar[dict[str, Any]] = {"voucherItems": _("Positions")}

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.organization: Organization | None = None
        self.categories: dict[str, dict[str, Any]] = {}
        self.contact_roles: dict[str, tuple[bool, bool]] = {}
        if organization is not None:
            self.set_organization(organization)

    # ------------------------------------------------------------ choices from the mirror

    def set_organization(self, organization: Organization) -> None:
        self.organization = organization
        categories = ReferenceItem.objects.filter(
            organization=organization, kind=ReferenceItem.Kind.POSTING_CATEGORY
        ).order_by("name")
        self.categories = {item.key: {**item.raw, "name": item.name} for item in categories}
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, raw in self.categories.items():
            kind = _("Income") if raw.get("type") == "income" else _("Expense")
            group = f"{kind} · {raw.get('groupName') or _('Other')}"
            groups.setdefault(group, []).append((key, str(raw["name"])))
        choices: list[Any] = [("", "—")]
        choices += [(group, rows) for group, rows in sorted(groups.items())]
        for row in self.all_rows():
            cast(forms.ChoiceField, row.fields["category"]).choices = choices
        # contacts sits beside bookkeeping in the layers: its model by name, not by import.
        contact_model = apps.get_model("contacts", "Contact")
        contacts = contact_model.objects.filter(organization=organization, deleted_at=None).filter(
            Q(is_vendor=True) | Q(is_customer=True)
        )
        self.contact_roles = {}
        contact_choices: list[tuple[str, str]] = [("", "—")]
        for contact in contacts.order_by("name")[:2000]:
            key = str(contact.lexware_id)
            self.contact_roles[key] = (contact.is_vendor, contact.is_customer)
            roles = "/".join(
                str(label)
                for flag, label in (
                    (contact.is_vendor, _("vendor")),
                    (contact.is_customer, _("customer")),
                )
                if flag
            )
            contact_choices.append((key, f"{contact.name} ({roles})"))
        cast(forms.ChoiceField, self.fields["contact"]).choices = contact_choices

    def all_rows(self) -> list[forms.Form]:
        rows = self.rows.get("items")
        if rows is None:
            return []
        return [*rows.forms, rows.empty_form]

    @property
    def item_forms(self) -> list[forms.Form]:
        return list(self.rows["items"].forms)

    # ------------------------------------------------------------ validation (§5.23)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("voucher_type")
        status = "open" if self.editing else data.get("status") or "open"
        if status == "open":
            for name in ("voucher_number", "voucher_date"):
                if not data.get(name):
                    self.add_error(name, _("Required unless the voucher is recorded as unchecked."))
        elif data.get("tax_type") == "net":
            self.add_error(
                "tax_type", _("Lexware records a voucher to be checked only with gross amounts.")
            )
        if data.get("shipping_date") and kind not in SALES_TYPES:
            self.add_error("shipping_date", _("Only sales vouchers have a delivery/service date."))
        due, day = data.get("due_date"), data.get("voucher_date")
        if due and day and due < day:
            self.add_error("due_date", _("The due date cannot be before the voucher date."))
        self._clean_contact(data, kind, status)
        self._clean_positions(data, kind, status)
        return data

    def _clean_contact(self, data: dict[str, Any], kind: Any, status: str) -> None:
        collective = data.get("use_collective_contact")
        contact = data.get("contact")
        if collective:
            if contact:
                self.add_error(
                    "contact", _("Choose a contact or the collective contact, not both.")
                )
            return
        if data.get("contact_name"):
            self.add_error("contact_name", _("A name of its own needs the collective contact."))
        if not contact:
            if status == "open":
                self.add_error("contact", _("Please choose a contact or the collective contact."))
            return
        vendor, customer = self.contact_roles.get(contact, (False, False))
        if kind in SALES_TYPES and not customer:
            self.add_error("contact", _("Sales vouchers need a contact with the customer role."))
        elif kind not in SALES_TYPES and not vendor:
            self.add_error("contact", _("Purchase vouchers need a contact with the vendor role."))

    def _clean_positions(self, data: dict[str, Any], kind: Any, status: str) -> None:
        rows = self.rows["items"]
        if not rows.is_valid():
            return
        wanted = "income" if kind in SALES_TYPES else "outgo"
        for row in rows.forms:
            category = (row.cleaned_data or {}).get("category")
            if category and self.categories.get(category, {}).get("type") != wanted:
                row.add_error(
                    "category",
                    _("This category is not for this type of voucher.")
                    if category in self.categories
                    else _("Unknown posting category."),
                )
        filled = rows.filled()
        if not filled:
            if status == "open":
                self.add_error(None, _("Please enter at least one position."))
            return
        totals = self.totals()
        expected = data.get("expected_total")
        if expected is not None and totals is not None and expected != totals.gross:
            self.add_error(
                "expected_total",
                _("The positions add up to %(sum)s, not %(expected)s.")
                % {"sum": f"{totals.gross:.2f}", "expected": f"{expected:.2f}"},
            )

    # ------------------------------------------------------------ totals

    def positions(self) -> list[dict[str, Any]]:
        """The filled rows with their tax (typed, or computed as Lexware checks it)."""
        tax_type = (getattr(self, "cleaned_data", None) or {}).get("tax_type") or "gross"
        out = []
        for row in self.rows["items"].forms:
            values = getattr(row, "cleaned_data", None) or {}
            if values.get("amount") is None:
                continue
            tax = values.get("tax_amount")
            if tax is None:
                tax = voucher_item_tax(values["amount"], values["tax_rate"], tax_type=tax_type)
            out.append({**values, "tax_amount": Decimal(tax)})
        return out

    def totals(self) -> VoucherTotals | None:
        tax_type = (getattr(self, "cleaned_data", None) or {}).get("tax_type") or "gross"
        items = self.positions()
        if not items:
            return None
        return voucher_totals(((i["amount"], i["tax_amount"]) for i in items), tax_type=tax_type)

    # ------------------------------------------------------------ Lexware's JSON

    def to_lexware(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["voucher_type"]
        collective = bool(data.get("use_collective_contact"))
        items = self.positions()
        totals = self.totals()
        body: dict[str, Any] = {
            "type": kind,
            "voucherStatus": "open" if self.editing else data.get("status") or "open",
            "voucherNumber": data.get("voucher_number") or None,
            "voucherDate": data["voucher_date"].isoformat() if data.get("voucher_date") else None,
            "dueDate": data["due_date"].isoformat() if data.get("due_date") else None,
            "shippingDate": data["shipping_date"].isoformat()
            if data.get("shipping_date") and kind in SALES_TYPES
            else None,
            "taxType": data["tax_type"],
            "useCollectiveContact": collective,
            "contactId": None if collective else (data.get("contact") or None),
            "contactName": (data.get("contact_name") or None) if collective else None,
            "remark": data.get("remark") or None,
            "voucherItems": [
                {
                    "amount": float(item["amount"]),
                    "taxAmount": float(item["tax_amount"]),
                    "taxRatePercent": int(item["tax_rate"]),
                    "categoryId": item["category"],
                }
                for item in items
            ],
            "totalGrossAmount": float(totals.gross) if totals else None,
            "totalTaxAmount": float(totals.tax) if totals else None,
        }
        return body

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        items = [i for i in body.get("voucherItems") or [] if isinstance(i, Mapping)]
        data: dict[str, Any] = {
            "voucher_type": body.get("type") or "purchaseinvoice",
            "status": "open"
            if body.get("voucherStatus") in (None, "open", "blank")
            else body.get("voucherStatus"),
            "voucher_number": body.get("voucherNumber") or "",
            "voucher_date": _day(body.get("voucherDate")),
            "due_date": _day(body.get("dueDate")),
            "shipping_date": _day(body.get("shippingDate")),
            "tax_type": body.get("taxType") or "gross",
            "contact": body.get("contactId") or "",
            "contact_name": body.get("contactName") or "",
            "remark": body.get("remark") or "",
            "expected_total": _amount(body.get("totalGrossAmount")),
            "items-TOTAL_FORMS": str(max(len(items), 1)),
            "items-INITIAL_FORMS": "0",
        }
        if body.get("useCollectiveContact"):
            data["use_collective_contact"] = "on"
        for index, item in enumerate(items):
            data[f"items-{index}-amount"] = (
                "" if item.get("amount") is None else str(item["amount"])
            )
            data[f"items-{index}-tax_amount"] = (
                "" if item.get("taxAmount") is None else str(item["taxAmount"])
            )
            rate = item.get("taxRatePercent")
            data[f"items-{index}-tax_rate"] = "19" if rate is None else str(int(float(rate)))
            data[f"items-{index}-category"] = item.get("categoryId") or ""
        return data
