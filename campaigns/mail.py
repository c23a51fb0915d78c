"""One e-mail per recorded row, even when the sending process is killed halfway.

A row in the database (a delivery, a reminder) says whether its e-mail has gone. Sending and
recording cannot happen at the same instant, so one of them must come first, and a process killed
in between leaves them disagreeing: recorded first, the e-mail is lost; sent first, a re-run sends
it again. SMTP has a point where the server takes responsibility for a message: the line holding
a single "." that ends its data. Until that line arrives, a server that loses the connection
throws the message away (RFC 5321, section 4.1.1.4). So for the SMTP backend `send_once` does:

1. in a database transaction, lock the row (skipping one another worker holds) and mark it sent;
2. send MAIL FROM, RCPT TO, DATA and the whole message body, dot-stuffed as smtplib does, but
   not the final "." line;
3. commit the transaction; if that fails, close the SMTP connection, so the server drops the
   unfinished message (a RSET would be read as one more line of the data);
4. send the final "." line, then read the server's reply.

Killed before the commit reaches the database, the server has an unfinished message and drops it,
and the row is still unsent: the re-run sends it once. Killed once the final line is out, the row
says sent and the server has the message: the re-run skips it. What is left uncertain is the gap
between the two. A database commits a COMMIT it has received even if the client dies waiting for
the answer, so with a plain commit the gap is the whole commit round trip, flush to disk
included (milliseconds, most of the time a message takes). On PostgreSQL the COMMIT is therefore
written to the database's socket, the final line to the SMTP server's right after, and only then
is the database's answer read: the gap shrinks to the two writes (microseconds). Constraints are
checked as each row is written (SET CONSTRAINTS ALL IMMEDIATE), so nothing is left for the COMMIT
to refuse but a failing database; if it does refuse, the message has gone and the row stays
unsent, which is logged: the re-run would send that one again. Killed inside the gap, a message
is lost, never sent twice.

Other backends (the console, the in-memory outbox of the tests, an HTTP API), and calls made
inside a transaction someone else commits, have no such point: the message is sent, then the row
committed, so a process killed between the two sends it again on the re-run. The exactly-once
guarantee is for SMTP.

A recipient the server refuses for good (a 5xx reply) is logged and the row committed as dealt
with, since sending again cannot help; a temporary refusal (4xx) rolls the row back and raises,
so the task is retried later.
"""

from __future__ import annotations

import contextlib
import logging
import re
import select
import smtplib
import socket
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import Error, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

CRLF = b"\r\n"
_LINE_STARTING_WITH_A_DOT = re.compile(rb"(?m)^\.")


class RecipientRefused(smtplib.SMTPRecipientsRefused):
    """The server refused every recipient of a message for good (5xx)."""


def send_once(
    *, connection: BaseEmailBackend, message: EmailMessage, claim: Callable[[], bool]
) -> bool:
    """Send `message` if `claim()` says so, committing what `claim()` wrote with it.

    `claim()` runs inside a transaction opened here: it locks the row that records the message
    (skipping a row another worker holds), returns False when there is nothing to send (taken or
    sent already), else marks the row sent and returns True. `connection` must be open. Returns
    whether the message was handed over.
    """
    database = transaction.get_connection()
    smtp = isinstance(connection, SmtpBackend) and bool(message.recipients())
    if not smtp or database.in_atomic_block:
        with transaction.atomic():
            if not claim():
                return False
            connection.send_messages([message])
        return True
    return _send_over_smtp(database, connection.connection, _Envelope.of(message), claim)


def _send_over_smtp(
    database: BaseDatabaseWrapper,
    smtp: smtplib.SMTP,
    envelope: _Envelope,
    claim: Callable[[], bool],
) -> bool:
    unfinished: _UnfinishedSmtpMessage | None = None
    database.set_autocommit(False)
    try:
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if not claim():
            database.rollback()
            return False
        try:
            unfinished = _UnfinishedSmtpMessage.start(smtp, envelope)
        except RecipientRefused as refused:
            logger.warning("recipient refused, not sent again: %s", refused.recipients)
            database.commit()
            return False
        _commit(database, then=unfinished.end)
    except BaseException:
        if unfinished is not None and not unfinished.ended:
            unfinished.abandon()
        with contextlib.suppress(Error):
            database.rollback()
        if unfinished is not None and unfinished.ended:
            logger.error("message to %s sent but not recorded as sent", unfinished.recipients)
        raise
    finally:
        with contextlib.suppress(Error):
            database.set_autocommit(True)
    unfinished.read_reply()
    return True


