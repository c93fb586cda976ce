"""The German catalogue is complete, compiled and consistent (issue 9).

- every string marked for translation in the project's Python code and templates has a German
  translation that is neither empty nor fuzzy (makemessages into a temporary folder, compared
  with locale/de; Django's own strings are Django's catalogue, not ours);
- the committed .mo holds exactly what the .po says (the .mo is committed so that a fresh
  checkout needs no gettext to run; see README "Translations");
- placeholders in every translation match the English original.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.conftest import IN_CI

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"
# What `make messages` scans: everything but the API client, tests, benchmarks, the venv.
SCANNED = ["portal", "templates"]

Key = tuple[str, str, str]  # (context, msgid, msgid_plural)


def _key(entry: polib._BaseEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(catalogue: polib._BaseFile) -> dict[Key, tuple[str, ...]]:
    """What gettext will use: translated, non-fuzzy, non-obsolete entries (no header)."""
    found: dict[Key, tuple[str, ...]] = {}
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            found[_key(entry)] = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
        else:
            found[_key(entry)] = (entry.msgstr,)
    return found


def test_django_uses_the_german_catalogue() -> None:
    with translation.override("de"):
        assert translation.gettext("Save") == "Speichern"
        assert translation.pgettext("voucher status", "Overdue") == "Überfällig"
        assert translation.ngettext("%(shown)s open invoice", "%(shown)s open invoices", 2) == (
            "%(shown)s offene Rechnungen"
        )
        assert translation.ngettext("%(shown)s open invoice", "%(shown)s open invoices", 1) == (
            "%(shown)s offene Rechnung"
        )
    with translation.override("en"):
        assert translation.gettext("Save") == "Save"


def test_the_committed_mo_matches_the_po(tmp_path: Path) -> None:
    """Compiled again from the .po (polib, no gettext needed) and compared message by message."""
    po = polib.pofile(str(PO))
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = _translations(polib.mofile(str(MO)))
    compiled = _translations(polib.mofile(str(fresh)))
    assert committed == compiled, (
        "locale/de/LC_MESSAGES/django.mo is out of date: run `make messages` and commit the .mo "
        f"(differs in {sorted(set(committed.items()) ^ set(compiled.items()))[:10]})"
    )
    assert polib.mofile(str(MO)).metadata.get("Plural-Forms", "").startswith("nplurals=2;")


def _needs_gettext_tool(name: str) -> None:
    if shutil.which(name) is None:
        message = f"GNU gettext's {name} is missing (apt-get install gettext)"
        if IN_CI:
            pytest.fail(f"{message}; .ci/run installs it", pytrace=False)
        pytest.skip(message)


def test_gettext_accepts_the_po(tmp_path: Path) -> None:
    """`make messages` runs GNU msgmerge/msgfmt on the .po: polib is more lenient, so GNU
    gettext checks the file too (format strings, header, plural forms)."""
    _needs_gettext_tool("msgfmt")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "check.mo"), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_string_in_code_and_templates_has_a_german_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _needs_gettext_tool("xgettext")  # makemessages runs it
    # makemessages writes next to the sources it scans (a ./locale folder wins over
    # LOCALE_PATHS), so it scans a copy: the committed catalogue is never touched.
    source = tmp_path / "src"
    for folder in SCANNED:
        shutil.copytree(
            Path(settings.BASE_DIR) / folder,
            source / folder,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command("makemessages", locale=["de"], verbosity=0)
    used = {
        _key(e)
        for e in polib.pofile(str(source / "locale" / "de" / "LC_MESSAGES" / "django.po"))
        if e.msgid
    }
    assert len(used) > 300  # the scan really ran over the templates and the code
    committed = polib.pofile(str(PO))
    translated = _translations(committed)
    missing = sorted(key for key in used if key not in translated or not all(translated[key]))
    assert not missing, (
        "Strings without a German translation (run `make messages`, translate them in "
        "locale/de/LC_MESSAGES/django.po, run `make messages` again):\n  "
        + "\n  ".join(f"{ctx + ' | ' if ctx else ''}{msgid}" for ctx, msgid, _plural in missing)
    )
    stale = sorted(_key(e) for e in committed if e.msgid and not e.obsolete and _key(e) not in used)
    assert not stale, f"Entries no code uses any more (`make messages` removes them): {stale}"


# %(name)s, %s, %d and {name}: what Python and Django substitute.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def test_placeholders_in_translations_match_the_original() -> None:
    wrong = []
    for entry in polib.pofile(str(PO)):
        if not entry.msgid or entry.obsolete:
            continue
        if entry.msgid_plural:
            # German has two forms like English: singular ↔ msgid, plural ↔ msgid_plural.
            pairs = [
                (entry.msgid, entry.msgstr_plural.get(0, "")),
                (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for original, translated in pairs:
            if translated and _placeholders(original) != _placeholders(translated):
                wrong.append((original, translated))
    assert not wrong, wrong


def test_the_placeholder_check_sees_a_mismatch() -> None:
    assert _placeholders("Welcome to %(org)s.") != _placeholders("Willkommen bei %(organisation)s.")
    assert _placeholders("Page %(n)s of %(total)s") == _placeholders("Seite %(n)s von %(total)s")
    assert _placeholders("{name} and %s") != _placeholders("{name}")
