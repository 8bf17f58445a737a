"""Factories for the page types; StreamField bodies are given as raw JSON-style lists."""

import factory
import wagtail_factories

from kratom_pages.models import (
    ArticlePage,
    FAQPage,
    GuidelineListPage,
    KratomIndexPage,
    ReaderReply,
    Source,
)


class SourceFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Study {n}")
    authors = "NIDA"
    year = 2020
    url = factory.Sequence(lambda n: f"https://example.org/study-{n}")
    kind = Source.Kind.PUBLIC_HEALTH

    class Meta:
        model = Source


def faq_block(*questions: str, heading: str = "Questions") -> dict:
    return {
        "type": "faq",
        "value": {
            "heading": heading,
            "items": [{"question": q, "answer": f"<p>Answer to {q}</p>"} for q in questions],
        },
    }


def guidelines_block(*labels: tuple[str, str], heading: str = "Guidelines") -> dict:
    return {
        "type": "guidelines",
        "value": {
            "heading": heading,
            "items": [
                {"label": label, "explanation": f"<p>Why: {label}</p>", "kind": kind}
                for label, kind in labels
            ],
        },
    }


def numbered_block(*headings: str, heading: str = "Claimed benefits", sources=None) -> dict:
    """Each item cites ``sources`` (default: one new source per item)."""
    return {
        "type": "numbered_sections",
        "value": {
            "heading": heading,
            "items": [
                {
                    "heading": h,
                    "body": f"<p>Evidence about {h}</p>",
                    "evidence_level": "limited",
                    "citations": [s.pk for s in (sources or [SourceFactory()])],
                }
                for h in headings
            ],
        },
    }


class KratomIndexPageFactory(wagtail_factories.PageFactory):
    title = "Kratom evidence"
    intro = "<p>Sourced information.</p>"

    class Meta:
        model = KratomIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    intro = "<p>A lede.</p>"
    author_name = "Editorial team"
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "What is kratom?", "level": "h2", "anchor": ""}},
            {"type": "paragraph", "value": "<p>An explainer.</p>"},
            numbered_block("Pain relief", "Opioid withdrawal"),
            guidelines_block(("Talk to a clinician", "do"), ("Do not mix with alcohol", "avoid")),
            {"type": "conclusion", "value": {"heading": "Conclusion", "body": "<p>Sum up.</p>"}},
            faq_block("Is it approved?", "Is it addictive?"),
        ]
    )

    class Meta:
        model = ArticlePage


class GuidelineListPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guidelines {n}")
    body = factory.LazyFunction(
        lambda: [
            guidelines_block(("Start low", "caution"), heading="Before"),
            guidelines_block(("Avoid sedatives", "avoid"), heading="Never"),
        ]
    )

    class Meta:
        model = GuidelineListPage


class FAQPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"FAQ {n}")
    body = factory.LazyFunction(
        lambda: [faq_block("What is it?", "Is it legal?", heading="Basics")]
    )

    class Meta:
        model = FAQPage


class ReaderReplyFactory(factory.django.DjangoModelFactory):
    """A reply on ``page`` (required); pending unless told otherwise, like real ones."""

    display_name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    body = factory.Sequence(lambda n: f"Reply {n}")
    status = ReaderReply.Status.PENDING
    ip_hash = "0" * 64

    class Meta:
        model = ReaderReply
