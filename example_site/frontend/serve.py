"""Serves the demo frontend: static ES modules, with every other path falling back to
index.html so the app can route by URL. No Django here: the app talks to the API over
HTTP only. ``python example_site/frontend/serve.py`` (FRONTEND_PORT, API_URL)."""

import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATIC = {"/app.js", "/render.js", "/api.js", "/style.css", "/favicon.svg"}


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
        if path not in STATIC:
            self.path = "/index.html"
        super().do_GET()

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
