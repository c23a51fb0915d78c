"""xAPI statements: written to the outbox once per fact, shaped as xAPI 1.0.3 requires, sent to
an LRS (a real HTTP server on loopback here) in batches, kept while the LRS is down and sent once
it is back, never twice."""

import base64
import datetime
import uuid

import pytest

from lms import tasks
from lms.models import XapiStatement
from lms.services import xapi
from lms.services.progress import complete_module
from quizzes.services.attempts import start_attempt, submit_attempt
from tests.fake_lrs import FakeLrs
from tests.lms.factories_training import (
    days_from_today,
    make_assignment,
    make_clause,
    make_completion,
    make_module,
    make_standard,
)
from tests.quizzes.factories import all_right, all_wrong, make_quiz


@pytest.fixture
def lrs(settings):
    server = FakeLrs()
    settings.LMS_XAPI_ENDPOINT = server.url
    settings.LMS_XAPI_USERNAME = "lms"
    settings.LMS_XAPI_PASSWORD = "lrs-secret"
    settings.LMS_XAPI_HOMEPAGE = "https://learning.example.com"
    yield server
    server.close()


@pytest.fixture
def module_with_clauses(db):
    standard = make_standard(name="ISO 9001:2015")
    clauses = [
        make_clause(standard=standard, number="7.2", title="Competence"),
        make_clause(standard=standard, number="7.3", title="Awareness"),
    ]
    return make_module(title="Document control", clauses=clauses)


def _only_statement() -> dict:
    (row,) = XapiStatement.objects.all()
    return row.statement


def test_completing_a_module_writes_one_completed_statement_with_the_clauses(
    lrs, employee, module_with_clauses, django_capture_on_commit_callbacks
):
    make_assignment(user=employee, module=module_with_clauses, due_on=days_from_today(5))
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete_module(user=employee, module=module_with_clauses)

    statement = _only_statement()
    assert XapiStatement.objects.get().key == f"completion:{completion.pk}"
    assert uuid.UUID(statement["id"]) == XapiStatement.objects.get().statement_id
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "https://learning.example.com", "name": employee.employee_id},
    }
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"]["id"] == (
        f"https://learning.example.com/xapi/activities/modules/{module_with_clauses.pk}"
    )
    assert statement["object"]["definition"]["name"] == {"en-GB": "Document control"}
    assert statement["result"]["completion"] is True
    assert list(statement["result"]["extensions"].values()) == [True]  # on time
    categories = [c["id"] for c in statement["context"]["contextActivities"]["category"]]
    assert categories == [
        "https://learning.example.com/xapi/iso/iso-90012015/clauses/7.2",
        "https://learning.example.com/xapi/iso/iso-90012015/clauses/7.3",
    ]
    assert statement["timestamp"].endswith("Z")


def test_a_statement_has_every_field_xapi_1_0_3_requires(
    lrs, employee, module_with_clauses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(user=employee, module=module_with_clauses)
    statement = _only_statement()

    assert {"id", "actor", "verb", "object", "timestamp"} <= statement.keys()
    uuid.UUID(statement["id"])
    assert statement["actor"]["account"].keys() == {"homePage", "name"}
    assert statement["verb"]["id"].startswith("http")
    assert statement["verb"]["display"]
    assert statement["object"]["objectType"] == "Activity"
    assert statement["object"]["id"].startswith("https://")
    datetime.datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))


def test_a_fact_is_written_once_however_often_it_is_reported(lrs, employee, module_with_clauses):
    completion = make_completion(user=employee, module=module_with_clauses)

    first = xapi.record_completion(completion_id=completion.pk)
    again = xapi.record_completion(completion_id=completion.pk)

    assert first is not None
    assert again is None
    assert XapiStatement.objects.count() == 1


def test_nothing_is_written_while_no_lrs_is_configured(
    settings, employee, module_with_clauses, django_capture_on_commit_callbacks
):
    settings.LMS_XAPI_ENDPOINT = ""
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(user=employee, module=module_with_clauses)

    assert not XapiStatement.objects.exists()


def test_a_passed_attempt_reports_the_score_success_and_the_modules_using_the_quiz(
    lrs, employee, module_with_clauses, django_capture_on_commit_callbacks
):
    quiz = make_quiz(title="Document control check", pass_mark_percent=80)
    module_with_clauses.quiz = quiz
    module_with_clauses.save_revision().publish()
    attempt = start_attempt(quiz=quiz, user=employee)
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, answers=all_right(attempt))

    statement = XapiStatement.objects.get(key=f"attempt:{attempt.pk}").statement
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert statement["object"]["id"] == (
        f"https://learning.example.com/xapi/activities/quizzes/{quiz.pk}"
    )
    assert statement["result"]["score"] == {"scaled": 1.0, "raw": 100.0, "min": 0, "max": 100}
    assert statement["result"]["success"] is True
    parents = statement["context"]["contextActivities"]["parent"]
    assert [p["id"] for p in parents] == [
        f"https://learning.example.com/xapi/activities/modules/{module_with_clauses.pk}"
    ]
    assert len(statement["context"]["contextActivities"]["category"]) == 2


