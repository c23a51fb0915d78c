"""A small SMTP server in a thread that keeps what it is sent, for tests and the bench.

It takes a message only when the line holding a single "." arrives, as a real server does: a
connection lost in the middle of the data leaves nothing behind. Addresses in `refuse` get a 550.

    with SmtpSink() as sink:
        ... EMAIL_HOST="127.0.0.1", EMAIL_PORT=sink.port ...
        sink.count_by_recipient()  # Counter({"person@example.com": 1})
"""

from __future__ import annotations

import contextlib
import email
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.message import Message


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    data: bytes
    at: float  # time.monotonic() when the final line arrived

    def parsed(self) -> Message:
        return email.message_from_bytes(self.data)


class SmtpSink:
    def __init__(self, *, refuse: set[str] = frozenset()):
        self.refuse = set(refuse)
        self.received: list[Received] = []
        self.connections = 0
        self.abandoned = 0  # connections lost in the middle of a message's data
        self.receiving = 0  # sessions in the middle of a message's data right now
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def count_by_recipient(self) -> Counter:
        with self._lock:
            return Counter(address for message in self.received for address in message.recipients)

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def wait_until(self, condition, *, timeout: float = 5) -> bool:
        """Whether `condition(self)` became true within `timeout` seconds (sessions run in
        threads of their own, so a lost connection is noticed a moment later)."""
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.connections = self.abandoned = 0

    def _keep(self, message: Received) -> None:
        with self._lock:
            self.received.append(message)

    def _count(self, *, connection: bool = False, abandoned: bool = False, receiving: int = 0):
        with self._lock:
            self.connections += connection
            self.abandoned += abandoned
            self.receiving += receiving


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SmtpSink


class _Session(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        sink: SmtpSink = self.server.sink
        sink._count(connection=True)
        self.reply("220 sink ready")
        sender, recipients = "", []
        while line := self.read_line():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink", "250-SIZE 52428800", "250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 sink")
            elif verb == "MAIL":
                sender, recipients = _address(command), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = _address(command)
                if address in sink.refuse:
                    self.reply("550 no such mailbox")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self.reply("503 no recipients")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                sink._count(receiving=1)
                data = self.read_data()
                sink._count(receiving=-1)
                if data is None:
                    sink._count(abandoned=True)
                    return
                sink._keep(Received(sender, tuple(recipients), data, time.monotonic()))
                sender, recipients = "", []
                self.reply("250 queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")

    def read_data(self) -> bytes | None:
        """The message up to the line holding a single dot, dots unstuffed; None when the
        connection ends first."""
        lines = []
        while line := self.read_line():
            if line == b".\r\n":
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b".") else line)
        return None

    def read_line(self) -> bytes:
        """The next line; empty when the client has gone (closed or reset: a killed process
        whose unread replies make its kernel reset the connection)."""
        try:
            return self.rfile.readline()
        except OSError:
            return b""

    def reply(self, *lines: str) -> None:
        with contextlib.suppress(OSError):
            self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("ascii"))


def _address(command: str) -> str:
    start, end = command.find("<"), command.find(">")
    return command[start + 1 : end] if 0 <= start < end else command.split(":", 1)[-1].strip()
