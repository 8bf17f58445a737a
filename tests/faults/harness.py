"""Real servers for the fault suite, started and broken by the tests themselves.

- ``RedisServer``: a ``redis-server`` of our own, persisting to an RDB file on ``save()``,
  that can be killed (SIGKILL: nothing more is written), hung (SIGSTOP), resumed,
  restarted from its file, or made a replica.
- ``Proxy``: the address the site connects to for Redis; ``switch()`` points it at
  another server and drops every open connection, as a failover does.
- ``Site``: the example site's production settings (``tests.faults.settings``) under two
  gunicorn servers of two workers each, a ``db_worker``, on a PostgreSQL database of its
  own; ``kill_worker()`` sends SIGKILL.
- ``Varnish``: varnishd in front of one server, whose VCL can be switched to refuse purges.
- ``PurgeRecorder``: a CDN purge API that records each PURGE, or holds it (``hang``).
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, method: str = "GET", data: dict | None = None, timeout: float = 30):
    """(status, body bytes, seconds taken); a connection error raises."""
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.monotonic() - started


def wait_for(condition, seconds: float = 30, what: str = "condition", interval: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


class RedisServer:
    """A redis-server of the test's own; ``tls`` serves TLS only, with a self-signed
    certificate (as managed Redis does), at ``url``."""

    def __init__(self, workdir: Path, *, replica_of: int | None = None, tls: bool = False):
        self.port = free_port()
        self.dir = workdir / f"redis-{self.port}"
        self.dir.mkdir(parents=True)
        self.replica_of = replica_of
        self.tls = tls
        self.process: subprocess.Popen | None = None
        if tls:
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                 "-subj", "/CN=127.0.0.1", "-keyout", str(self.dir / "key.pem"),
                 "-out", str(self.dir / "cert.pem")],
                check=True, capture_output=True,
            )  # fmt: skip
        self.start()

    @property
    def url(self) -> str:
        if self.tls:
            return f"rediss://127.0.0.1:{self.port}/0?ssl_cert_reqs=none"
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["redis-server", "--bind", "127.0.0.1"]
        if self.tls:
            args += ["--port", "0", "--tls-port", str(self.port), "--tls-auth-clients", "no"]
            args += ["--tls-cert-file", str(self.dir / "cert.pem")]
            args += ["--tls-key-file", str(self.dir / "key.pem")]
        else:
            args += ["--port", str(self.port)]
        args += ["--dir", str(self.dir), "--dbfilename", "dump.rdb", "--save", ""]
        args += ["--appendonly", "no", "--protected-mode", "no"]
        if self.replica_of:
            args += ["--replicaof", "127.0.0.1", str(self.replica_of)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, 20, f"redis on {self.port}")

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # noqa: BLE001
            return False

    def save(self) -> None:
        """A snapshot: what a restart comes back with."""
        self.client().save()

    def kill(self) -> None:
        """SIGKILL: whatever was written since the last snapshot is lost."""
        self.process.kill()
        self.process.wait(timeout=10)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)  # connections open, nothing answers

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)


class Proxy:
    """A TCP relay on 127.0.0.1; ``switch(port)`` sends new connections to another server
    and closes the open ones (clients reconnect, and reach the new server). ``delay``
    holds what the server sends for that many seconds (in order), as a slow or lossy
    network path to one host would."""

    def __init__(self, target: int, delay: float = 0.0):
        self.target = target
        self.delay = delay
        self.port = free_port()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=2)
                upstream.settimeout(None)
            except OSError:
                client.close()  # the server is down: the client sees the connection fail
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b, delay in ((client, upstream, 0.0), (upstream, client, self.delay)):
                threading.Thread(target=self._pipe, args=(a, b, delay), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, delay: float = 0.0) -> None:
        try:
            while data := source.recv(65536):
                if delay:
                    time.sleep(delay)
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def switch(self, target: int) -> None:
        self.target = target
        with self._lock:
            conns, self._conns = self._conns, []
        for sock in conns:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass

    def close(self) -> None:
        self._server.close()
        self.switch(self.target)


class PurgeRecorder:
    """A CDN's purge API: records each PURGE path; holds requests while ``hang`` is set."""

    def __init__(self):
        self.purged: list[str] = []
        self.hang = threading.Event()
        self.held = threading.Event()
        self.release = threading.Event()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                if recorder.hang.is_set():
                    recorder.held.set()
                    recorder.release.wait(60)
                    return  # closed without an answer
                recorder.purged.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


