"""xAPI 1.0.3 statements to the organisation's Learning Record Store.

Each fact (a module completed, a quiz attempt scored) becomes one statement, written to the
local outbox (`XapiStatement`) under a key naming the fact, then sent in batches. The statement
id is fixed when the row is written, and an LRS accepts a statement it already holds under the
same id without storing it twice, so a send repeated after a lost answer duplicates nothing.
While the LRS is down the rows wait; the next send, or the periodic one, delivers them.

Nothing is written while no LRS is configured (`LMS_XAPI_ENDPOINT`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from lms.models import Completion, IsoClause, TrainingModule, User, XapiStatement
from quizzes.models import Attempt

VERSION = "1.0.3"
BATCH_SIZE = 50
LANGUAGE = "en-GB"
ADL = "http://adlnet.gov/expapi"
VERBS = {
    "completed": f"{ADL}/verbs/completed",
    "passed": f"{ADL}/verbs/passed",
    "failed": f"{ADL}/verbs/failed",
}
ACTIVITY_TYPES = {
    "module": f"{ADL}/activities/module",
    "assessment": f"{ADL}/activities/assessment",
    "clause": "http://id.tincanapi.com/activitytype/category",
}


class LrsUnavailable(OSError):
    """The LRS did not answer, or answered with a server error: worth another try later."""


def is_enabled() -> bool:
    return bool(settings.LMS_XAPI_ENDPOINT)


# --- Identifiers


def _base() -> str:
    return settings.LMS_XAPI_HOMEPAGE.rstrip("/")


def actor(person: User) -> dict:
    """The person as an account on this platform: the employee id HR systems know them by,
    or the platform's own id for someone not on the roster. No name or e-mail leaves."""
    return {
        "objectType": "Agent",
        "account": {"homePage": _base(), "name": person.employee_id or f"user-{person.pk}"},
    }


def module_iri(module_id: int) -> str:
    # The page id, not its URL: a slug an editor changes must not make a new activity.
    return f"{_base()}/xapi/activities/modules/{module_id}"


def quiz_iri(quiz_id: int) -> str:
    return f"{_base()}/xapi/activities/quizzes/{quiz_id}"


def clause_iri(clause: IsoClause) -> str:
    return f"{_base()}/xapi/iso/{slugify(clause.standard.name)}/clauses/{clause.number}"


def _verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {LANGUAGE: name}}


def _activity(iri: str, *, name: str, kind: str) -> dict:
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"name": {LANGUAGE: name}, "type": ACTIVITY_TYPES[kind]},
    }


def _categories(clauses: list[IsoClause]) -> list[dict]:
    return [
        _activity(clause_iri(clause), name=str(clause), kind="clause")
        for clause in sorted(clauses, key=lambda c: (c.standard.name, c.number))
    ]


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _context(*, clauses: list[IsoClause], parents: list[dict] | None = None) -> dict:
    context: dict = {"platform": settings.WAGTAIL_SITE_NAME, "language": LANGUAGE}
    activities = {"category": _categories(clauses), "parent": parents or []}
    activities = {kind: found for kind, found in activities.items() if found}
    if activities:
        context["contextActivities"] = activities
    return context


# --- Statements


def completion_statement(completion: Completion) -> dict:
    """ "<person> completed <module>", with whether it was on time and the module's clauses."""
    module = completion.module
    result: dict = {"completion": True}
    if completion.on_time is not None:
        result["extensions"] = {f"{_base()}/xapi/extensions/on-time": completion.on_time}
    return {
        "actor": actor(completion.user),
        "verb": _verb("completed"),
        "object": _activity(module_iri(module.pk), name=module.title, kind="module"),
        "result": result,
        "context": _context(clauses=list(module.clauses.select_related("standard"))),
        "timestamp": _timestamp(completion.completed_at),
    }


def attempt_statement(attempt: Attempt) -> dict:
    """ "<person> passed/failed <quiz>" with the score; the modules that use the quiz are its
    parents and their clauses its categories."""
    modules = list(
        TrainingModule.objects.filter(quiz_id=attempt.quiz_id)
        .prefetch_related("clauses__standard")
        .defer("body")
        .order_by("pk")
    )
    clauses = {clause.pk: clause for module in modules for clause in module.clauses.all()}
    percent = attempt.score_percent or Decimal(0)
    return {
        "actor": actor(attempt.user),
        "verb": _verb("passed" if attempt.passed else "failed"),
        "object": _activity(quiz_iri(attempt.quiz_id), name=attempt.quiz.title, kind="assessment"),
        "result": {
            "score": {"scaled": float(percent / 100), "raw": float(percent), "min": 0, "max": 100},
            "success": bool(attempt.passed),
            "completion": True,
        },
        "context": _context(
            clauses=list(clauses.values()),
            parents=[
                _activity(module_iri(module.pk), name=module.title, kind="module")
                for module in modules
            ],
        ),
        "timestamp": _timestamp(attempt.submitted_at or attempt.started_at),
    }


