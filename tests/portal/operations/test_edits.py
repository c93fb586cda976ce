"""The edit mechanism's three-way decision (portal/operations/edits.py), without Lexware."""

from __future__ import annotations

from portal.operations.edits import comparison, edit_input, leaves, matches, plan_edit

CURRENT = {
    "id": "c1",
    "version": 3,
    "roles": {"customer": {"number": 10001}},
    "company": {"name": "Alt GmbH", "taxNumber": "1/2/3", "customerGroup": "A"},
    "note": "alt",
}


def _plan(data, *, base_version=3, base_record=None, current=CURRENT):
    stored = edit_input(
        lexware_id="c1",
        base_version=base_version,
        data=data,
        base_record=base_record,
        input_key="contact",
        atomic=("roles",),
    )
    return plan_edit(
        current=current,
        data=stored["contact"],
        base_version=stored["base_version"],
        base=stored["base"],
        atomic=("roles",),
    )


def test_leaves_flatten_objects_and_keep_lists_and_atomic_paths_whole() -> None:
    data = {"company": {"name": "X", "contactPersons": [{"lastName": "Y"}]}, "roles": {"a": {}}}
    assert leaves(data, ("roles",)) == {
        "company.name": "X",
        "company.contactPersons": [{"lastName": "Y"}],
        "roles": {"a": {}},
    }


def test_matches_treats_empty_values_alike_and_roles_by_presence() -> None:
    assert matches("", None) and matches([], None) and not matches("a", None)
    assert matches({"customer": {}}, {"customer": {"number": 1}})
    assert not matches({"customer": {}}, {"customer": {"number": 1}, "vendor": {"number": 2}})
    assert matches([{"zip": "1", "city": ""}], [{"zip": "1"}])


def test_same_version_merges_over_the_current_record() -> None:
    plan = _plan({"company": {"name": "Neu GmbH"}, "roles": {"customer": {}, "vendor": {}}})
    assert plan.body is not None
    assert plan.body["company"] == {"name": "Neu GmbH", "taxNumber": "1/2/3", "customerGroup": "A"}
    assert plan.body["roles"] == {"customer": {}, "vendor": {}} and plan.body["note"] == "alt"


def test_a_field_changed_on_both_sides_is_a_conflict() -> None:
    base = {**CURRENT, "version": 2, "company": {**CURRENT["company"], "name": "Basis GmbH"}}
    plan = _plan({"company": {"name": "Mein GmbH"}}, base_version=2, base_record=base)
    assert plan.body is None and plan.conflicts == ("company.name",)


def test_a_field_only_lexware_changed_keeps_lexwares_value() -> None:
    base = {**CURRENT, "version": 2, "company": {**CURRENT["company"], "name": "Basis GmbH"}}
    plan = _plan(
        {"company": {"name": "Basis GmbH"}, "note": "mein"}, base_version=2, base_record=base
    )
    assert plan.body is not None
    assert plan.body["company"]["name"] == "Alt GmbH"  # Lexware's newer name wins
    assert plan.body["note"] == "mein"  # the user's change applies


def test_without_a_base_every_difference_after_a_version_change_is_a_conflict() -> None:
    plan = _plan({"company": {"name": "Mein GmbH"}, "note": "alt"}, base_version=2)
    assert plan.conflicts == ("company.name",)


def test_our_change_already_in_a_newer_version_is_adopted() -> None:
    plan = _plan({"company": {"name": "Alt GmbH"}, "note": "alt"}, base_version=2)
    assert plan.adopt


def test_comparison_marks_differences_with_labels() -> None:
    rows = comparison(
        mine={"company": {"name": "Mein"}, "note": "alt"},
        remote=CURRENT,
        label=lambda path: path.upper(),
    )
    assert rows == [
        {
            "path": "company.name",
            "label": "COMPANY.NAME",
            "mine": "Mein",
            "theirs": "Alt GmbH",
            "differs": True,
        },
        {"path": "note", "label": "NOTE", "mine": "alt", "theirs": "alt", "differs": False},
    ]
