"""The demo frontend's generated types must match the API schema (`make types` fixes drift)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "example_site" / "frontend"


def _run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def test_committed_openapi_schema_matches_the_api():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings.dev",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = _run([sys.executable, "example_site/manage.py", "dump_openapi"], cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    committed = (FRONTEND / "openapi.json").read_text()
    assert result.stdout == committed, "The API schema changed: run `make types` and commit."


def test_committed_types_match_the_committed_schema(tmp_path):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: cannot regenerate the TypeScript types here")
    if not (FRONTEND / "node_modules" / "openapi-typescript").exists():
        installed = _run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND)
        assert installed.returncode == 0, installed.stderr
    out = tmp_path / "api-types.d.ts"
    result = _run(
        ["npx", "--no-install", "openapi-typescript", "openapi.json", "-o", str(out)], cwd=FRONTEND
    )
    assert result.returncode == 0, result.stderr
    committed = (FRONTEND / "api-types.d.ts").read_text()
    assert out.read_text() == committed, "Types drifted from openapi.json: run `make types`."


def test_frontend_uses_only_schemas_that_exist():
    types = (FRONTEND / "api-types.d.ts").read_text()
    used = set(re.findall(r'Schemas\["(\w+)"\]', (FRONTEND / "api.js").read_text()))
    assert used, "api.js should type its data with the generated schemas"
    for name in used:
        assert re.search(rf"\n\s+{name}: ", types), f"{name} is not in api-types.d.ts"
