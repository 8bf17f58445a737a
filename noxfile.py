"""The version matrix: the test suite on every supported Python and Django, with Wagtail 8.

Run it with `make matrix`, or `.venv/bin/nox` for all sessions, `.venv/bin/nox -l` to list
them, `.venv/bin/nox -s "tests-3.12(django='6.0')"` for one, and pytest arguments after
`--` (they replace the defaults below). Interpreters are looked up on PATH and in pyenv;
a missing one is reported and its sessions are skipped, so the run still passes on what is
there. Virtualenvs live in `.venv/nox/` (removed by `make clean`) and are reused; the
package is reinstalled into one only when `pyproject.toml` has changed.

What each pair runs, to keep CI on a 2-core machine under 45 minutes (CONTRIBUTING,
"The version matrix"):
- Python 3.11 with Django 5.2 is `make test` itself: skipped here.
- The newest pair (Python 3.13, Django 6.1) runs the whole default suite, on two
  processes (pytest-xdist), on PostgreSQL when KP_MATRIX_NEWEST_DATABASE_URL names a
  server (`.ci/run`: CI's one run of the suite on PostgreSQL).
- Python 3.12 with Django 5.2 or 6.1 is skipped (COVERED_ELSEWHERE) unless
  KP_MATRIX_ALL=1.
- Every other pair runs the tests that touch what changes between Django and Python
  releases (models and migrations, both APIs, the admin, templates, forms, checks,
  signals and transactions), listed in COMPATIBILITY.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
from pathlib import Path

import nox

PYTHONS = ["3.11", "3.12", "3.13"]
DJANGOS = ["5.2", "6.0", "6.1"]
# The oldest Python each Django release supports; pairs below it cannot be installed.
DJANGO_MIN_PYTHON = {"5.2": (3, 10), "6.0": (3, 12), "6.1": (3, 12)}
PRIMARY = ("3.11", "5.2")  # `make test`
NEWEST = ("3.13", "6.1")  # the whole suite again
# Pairs whose Python and Django each run elsewhere already: Django 5.2 on 3.11 (`make
# test`) and 3.13; Python 3.12 with Django 6.0 here and 6.1 in `make newproject`. Skipped
# to keep CI under 45 minutes; KP_MATRIX_ALL=1 (or pytest arguments) runs them too.
COVERED_ELSEWHERE = {("3.12", "5.2"), ("3.12", "6.1")}
# The tests every other pair runs: where Django, Wagtail and Python meet our code.
COMPATIBILITY = [
    "tests/test_project.py",
    "tests/test_wiring.py",
    "tests/test_pages.py",
    "tests/test_blocks.py",
    "tests/test_api.py",
    "tests/test_openapi.py",
    "tests/test_admin.py",
    "tests/test_medical_review.py",
    "tests/test_moderation.py",
    "tests/test_replies.py",
    "tests/test_templates.py",
    "tests/test_outbox.py",
    "tests/test_faults.py",
    "tests/test_import_wordpress.py",
    "tests/test_translations.py",
    # Django's sitemap views and syndication framework, Wagtail's sitemap.
    "tests/test_sitemaps.py",
    "tests/test_feeds.py",
]

ROOT = Path(__file__).parent
nox.options.envdir = str(ROOT / ".venv" / "nox")
nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
# nox turns a missing interpreter into an error whenever CI is set; here it is a skip
# (with nox's own "Python interpreter X not found" line) so one machine without, say,
# 3.13 still checks the others.
nox.options.error_on_missing_interpreters = False


def _put_pyenv_interpreters_on_path() -> None:
    """Prepend the newest pyenv build of each wanted minor version to PATH, so nox finds
    `python3.12` even where pyenv's shims would refuse it (a version not selected)."""
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found, missing = [], []
    for version in PYTHONS:
        if shutil.which(f"python{version}") and not _is_pyenv_shim(version):
            found.append(f"{version} (PATH)")
            continue
        builds = glob.glob(os.path.join(pyenv_root, "versions", f"{version}.*", "bin"))
        builds = [b for b in builds if os.access(os.path.join(b, f"python{version}"), os.X_OK)]
        if builds:
            newest = max(builds, key=_version_key)
            os.environ["PATH"] = newest + os.pathsep + os.environ.get("PATH", "")
            found.append(f"{version} ({newest})")
        else:
            missing.append(version)
    print(f"matrix interpreters found: {', '.join(found) or 'none'}")
    if missing:
        print(
            f"matrix interpreters MISSING: {', '.join(missing)} (not on PATH nor under "
            f"{pyenv_root}/versions); their sessions will be skipped"
        )


def _is_pyenv_shim(version: str) -> bool:
    path = shutil.which(f"python{version}") or ""
    return os.sep + "shims" + os.sep in path


def _version_key(bin_dir: str) -> tuple[int, ...]:
    name = Path(bin_dir).parent.name  # e.g. "3.12.1"
    return tuple(int(part) if part.isdigit() else -1 for part in name.split("."))


_put_pyenv_interpreters_on_path()


def _install_once(session: nox.Session, *requirements: str) -> None:
    """Install into a reused venv only when pyproject.toml or the requirements changed."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(" ".join(requirements).encode())
    stamp = Path(session.virtualenv.location) / ".kratom-installed"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        session.log("package already installed for this pyproject.toml; not reinstalling")
        return
    session.install(*requirements)
    stamp.write_text(digest.hexdigest())


def _database_url(pair: tuple[str, str]) -> str | None:
    return os.environ.get("KP_MATRIX_NEWEST_DATABASE_URL") if pair == NEWEST else None


@nox.session(python=PYTHONS)
@nox.parametrize("django", DJANGOS)
def tests(session: nox.Session, django: str) -> None:
    """The default suite on one Python and one Django release."""
    python = tuple(int(part) for part in str(session.python).split("."))
    if python < DJANGO_MIN_PYTHON[django]:
        minimum = ".".join(map(str, DJANGO_MIN_PYTHON[django]))
        session.skip(f"Django {django} requires Python >= {minimum}: impossible pair")
    pair = (str(session.python), django)
    if pair == PRIMARY and not session.posargs:
        session.skip("Python 3.11 with Django 5.2 is `make test`, run before the matrix")
    if pair in COVERED_ELSEWHERE and not (session.posargs or os.environ.get("KP_MATRIX_ALL")):
        session.skip("its Python and its Django each run in other pairs (KP_MATRIX_ALL=1 runs it)")
    # One resolve with the pin, so Django is not installed twice.
    _install_once(session, "-e", ".[testing]", f"Django~={django}.0")
    session.run(
        "python",
        "-c",
        "import sys, django, wagtail; print('Python', sys.version.split()[0], '| Django',"
        " django.get_version(), '| Wagtail', wagtail.__version__)",
    )
    if session.posargs:
        args = list(session.posargs)
    elif pair == NEWEST:
        args = ["-x", "-q", "-n", "2"]
    else:
        args = ["-x", "-q", "-n", "2", *COMPATIBILITY]
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        *args,
        # The default suite: SQLite in memory and the local-memory cache, whatever the
        # calling shell has set (`.ci/run` runs Redis separately); the newest pair on
        # PostgreSQL when KP_MATRIX_NEWEST_DATABASE_URL names one (`.ci/run` does).
        env={"DATABASE_URL": _database_url(pair), "TEST_REDIS_URL": None},
    )
