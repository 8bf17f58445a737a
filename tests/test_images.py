"""Responsive images (#32): one shape in v2, v3, templates and JSON-LD; widths capped at
the original's; AVIF and WebP; renditions made by the task, never by a reader after a
publish; the same queries for 1 and 40 images."""

import base64
import json
import re

import pytest
import wagtail_factories
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from kratom_pages import conf
from kratom_pages.images import formats
from kratom_pages.models import ImagePlaceholder
from tests.factories import ArticlePageFactory

Rendition = get_image_model().get_rendition_model()
SHAPE = {
    *("id", "title", "alt", "decorative", "width", "height", "aspect_ratio", "focal_point"),
    *("dominant_color", "placeholder", "sources", "fallback", "sizes", "renditions"),
}


def _block(image, **value):
    return {"type": "image", "value": {"image": image.pk, "caption": "", **value}}


def _publish(index_page, slug, *, hero=None, images=(), capture=None, **blocks):
    page = ArticlePageFactory.build(slug=slug, hero_image=hero)
    page.body = [_block(image, **blocks) for image in images]
    index_page.add_child(instance=page)
    if capture is None:
        page.save_revision().publish()
    else:
        with capture(execute=True):  # commit: the task runs (immediate backend)
            page.save_revision().publish()
    return page


def _widths(srcset: str) -> list[int]:
    return [int(w) for w in re.findall(r" (\d+)w", srcset)]


@pytest.fixture
def photo(db):
    return wagtail_factories.ImageFactory(title="Leaves", file__width=1200, file__height=800)


@pytest.mark.django_db
def test_the_image_shape_is_the_same_in_v2_and_v3(client, index_page, photo):
    page = _publish(index_page, "same", hero=photo, images=[photo], alt_text="Green leaves")
    v2 = client.get(f"/api/v2/pages/{page.pk}/").json()
    v3 = client.get(f"/api/v3/pages/{page.pk}/").json()
    assert set(v2["hero_image"]) == SHAPE
    assert v2["hero_image"] == v3["hero_image"]
    assert v2["body"][0]["value"]["image"] == v3["body"][0]["value"]["image"]
    assert v2["body"][0]["value"]["image"]["alt"] == "Green leaves"


@pytest.mark.django_db
def test_widths_never_exceed_the_original_and_never_repeat(client, index_page):
    narrow = wagtail_factories.ImageFactory(file__width=700, file__height=350)
    page = _publish(index_page, "narrow", hero=narrow)
    image = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert image["sources"]
    for source in image["sources"]:
        assert _widths(source["srcset"]) == [320, 640, 700]
    # The widest up to IMAGE_FALLBACK_WIDTH (960): the original's own width here.
    assert image["fallback"]["width"] == 700 and image["fallback"]["height"] == 350
    assert image["aspect_ratio"] == 2.0


@pytest.mark.django_db
def test_sources_are_avif_then_webp_then_the_original_format(client, index_page, photo):
    page = _publish(index_page, "formats", hero=photo)
    types = [
        s["type"] for s in client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]["sources"]
    ]
    expected = ["image/avif"] if formats.avif_supported() else []
    assert types == [*expected, "image/webp", "image/jpeg"]


@pytest.mark.django_db
def test_without_avif_support_images_are_webp_and_the_original_format(
    client, index_page, photo, monkeypatch
):
    monkeypatch.setattr(formats, "avif_supported", lambda: False)
    page = _publish(index_page, "no-avif", hero=photo)
    image = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert [s["type"] for s in image["sources"]] == ["image/webp", "image/jpeg"]
    assert any(m.id == "kratom_pages.I001" for m in run_checks())


@pytest.mark.django_db
def test_a_decorative_image_has_empty_alt_text_and_says_so(client, index_page, photo):
    page = _publish(index_page, "deco", images=[photo], alt_text="ignored", decorative=True)
    image = client.get(f"/api/v2/pages/{page.pk}/").json()["body"][0]["value"]["image"]
    assert image["alt"] == "" and image["decorative"] is True
    html = client.get(page.url).content.decode()
    assert re.search(r'<img [^>]*alt=""', html)