def _commit(database: BaseDatabaseWrapper, *, then: Callable[[], None]) -> None:
    """Commit the open transaction and call `then` (which sends the final line) as soon after as
    the database allows: see the module's docstring."""
    pgconn = getattr(database.connection, "pgconn", None)
    if pgconn is None:
        database.commit()
        then()
        return
    with database.wrap_database_errors:
        _send_commit(pgconn)
        then()
        _read_commit_answer(pgconn)
    # Django's own bookkeeping; psycopg sends nothing, the transaction being over.
    database.commit()


def _send_commit(pgconn) -> None:
    """Write COMMIT to PostgreSQL's socket without waiting for the answer (libpq, via psycopg)."""
    pgconn.send_query(b"COMMIT")
    while pgconn.flush():
        select.select([], [pgconn.socket], [])


def _read_commit_answer(pgconn) -> None:
    import psycopg

    results = []
    while True:
        pgconn.consume_input()
        if pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            continue
        result = pgconn.get_result()
        if result is None:
            break
        results.append(result)
    if not results or results[-1].status != psycopg.pq.ExecStatus.COMMAND_OK:
        message = results[-1].error_message if results else b"no answer to COMMIT"
        raise psycopg.OperationalError(message.decode(errors="replace"))


class _Envelope(NamedTuple):
    sender: str
    recipients: list[str]
    data: bytes

    @classmethod
    def of(cls, message: EmailMessage) -> _Envelope:
        """What goes over the wire, as Django's SMTP backend makes it."""
        encoding = message.encoding or settings.DEFAULT_CHARSET
        return cls(
            sender=sanitize_address(message.from_email, encoding),
            recipients=[sanitize_address(address, encoding) for address in message.recipients()],
            data=message.message().as_bytes(linesep="\r\n"),
        )


class _UnfinishedSmtpMessage:
    """A message whose data has been sent, all but the line that ends it."""

    def __init__(self, smtp: smtplib.SMTP, recipients: list[str]):
        self.smtp = smtp
        self.recipients = recipients
        self.ended = False

    @classmethod
    def start(cls, smtp: smtplib.SMTP, envelope: _Envelope) -> _UnfinishedSmtpMessage:
        sender, recipients, data = envelope
        smtp.ehlo_or_helo_if_needed()
        # The final line must leave at once, not wait for the server to acknowledge the data.
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        options = [f"SIZE={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        code, reply = smtp.mail(sender, options)
        if code != 250:
            cls._reset(smtp, code)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            cls._reset(smtp, max(code for code, _ in refused.values()))
            if all(code >= 500 for code, _ in refused.values()):
                raise RecipientRefused(refused)
            raise smtplib.SMTPRecipientsRefused(refused)
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            cls._reset(smtp, code)
            raise smtplib.SMTPDataError(code, reply)
        body = _LINE_STARTING_WITH_A_DOT.sub(b"..", data)
        if not body.endswith(CRLF):
            body += CRLF
        smtp.send(body)
        return cls(smtp, recipients)

    def end(self) -> None:
        """Send the line that ends the message: from here on the server is responsible for it."""
        self.smtp.send(b"." + CRLF)
        self.ended = True

    def read_reply(self) -> None:
        code, reply = self.smtp.getreply()
        if code != 250:
            # Recorded as sent already; a server that refuses a whole message rarely takes it
            # later, so it is not tried again.
            logger.error(
                "message to %s refused after its data: %s %r", self.recipients, code, reply
            )

    def abandon(self) -> None:
        """Make the server drop the message: nothing is delivered.

        In the middle of the data a RSET would be read as one more line of the message, so the
        connection is closed instead, which drops the unfinished message just the same.
        """
        with contextlib.suppress(OSError):
            self.smtp.close()

    @staticmethod
    def _reset(smtp: smtplib.SMTP, code: int) -> None:
        if code == 421:
            smtp.close()
        else:
            smtp.rset()
