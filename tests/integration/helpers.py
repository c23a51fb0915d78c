import socket
import threading
import time

import pytest
from django.db import connection


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


def race(work, *, threads: int, timeout: float = 60) -> list:
    """Run `work(n)` for n in range(threads), in threads released together; return what each
    returned or raised. Each thread closes its own connection, so the test database can be
    dropped."""
    barrier = threading.Barrier(threads)
    outcomes = []
    lock = threading.Lock()

    def run(n):
        try:
            barrier.wait(timeout=timeout)
            outcome = work(n)
        except Exception as error:  # noqa: BLE001 - the test looks at what each thread got
            outcome = error
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=timeout)
    assert len(outcomes) == threads, "a thread did not finish"
    return outcomes
