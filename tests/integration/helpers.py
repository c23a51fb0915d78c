import socket
import time

import pytest


def closed_port_url(scheme: str = "redis") -> str:
    """A URL on a local port nobody listens on: bound once to find it free, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"{scheme}://127.0.0.1:{port}/0"


def wait_until(condition, *, timeout: float, explain) -> None:
    """Poll `condition` until it is true; fail with `explain()` (e.g. the worker's log) if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"still not true after {timeout}s\n{explain()}")
