"""A Learning Record Store on loopback for the xAPI tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLrs:
    """A Learning Record Store on loopback that keeps what it is sent, and can be told to be
    down or to refuse statements of one verb."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.requests: list[dict] = []
        self.down = False
        self.refuse_verb: str | None = None
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the name http.server calls)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                lrs.requests.append({"path": self.path, "headers": dict(self.headers)})
                if lrs.down:
                    return self._answer(503, {"error": "maintenance"})
                if lrs.refuse_verb and any(s["verb"]["id"].endswith(lrs.refuse_verb) for s in body):
                    return self._answer(400, {"error": "statement refused"})
                # A statement already held under the same id is not stored twice.
                held = {statement["id"] for statement in lrs.received}
                lrs.received.extend(s for s in body if s["id"] not in held)
                return self._answer(200, [s["id"] for s in body])

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
