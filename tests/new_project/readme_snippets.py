"""The README's install steps as data: every fenced code block of "Install into your
project" whose first line names a file (``# mysite/urls.py: before Wagtail's catch-all``)
is a change to apply to a ``wagtail start`` project, exactly as written."""

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Install into your project"
_BLOCK = re.compile(r"^( *)```(\w+)\n(.*?)^\1```", re.M | re.S)
_TARGET = re.compile(r"^# (mysite/[\w/.]+): (.+)$")


@dataclass
class Snippet:
    path: str  # relative to the project's root, e.g. "mysite/urls.py"
    how: str  # "append", "new file", "before Wagtail's catch-all"
    code: str


def install_snippets(readme: Path = README) -> list[Snippet]:
    text = readme.read_text()
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    snippets = []
    for indent, _language, body in _BLOCK.findall(section):
        lines = [line.removeprefix(indent) for line in body.splitlines()]
        match = _TARGET.match(lines[0]) if lines else None
        if match:
            snippets.append(Snippet(match[1], match[2].strip(), "\n".join(lines[1:]) + "\n"))
    return snippets


def apply(snippet: Snippet, project: Path) -> None:
    """Change the project's file as the README says."""
    target = project / snippet.path
    if snippet.how == "new file":
        assert not target.exists(), f"{snippet.path} exists already"
        target.write_text(snippet.code)
    elif snippet.how == "append":
        target.write_text(target.read_text() + "\n\n" + snippet.code)
    elif snippet.how == "before Wagtail's catch-all":
        text = target.read_text()
        marker = "urlpatterns = urlpatterns + ["
        assert text.count(marker) == 1, f"{snippet.path} has no single catch-all to go before"
        target.write_text(text.replace(marker, snippet.code + "\n" + marker))
    else:
        raise AssertionError(f"The README says to {snippet.how!r} {snippet.path}: unknown step")
