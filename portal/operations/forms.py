"""The form half of the write path (DESIGN.md §7): what every form that starts a Lexware
write shares. A feature's form subclasses `WriteForm` and supplies three things:

- `to_lexware()`: the cleaned data in Lexware's JSON shape, handed to the feature's service;
- `data_from_lexware(body)`: the inverse, form data rebuilt from that JSON, so a failed or
  still-waiting operation reopens the form with what the user typed (`reopen_form`);
- `lexware_fields`: which form field a Lexware field error belongs to, by JSON path pattern
  (`addresses.billing[*].zip` → `"zip"`); a path no pattern claims is shown as an error of the
  whole form, never dropped.

The hidden `idempotency_key` is a fresh uuid4 each time an unbound form is rendered: a double
submit of one rendered form reaches the service twice with the same key and becomes one
Operation. The hidden `replaces` names a waiting operation the form was reopened from: sending
the corrected form withdraws that one, so the contact is not created twice.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.operations.edits import display
from portal.operations.models import Operation, OperationState

# (JSON path pattern, form field name) pairs; first match wins. In a pattern `*` stands for one
# name ("emailAddresses.*[0]"), `[*]` for any index. A field name may use the captured indices,
# "{0}" for the first `[*]`, so rows of a formset are reached too: ("lineItems[*].quantity",
# "lines-{0}-quantity").
FieldTable = Iterable[tuple[str, str]]


@cache
def _pattern(path_pattern: str) -> re.Pattern[str]:
    regex = re.escape(path_pattern).replace(r"\[\*\]", r"\[(\d+)\]").replace(r"\*", r"[^.\[\]]+")
    return re.compile(rf"^{regex}$")


def field_for_path(path: str, table: FieldTable) -> str | None:
    """The form field that Lexware's error at `path` belongs to, or None."""
    for path_pattern, field in table:
        match = _pattern(path_pattern).match(path)
        if match:
            return field.format(*match.groups())
    return None


