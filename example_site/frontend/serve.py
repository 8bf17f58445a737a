"""Serves the demo frontend: static ES modules, with every other path falling back to
index.html so the app can route by URL. No Django here: the app talks to the API over
HTTP only. ``python example_site/frontend/serve.py`` (FRONTEND_PORT, API_URL)."""

import os
import re
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import syndication  # noqa: E402 - beside this file, not a package

STATIC = {"/app.js", "/render.js", "/api.js", "/style.css", "/favicon.svg"}
SITEMAP_FILE = re.compile(r"^/sitemap-([1-9][0-9]{0,5})\.xml$")


class FrontendHandler(SimpleHTTPRequestHandler):
    api_url = "http://127.0.0.1:8000"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/config.js":
            body = f"export const API_URL = {self.api_url!r};\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path in ("/sitemap.xml", "/feed.xml") or SITEMAP_FILE.match(path):
            self.serve_syndication(path)
            return
        if path not in STATIC:
            self.path = "/index.html"
        super().do_GET()

    def serve_syndication(self, path: str) -> None:
        """/sitemap.xml, /sitemap-N.xml and /feed.xml, built from the API's JSON on the
        server: crawlers and feed readers run no JavaScript."""
        origin = f"http://{self.headers.get('Host', '127.0.0.1')}"
        try:
            if path == "/feed.xml":
                content_type = "application/atom+xml"
                body = syndication.feed(self.api_url, origin)
            else:
                number = SITEMAP_FILE.match(path)
                number = int(number.group(1)) if number else None
                content_type = "application/xml"
                body = syndication.sitemap(self.api_url, origin, number)
            status = 200
        except OSError as exc:  # the API is down or said 404 (urllib's errors are OSErrors)
            status, content_type = getattr(exc, "code", 502), "text/plain"
            body = f"The API did not answer: {exc}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    port = int(os.environ.get("FRONTEND_PORT", "3000"))
    FrontendHandler.api_url = os.environ.get("API_URL", "http://127.0.0.1:8000").rstrip("/")
    handler = partial(FrontendHandler, directory=str(HERE))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"Frontend: http://127.0.0.1:{port}/ (API {FrontendHandler.api_url})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
