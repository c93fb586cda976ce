"""Edits of a Lexware record: read-merge-put with the version (DESIGN.md §7, lexware-api.md §3).

An edit form is rendered from the mirror record and carries the `version` it was based on. Its
service stores in the operation's input the lexware id, that base version, ONLY the fields the
form sets (Lexware's JSON shape) and, when the mirror still held the base version, the record's
values of those fields at that version (`base`). The worker (`edit_write`):

1. GETs the current record;
2. version moved and every field of ours already there → our own PUT went through earlier
   (an unknown outcome, or a retry after a lost answer): adopt it, no second PUT;
3. version moved and a field the form sets was changed in Lexware to something else than what
   the user typed → a *conflict*: no PUT; the operation fails with `result["conflict"]` holding
   the remote record and the conflicting paths, the user's input stays in `input`;
4. otherwise the fields the user changed are set on the current record (everything the form
   does not know is kept) and PUT with the current version — the one request that may change
   Lexware. A conflict answer to it (409, or contacts' 406 on `version`) is treated as in 2/3.

A conflict is an ordinary failed operation whose result says so (`operation.conflict`): no
new state, no migration. Fields are compared per path of nested objects ("company.name");
lists ("addresses.billing") and the paths an area calls atomic ("roles") are single values.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils.translation import gettext as _

from lexware import errors as lx
from portal.operations.models import Lane, Operation
from portal.operations.registry import OperationFailed
from portal.operations.services import operation_start, withdraw_replaced

if TYPE_CHECKING:
    from lexware import LexwareClient
    from portal.accounts.models import User
    from portal.organizations.models import Organization

CONFLICT = "conflict"
_EMPTY: tuple[Any, ...] = (None, "", [])


def leaves(data: Mapping[str, Any], atomic: Iterable[str] = (), prefix: str = "") -> dict[str, Any]:
    """Nested objects flattened to dotted paths; lists, scalars, empty objects and the `atomic`
    paths are values of their own."""
    atomic = tuple(atomic)
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and path not in atomic:
            flat.update(leaves(value, atomic, f"{path}."))
        else:
            flat[path] = value
    return flat


def value_at(record: Mapping[str, Any] | None, path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        child = record.get(part)
        if not isinstance(child, dict):
            child = record[part] = {}
        record = child
    record[last] = copy.deepcopy(value)


def matches(ours: Any, theirs: Any) -> bool:
    """Whether `theirs` holds what `ours` says. Empty values (None, "", []) are all alike; an
    empty object of ours ("customer": {}, a role) is satisfied by any object; an object of
    theirs may not hold more than ours unless it is empty (a role we removed still counts)."""
    if ours in _EMPTY:
        return theirs in _EMPTY
    if isinstance(ours, Mapping):
        if not isinstance(theirs, Mapping):
            return False
        if not ours:
            return True
        keys = set(ours) | {k for k, v in theirs.items() if v not in _EMPTY}
        return all(matches(ours.get(k), theirs.get(k)) for k in keys)
    if isinstance(ours, list):
        return (
            isinstance(theirs, list)
            and len(ours) == len(theirs)
            and all(matches(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    return bool(ours == theirs)


def edit_input(
    *,
    lexware_id: str,
    base_version: int,
    data: Mapping[str, Any],
    base_record: Mapping[str, Any] | None,
    input_key: str,
    atomic: Iterable[str] = (),
) -> dict[str, Any]:
    """The operation input of an edit. `base_record` is the mirror's copy; its values count as
    the base only when it is still at `base_version` (else every difference is a conflict)."""
    base: dict[str, Any] | None = None
    if base_record is not None and base_record.get("version") == base_version:
        base = {path: value_at(base_record, path) for path in leaves(data, atomic)}
    return {
        "lexware_id": str(lexware_id),
        "base_version": int(base_version),
        input_key: dict(data),
        "base": base,
    }


@dataclass(frozen=True)
class Plan:
    """What to do with the current record: `adopt` (ours is there), `conflict` (paths), or PUT
    `body`."""

    adopt: bool = False
    conflicts: tuple[str, ...] = ()
    body: dict[str, Any] | None = None


def plan_edit(
    *,
    current: Mapping[str, Any],
    data: Mapping[str, Any],
    base_version: int,
    base: Mapping[str, Any] | None,
    atomic: Iterable[str] = (),
) -> Plan:
    ours = leaves(data, atomic)
    moved = current.get("version") != base_version
    if moved and all(matches(value, value_at(current, path)) for path, value in ours.items()):
        return Plan(adopt=True)
    body = copy.deepcopy(dict(current))
    conflicts: list[str] = []
    for path, value in ours.items():
        theirs = value_at(current, path)
        if not moved:
            _set(body, path, value)
            continue
        known = base is not None and path in base
        remote_changed = not known or not matches(theirs, (base or {}).get(path))
        user_changed = not known or not matches(value, (base or {}).get(path))
        if remote_changed and not matches(value, theirs):
            if user_changed:
                conflicts.append(path)
            # else: Lexware's newer value of a field the user left alone wins.
        elif user_changed:
            _set(body, path, value)
    if conflicts:
        return Plan(conflicts=tuple(conflicts))
    return Plan(body=body)


@dataclass(frozen=True)
class EditSpec:
    """One area's edit: where its input lives and how its records are read and stored."""

    # The client namespace ("contacts", "articles") and the operation input's data key.
    resource: str
    input_key: str
    # The record as JSON into the mirror.
    upsert: Callable[[Organization, dict[str, Any]], Any]
    atomic: tuple[str, ...] = ()

    def get(self, operation: Operation, client: LexwareClient) -> dict[str, Any]:
        # The raw JSON, not the resource's model: fields the client's models do not know yet
        # must survive the PUT. (The resources' own update() does GET+merge+PUT in one go and
        # cannot stop for a conflict, hence get_raw/put_raw.)
        try:
            record: dict[str, Any] = getattr(client, self.resource).get_raw(
                operation.input["lexware_id"]
            )
        except lx.InvalidRequestError as exc:
            raise OperationFailed(
                _("Lexware answered with something that is not a record.")
            ) from exc
        return record

    def plan(self, operation: Operation, current: Mapping[str, Any]) -> Plan:
        return plan_edit(
            current=current,
            data=operation.input[self.input_key],
            base_version=int(operation.input["base_version"]),
            base=operation.input.get("base"),
            atomic=self.atomic,
        )

    def conflict(
        self, operation: Operation, current: dict[str, Any], paths: Iterable[str]
    ) -> OperationFailed:
        """The failure that keeps the remote record next to the user's input; the mirror gets
        the newer record too, so "take Lexware's" opens the form on it."""
        self.upsert(operation.organization, current)
        return OperationFailed(
            _(
                "Someone changed this in Lexware in the meantime. Please choose which version to keep."
            ),
            result={CONFLICT: {"remote": current, "paths": sorted(paths)}},
        )

    def write(self, operation: Operation, client: LexwareClient) -> dict[str, Any]:
        """The write kind's handler: at most one PUT (see the module docstring)."""
        current = self.get(operation, client)
        plan = self.plan(operation, current)
        if plan.adopt:
            return {"id": operation.input["lexware_id"], "adopted": True}
        if plan.body is None:
            raise self.conflict(operation, current, plan.conflicts)
        try:
            getattr(client, self.resource).put_raw(operation.input["lexware_id"], plan.body)
        except (lx.ConflictError, lx.ValidationError) as exc:
            if isinstance(exc, lx.ValidationError) and "version" not in (exc.field_errors or {}):
                raise
            # Stale version: someone was faster — or the client's retry of our own PUT.
            current = self.get(operation, client)
            plan = self.plan(operation, current)
            if plan.adopt:
                return {"id": operation.input["lexware_id"], "adopted": True}
            raise self.conflict(operation, current, plan.conflicts) from exc
        return {"id": operation.input["lexware_id"]}

    def read_back(self, operation: Operation, client: LexwareClient) -> dict[str, Any]:
        record = self.get(operation, client)
        self.upsert(operation.organization, record)
        return {"id": operation.input["lexware_id"], "version": record.get("version")}

    def reconcile(self, operation: Operation, client: LexwareClient) -> str | None:
        """An unknown PUT: adopted when the record moved past the base with our fields in it."""
        current = self.get(operation, client)
        plan = self.plan(operation, current)
        return str(operation.input["lexware_id"]) if plan.adopt else None