def record_statement(*, key: str, statement: dict) -> XapiStatement | None:
    """Write `statement` to the outbox under `key`, once: a second call for the same fact
    returns None and writes nothing. The row's id becomes the statement's id."""
    if not is_enabled():
        return None
    row = XapiStatement(key=key, statement=statement)
    row.statement = {"id": str(row.statement_id), **statement}
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


def record_completion(*, completion_id: int) -> XapiStatement | None:
    if not is_enabled():
        return None
    completion = (
        (Completion.objects.select_related("user", "module").defer("module__body"))
        .filter(pk=completion_id)
        .first()
    )
    if completion is None:
        return None
    return record_statement(
        key=f"completion:{completion.pk}", statement=completion_statement(completion)
    )


def record_attempt(*, attempt_id: int) -> XapiStatement | None:
    if not is_enabled():
        return None
    attempt = (
        Attempt.objects.select_related("user", "quiz")
        .defer("paper", "quiz__questions")
        .filter(pk=attempt_id)
        .exclude(status=Attempt.Status.STARTED)
        .first()
    )
    if attempt is None:
        return None
    return record_statement(key=f"attempt:{attempt.pk}", statement=attempt_statement(attempt))


# --- Sending


@dataclass
class Sent:
    sent: int = 0
    refused: int = 0


def send_pending(*, batch_size: int = BATCH_SIZE) -> Sent:
    """Send the statements not sent yet, oldest first, one batch per request, until none are
    left or the LRS fails. Rows are locked with SKIP LOCKED, so two workers never send the same
    batch. A batch the LRS refuses (4xx) is retried statement by statement, so one bad statement
    does not hold back the rest; it keeps its error and is tried again next time. Raises
    LrsUnavailable when the LRS is down, leaving the rows for the next run."""
    outcome = Sent()
    if not is_enabled():
        return outcome
    with requests.Session() as session:
        session.auth = _credentials()
        session.headers.update(
            {"X-Experience-API-Version": VERSION, "Content-Type": "application/json"}
        )
        while True:
            batch_ids: list[int] = []
            try:
                with transaction.atomic():
                    batch = list(
                        XapiStatement.objects.select_for_update(skip_locked=True)
                        .filter(sent_at__isnull=True)
                        .order_by("created_at", "pk")[:batch_size]
                    )
                    if not batch:
                        return outcome
                    batch_ids = [row.pk for row in batch]
                    refused = _send_batch(session, batch)
            except LrsUnavailable as error:
                # The batch's transaction rolled back; say on its rows why they still wait.
                XapiStatement.objects.filter(pk__in=batch_ids).update(
                    attempts=F("attempts") + 1,
                    last_attempt_at=timezone.now(),
                    last_error=str(error),
                )
                raise
            outcome.sent += len(batch) - refused
            outcome.refused += refused
            if refused == len(batch) or len(batch) < batch_size:
                return outcome


def _credentials() -> tuple[str, str] | None:
    if not settings.LMS_XAPI_USERNAME:
        return None
    return (settings.LMS_XAPI_USERNAME, settings.LMS_XAPI_PASSWORD)


def _statements_url() -> str:
    return settings.LMS_XAPI_ENDPOINT.rstrip("/") + "/statements"


def _send_batch(session: requests.Session, batch: list[XapiStatement]) -> int:
    """Send `batch` and mark what the LRS took; returns how many it refused."""
    now = timezone.now()
    response = _post(session, [row.statement for row in batch])
    if response.status_code < 300:
        XapiStatement.objects.filter(pk__in=[row.pk for row in batch]).update(
            sent_at=now, attempts=F("attempts") + 1, last_attempt_at=now, last_error=""
        )
        return 0
    refused = 0
    for row in batch:
        response = _post(session, [row.statement]) if len(batch) > 1 else response
        row.attempts += 1
        row.last_attempt_at = now
        if response.status_code < 300:
            row.sent_at, row.last_error = now, ""
        else:
            refused += 1
            row.last_error = f"{response.status_code}: {response.text[:500]}"
        row.save(update_fields=["attempts", "last_attempt_at", "sent_at", "last_error"])
    return refused


def _post(session: requests.Session, statements: list[dict]) -> requests.Response:
    try:
        response = session.post(
            _statements_url(), json=statements, timeout=settings.LMS_XAPI_TIMEOUT_SECONDS
        )
    except requests.RequestException as error:
        raise LrsUnavailable(f"The LRS did not answer: {error}") from error
    # Too many requests and server errors say nothing about the statements: try again later.
    if response.status_code == 429 or response.status_code >= 500:
        raise LrsUnavailable(f"The LRS answered {response.status_code}.")
    return response
