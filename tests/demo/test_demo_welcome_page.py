"""The demo loader tidies what a fresh Wagtail install leaves at the root."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site


@pytest.mark.django_db
def test_demo_loader_removes_wagtails_welcome_page():
    root = Page.get_first_root_node()
    welcome = root.get_children().filter(slug="home").first()
    if welcome is None:  # a flushed database: make the page Wagtail's migration makes
        welcome = root.add_child(
            instance=Page(title="Welcome to your new Wagtail site!", slug="home")
        )
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    call_command("load_demo_content", verbosity=0)
    assert not Page.objects.filter(pk=welcome.pk).exists()
    assert Site.objects.get(is_default_site=True).root_page.slug != "home"


@pytest.mark.django_db
def test_demo_loader_keeps_an_edited_home_page():
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2, slug="home").delete()
    kept = root.add_child(instance=Page(title="Our home", slug="home"))
    kept.save_revision()
    call_command("load_demo_content", verbosity=0)
    assert Page.objects.filter(pk=kept.pk).exists()
