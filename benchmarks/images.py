"""Image bytes a 375 px phone downloads for the demo article, before and after #32.

``python -m benchmarks.images [--photo]`` loads the demo content into a throwaway database and
media directory (as ``make demo`` does), renders the article, and for each ``<picture>``
in it picks what a browser on a 375 CSS px wide phone would (the first ``<source>`` type
it reads, AVIF here, then the narrowest ``srcset`` candidate at least the ``sizes`` width
times the device pixel ratio). *Before* is what the templates served until #32, made
with the same Wagtail: ``width-1200`` of the hero and ``width-1000`` of body images, in
the original's format. Every image counts, lazy ones too (a reader scrolls). Target:
at least 5x fewer bytes at a device pixel ratio of 2. With ``--photo`` the hero is a
photograph (the demo's own image is a flat 8 KB PNG illustration, which resizing makes
no smaller).
"""

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = 375  # CSS px
REM = 16
BEFORE_SPECS = {"hero": "width-1200", "inline": "width-1000"}
TARGET = 5  # times fewer bytes at a device pixel ratio of 2


def setup(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "example_site.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'demo.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.pop("KRATOM_DEMO_TASK_WORKER", None)  # tasks run at once, on commit
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def css_width(sizes: str) -> float:
    """The width ``sizes`` gives on the phone: the first media condition it meets (only the
    min-width conditions and calc(100vw - Nrem) lengths our settings use)."""
    for part in (p.strip() for p in sizes.split(",")):
        match = re.match(r"\(min-width:\s*([\d.]+)rem\)\s*(.+)", part)
        if match:
            if float(match.group(1)) * REM <= VIEWPORT:
                return length(match.group(2))
            continue
        return length(part)
    return VIEWPORT


def length(value: str) -> float:
    value = value.strip()
    if match := re.fullmatch(r"calc\(100vw - ([\d.]+)rem\)", value):
        return VIEWPORT - float(match.group(1)) * REM
    if match := re.fullmatch(r"([\d.]+)vw", value):
        return VIEWPORT * float(match.group(1)) / 100
    if match := re.fullmatch(r"calc\(([\d.]+)vw - ([\d.]+)rem\)", value):
        return VIEWPORT * float(match.group(1)) / 100 - float(match.group(2)) * REM
    if match := re.fullmatch(r"([\d.]+)rem", value):
        return float(match.group(1)) * REM
    raise ValueError(f"unsupported sizes length {value!r}")


def chosen(picture: str, dpr: float) -> str:
    """The URL a browser reading AVIF picks from one ``<picture>``."""
    first = re.search(r'srcset="([^"]+)" sizes="([^"]+)"', picture)
    srcset, sizes = first.group(1), first.group(2)
    pairs = (candidate.strip().rsplit(" ", 1) for candidate in srcset.split(","))
    candidates = sorted((int(w.rstrip("w")), url) for url, w in pairs)
    needed = css_width(sizes) * dpr
    return next((url for w, url in candidates if w >= needed), candidates[-1][1])


def file_bytes(url: str) -> int:
    from django.conf import settings

    path = url.split(settings.MEDIA_URL, 1)[1]
    return (Path(settings.MEDIA_ROOT) / path).stat().st_size


def use_photo(image) -> None:
    """Give the demo's hero a photograph (Wagtail's own test photo, 600x450 JPEG) in place
    of its flat illustration; its renditions are made again by the task, on commit."""
    import wagtail
    from django.core.files import File

    photo = Path(wagtail.__file__).parent / "images/tests/image_files/landscape_1.jpg"
    image.renditions.all().delete()
    with photo.open("rb") as file:
        image.file = File(file, name="landscape.jpg")
        image.width, image.height = 600, 450
        image.file_hash = ""
        image.save()


def main() -> None:
    setup(Path(tempfile.mkdtemp(prefix="kratom-images-")))
    from django.core.management import call_command
    from django.test import Client
    from wagtail.images import get_image_model

    from kratom_pages.models import ArticlePage

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0)
    article = ArticlePage.objects.live().get()
    if "--photo" in sys.argv:
        use_photo(article.hero_image)
    response = Client(HTTP_HOST="127.0.0.1").get(article.url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert pictures, "the article shows no <picture>"
    places = ["hero" if 'fetchpriority="high"' in p else "inline" for p in pictures]
    images = list(get_image_model().objects.all())
    before = 0
    for picture, place in zip(pictures, places, strict=True):
        # The image a <picture> shows: its renditions are named after the original's file.
        [image] = [i for i in images if f"/{Path(i.file.name).stem}." in picture]
        before += image.get_rendition(BEFORE_SPECS[place]).file.size
    print(f"Demo article: {len(pictures)} image(s) shown ({', '.join(places)})")
    print(f"before (width-1200 hero, width-1000 body, original format): {before:,} bytes")
    ratios = {}
    for dpr in (1, 2, 3):
        after = sum(file_bytes(chosen(p, dpr)) for p in pictures)
        ratios[dpr] = before / after
        print(f"after, DPR {dpr}: {after:,} bytes ({ratios[dpr]:.1f}x fewer)")
    hero = "a photograph" if "--photo" in sys.argv else "the demo's flat illustration"
    met = "MET" if ratios[2] >= TARGET else "NOT MET"
    print(f"target image bytes at DPR 2 >= {TARGET}x fewer ({hero}) {ratios[2]:6.2f}  {met}")


if __name__ == "__main__":
    main()