def test_a_failed_attempt_reports_failure_and_its_score(
    lrs, employee, django_capture_on_commit_callbacks
):
    quiz = make_quiz(pass_mark_percent=80)
    attempt = start_attempt(quiz=quiz, user=employee)
    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt=attempt, answers=all_wrong(attempt))

    statement = _only_statement()
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert statement["result"]["success"] is False
    assert statement["result"]["score"]["scaled"] == 0.0
    assert "contextActivities" not in statement["context"]


def test_statements_are_sent_in_one_batch_with_the_xapi_version_and_credentials(
    lrs, employee, module_with_clauses
):
    for module in (module_with_clauses, make_module(), make_module()):
        make_completion(user=employee, module=module)
        xapi.record_completion(completion_id=module.completions.get().pk)

    outcome = xapi.send_pending()

    assert outcome.sent == 3
    assert len(lrs.requests) == 1
    request = lrs.requests[0]
    assert request["path"] == "/xapi/statements"
    assert request["headers"]["X-Experience-API-Version"] == "1.0.3"
    expected = "Basic " + base64.b64encode(b"lms:lrs-secret").decode()
    assert request["headers"]["Authorization"] == expected
    assert sorted(s["id"] for s in lrs.received) == sorted(
        str(pk) for pk in XapiStatement.objects.values_list("statement_id", flat=True)
    )
    assert not XapiStatement.objects.filter(sent_at__isnull=True).exists()
    assert xapi.send_pending().sent == 0
    assert len(lrs.requests) == 1


def test_while_the_lrs_is_down_statements_wait_and_are_sent_once_when_it_is_back(
    lrs, employee, module_with_clauses, django_capture_on_commit_callbacks
):
    lrs.down = True
    with django_capture_on_commit_callbacks(execute=True):
        complete_module(user=employee, module=module_with_clauses)  # its send fails

    row = XapiStatement.objects.get()
    assert row.sent_at is None
    assert row.attempts >= 1
    assert "503" in row.last_error
    assert lrs.received == []

    lrs.down = False
    assert tasks.send_pending_xapi_statements.apply().get() == 1
    assert [s["id"] for s in lrs.received] == [str(row.statement_id)]
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.last_error == ""
    assert tasks.send_pending_xapi_statements.apply().get() == 0
    assert len(lrs.received) == 1


def test_an_lrs_that_does_not_answer_leaves_the_statements_waiting(
    settings, employee, module_with_clauses
):
    settings.LMS_XAPI_ENDPOINT = "http://127.0.0.1:9/xapi/"  # nothing listens on the discard port
    settings.LMS_XAPI_TIMEOUT_SECONDS = 2
    make_completion(user=employee, module=module_with_clauses)
    xapi.record_completion(completion_id=module_with_clauses.completions.get().pk)

    with pytest.raises(xapi.LrsUnavailable):
        xapi.send_pending()

    row = XapiStatement.objects.get()
    assert row.sent_at is None
    assert "did not answer" in row.last_error


def test_a_refused_statement_does_not_hold_back_the_others(
    lrs, employee, module_with_clauses, django_capture_on_commit_callbacks
):
    lrs.refuse_verb = "failed"
    make_completion(user=employee, module=module_with_clauses)
    xapi.record_completion(completion_id=module_with_clauses.completions.get().pk)
    quiz = make_quiz(pass_mark_percent=80)
    attempt = start_attempt(quiz=quiz, user=employee)
    with django_capture_on_commit_callbacks(execute=True):
        # Its statement says "failed", which this LRS refuses; the send goes with the completion.
        submit_attempt(attempt=attempt, answers=all_wrong(attempt))

    assert (xapi.send_pending().sent, xapi.send_pending().refused) == (0, 1)
    refused = XapiStatement.objects.get(key=f"attempt:{attempt.pk}")
    assert refused.sent_at is None
    assert refused.last_error.startswith("400")
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in lrs.received] == ["completed"]


def test_the_send_task_is_retried_when_the_lrs_is_down():
    assert issubclass(xapi.LrsUnavailable, tasks.RETRY["autoretry_for"])
    assert tasks.send_pending_xapi_statements.max_retries == 5


def test_the_periodic_send_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["send-pending-xapi-statements"]
    assert schedule["task"] == tasks.send_pending_xapi_statements.name


def test_administrators_see_the_outbox_in_the_cms_and_cannot_change_it(
    lrs, client, hr, employee, module_with_clauses
):
    from django.urls import NoReverseMatch, reverse

    from tests.factories import UserFactory

    lrs.down = True
    make_completion(user=employee, module=module_with_clauses)
    row = xapi.record_completion(completion_id=module_with_clauses.completions.get().pk)
    with pytest.raises(xapi.LrsUnavailable):
        xapi.send_pending()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    listing = client.get(reverse("xapi_outbox:index"))
    inspect = client.get(reverse("xapi_outbox:inspect", args=[row.pk]))

    assert listing.status_code == 200
    assert row.key in listing.content.decode()
    assert "Waiting: The LRS answered 503." in listing.content.decode()
    assert inspect.status_code == 200
    assert str(row.statement_id) in inspect.content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("xapi_outbox:edit", args=[row.pk])
    client.force_login(hr)
    assert client.get(reverse("xapi_outbox:index")).status_code == 302
