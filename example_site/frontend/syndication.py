"""The frontend's /sitemap.xml and /feed.xml, built from the API's JSON
(``/api/v2/sitemap/`` and ``/api/v2/feed/``): how a headless frontend serves both itself.

The API gives each page's address on its Wagtail Site. A real headless site gives that Site
the frontend's hostname, and the addresses are used as they are; this demo shows the same
pages at the same paths on a second origin, so it moves each address to its own origin, as
its links do (``localPath`` in render.js). Images stay where the API serves them.
"""

import json
from urllib.parse import urlsplit
from urllib.request import urlopen
from xml.etree import ElementTree as ET

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
ATOM = "http://www.w3.org/2005/Atom"
for prefix, uri in (("xhtml", XHTML), ("image", IMAGE)):
    ET.register_namespace(prefix, uri)


def fetch(api_url: str, path: str) -> dict:
    with urlopen(f"{api_url}{path}", timeout=10) as response:  # noqa: S310 - our own API
        return json.load(response)


def here(url: str, origin: str) -> str:
    parts = urlsplit(url)
    return origin + parts.path + (f"?{parts.query}" if parts.query else "")


# The default namespace is the root's xmlns attribute, its elements unqualified:
# ElementTree's default_namespace option refuses unqualified attributes.
def _document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def sitemap(api_url: str, origin: str, number: int | None = None) -> bytes:
    """``/sitemap.xml`` (``number`` None): the urlset, or an index of ``/sitemap-N.xml``
    when the API says the sitemap needs several files; ``/sitemap-N.xml``: file N."""
    data = fetch(api_url, f"/api/v2/sitemap/?page={number or 1}")
    pages = data["meta"]["pages"]
    if number is None and pages > 1:
        index = ET.Element("sitemapindex", xmlns=SITEMAP)
        for n in range(1, pages + 1):
            entry = ET.SubElement(index, "sitemap")
            ET.SubElement(entry, "loc").text = f"{origin}/sitemap-{n}.xml"
        return _document(index)
    urlset = ET.Element("urlset", xmlns=SITEMAP)
    for item in data["items"]:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = here(item["url"], origin)
        if item["lastmod"]:
            ET.SubElement(url, "lastmod").text = item["lastmod"]
        for alternate in item["alternates"]:
            ET.SubElement(
                url,
                f"{{{XHTML}}}link",
                rel="alternate",
                hreflang=alternate["language"],
                href=here(alternate["url"], origin),
            )
        for image in item["images"]:
            ET.SubElement(ET.SubElement(url, f"{{{IMAGE}}}image"), f"{{{IMAGE}}}loc").text = image
    return _document(urlset)


def feed(api_url: str, origin: str) -> bytes:
    """``/feed.xml``: the site's Atom feed."""
    data = fetch(api_url, "/api/v2/feed/")
    meta = data["meta"]
    root = ET.Element("feed", xmlns=ATOM)

    def add(parent, name, text=None, **attrs):
        element = ET.SubElement(parent, name, attrs)
        element.text = text
        return element

    add(root, "title", meta["title"])
    add(root, "link", rel="alternate", href=here(meta["url"], origin))
    add(root, "link", rel="self", href=f"{origin}/feed.xml")
    add(root, "id", f"{origin}/")
    add(root, "updated", meta["updated"] or "1970-01-01T00:00:00Z")
    add(add(root, "author"), "name", meta["author"])
    for item in data["items"]:
        entry = add(root, "entry")
        url = here(item["url"], origin)
        add(entry, "title", item["title"])
        add(entry, "link", rel="alternate", href=url)
        add(entry, "id", url)
        add(entry, "published", item["published"])
        add(entry, "updated", item["updated"])
        if item["author"]:
            add(add(entry, "author"), "name", item["author"])
        if item["reviewer"]:
            reviewer = item["reviewer"]
            name = ", ".join(part for part in (reviewer["name"], reviewer["credentials"]) if part)
            add(add(entry, "contributor"), "name", name)
        add(entry, "summary", item["summary"], type="html")
        if item["content"]:
            add(entry, "content", item["content"], type="html")
    return _document(root)