def comparison(
    *,
    mine: Mapping[str, Any],
    remote: Mapping[str, Any],
    label: Callable[[str], str],
    atomic: Iterable[str] = (),
    show: Callable[[str, Any], str] | None = None,
    position: Callable[[str], int] | None = None,
) -> list[dict[str, Any]]:
    """Rows for the side-by-side view: each path the form sets, with both values and whether
    they differ; `label` names a path for people, `show` writes a value, `position` orders the
    rows like the form's fields."""
    show = show or (lambda _path, value: display(value))
    rows = []
    for path, value in leaves(mine, atomic).items():
        theirs = value_at(remote, path)
        rows.append(
            {
                "path": path,
                "label": label(path),
                "mine": show(path, value),
                "theirs": show(path, theirs),
                "differs": not matches(value, theirs),
            }
        )
    if position is not None:
        rows.sort(key=lambda row: position(str(row["path"])))
    return rows


def display(value: Any) -> str:
    """A JSON value as one line of text for the comparison."""
    if value in _EMPTY:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Mapping):
        if not value:
            return _("yes")
        if all(isinstance(v, Mapping) for v in value.values()):
            return ", ".join(str(key) for key in value)  # roles: which ones are there
        return ", ".join(f"{display(v)}" for v in value.values() if v not in _EMPTY) or _("yes")
    if isinstance(value, list):
        return " | ".join(display(item) for item in value)
    return str(value)


def edit_start(
    *,
    spec: EditSpec,
    kind: str,
    organization: Organization,
    user: User | None,
    lexware_id: str | UUID,
    data: Mapping[str, Any],
    base_version: int,
    base_record: Mapping[str, Any] | None,
    target_type: str,
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
    lane: str = Lane.INTERACTIVE,
) -> Operation:
    """Start an edit operation (the services of each area call this in their transaction).

    `replaces`: a waiting edit whose input the user corrected is withdrawn first, so the record
    is not written twice; a failed one (a conflict) is simply left as it is."""
    withdraw_replaced(organization=organization, kind=kind, replaces=replaces)
    return operation_start(
        organization=organization,
        kind=kind,
        user=user,
        input=edit_input(
            lexware_id=str(lexware_id),
            base_version=base_version,
            data=data,
            base_record=base_record,
            input_key=spec.input_key,
            atomic=spec.atomic,
        ),
        target_type=target_type,
        target_id=str(lexware_id),
        lane=lane,
        idempotency_key=idempotency_key,
    )
