"""The local HTTP server the fakes of outside APIs (Razorpay, Stripe) answer on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Serve = Callable[[BaseHTTPRequestHandler, str], None]


def start_local_server(serve: Serve) -> tuple[ThreadingHTTPServer, str]:
    """A threaded server on 127.0.0.1 (a free port) handing every GET and POST to
    ``serve(handler, method)``; returns it (``shutdown`` + ``server_close`` stop it) and its
    base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            serve(self, "GET")

        def do_POST(self) -> None:  # noqa: N802
            serve(self, "POST")

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
