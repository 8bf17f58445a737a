"""One production-like site for the whole fault suite (``make faults``): PostgreSQL, our
own Redis behind a relay, Varnish, two gunicorn servers and a db_worker.

Needs PostgreSQL (KP_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test),
``redis-server`` and ``varnishd`` (installed here when missing and root); skipped, saying
why, where one cannot be had. CI always has them.
"""

import os
import shutil
import subprocess
import uuid

import pytest

from tests.faults.harness import Proxy, PurgeRecorder, RedisServer, Site, Varnish, free_port
from tests.webhook_receiver import Receiver

POSTGRES_URL = os.environ.get("KP_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def _missing() -> str | None:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}"
    if not shutil.which("redis-server"):
        return "redis-server is not installed"
    if not (shutil.which("varnishd") or os.path.exists("/usr/sbin/varnishd")):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            subprocess.run(
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                "varnish",
                shell=True,
                capture_output=True,
                timeout=600,
            )
        if not (shutil.which("varnishd") or os.path.exists("/usr/sbin/varnishd")):
            return "varnishd is not installed and cannot be installed here (needs root + apt)"
    return None


class Faults:
    """What each test breaks and reads: the site, its Redis (through the relay), the CDN,
    the webhook receiver and the purge API."""

    def __init__(self, workdir):
        import psycopg

        self.database = f"kp_faults_{uuid.uuid4().hex[:8]}"
        self.admin = psycopg.connect(POSTGRES_URL, autocommit=True)
        self.admin.execute(f'CREATE DATABASE "{self.database}"')
        self.database_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + self.database
        self.redis = RedisServer(workdir)
        self.proxy = Proxy(self.redis.port)
        self.receiver = Receiver()
        self.purges = PurgeRecorder()
        varnish_port = free_port()
        self.site = Site(
            self.database_url,
            f"redis://127.0.0.1:{self.proxy.port}/0",
            {
                "FRONTEND_CACHE_URL": f"http://127.0.0.1:{varnish_port}",
                "FAULTS_PURGE_URL": self.purges.url,
                "FAULTS_WEBHOOK_URL": self.receiver.url,
            },
        )
        self.varnish = Varnish(varnish_port, int(self.site.urls[0].rsplit(":", 1)[1]))

    def close(self) -> None:
        self.site.stop()
        self.varnish.stop()
        self.proxy.close()
        self.redis.stop()
        self.receiver.server.shutdown()
        self.purges.server.shutdown()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self.admin.close()


@pytest.fixture(scope="session")
def faults(tmp_path_factory):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    env = Faults(tmp_path_factory.mktemp("faults"))
    try:
        yield env
    finally:
        env.close()
