"""The source chooser modal: search by title, authors or DOI, filter by kind and year, and
add a source without leaving the page (validated like the Sources admin)."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kratom_pages.models import Source
from tests.factories import SourceFactory


@pytest.fixture
def library(db):
    return {
        "nida": SourceFactory(title="Kratom drug facts", authors="NIDA", year=2022),
        "trial": SourceFactory(
            title="Withdrawal outcomes",
            authors="Grundmann O",
            year=2017,
            doi="10.1016/j.drugalcdep.2017.03.001",
            kind=Source.Kind.OBSERVATIONAL,
        ),
        "review": SourceFactory(
            title="Pharmacology review", authors="Kruegel AC", year=2017, kind="other"
        ),
    }


class _IdParser(HTMLParser):
    """The ids in a chunk of HTML, and the ids its labels point at."""

    def __init__(self, html: str):
        super().__init__()
        self.ids, self.label_targets = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_targets.append(attrs["for"])


def _results(client, **params) -> str:
    response = client.get(reverse("kratom_source_chooser:choose_results"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("withdrawal", "trial"),  # title
        ("kruegel", "review"),  # authors
        ("10.1016/j.drugalcdep", "trial"),  # DOI
    ],
)
def test_search_matches_title_authors_and_doi(admin_client, library, query, found):
    html = _results(admin_client, q=query)
    for name, source in library.items():
        assert (source.title in html) == (name == found), name


@pytest.mark.django_db
def test_filters_by_kind_and_year(admin_client, library):
    html = _results(admin_client, kind="observational")
    assert "Withdrawal outcomes" in html and "Pharmacology review" not in html
    html = _results(admin_client, year="2017")
    assert "Kratom drug facts" not in html
    assert "Withdrawal outcomes" in html and "Pharmacology review" in html
    html = _results(admin_client, year="2017", kind="other", q="pharmacology")
    assert "Pharmacology review" in html and "Withdrawal outcomes" not in html


@pytest.mark.django_db
def test_modal_offers_search_filters_and_a_create_tab(admin_client, library):
    response = admin_client.get(reverse("kratom_source_chooser:choose"))
    html = response.json()["html"]
    assert 'name="q"' in html
    assert 'name="kind"' in html and 'name="year"' in html
    assert '<option value="2017">' in html
    assert "Add a new source" in html
    assert 'name="doi"' in html  # the creation form


@pytest.mark.django_db
def test_create_tab_adds_a_source_and_chooses_it(admin_client):
    response = admin_client.post(
        reverse("kratom_source_chooser:create"),
        {
            "title": "New trial",
            "authors": "Smith J",
            "publication": "",
            "year": "2024",
            "url": "",
            "doi": "https://doi.org/10.1000/xyz123",
            "kind": "trial",
        },
    )
    assert response.json()["step"] == "chosen"
    source = Source.objects.get(title="New trial")
    assert source.doi == "10.1000/xyz123"  # Source.clean normalised it


@pytest.mark.django_db
def test_create_tab_runs_source_validation(admin_client):
    response = admin_client.post(
        reverse("kratom_source_chooser:create"),
        {"title": "No link", "authors": "A", "year": "1700", "url": "", "doi": "", "kind": "other"},
    )
    data = response.json()
    assert data["step"] == "reshow_creation_form"
    assert "Give a URL or a DOI" in data["htmlFragment"]
    assert not Source.objects.filter(title="No link").exists()


@pytest.mark.django_db
def test_modal_has_every_id_once(admin_client, library):
    html = admin_client.get(reverse("kratom_source_chooser:choose")).json()["html"]
    parsed = _IdParser(html)
    assert [id_ for id_, count in Counter(parsed.ids).items() if count > 1] == []
    # Search and creation forms both have kind and year; each label names its own field.
    assert {"id_kind", "id_year", "id_new_source-kind", "id_new_source-year"} <= set(parsed.ids)
    assert set(parsed.label_targets) <= set(parsed.ids)
    # The page editor under the modal has an id_title of its own.
    assert "id_title" not in parsed.ids


@pytest.mark.django_db
def test_reshown_creation_form_keeps_its_own_ids(admin_client):
    response = admin_client.post(
        reverse("kratom_source_chooser:create"),
        {"title": "No link", "authors": "A", "year": "2020", "url": "", "doi": "", "kind": "other"},
    )
    parsed = _IdParser(response.json()["htmlFragment"])
    assert "id_new_source-title" in parsed.ids and "id_title" not in parsed.ids
    assert len(parsed.ids) == len(set(parsed.ids))
