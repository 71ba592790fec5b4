"""A real workbench server on a free loopback port, in a thread, for the browser tests and the benchmark."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(agreements: Sequence[str] = (), *, max_upload: int = 20 * 1024 * 1024) -> Iterator[str]:
    """Start ``coop serve``'s application with uvicorn; yields its base URL, stops it after."""
    import uvicorn

    from coopengine.web.app import create_app
    from coopengine.web.library import open_workspace

    app = create_app(open_workspace(list(agreements)), max_upload=max_upload)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the workbench did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
