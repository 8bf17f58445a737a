"""The README's next/image loader is code, not prose: it is taken from the README as it
stands and run by Node against an image shape the API served, so a change to the shape
or to the example that breaks it fails here."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import wagtail_factories

from tests.factories import ArticlePageFactory

README = Path(__file__).resolve().parent.parent / "README.md"


def _loader_source() -> str:
    blocks = re.findall(r"```js\n(.*?)```", README.read_text(), re.S)
    [source] = [block for block in blocks if "export function kratomLoader" in block]
    return source


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed: the README's loader example needs it to run")
    return node


@pytest.mark.django_db
def test_the_readme_loader_picks_the_nearest_pre_generated_webp(client, index_page, tmp_path):
    node = _node()
    photo = wagtail_factories.ImageFactory(file__width=1200, file__height=800)
    page = ArticlePageFactory.build(slug="loaded", hero_image=photo)
    index_page.add_child(instance=page)
    page.save_revision().publish()
    image = client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image"]
    (tmp_path / "kratom-loader.mjs").write_text(_loader_source())
    (tmp_path / "run.mjs").write_text(
        'import { kratomLoader } from "./kratom-loader.mjs";\n'
        f"const image = {json.dumps(image)};\n"
        "const load = kratomLoader(image);\n"
        "console.log(JSON.stringify([300, 320, 700, 1200, 3840].map((width) =>"
        " load({ width, quality: 75 }))));\n"
    )
    done = subprocess.run(
        [node, str(tmp_path / "run.mjs")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    urls = json.loads(done.stdout)
    [srcset] = [s["srcset"] for s in image["sources"] if s["type"] == "image/webp"]
    webp = {
        int(width.rstrip("w")): url
        for url, width in (candidate.rsplit(" ", 1) for candidate in srcset.split(", "))
    }
    assert all(url.endswith(".webp") for url in urls)
    # The narrowest rendition at least as wide as asked; the widest when none is.
    assert urls == [webp[320], webp[320], webp[960], webp[1200], webp[1200]]
    assert all(url.startswith("http://testserver/media/") for url in urls)