@pytest.mark.django_db
def test_the_focal_point_is_served_as_fractions(client, index_page):
    image = wagtail_factories.ImageFactory(file__width=1000, file__height=500)
    image.focal_point_x, image.focal_point_y = 250, 100
    image.focal_point_width = image.focal_point_height = 20
    image.save()
    page = _publish(index_page, "focal", hero=image)
    served = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert served["focal_point"] == {"x": 0.25, "y": 0.2}


@pytest.mark.django_db
def test_an_svg_is_passed_through(client, index_page):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>'
    image = get_image_model().objects.create(
        title="Logo", file=SimpleUploadedFile("logo.svg", svg), width=40, height=20
    )
    page = _publish(index_page, "svg", hero=image)
    served = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert served["sources"] == []
    assert served["fallback"]["url"].endswith(".svg")
    assert served["placeholder"] is None


@pytest.mark.django_db(transaction=True)
def test_renditions_are_made_by_the_task_and_none_during_a_read_after_publish(client, index_page):
    photo = wagtail_factories.ImageFactory(file__width=1200, file__height=800)
    page = ArticlePageFactory.build(slug="made", hero_image=photo, body=[_block(photo)])
    index_page.add_child(instance=page)
    page.save_revision().publish()  # commits: the task runs (immediate backend)
    made = Rendition.objects.filter(image=photo).count()
    planned = formats.plan_for(photo)
    assert made >= len(planned.specs())
    with CaptureQueriesContext(connection) as queries:
        for version in ("v2", "v3"):
            assert client.get(f"/api/{version}/pages/{page.pk}/").status_code == 200
        assert client.get(page.url).status_code == 200
    assert Rendition.objects.filter(image=photo).count() == made
    assert not [q for q in queries if "INSERT" in q["sql"] and "rendition" in q["sql"]]


@pytest.mark.django_db
def test_an_uploaded_image_gets_a_placeholder_under_1_kb(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
    placeholder = ImagePlaceholder.objects.get(image=image)
    assert re.fullmatch(r"#[0-9a-f]{6}", placeholder.dominant_color)
    assert placeholder.data_uri.startswith("data:image/webp;base64,")
    assert len(placeholder.data_uri) <= 1024
    base64.b64decode(placeholder.data_uri.split(",", 1)[1], validate=True)
    assert Rendition.objects.filter(image=image).count() >= len(formats.plan_for(image).specs())


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_queries_are_the_same_for_1_and_40_images(
    client, settings, index_page, django_capture_on_commit_callbacks
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "dummy"}
    with django_capture_on_commit_callbacks(execute=True):
        images = [
            wagtail_factories.ImageFactory(file__width=400, file__height=300) for _ in range(41)
        ]
    one = _publish(index_page, "one", hero=images[0], images=images[:1])
    forty = _publish(index_page, "forty", hero=images[1], images=images[1:])
    for version in ("v2", "v3"):
        small = _count(client, f"/api/{version}/pages/{one.pk}/")
        large = _count(client, f"/api/{version}/pages/{forty.pk}/")
        assert small == large, (version, small, large)
    body = client.get(f"/api/v2/pages/{forty.pk}/").json()["body"]
    assert all(block["value"]["image"]["placeholder"] for block in body)


@pytest.mark.django_db
def test_listing_queries_are_the_same_for_1_and_40_heroes(
    client, settings, index_page, django_capture_on_commit_callbacks
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "dummy"}
    url = "/api/v2/pages/?type=kratom_pages.ArticlePage&fields=hero_image&limit=50"
    _publish(index_page, "first", hero=wagtail_factories.ImageFactory(file__width=400))
    one = _count(client, url)
    for n in range(39):
        _publish(index_page, f"p{n}", hero=wagtail_factories.ImageFactory(file__width=400))
    assert _count(client, url) == one


@pytest.mark.django_db
def test_templates_use_picture_with_sizes_and_no_layout_shift(client, index_page, photo):
    other = wagtail_factories.ImageFactory(file__width=800, file__height=600)
    page = _publish(index_page, "picture", hero=photo, images=[other])
    html = client.get(page.url).content.decode()
    [hero, inline] = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    assert 'loading="lazy"' in inline
    assert 'width="1200" height="800"' in hero and 'width="800" height="600"' in inline
    assert 'type="image/webp"' in hero and "sizes=" in hero
    api = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert api["sources"][0]["srcset"] in hero.replace("&amp;", "&")


@pytest.mark.django_db
def test_json_ld_images_are_absolute(client, index_page, photo):
    page = _publish(index_page, "jsonld", hero=photo)
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    graph = data["structured_data"]["@graph"]
    images = [url for node in graph for url in node.get("image", [])]
    assert images and all(url.startswith("http://testserver/media/") for url in images)


def test_the_width_list_is_published_in_the_openapi_document(client, settings, db):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "IMAGE_WIDTHS": [300, 900]}
    document = client.get("/api/v3/openapi.json").json()
    source = document["components"]["schemas"]["ImageSourceSchema"]
    assert source["x-widths"] == [300, 900]
    image = document["components"]["schemas"]["KratomImageSchema"]
    assert image["properties"]["renditions"]["deprecated"] is True