def map_field_errors(
    field_errors: Mapping[str, str], table: FieldTable
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Lexware's field errors split into {form field: [messages]} and the (path, message) pairs
    that no pattern claims."""
    table = list(table)
    by_field: dict[str, list[str]] = {}
    unmapped: list[tuple[str, str]] = []
    for path, message in field_errors.items():
        field = field_for_path(path, table)
        if field is None:
            unmapped.append((path, message))
        else:
            by_field.setdefault(field, []).append(message)
    return by_field, unmapped


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Repeating rows of a write form (addresses, contact persons). A sent row left empty is no
    row: every bound row counts as "extra", so an empty one is skipped instead of required."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": ngettext_lazy(
            "Lexware accepts at most %(num)d entry here.",
            "Lexware accepts at most %(num)d entries here.",
            "num",
        ),
    }

    def initial_form_count(self) -> int:
        return 0 if self.is_bound else super().initial_form_count()

    def filled(self) -> list[dict[str, Any]]:
        """The cleaned rows that hold something, in order."""
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


ROW_ACTION = "row_action"


class WriteForm(forms.Form):
    """Base of every form whose valid submission starts one Lexware write.

    `row_sets` declares repeating rows as formsets (prefix → (row form, most rows)); they are
    built with the form, validated with it, and Lexware's errors reach their fields by the
    "<prefix>-<index>-<field>" names of `lexware_fields` ("addresses.billing[*].zip" →
    "billing-{0}-zip"). Rows are added and removed by submit buttons named `row_action`
    ("add:billing", "remove:billing:1"): without JavaScript the page comes back with the rows
    changed; with htmx only the form does. Such a submission never starts a write.
    """

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    replaces = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Edit forms: the record's version the form was rendered from (read-merge-put, §3).
    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    lexware_fields: ClassVar[tuple[tuple[str, str], ...]] = ()
    row_sets: ClassVar[dict[str, tuple[type[forms.Form], int]]] = {}
    # Names for JSON paths that are no single field (a list of rows), for the conflict view.
    path_labels: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        *args: Any,
        editing: bool = False,
        rows: Mapping[str, list[dict[str, Any]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["base_version"].required = editing
        if not self.is_bound:
            # One token per rendered form; a re-rendered bound form keeps the one it was sent with.
            self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.rows: dict[str, RowFormSet] = {}
        missing = [
            p for p in self.row_sets if self.is_bound and f"{p}-TOTAL_FORMS" not in self.data
        ]
        if missing:
            # A row set the sender left out entirely (a script, an older page) has no rows.
            data = self.data.copy()  # type: ignore[attr-defined]  # a dict or a QueryDict
            for prefix in missing:
                data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
            self.data = data
        for prefix, (row_form, most) in self.row_sets.items():
            formset_class = forms.formset_factory(
                row_form,
                formset=RowFormSet,
                extra=0,
                max_num=most,
                absolute_max=_cap(most),
                validate_max=True,
            )
            self.rows[prefix] = cast(
                RowFormSet,
                formset_class(
                    self.data if self.is_bound else None,
                    prefix=prefix,
                    initial=None if self.is_bound else list((rows or {}).get(prefix) or []),
                ),
            )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(rows.is_valid() for rows in self.rows.values())])

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, editing: bool = False) -> WriteForm:
        """An unbound form showing `data` (form data as sent, rows included): what a changed
        row set or a record shows, without errors for what nobody has sent yet."""
        # What was not sent keeps the field's own initial value (a new row's country "DE").
        initial = _sent({name: field.widget for name, field in cls.base_fields.items()}, data)
        rows: dict[str, list[dict[str, Any]]] = {}
        for prefix, (row_form, most) in cls.row_sets.items():
            total = _count(data.get(f"{prefix}-TOTAL_FORMS"), _cap(most))
            rows[prefix] = [
                _sent(
                    {name: field.widget for name, field in row_form.base_fields.items()},
                    data,
                    prefix=f"{prefix}-{i}-",
                )
                for i in range(total)
            ]
        return cls(initial=initial, editing=editing, rows=rows)

    @classmethod
    def with_row_action(cls, data: Mapping[str, Any], *, editing: bool = False) -> WriteForm | None:
        """The form with a row added or removed when a row button sent it, else None."""
        action = str(data.get(ROW_ACTION) or "")
        if not action:
            return None
        changed = _as_dict(data)
        verb, _sep, rest = action.partition(":")
        prefix, _sep, index = rest.partition(":")
        if prefix in cls.row_sets:
            row_form, most = cls.row_sets[prefix]
            total = _count(changed.get(f"{prefix}-TOTAL_FORMS"), _cap(most))
            if verb == "add" and total < most:
                changed[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
            elif verb == "remove" and index.isdecimal() and int(index) < total:
                for i in range(int(index), total - 1):
                    for name in row_form.base_fields:
                        below = changed.get(f"{prefix}-{i + 1}-{name}")
                        changed[f"{prefix}-{i}-{name}"] = below
                for name in row_form.base_fields:
                    changed.pop(f"{prefix}-{total - 1}-{name}", None)
                changed[f"{prefix}-TOTAL_FORMS"] = str(total - 1)
        return cls.from_data(changed, editing=editing)

    @property
    def key(self) -> str:
        return str(self.cleaned_data["idempotency_key"])

    @property
    def replaced_code(self) -> uuid.UUID | None:
        return self.cleaned_data.get("replaces")

    @property
    def version(self) -> int:
        """The base version of an edit form."""
        return int(self.cleaned_data["base_version"])

    def to_lexware(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> WriteForm:
        """An edit form showing a Lexware record (the mirror's copy), based on its version."""
        data = cls.data_from_lexware(record)
        data.update(idempotency_key=str(uuid.uuid4()), base_version=record.get("version"))
        return cls.from_data(data, editing=True)

    @classmethod
    def label_for_path(cls, path: str) -> str:
        """A Lexware JSON path in words, by the form field it belongs to (conflict view)."""
        if path in cls.path_labels:
            return str(cls.path_labels[path])
        name = field_for_path(path, cls.lexware_fields)
        field = cls.base_fields.get(name or "")
        return str(field.label) if field is not None and field.label else path

    @classmethod
    def path_position(cls, path: str) -> int:
        """Where a JSON path comes in the form: the place of the first `lexware_fields` pattern
        that names it or a field inside it (conflict view order)."""
        for index, (pattern, _field) in enumerate(cls.lexware_fields):
            if field_for_path(path, [(pattern, "x")]) or pattern.startswith(
                (f"{path}.", f"{path}[")
            ):
                return index
        return len(cls.lexware_fields)

    @classmethod
    def show_value(cls, path: str, value: Any) -> str:
        """A value at a JSON path in words for the conflict view; forms refine their lists."""
        return display(value)

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _error_target(self, name: str) -> tuple[forms.Form, str] | None:
        """The (form, field) a mapped name stands for: a visible field of this form, or a
        field of an existing row ("billing-1-zip")."""
        if name in self.fields and not self.fields[name].widget.is_hidden:
            return self, name
        prefix, _sep, rest = name.partition("-")
        index, _sep, field = rest.partition("-")
        rows = self.rows.get(prefix)
        if rows is None or not index.isdecimal() or int(index) >= len(rows.forms):
            return None
        row = rows.forms[int(index)]
        if field not in row.fields:
            return None
        if not hasattr(row, "cleaned_data"):
            row.full_clean()
        return row, field

    def add_lexware_errors(self, field_errors: Mapping[str, str], message: str = "") -> None:
        """Lexware's answer onto the form: each error next to its field, the rest on top."""
        self.full_clean()
        for rows in self.rows.values():
            rows.is_valid()
        table = list(self.lexware_fields)
        unmapped: list[tuple[str, str]] = []
        for path, text in field_errors.items():
            field = field_for_path(path, table)
            target = self._error_target(field) if field is not None else None
            if target is None:
                unmapped.append((path, text))  # shown with Lexware's own path
            else:
                form, name = target
                form.add_error(name, _("Lexware: %(message)s") % {"message": text})
        for path, text in unmapped:
            self.add_error(
                None, _("Lexware, %(field)s: %(message)s") % {"field": path, "message": text}
            )
        if not field_errors:
            self.add_error(None, message or _("Lexware did not accept this."))
        elif not unmapped:
            self.add_error(
                None, _("Lexware did not accept this. Please correct the marked fields.")
            )


def _sent(widgets: Mapping[str, Any], data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The values `data` holds for these fields (as their widgets read them), by field name."""
    values = {
        name: widget.value_from_datadict(data, {}, prefix + name)
        for name, widget in widgets.items()
    }
    return {name: value for name, value in values.items() if value is not None}


def _cap(most: int) -> int:
    """How many sent rows a row set takes in at all: more than it accepts, so rows that came
    from elsewhere (a record edited in Lexware's web app, an import) are shown with an error
    and can be removed, instead of being dropped unseen."""
    return max(most, 10)


def _count(value: Any, most: int) -> int:
    """A sent TOTAL_FORMS, within 0..most (anything else is 0)."""
    text = str(value or "")
    return min(int(text), most) if text.isdecimal() and len(text) < 6 else 0


def _as_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """Form data as a plain dict; a QueryDict's repeated keys (checkboxes) stay lists."""
    getlist = getattr(data, "getlist", None)
    if getlist is None:
        return dict(data)
    return {
        key: (values if len(values) > 1 else values[0]) for key in data for values in [getlist(key)]
    }


def reopen_form(
    form_class: type[WriteForm],
    operation: Operation,
    *,
    input_key: str,
    form_kwargs: Mapping[str, Any] | None = None,
) -> WriteForm:
    """The form as the user sent it, rebuilt from `operation.input[input_key]`, with a fresh
    token. A failed write shows Lexware's errors; a waiting one is replaced when sent again.
    `form_kwargs` go to the form's constructor (a form whose choices depend on the
    organization, like the sales editor's)."""
    data = form_class.data_from_lexware(operation.input.get(input_key) or {})
    data["idempotency_key"] = str(uuid.uuid4())
    if operation.state == OperationState.PENDING and operation.written_at is None:
        data["replaces"] = str(operation.code)
    editing = "base_version" in operation.input
    conflict = operation.conflict
    if conflict:
        # "Keep mine": the user's input again, now based on the version Lexware holds.
        data["base_version"] = conflict["remote"].get("version")
    elif editing:
        data["base_version"] = operation.input["base_version"]
    form = form_class(data, editing=editing, **(form_kwargs or {}))
    if conflict:
        form.full_clean()
    elif operation.state == OperationState.FAILED:
        form.add_lexware_errors(operation.field_errors or {}, operation.error_message)
    elif not operation.is_editable:
        form.full_clean()
        form.add_error(
            None,
            _(
                "This input may already have reached Lexware (%(state)s). Sending it again "
                "creates it once more."
            )
            % {"state": operation.get_state_display()},
        )
    return form
