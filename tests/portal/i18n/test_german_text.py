"""German names: lists sort them the German way and search finds them typed without umlauts
(issue 9). Runs on SQLite (Python collation) and, marked postgres, on PostgreSQL (ICU)."""

from __future__ import annotations

import unicodedata
import uuid

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from portal.articles import mirror as article_mirror
from portal.articles.selectors import article_list
from portal.contacts.models import Contact
from portal.contacts.selectors import contact_list
from portal.core.mirror import _without_accents, normalise_search, search_variants
from portal.documents.selectors import document_list
from portal.organizations.models import Organization
from tests.portal.conftest import make_contact, make_document

pytestmark = pytest.mark.django_db

NAMES = [
    "Zimmerei Zöller",
    "Bäckerei Özdemir",
    "Becker GmbH",
    "Straßenbau Süd",
    "Ärztehaus Mitte",
    "Apotheke am Markt",
    "Strasser KG",
    "ölmühle Nord",
    "Otto Ofenbau",
]
# Duden/DIN 5007-1 order: umlauts as their base letter, ß as ss, case only breaks ties.
GERMAN_ORDER = [
    "Apotheke am Markt",
    "Ärztehaus Mitte",
    "Bäckerei Özdemir",
    "Becker GmbH",
    "ölmühle Nord",
    "Otto Ofenbau",
    "Straßenbau Süd",
    "Strasser KG",
    "Zimmerei Zöller",
]


def _whole_text_without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
        | st.sampled_from(["müller", "straße", "ǆ", "ﬁ", "é", "\u00a0", "a\u0308", "Å"]),
        max_size=6,
    )
)
def test_folding_word_by_word_equals_folding_the_whole_text(words: list[str]) -> None:
    # The sync's writers fold each word once per process (cached); the search text must stay
    # what folding the whole text gives, or stored rows and typed queries would disagree.
    text = " ".join(words)
    assert _without_accents(text) == _whole_text_without_accents(text)


def test_search_variants_cover_the_ways_germans_type_umlauts() -> None:
    assert search_variants("Bäckerei Müller") == [
        "bäckerei müller",
        "backerei muller",
        "baeckerei mueller",
    ]
    assert search_variants("Straße") == ["straße", "strasse"]
    assert search_variants("Becker GmbH") == ["becker gmbh"]
    assert normalise_search("Bäckerei", 10001) == "bäckerei 10001\nbackerei 10001\nbaeckerei 10001"


def _contacts(org: Organization) -> None:
    for number, name in enumerate(NAMES, start=1):
        make_contact(org, name=name, customer_number=number)


@pytest.mark.parametrize(
    "typed",
    [
        "Bäckerei",
        "bäckerei",
        "baeckerei",
        "backerei",
        "BAECKEREI",
        "Özdemir",
        "oezdemir",
        "ozdemir",
    ],
)
def test_contact_search_finds_umlauts_typed_without_them(org_a: Organization, typed: str) -> None:
    _contacts(org_a)
    assert [c.name for c in contact_list(organization=org_a, query=typed)] == ["Bäckerei Özdemir"]


def test_contact_search_finds_sharp_s_as_ss(org_a: Organization) -> None:
    _contacts(org_a)
    assert [c.name for c in contact_list(organization=org_a, query="strassenbau")] == [
        "Straßenbau Süd"
    ]
    assert [c.name for c in contact_list(organization=org_a, query="Straßenbau")] == [
        "Straßenbau Süd"
    ]


def test_contacts_sort_the_german_way(org_a: Organization) -> None:
    _contacts(org_a)
    assert [c.name for c in contact_list(organization=org_a)] == GERMAN_ORDER


def test_documents_sort_by_contact_the_german_way_and_find_umlauts(org_a: Organization) -> None:
    for number, name in enumerate(NAMES, start=1):
        make_document(org_a, number=f"RE{number:04d}", contact_name=name)
    ordered = [d.contact_name for d in document_list(organization=org_a, sort="contact")]
    assert ordered == GERMAN_ORDER
    assert [
        d.contact_name for d in document_list(organization=org_a, sort="-contact")
    ] == GERMAN_ORDER[::-1]
    assert [d.contact_name for d in document_list(organization=org_a, query="oelmuehle")] == [
        "ölmühle Nord"
    ]


def test_articles_sort_the_german_way_and_find_umlauts(org_a: Organization) -> None:
    for title in ("Zubehör", "Öl 5 l", "Ablage", "Obstkorb"):
        article_mirror.upsert_article(
            organization=org_a,
            data={
                "id": str(uuid.uuid4()),
                "title": title,
                "type": "PRODUCT",
                "unitName": "Stück",
                "price": {"netPrice": 1, "grossPrice": 1.19, "leadingPrice": "NET", "taxRate": 19},
            },
        )
    assert [a.title for a in article_list(organization=org_a)] == [
        "Ablage",
        "Obstkorb",
        "Öl 5 l",
        "Zubehör",
    ]
    assert [a.title for a in article_list(organization=org_a, query="zubehoer")] == ["Zubehör"]


@pytest.mark.postgres
def test_postgresql_has_the_icu_collation_and_sorts_with_it(org_a: Organization) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = 'de_icu'")
        assert cursor.fetchone() == ("i",)
    _contacts(org_a)
    assert [c.name for c in contact_list(organization=org_a)] == GERMAN_ORDER
    assert (
        Contact.objects.filter(organization=org_a, search_text__contains="baeckerei").count() == 1
    )
