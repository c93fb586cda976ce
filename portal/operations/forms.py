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
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

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


class WriteForm(forms.Form):
    """Base of every form whose valid submission starts one Lexware write."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    replaces = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Edit forms: the record's version the form was rendered from (read-merge-put, §3).
    base_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    lexware_fields: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["base_version"].required = editing
        if not self.is_bound:
            # One token per rendered form; a re-rendered bound form keeps the one it was sent with.
            self.initial.setdefault("idempotency_key", uuid.uuid4())

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
        return cls(data, editing=True)

    @classmethod
    def label_for_path(cls, path: str) -> str:
        """A Lexware JSON path in words, by the form field it belongs to (conflict view)."""
        name = field_for_path(path, cls.lexware_fields)
        field = cls.base_fields.get(name or "")
        return str(field.label) if field is not None and field.label else path

    @classmethod
    def data_from_lexware(cls, body: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def add_lexware_errors(self, field_errors: Mapping[str, str], message: str = "") -> None:
        """Lexware's answer onto the form: each error next to its field, the rest on top."""
        self.full_clean()
        by_field, unmapped = map_field_errors(field_errors, self.lexware_fields)
        for field, messages in by_field.items():
            if field in self.fields and not self.fields[field].widget.is_hidden:
                for text in messages:
                    self.add_error(field, _("Lexware: %(message)s") % {"message": text})
            else:
                unmapped += [(field, text) for text in messages]
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
