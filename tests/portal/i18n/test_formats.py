"""German and English formats (issue 9): amounts and dates typed into forms, dates shown in
one format per language, and the invitation e-mail's last sentence."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core import mail
from django.template import Context, Template
from django.utils import translation

from portal.accounts.models import User
from portal.core.forms import AmountField
from portal.documents.forms import DocumentFilterForm
from portal.organizations import services
from portal.organizations.models import Membership, Organization, Role


class AmountForm(forms.Form):
    amount = AmountField(max_digits=14, decimal_places=2)


@pytest.mark.parametrize("typed", ["1.234,56", "1234,56", "1.234,56 €", " 1234,56€ "])
def test_german_amounts_are_read_as_typed(typed: str) -> None:
    with translation.override("de"):
        form = AmountForm({"amount": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal("1234.56")


@pytest.mark.parametrize("typed", ["1.23,4", "1234.56", "zwölf", "1,2,3"])
def test_ambiguous_or_junk_german_amounts_are_refused(typed: str) -> None:
    with translation.override("de"):
        form = AmountForm({"amount": typed})
        assert not form.is_valid()
        assert form.errors["amount"] == ["Bitte eine Zahl eingeben."]  # Django's own German


def test_english_amounts_and_rendering_per_language() -> None:
    with translation.override("en"):
        form = AmountForm({"amount": "1,234.56"})
        assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1234.56")
    with translation.override("de"):
        html = str(AmountForm(initial={"amount": Decimal("1234.56")})["amount"])
        assert 'value="1234,56"' in html and 'type="text"' in html and 'inputmode="decimal"' in html


def test_date_filter_reads_and_shows_german_dates() -> None:
    with translation.override("de"):
        form = DocumentFilterForm({"date_from": "28.11.2026", "date_to": "2026-12-31"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["date_from"] == date(2026, 11, 28)
        assert form.cleaned_data["date_to"] == date(2026, 12, 31)  # ISO links keep working
        html = str(DocumentFilterForm(initial={"date_from": date(2026, 11, 28)})["date_from"])
        # A text input: a type=date input is drawn in the browser's locale, not the page's.
        assert (
            'type="text"' in html
            and 'value="28.11.2026"' in html
            and 'placeholder="TT.MM.JJJJ"' in html
        )
    with translation.override("en"):
        form = DocumentFilterForm({"date_from": "2026-11-28"})
        assert form.is_valid() and form.cleaned_data["date_from"] == date(2026, 11, 28)
        html = str(DocumentFilterForm(initial={"date_from": date(2026, 11, 28)})["date_from"])
        assert 'value="2026-11-28"' in html and 'placeholder="YYYY-MM-DD"' in html


def test_percentages_and_moments_in_both_languages() -> None:
    template = Template("{% load formatting %}{{ rate|percent }} {{ when|moment }}")
    context = Context(
        {
            "rate": Decimal("19.00"),
            "when": datetime(2026, 11, 28, 9, 5, tzinfo=ZoneInfo("Europe/Berlin")),
        }
    )
    with translation.override("de"):
        assert template.render(context) == "19 % 28.11.2026, 09:05"
    with translation.override("en"):
        assert template.render(context) == "19% Nov 28, 2026, 09:05"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Der Link funktioniert einmal und läuft am "),
        ("en", "The link works once and expires on "),
    ],
)
def test_invitation_e_mail_reads_in_the_language_and_ends_sentences_once(
    language: str,
    expected: str,
    alice: User,
    org_a: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = Membership.objects.get(user=alice, organization=org_a)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=actor, email="neu@example.org", role=Role.MEMBER)
    message = mail.outbox[-1]
    for body in (message.body, message.alternatives[0][0]):
        assert expected in body
        assert ".." not in body  # a date format ending in "a.m." once gave "a.m.."
    line = next(line for line in message.body.splitlines() if line.startswith(expected))
    assert line.count(".") == line.rstrip(".").count(".") + 1  # exactly one full stop at the end


def test_counts_are_grouped_in_the_language() -> None:
    template = Template(
        "{% load i18n humanize %}{% blocktranslate with shown=n|intcomma count counter=n %}"
        "{{ shown }} entry{% plural %}{{ shown }} entries{% endblocktranslate %}"
    )
    with translation.override("de"):
        assert template.render(Context({"n": 12500})) == "12.500 Einträge"
        assert template.render(Context({"n": 1})) == "1 Eintrag"
    with translation.override("en"):
        assert template.render(Context({"n": 12500})) == "12,500 entries"


def test_dates_django_renders_itself_use_the_same_format_as_the_filters() -> None:
    """`|date`, a bare datetime and the admin: one format per language (portal/formats)."""
    template = Template(
        "{% load formatting %}{{ when|date }} | {{ when|date:'SHORT_DATETIME_FORMAT' }} | {{ when }} | {{ when|day }}"
    )
    context = Context({"when": datetime(2026, 11, 28, 9, 5, tzinfo=ZoneInfo("Europe/Berlin"))})
    with translation.override("de"):
        assert (
            template.render(context)
            == "28.11.2026 | 28.11.2026, 09:05 | 28.11.2026, 09:05 | 28.11.2026"
        )
    with translation.override("en"):
        assert (
            template.render(context)
            == "Nov 28, 2026 | Nov 28, 2026, 09:05 | Nov 28, 2026, 09:05 | Nov 28, 2026"
        )
