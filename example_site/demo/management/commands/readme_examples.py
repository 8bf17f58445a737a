"""The README's API examples, from the demo: print them, or check that the README agrees.

    python example_site/manage.py readme_examples            # print each documented response
    python example_site/manage.py readme_examples --check    # fail if the README drifted

The README quotes trimmed responses after lines such as "`GET /api/v2/pages/6/`, the
article:". ``--check`` requests each documented path from the demo (a fresh
``load_demo_content``) and fails when the page there is not the one named, or when the
README shows a key the real response does not have; reply examples must name the article.
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

README = Path(__file__).resolve().parents[4] / "README.md"
EXAMPLE = re.compile(
    r"^`GET (/api/v2/pages/(\d+)/)`, the ([\w ]+):\n\n```json\n(.*?)\n```", re.M | re.S
)
PAGE_TYPES = {
    "article": "kratom_pages.ArticlePage",
    "guideline list": "kratom_pages.GuidelineListPage",
    "FAQ page": "kratom_pages.FAQPage",
}
REPLY_PAGE = re.compile(r'(?:"page": |replies/\?page=)(\d+)')


def missing_keys(shown, real, path="") -> list[str]:
    """Keys the README shows that the real response lacks ("..." stands for more)."""
    if isinstance(shown, dict) and isinstance(real, dict):
        problems = []
        for key, value in shown.items():
            if key == "...":
                continue
            if key not in real:
                problems.append(f"{path}.{key}")
            else:
                problems += missing_keys(value, real[key], f"{path}.{key}")
        return problems
    if isinstance(shown, list) and isinstance(real, list) and real:
        problems = []
        for index, item in enumerate(shown):
            if item == "...":
                continue
            # A stream block (or JSON-LD node) is matched with the first real one of its type.
            field = next(
                (f for f in ("type", "@type") if isinstance(item, dict) and f in item), None
            )
            match = real[0]
            if field:
                same = [r for r in real if isinstance(r, dict) and r.get(field) == item[field]]
                if not same:
                    problems.append(f"{path}[{index}] (a {item[field]})")
                    continue
                match = same[0]
            problems += missing_keys(item, match, f"{path}[{index}]")
        return problems
    return []


class Command(BaseCommand):
    help = "Print the demo's responses the README quotes, or check the README against them."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the README drifted")

    def handle(self, *args, check=False, **options):
        client = Client(HTTP_HOST="127.0.0.1")
        text = README.read_text()
        problems, article_id = [], None
        examples = EXAMPLE.findall(text)
        if not examples:
            raise CommandError("No API examples found in the README.")
        for path, page_id, described, shown in examples:
            response = client.get(path)
            if response.status_code != 200:
                problems.append(f"{path}: the demo answers {response.status_code}")
                continue
            real = response.json()
            expected_type = PAGE_TYPES.get(described)
            if real["meta"]["type"] != expected_type:
                problems.append(f"{path} is a {real['meta']['type']}, not the {described}")
            if described == "article":
                article_id = int(page_id)
            try:
                shown_data = json.loads(shown)
            except json.JSONDecodeError as exc:
                problems.append(f"{path}: the README's JSON does not parse ({exc})")
                continue
            problems += [
                f"{path}: no {key[1:]} in the response" for key in missing_keys(shown_data, real)
            ]
            if not check:
                self.stdout.write(f"{path} ({described})\n{json.dumps(real, indent=2)}\n")
        replies_section = text.split("## Reader replies", 1)[-1].split("\n## ", 1)[0]
        for page_id in set(REPLY_PAGE.findall(replies_section)):
            if article_id is not None and int(page_id) != article_id:
                problems.append(
                    f"the reply examples name page {page_id}, not the article {article_id}"
                )
        if problems:
            raise CommandError(
                "The README's examples drifted from the demo:\n- " + "\n- ".join(problems)
            )
        if check:
            self.stdout.write(f"README examples agree with the demo ({len(examples)} responses).")
