"""Builds the benchmark site: a demo-size article (about 40 blocks), the same content as a
core-blocks page, and article listings of two sizes."""

import io

from django.conf import settings
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from benchmarks.plain.models import PlainArticlePage
from kratom_pages.models import ArticlePage, FAQPage, KratomIndexPage, Source


def _image(n: int):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (30 + n * 10 % 200, 120, 90)).save(buffer, "JPEG")
    image = get_image_model()(title=f"Bench image {n}")
    image.file = ImageFile(buffer, name=f"bench-{n}.jpg")
    image.save()
    return image


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _para(n: int, link_id: int) -> str:
    return (
        f'<p>Paragraph {n} about what surveys report, with a <a linktype="page" id="{link_id}">'
        "link to the FAQ</a> and <b>some</b> emphasis.</p>"
    )


def article_bodies(images, sources, faq_id):
    """(our body, the same content with core blocks). About 40 blocks each."""
    ours, plain = [], []
    ours.append(
        {
            "type": "callout",
            "value": {
                "variant": "disclaimer",
                "title": "Not advice",
                "body": "<p>Information only.</p>",
            },
        }
    )
    plain.append({"type": "paragraph", "value": "<p>Information only.</p>"})
    for section in range(6):
        ours.append(
            {
                "type": "heading",
                "value": {"text": f"Section {section}", "level": "h2", "anchor": ""},
            }
        )
        plain.append({"type": "heading", "value": f"Section {section}"})
        for n in range(2):
            ours.append({"type": "paragraph", "value": _para(n, faq_id)})
            plain.append({"type": "paragraph", "value": _para(n, faq_id)})
        image = images[section % len(images)]
        ours.append(
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "", "caption": "c", "credit": ""},
            }
        )
        plain.append({"type": "image", "value": image.pk})
        ours.append(
            {
                "type": "cited_paragraph",
                "value": {"text": _para(9, faq_id), "citations": [sources[section].pk]},
            }
        )
        plain.append({"type": "paragraph", "value": _para(9, faq_id)})
    items = [
        {
            "heading": f"Claim {n}",
            "body": "<p>What the evidence shows.</p>",
            "evidence_level": "limited",
            "citations": [sources[n % len(sources)].pk],
        }
        for n in range(7)
    ]
    ours.append({"type": "numbered_sections", "value": {"heading": "Claims", "items": items}})
    plain += [
        {"type": "section", "value": {"heading": i["heading"], "body": i["body"]}} for i in items
    ]
    guidelines = [
        {"label": f"Guideline {n}", "explanation": "<p>Why.</p>", "kind": "caution"}
        for n in range(5)
    ]
    ours.append({"type": "guidelines", "value": {"heading": "Safety", "items": guidelines}})
    plain += [
        {"type": "section", "value": {"heading": g["label"], "body": g["explanation"]}}
        for g in guidelines
    ]
    faqs = [
        {"question": f"Question {n}?", "answer": "<p>An answer.</p>", "citations": []}
        for n in range(6)
    ]
    ours.append({"type": "faq", "value": {"heading": "FAQ", "items": faqs}})
    plain.append(
        {"type": "faq", "value": [{"question": f["question"], "answer": f["answer"]} for f in faqs]}
    )
    ours.append({"type": "related_pages", "value": {"heading": "More", "pages": [faq_id]}})
    plain.append({"type": "page", "value": faq_id})
    ours.append(
        {"type": "conclusion", "value": {"heading": "Conclusion", "body": "<p>Summing up.</p>"}}
    )
    plain.append({"type": "section", "value": {"heading": "Conclusion", "body": "<p>Sum.</p>"}})
    return ours, plain


def _listing_pages(parent, count: int, image, progress) -> None:
    # Live pages without revisions: fast to create, identical for the API.
    body = [
        {"type": "paragraph", "value": "<p>Short listing body.</p>"},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "", "caption": "", "credit": ""},
        },
    ]
    for n in range(count):
        parent.add_child(
            instance=ArticlePage(
                title=f"Listing article {n}", slug=f"a-{n}", body=body, hero_image=image, live=True
            )
        )
        if progress and n and n % 1000 == 0:
            progress(f"  {n} / {count} listing pages")


def build(listing_small: int, listing_large: int, progress=None) -> dict:
    root = Page.get_first_root_node()
    index = _publish(root, KratomIndexPage(title="Bench", slug="bench"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "127.0.0.1", "port": 80, "root_page": index},
    )
    faq = _publish(
        index,
        FAQPage(
            title="FAQ",
            slug="faq",
            body=[
                {
                    "type": "faq",
                    "value": {
                        "heading": "Q",
                        "items": [{"question": "Q?", "answer": "<p>A</p>", "citations": []}],
                    },
                }
            ],
        ),
    )
    images = [_image(n) for n in range(8)]
    sources = [
        Source.objects.create(
            title=f"Source {n}", authors="NIDA", year=2020, url=f"https://example.org/{n}"
        )
        for n in range(8)
    ]
    ours, plain = article_bodies(images, sources, faq.pk)
    article = _publish(
        index,
        ArticlePage(title="Demo-size article", slug="demo-size", body=ours, hero_image=images[0]),
    )
    plain_page = _publish(index, PlainArticlePage(title="Plain article", slug="plain", body=plain))
    small = _publish(index, KratomIndexPage(title="Small listing", slug="small"))
    large = _publish(index, KratomIndexPage(title="Large listing", slug="large"))
    # Bulk creation, before any reader: prerendering each new page and the section front
    # that lists it would render the 10,000-page listing 10,000 times.
    with override_settings(KRATOM_PAGES={**settings.KRATOM_PAGES, "API_PRERENDER": False}):
        _listing_pages(small, listing_small, images[1], progress)
        _listing_pages(large, listing_large, images[2], progress)
    return {
        "article": article.pk,
        "plain": plain_page.pk,
        "small": small.pk,
        "large": large.pk,
        "blocks": len(ours),
    }
