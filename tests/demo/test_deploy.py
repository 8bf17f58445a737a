"""The example site's production settings pass Django's deployment checks."""

from tests.conftest import redis_unreachable
from tests.demo.subprocesses import run_manage

REDIS_URL = "redis://127.0.0.1:6379/0"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "example_site.settings.production",
    "SECRET_KEY": "k" * 20 + "-Zq9!x7#Lm2$Rt5%Wv8^Np3&Hs6*Jd4(Fg1)",
    "ALLOWED_HOSTS": "health.example.com",
}


def _check_deploy(extra_env: dict):
    return run_manage("check", "--deploy", "--fail-level", "WARNING", env=extra_env, timeout=120)


def test_production_settings_pass_check_deploy_with_documented_variables(tmp_path):
    database = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    env = {**PRODUCTION, "DATABASE_URL": database, "REDIS_URL": REDIS_URL}
    result = _check_deploy(env)
    if redis_unreachable(REDIS_URL):
        # The one thing a machine without Redis is told: it does not answer (yet).
        assert result.returncode != 0
        assert "kratom_pages.W003" in result.stderr
        assert result.stderr.count("kratom_pages.") == 1, result.stderr
        return
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _check_deploy({"DJANGO_SETTINGS_MODULE": "example_site.settings.production"})
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_without_redis_still_shares_its_cache(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}"}
    # Before `createcachetable`, every use of the database cache would fail: said before
    # any traffic, not as errors under it.
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "kratom_pages.E049" in result.stderr and "createcachetable" in result.stderr
    assert run_manage("createcachetable", env=env).returncode == 0
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kratom_pages.W001" not in result.stdout + result.stderr


def test_check_warns_when_the_api_cache_is_per_process(tmp_path):
    result = _check_deploy(
        {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "KRATOM_TEST_PER_PROCESS_CACHE": "1",
        }
    )
    assert result.returncode != 0
    assert "kratom_pages.W001" in result.stdout + result.stderr
