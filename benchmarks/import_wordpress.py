"""WordPress import benchmark: ``python -m benchmarks.import_wordpress``.

Generates a WXR export of BENCH_POSTS posts (default 2000; each a classic-editor health
article with numbered claims, tips, a table, a quotation, preformatted text, a conclusion,
an FAQ and two comments), imports it
into a throwaway SQLite site, and prints posts per second and peak Python memory beside
creating the same pages (same fields, revisions, replies and redirects) directly with
Wagtail's API. A second import of BENCH_SMALL posts (default 500) shows the importer's
peak memory does not grow with the number of posts. tracemalloc is on for every run, so
the absolute rates are lower than without it; the ratio is what to read.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

POST = """Some readers say kratom helps them; this generated post {n} sets out what is reported.

<h2>What is kratom?</h2>
A tree in the coffee family whose leaves contain alkaloids such as mitragynine.

<h2>Claimed benefits</h2>
<h3>1. Pain relief</h3>
Reported in surveys; not tested in controlled trials.

<h3>2. Energy</h3>
Described by some users at low doses; anecdotal.

<h2>Tips for safer use</h2>
<ul>
<li><strong>Talk to a clinician:</strong> especially if you take other medicines.</li>
<li><strong>Avoid alcohol:</strong> combining sedating substances is dangerous.</li>
</ul>

<h2>What labels say</h2>
<table><thead><tr><th>Field</th><th>Meaning</th></tr></thead>
<tbody><tr><td>Weight</td><td>How much, not how strong</td></tr></tbody></table>

<blockquote>No product is approved for medical use.<cite>Paraphrase of regulator advice</cite></blockquote>

<pre>batch {n}:   lab report &lt;not included&gt;</pre>

<h2>Conclusion</h2>
The evidence is mostly self-reported.

<h2>FAQ</h2>
Q: Is kratom approved as a medicine?
A: No.
"""  # noqa: E501 - markup as WordPress stores it

COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author>Reader {id}
</wp:comment_author><wp:comment_author_email>r{id}@example.org</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.{ip}</wp:comment_author_IP><wp:comment_date_gmt>2024-01-02 10:00:00
</wp:comment_date_gmt><wp:comment_content>A generated comment.</wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_parent>{parent}
</wp:comment_parent></wp:comment>"""


def write_export(path: Path, posts: int, site: str) -> None:
    """Written item by item, so generating it costs no memory either."""
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="https://wordpress.org/export/1.2/"><channel>'
            f"<link>{site}</link><wp:base_site_url>{site}</wp:base_site_url>\n"
        )
        for n in range(1, posts + 1):
            comments = COMMENT.format(id=n * 10, ip=n % 250, approved=1, parent=0)
            comments += COMMENT.format(id=n * 10 + 1, ip=n % 250, approved=0, parent=n * 10)
            out.write(
                f"<item><title>Generated post {n}</title><link>{site}/{n}/post-{n}/</link>"
                f"<dc:creator>bench</dc:creator><content:encoded><![CDATA[{POST.format(n=n)}]]>"
                f"</content:encoded><wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date>2024-01-01 09:00:00</wp:post_date><wp:post_name>post-{n}"
                "</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f"{comments}</item>\n"
            )
        out.write("</channel></rss>\n")


def setup_django(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ.setdefault("BENCH_DB", str(workdir / "import.sqlite3"))
    os.environ.setdefault("BENCH_MEDIA", str(workdir / "media"))
    os.environ.setdefault("BENCH_CACHE", "locmem")  # no Redis needed for this one
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def new_index(title: str):
    from wagtail.models import Page

    from kratom_pages.models import KratomIndexPage

    root = Page.get_first_root_node()
    index = KratomIndexPage(title=title, slug=title.lower().replace(" ", "-"))
    root.add_child(instance=index)
    return index


def measured(action) -> tuple[float, int]:
    """(seconds, peak traced bytes) of ``action()``."""
    tracemalloc.start()
    started = time.perf_counter()
    action()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak


def import_run(export: Path, title: str) -> tuple[float, int]:
    from kratom_pages.importers.run import ImportOptions, import_export

    options = ImportOptions(parent=new_index(title))
    return measured(lambda: import_export(export, options))


def direct_run(export: Path) -> tuple[float, int]:
    """The same pages built by hand: fields prepared beforehand, then only the writes."""
    from wagtail.contrib.redirects.models import Redirect

    from kratom_pages.importers import comments, pages, wxr
    from kratom_pages.importers.media import MediaLibrary
    from kratom_pages.importers.report import ItemReport
    from kratom_pages.models import ReaderReply, hash_client_ip

    summary = wxr.scan(export)
    media = MediaLibrary(summary, dry_run=True)
    prepared = [
        (pages.build(item, summary, media, ItemReport(0, "", "", "")), item)
        for item in wxr.items(export)
    ]
    parent = new_index("Direct")

    def create_all():
        for built, item in prepared:
            page = built.model(slug=f"post-{item.post_id}", live=False, **built.fields)
            parent.add_child(instance=page)
            page.save_revision(log_action=True)
            todo, _counts = comments.plan(item.comments, {})
            top = None
            for comment, status, ancestor in todo:
                reply = ReaderReply.objects.create(
                    page=page,
                    parent=top if ancestor != comment.id else None,
                    display_name=comment.author,
                    email=comment.email,
                    body=comment.content,
                    status=status,
                    ip_hash=hash_client_ip(comment.ip),
                )
                top = top or reply
            Redirect.objects.create(
                old_path=Redirect.normalise_path(f"/{item.post_id}/post-{item.post_id}/"),
                redirect_page=page,
            )

    return measured(create_all)


def main() -> None:
    posts = int(os.environ.get("BENCH_POSTS", 2000))
    small = int(os.environ.get("BENCH_SMALL", 500))
    with tempfile.TemporaryDirectory(prefix="kp-import-bench-") as workdir:
        work = Path(workdir)
        setup_django(work)
        large_export, small_export = work / "large.xml", work / "small.xml"
        write_export(large_export, posts, "https://large.example.com")
        write_export(small_export, small, "https://small.example.com")
        size = large_export.stat().st_size / 1e6
        print(f"Generated {posts} posts ({size:.1f} MB) and {small} posts.")
        small_time, small_peak = import_run(small_export, "Small import")
        large_time, large_peak = import_run(large_export, "Large import")
        direct_time, direct_peak = direct_run(large_export)
    mb = 1024 * 1024
    rows = [
        (f"import_wordpress, {small} posts", small, small_time, small_peak),
        (f"import_wordpress, {posts} posts", posts, large_time, large_peak),
        (f"direct Wagtail API, {posts} posts", posts, direct_time, direct_peak),
    ]
    print(f"\n{'run':<36}{'posts/s':>10}{'seconds':>10}{'peak MB':>10}")
    for label, count, seconds, peak in rows:
        print(f"{label:<36}{count / seconds:>10.1f}{seconds:>10.1f}{peak / mb:>10.1f}")
    print(f"\nimport time / direct time ({posts} posts): {large_time / direct_time:.2f}")
    print(
        f"import peak memory, {posts} vs {small} posts: {large_peak / small_peak:.2f}x "
        f"for {posts / small:.0f}x the posts"
    )


if __name__ == "__main__":
    main()