@pytest.mark.parametrize(
    ("override", "check_id"),
    [
        ({"IMAGE_WIDTHS": []}, "kratom_pages.E070"),
        ({"IMAGE_WIDTHS": ["640"]}, "kratom_pages.E070"),
        ({"IMAGE_FALLBACK_WIDTH": "big"}, "kratom_pages.E071"),
        ({"IMAGE_SIZES": {"hero": ""}}, "kratom_pages.E072"),
        ({"RENDITIONS": {"small": "width-480", "og": "fill-1200x630"}}, "kratom_pages.W008"),
        ({"SOCIAL_IMAGE_RENDITION": "og"}, "kratom_pages.W009"),
    ],
)
def test_image_settings_are_checked(settings, override, check_id):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, **override}
    assert check_id in {m.id for m in run_checks()}


def test_the_default_settings_raise_no_image_warning(settings):
    found = {m.id for m in run_checks()}
    assert not found & {"kratom_pages.W008", "kratom_pages.W009", "kratom_pages.E006"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("override", "size"),
    [
        ({}, (1200, 630)),
        # Following W008 (RENDITIONS gone) keeps every page's social image as it was.
        ({"RENDITIONS": {}}, (1200, 630)),
        ({"SOCIAL_IMAGE_SPEC": "fill-800x800"}, (800, 800)),
        # The deprecated name still picks its RENDITIONS entry for this release.
        (
            {"RENDITIONS": {"square": "fill-600x600"}, "SOCIAL_IMAGE_RENDITION": "square"},
            (600, 600),
        ),
    ],
)
def test_the_social_image_is_its_own_crop_whatever_renditions_says(
    client, settings, index_page, override, size
):
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "dummy", **override}
    photo = wagtail_factories.ImageFactory(file__width=1600, file__height=1000)
    page = _publish(index_page, "shared", hero=photo)
    seo = client.get(f"/api/v2/pages/{page.pk}/").json()["seo"]
    assert (seo["og_image"]["width"], seo["og_image"]["height"]) == size
    assert seo["og_image"]["url"].startswith("http://testserver/media/")
    html = client.get(page.url).content.decode()
    assert f'<meta property="og:image" content="{seo["og_image"]["url"]}"' in html


def test_the_image_schema_is_plain_json():
    # The schema serialises as JSON (no Decimal, no set): what both APIs send.
    from kratom_pages.api.schemas import KratomImageSchema

    assert json.dumps(KratomImageSchema.model_json_schema())


def test_the_importer_marks_an_empty_alt_as_decorative_and_a_missing_one_not():
    from bs4 import BeautifulSoup

    from kratom_pages.importers.nodes import _image
    from kratom_pages.importers.values import image_value

    html = '<img src="a.png" alt=""><img src="b.png">'
    empty, missing = BeautifulSoup(html, "html.parser")("img")
    assert image_value(_image(empty))["decorative"] is True
    assert image_value(_image(missing))["decorative"] is False