VCL = """
vcl 4.1;
backend django {{ .host = "127.0.0.1"; .port = "{port}"; }}
sub vcl_recv {{
    if (req.method == "PURGE") {{
        {purge}
    }}
}}
sub vcl_backend_response {{ set beresp.http.x-url = bereq.url; set beresp.ttl = 1h; }}
sub vcl_deliver {{
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {{ set resp.http.X-Cache = "HIT"; }}
    unset resp.http.x-url;
}}
"""
PURGE_OK = (
    'ban("obj.http.x-url ~ ^" + regsub(req.url, "\\\\?.*$", "")); return (synth(200, "Purged"));'
)
PURGE_REFUSED = 'return (synth(503, "Purge API unavailable"));'


class Varnish:
    def __init__(self, port: int, backend_port: int):
        binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
        self.dir = Path(tempfile.mkdtemp(prefix="kp-faults-varnish-"))
        os.chmod(self.dir, 0o755)
        self.backend_port = backend_port
        self.port, self.admin = port, free_port()
        secret = self.dir / "secret"
        secret.write_text(uuid.uuid4().hex)
        self.secret = secret
        vcl = self._write_vcl("ok", PURGE_OK)
        self.process = subprocess.Popen(
            [binary, "-F", "-a", f"127.0.0.1:{self.port}", "-T", f"127.0.0.1:{self.admin}"]
            + ["-S", str(secret), "-f", str(vcl), "-n", str(self.dir), "-s", "malloc,32m"]
            + ["-p", "default_grace=0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self._serving, 60, "varnish")

    def _serving(self) -> bool:
        try:
            request(self.url + "/api/v2/pages/", timeout=5)
            return True
        except OSError:
            return False

    def _write_vcl(self, name: str, purge: str) -> Path:
        path = self.dir / f"{name}.vcl"
        path.write_text(VCL.format(port=self.backend_port, purge=purge))
        os.chmod(path, 0o644)
        return path

    def _admin(self, *args: str) -> None:
        subprocess.run(
            ["varnishadm", "-T", f"127.0.0.1:{self.admin}", "-S", str(self.secret), *args],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def refuse_purges(self, refuse: bool) -> None:
        """Switch the VCL: the CDN keeps serving (and caching) while its purge API fails."""
        name = f"v{uuid.uuid4().hex[:8]}"
        path = self._write_vcl(name, PURGE_REFUSED if refuse else PURGE_OK)
        self._admin("vcl.load", name, str(path))
        self._admin("vcl.use", name)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


class Site:
    """The example site in production settings: two gunicorn servers (two workers each)
    and a db_worker, sharing one PostgreSQL database and one Redis (through ``redis_url``)."""

    def __init__(self, database_url: str, redis_url: str, extra_env: dict):
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS"))},
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "SECRET_KEY": "faults-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            **extra_env,
        }
        self.servers: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.worker: subprocess.Popen | None = None
        self.manage("migrate", "--noinput", "-v", "0")
        for _ in range(2):
            port = free_port()
            self.servers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "example_site.wsgi:application"]
                    + ["-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60"],
                    env=self.env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            self.urls.append(f"http://127.0.0.1:{port}")
        for url in self.urls:
            wait_for(lambda url=url: self._serving(url), 120, f"gunicorn at {url}")
        self.start_worker()

    @staticmethod
    def _serving(url: str) -> bool:
        try:
            return request(url + "/api/v2/pages/", timeout=5)[0] == 200
        except OSError:
            return False

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "django", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def start_worker(self) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--interval", "0.2"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill_worker(self) -> None:
        self.worker.kill()  # SIGKILL: no chance to tidy up
        self.worker.wait(timeout=10)

    def call(self, path: str, data: dict | None = None, server: int = 0):
        status, body, _ = request(self.urls[server] + path, "POST", data or {})
        assert status == 200, body
        return json.loads(body)

    def stop(self) -> None:
        for process in [*self.servers, self.worker]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.servers, self.worker]:
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
