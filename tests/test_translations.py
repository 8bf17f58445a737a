"""The French catalogue is complete and compiled, and the admin shows it: every string the
plugin marks for translation (Python and templates, as ``makemessages`` finds them today) has
a French translation that is neither empty nor fuzzy, and ``django.mo`` holds the same."""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

import kratom_pages
from tests.factories import ReaderReplyFactory

PACKAGE = Path(kratom_pages.__file__).parent
CATALOGUE = PACKAGE / "locale" / "fr" / "LC_MESSAGES"
LANGUAGES = ["fr"]

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def read_po(path: Path) -> dict[tuple, dict]:
    """``{(msgctxt, msgid, msgid_plural): {"msgstr": [...], "fuzzy": bool}}``; the header
    (empty msgid) is left out. Enough of the PO format for what ``makemessages`` writes."""
    entries = {}
    for chunk in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        fuzzy, current = False, None
        for line in chunk.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif match := _KEYWORD.match(line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            elif line.startswith("#~"):  # obsolete entries are not messages
                break
        if fields.get("msgid"):
            key = (fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))
            msgstr = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[key] = {"msgstr": msgstr, "fuzzy": fuzzy}
    return entries


@pytest.fixture(scope="module")
def current_messages(tmp_path_factory) -> set[tuple]:
    """What ``makemessages`` extracts from the sources now, in a copy of the package so the
    committed catalogue is not touched."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("extract") / "kratom_pages"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "migrations", "static", "__pycache__"),
    )
    (copy / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command("makemessages", locale=["fr"], verbosity=0)
    messages = set(read_po(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert len(messages) > 400, "makemessages found too few messages; is xgettext working?"
    return messages


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plugin_message_has_a_translation_that_is_not_fuzzy(current_messages, language):
    catalogue = read_po(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po")
    untranslated = sorted(
        key[1]
        for key in current_messages
        if key not in catalogue or catalogue[key]["fuzzy"] or not all(catalogue[key]["msgstr"])
    )
    assert not untranslated, (
        f"{len(untranslated)} message(s) lack a {language} translation; run makemessages "
        f"-l {language} in kratom_pages/, translate, then compilemessages: {untranslated}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    folder = PACKAGE / "locale" / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    stale = []
    for (context, msgid, plural), entry in read_po(folder / "django.po").items():
        key = f"{context}\x04{msgid}" if context else msgid
        if plural:
            found = [compiled.get((key, n)) for n in range(len(entry["msgstr"]))]
        else:
            found = [compiled.get(key)]
        if found != entry["msgstr"]:
            stale.append(msgid)
    assert not stale, f"django.mo is older than django.po; run compilemessages: {stale}"


@pytest.fixture
def french_admin_client(client, superuser):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(superuser)
    return client


@pytest.mark.django_db
def test_reply_queue_speaks_french_to_a_french_admin(french_admin_client, article):
    ReaderReplyFactory(page=article, body="Merci pour cet article")
    html = french_admin_client.get("/admin/kratom_pages/readerreply/").content.decode()
    for french in ("Réponses des lecteurs", "Marquer comme indésirable", "Refuser"):
        assert french in html
    assert "Reader replies" not in html and "Mark as spam" not in html
    assert 'lang="fr"' in html  # Wagtail's own chrome is French too


@pytest.mark.django_db
def test_overdue_review_report_speaks_french_to_a_french_admin(french_admin_client, article):
    html = french_admin_client.get(reverse("kratom_pages_overdue_reviews")).content.decode()
    assert "Relectures médicales en retard" in html
    assert "Overdue medical reviews" not in html


# The names makemessages (xgettext) extracts from Python: a translation function imported
# under another name (``gettext_lazy as _lazy``) marks strings nobody ever translates.
EXTRACTED_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    name = alias.asname or alias.name
                    if alias.name in EXTRACTED_NAMES and name not in EXTRACTED_NAMES:
                        wrong.append(f"{path.relative_to(PACKAGE)}: {alias.name} as {name}")
    assert not wrong, wrong
