"""The README's API examples cannot drift from the demo: a fresh demo database (as `make
demo` builds it) answers each documented request with the page the README names and every
key it shows."""

from tests.demo.subprocesses import run_manage


def test_readme_examples_agree_with_a_fresh_demo(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "example_site.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for step in (["migrate", "--noinput", "-v", "0"], ["load_demo_content", "-v", "0"]):
        result = run_manage(*step, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    result = run_manage("readme_examples", "--check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "agree with the demo" in result.stdout


def test_the_check_notices_drift():
    from example_site.demo.management.commands.readme_examples import missing_keys

    real = {"body": [{"type": "faq", "value": {"items": [{"question": "q"}]}}]}
    assert (
        missing_keys({"body": [{"type": "faq", "value": {"items": [{"question": 1}]}}]}, real) == []
    )
    assert missing_keys({"body": [{"type": "faq", "value": {"heading": "x"}}]}, real) == [
        ".body[0].value.heading"
    ]
    assert missing_keys({"body": [{"type": "image", "value": {}}]}, real) == [".body[0] (a image)"]
