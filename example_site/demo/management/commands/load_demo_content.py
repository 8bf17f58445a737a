"""Build the demo tree: an index page with an article, a guideline list and an FAQ.

Idempotent: pages and the image are found by slug/title and left alone when present, so a
second run changes nothing. ``--reset`` deletes the demo pages first and rebuilds them.
"""

import os

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from example_site.demo import content, sources
from example_site.demo.demo_image import draw_leaves_png
from example_site.demo.review_workflow import (
    demo_reviewer_account,
    ensure_review_workflow,
    sign_off,
)
from kratom_pages.models import (
    ArticlePage,
    FAQPage,
    GuidelineListPage,
    HealthContentSettings,
    KratomIndexPage,
    ReaderReply,
    Reviewer,
    Source,
    hash_client_ip,
)

IMAGE_TITLE = "Kratom leaves (demo illustration)"


class Command(BaseCommand):
    help = "Load the kratom-pages demo content (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo pages and build them again."
        )

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        root = Page.get_first_root_node()
        if reset:
            KratomIndexPage.objects.filter(slug=content.PAGES["index"]["slug"]).delete()

        index = self._index_page(root)
        image = self._image()
        self._sources()
        reviewer, _ = Reviewer.objects.get_or_create(
            name=content.REVIEWER["name"], defaults=content.REVIEWER
        )
        guidelines = self._child_page(
            index,
            GuidelineListPage,
            {**content.PAGES["guidelines"], "body": content.guideline_body()},
        )
        faq = self._child_page(
            index, FAQPage, {**content.PAGES["faq"], "body": self._cite(content.faq_body())}
        )
        article_fields = {
            "body": self._cite(content.article_body(image.pk, [guidelines.pk, faq.pk])),
            "hero_image": image,
        }
        article = self._child_page(
            index, ArticlePage, {**content.PAGES["article"], **article_fields}
        )
        self._replies(article)

        site = self._point_default_site_at(index)
        self._remove_welcome_page(root)
        self._disclaimer(site)
        # From here on, changes to the demo pages go live through a reviewer's sign-off,
        # and the pages claim a review only through a record of one: the demo reviewer
        # signs each off through the workflow, as the admin would.
        ensure_review_workflow(index)
        signer = demo_reviewer_account(reviewer)
        for page in (article, guidelines, faq):
            if sign_off(page, signer):
                self.stdout.write(f"Signed off {page.title!r} as {reviewer}.")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

    def _point_default_site_at(self, index: KratomIndexPage) -> Site:
        # The demo is served on 127.0.0.1:$PORT; absolute URLs (canonical, API) should say so.
        wanted = {"hostname": "127.0.0.1", "port": int(os.environ.get("PORT", "8000"))}
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return Site.objects.create(root_page=index, is_default_site=True, **wanted)
        if (site.root_page_id, site.hostname, site.port) != (index.pk, *wanted.values()):
            site.root_page = index
            site.hostname, site.port = wanted["hostname"], wanted["port"]
            site.save()
            self.stdout.write("Pointed the default site at the demo index page.")
        return site

    def _remove_welcome_page(self, root: Page) -> None:
        """Wagtail's "Welcome to your new Wagtail site!" page, once no site serves it: a
        plain Page with no children that nobody edited (an edited one is left alone)."""
        welcome = (
            root.get_children()
            .filter(slug="home", content_type__model="page", content_type__app_label="wagtailcore")
            .exclude(pk__in=Site.objects.values("root_page_id"))
            .filter(numchild=0, latest_revision__isnull=True)
            .first()
        )
        if welcome is not None:
            welcome.delete()
            self.stdout.write("Removed Wagtail's welcome page.")

    def _disclaimer(self, site: Site) -> None:
        settings = HealthContentSettings.for_site(site)
        if not settings.default_disclaimer:
            settings.default_disclaimer = content.DISCLAIMER
            settings.save()

    def _sources(self) -> None:
        self._source_ids = {}
        for spec in sources.ALL:
            source = Source.objects.filter(title=spec["title"]).first()
            if source is None:
                # Validated like an editor's entry: every demo source can be found again.
                source = Source(**spec)
                source.full_clean()
                source.save()
            self._source_ids[spec["title"]] = source.pk

    def _cite(self, value):
        """Swap the source dicts under every "citations" key for Source ids."""
        if isinstance(value, list):
            return [self._cite(item) for item in value]
        if isinstance(value, dict):
            return {
                key: [self._source_ids[s["title"]] for s in item]
                if key == "citations"
                else self._cite(item)
                for key, item in value.items()
            }
        return value

    def _index_page(self, root: Page) -> KratomIndexPage:
        spec = content.PAGES["index"]
        existing = KratomIndexPage.objects.filter(slug=spec["slug"]).first()
        if existing:
            return existing
        index = KratomIndexPage(**spec)
        root.add_child(instance=index)
        index.save_revision().publish()
        self.stdout.write(f"Created {index.title!r}.")
        return index

    def _child_page(self, parent: Page, model, fields: dict):
        existing = model.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if existing:
            self.stdout.write(f"{fields['title']!r} already exists; left unchanged.")
            return existing
        page = model(**fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Created {page.title!r}.")
        return page

    def _replies(self, article: ArticlePage) -> None:
        if article.reader_replies.exists():
            return
        created = []
        for spec in content.REPLIES:
            spec = dict(spec)
            parent = created[spec.pop("reply_to")] if "reply_to" in spec else None
            created.append(
                ReaderReply.objects.create(
                    page=article, parent=parent, ip_hash=hash_client_ip("127.0.0.1"), **spec
                )
            )
        self.stdout.write(f"Added {len(created)} reader replies to {article.title!r}.")

    def _image(self):
        image_model = get_image_model()
        existing = image_model.objects.filter(title=IMAGE_TITLE).first()
        if existing:
            return existing
        from io import BytesIO

        data = BytesIO(draw_leaves_png())
        image = image_model(title=IMAGE_TITLE)
        image.file = ImageFile(data, name="kratom-leaves-demo.png")
        image.save()
        return image