@pytest.mark.django_db
def test_a_rendered_page_asks_the_same_queries_for_1_and_40_images(
    client, index_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        images = [wagtail_factories.ImageFactory(file__width=400) for _ in range(41)]
    one = _publish(index_page, "one", hero=images[0], images=images[:1])
    forty = _publish(index_page, "forty", hero=images[1], images=images[1:])
    assert _count(client, one.url) == _count(client, forty.url)
    # The hero, and the 39 body images that do not repeat it.
    assert client.get(forty.url).content.decode().count("<picture>") == 40


@pytest.mark.django_db
def test_a_cached_page_serves_the_placeholder_once_it_is_made(
    client, index_page, photo, django_capture_on_commit_callbacks
):
    from kratom_pages.images.renditions import make_renditions

    page = _publish(index_page, "cached", hero=photo)
    url = f"/api/v2/pages/{page.pk}/"
    assert client.get(url).json()["hero_image"]["placeholder"] is None  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        make_renditions.call([photo.pk])
    assert client.get(url).json()["hero_image"]["placeholder"].startswith("data:image/webp")


@pytest.mark.django_db
def test_a_section_listing_shows_heroes_as_thumbnails_in_the_same_queries_for_1_and_10(
    client, index_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        images = [wagtail_factories.ImageFactory(file__width=400) for _ in range(10)]
    _publish(index_page, "first", hero=images[0])
    one = _count(client, index_page.url)
    for n, image in enumerate(images[1:]):
        _publish(index_page, f"more-{n}", hero=image)
    assert _count(client, index_page.url) == one
    html = client.get(index_page.url).content.decode()
    thumbnails = re.findall(r'<div class="kp-index__thumb">(.*?)</div>', html, re.S)
    assert len(thumbnails) == 10
    assert all('alt=""' in t and 'loading="lazy"' in t for t in thumbnails)


@pytest.mark.django_db
def test_an_image_whose_file_is_gone_is_served_without_renditions_not_a_500(client, index_page):
    image = wagtail_factories.ImageFactory(file__width=800, file__height=600)
    image.file.storage.delete(image.file.name)
    page = _publish(index_page, "gone", hero=image, images=[image])
    served = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    assert served["sources"] == [] and served["fallback"] is None
    assert served["width"] == 800
    assert client.get(page.url).status_code == 200


@pytest.mark.django_db
def test_a_read_writes_no_rendition_back_to_the_renditions_cache(
    client, settings, index_page, monkeypatch, django_capture_on_commit_callbacks
):
    """Wagtail's ``get_renditions`` stores every rendition it finds in the renditions
    cache, prefetched ones too: on Redis a pickle and a round trip per image per read."""
    settings.KRATOM_PAGES = {**settings.KRATOM_PAGES, "API_CACHE": "dummy"}
    with django_capture_on_commit_callbacks(execute=True):
        images = [wagtail_factories.ImageFactory(file__width=900) for _ in range(3)]
    page = _publish(index_page, "quiet", hero=images[0], images=images)
    for version in ("v2", "v3"):  # made and cached by the task and the first reads
        client.get(f"/api/{version}/pages/{page.pk}/")
    writes = []
    monkeypatch.setattr(
        Rendition.cache_backend, "set_many", lambda data, *a, **k: writes.append(data)
    )
    for version in ("v2", "v3"):
        body = client.get(f"/api/{version}/pages/{page.pk}/").json()["body"]
        assert all(block["value"]["image"]["sources"] for block in body)
    assert client.get(page.url).status_code == 200
    assert writes == []


@pytest.mark.django_db
def test_a_hero_in_a_listing_has_the_sizes_of_a_thumbnail(client, index_page, photo):
    page = _publish(index_page, "card", hero=photo)
    sizes = conf.get("IMAGE_SIZES")
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    listing = client.get(
        f"/api/v2/pages/?type=kratom_pages.ArticlePage&fields=hero_image&child_of={index_page.pk}"
    ).json()["items"][0]["hero_image"]
    assert detail["sizes"] == sizes["hero"]
    assert listing["sizes"] == sizes["thumbnail"] != sizes["hero"]
    assert listing["sources"] == detail["sources"]
