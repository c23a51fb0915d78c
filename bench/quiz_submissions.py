"""Hundreds of learners submit a quiz at the same moment, through gunicorn and PostgreSQL: how
fast, and whether any submission is lost or recorded twice. Prints figures only.

    .venv/bin/python bench/quiz_submissions.py [--people 200] [--duplicates 50] [--pool 50]
        [--workers 4] [--threads 2] [--database-url postgres://...]

It makes its own PostgreSQL database (dropping one a failed run left behind), a quiz of ten
questions and one open attempt per person, then starts gunicorn on a free port. Each person loads
their form (for the CSRF token, as a browser would) and then every submission is fired at once
from a pool of client threads, with duplicate POSTs of some attempts (a double click, a second
tab) mixed in. Gunicorn is stopped and the database dropped at the end.
"""

import argparse
import http.client
import random
import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from setup import (
    close_connections,
    drop_database,
    free_port,
    set_up_django,
    start_gunicorn,
    stop_server,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_quiz"
QUESTIONS = 10
GUNICORN_LOG = Path("/tmp/lms_bench_quiz_gunicorn.log")
READY_TIMEOUT = 30
REQUEST_TIMEOUT = 120
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--duplicates", type=int, default=50, help="extra POSTs of attempts")
    parser.add_argument("--pool", type=int, default=50, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("the bench measures PostgreSQL under gunicorn: give a postgres:// URL")

    drop_database(options.database_url)
    set_up_django(
        database_url=options.database_url,
        sqlite_file=Path("/tmp/unused.sqlite3"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    server = None
    try:
        rng = random.Random(options.seed)
        started = time.perf_counter()
        quiz, people = _build(options.people)
        print(
            f"database: PostgreSQL; a quiz of {QUESTIONS} questions, {options.people} people with "
            f"an open attempt each (built in {time.perf_counter() - started:.1f} s)"
        )
        close_connections()
        port = free_port()
        server = start_gunicorn(
            database_url=options.database_url,
            port=port,
            log=GUNICORN_LOG,
            arguments=["-w", str(options.workers), "--threads", str(options.threads)],
            is_ready=lambda port: _request(port, "GET", "/healthz")[0] == 200,
            ready_timeout=READY_TIMEOUT,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        print(
            f"gunicorn: {options.workers} workers x {options.threads} threads on port {port}; "
            f"client: {options.pool} threads\n"
        )
        forms = _load_forms(port, people, options.pool)
        _fire(port, people, forms, options, rng)
        _report_database(quiz, len(people))
    finally:
        if server is not None:
            stop_server(server)
        close_connections()
        drop_database(options.database_url)


# --- The data


def _build(count: int):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from lms.models import Department, User
    from quizzes.blocks import multiple_choice_value, single_choice_value, true_false_value
    from quizzes.models import Quiz
    from quizzes.services.attempts import start_attempt

    questions = []
    for n in range(1, QUESTIONS + 1):
        if n % 3 == 0:
            questions.append(true_false_value(f"Statement {n} holds.", n % 2 == 0))
        elif n % 3 == 1:
            choices = [(f"Choice {n}.{c}", c == 1) for c in range(1, 5)]
            questions.append(single_choice_value(f"Question {n}?", choices))
        else:
            choices = [(f"Choice {n}.{c}", c in (1, 3)) for c in range(1, 5)]
            questions.append(multiple_choice_value(f"Question {n}?", choices))
    with transaction.atomic():
        quiz = Quiz.objects.create(
            title="Bench quiz", questions=questions, pass_mark_percent=70, max_attempts=3
        )
        quiz.save_revision()
        department = Department.objects.create(name="Bench")
        users = User.objects.bulk_create(
            User(
                email=f"bench.learner.{n}@bench.example",
                employee_id=f"BQ{n:06d}",
                first_name="Learner",
                last_name=f"{n:04d}",
                department=department,
                password="!",  # unusable: the bench logs them in through their session
            )
            for n in range(1, count + 1)
        )
    people = []
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for user in users:
        attempt = start_attempt(quiz=quiz, user=user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append((attempt.pk, attempt.paper, session.session_key))
    return quiz, people


def _answers(paper: dict, rng: random.Random) -> list[tuple[str, str]]:
    """Form fields: mostly right answers, one question in four answered wrongly."""
    fields = []
    for question in paper["questions"]:
        right = [c["key"] for c in question["choices"] if c["correct"]]
        wrong = [c["key"] for c in question["choices"] if not c["correct"]]
        chosen = wrong[:1] if rng.random() < 0.25 else right
        fields += [(f"q-{question['key']}", key) for key in chosen]
    return fields


# --- The server


def _request(port: int, method: str, path: str, *, body: str = "", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# --- The clients


def _load_forms(port: int, people, pool: int) -> list[tuple[str, str]]:
    """Each person opens their attempt, as the browser does before submitting: the CSRF cookie
    and the form's token."""

    def load(person):
        attempt_pk, _paper, session_key = person
        status, headers, body = _request(
            port, "GET", f"/quizzes/attempts/{attempt_pk}/", headers=_cookies(session_key)
        )
        if status != 200:
            raise RuntimeError(f"the form of attempt {attempt_pk} answered {status}")
        cookie = re.search(r"csrftoken=([^;]+)", " ".join(headers.get_all("Set-Cookie") or []))
        token = CSRF_FIELD.search(body.decode())
        if not (cookie and token):
            raise RuntimeError(f"no CSRF cookie or token on the form of attempt {attempt_pk}")
        return cookie.group(1), token.group(1)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=pool) as executor:
        forms = list(executor.map(load, people))
    print(f"{len(people)} forms loaded in {time.perf_counter() - started:.2f} s (not measured)\n")
    return forms


def _cookies(session_key: str, csrf: str = "") -> dict[str, str]:
    cookie = f"sessionid={session_key}"
    if csrf:
        cookie += f"; csrftoken={csrf}"
    return {"Cookie": cookie}


def _fire(port: int, people, forms, options, rng: random.Random) -> None:
    posts = []
    for (attempt_pk, paper, session_key), (csrf_cookie, csrf_token) in zip(
        people, forms, strict=True
    ):
        body = urlencode([("csrfmiddlewaretoken", csrf_token), *_answers(paper, rng)])
        posts.append((attempt_pk, session_key, csrf_cookie, body))
    # Duplicates go right behind their first POST, so both are in flight together.
    requests = list(posts)
    for duplicate in rng.sample(posts, min(options.duplicates, len(posts))):
        requests.insert(requests.index(duplicate) + 1, duplicate)

    def submit(post):
        attempt_pk, session_key, csrf_cookie, body = post
        headers = {
            **_cookies(session_key, csrf_cookie),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        start = time.perf_counter()
        status, response_headers, _body = _request(
            port, "POST", f"/quizzes/attempts/{attempt_pk}/submit/", body=body, headers=headers
        )
        seconds = time.perf_counter() - start
        expected = response_headers.get("Location") == f"/quizzes/attempts/{attempt_pk}/"
        return status, seconds, expected

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.pool) as executor:
        results = list(executor.map(submit, requests))
    total = time.perf_counter() - started

    latencies = sorted(seconds for _status, seconds, _expected in results)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    statuses = Counter(status for status, _seconds, _expected in results)
    to_result = sum(1 for status, _s, expected in results if status == 302 and expected)
    print(
        f"{len(requests)} POSTs ({len(posts)} submissions + {len(requests) - len(posts)} "
        "duplicates) fired at once"
    )
    print(f"  total time            {total:8.2f} s")
    print(f"  throughput            {len(requests) / total:8.1f} requests/s")
    print(f"  latency p50           {cuts[49] * 1000:8.0f} ms")
    print(f"  latency p95           {cuts[94] * 1000:8.0f} ms")
    print(f"  latency p99           {cuts[98] * 1000:8.0f} ms")
    print(f"  latency max           {latencies[-1] * 1000:8.0f} ms")
    print(f"  HTTP statuses         {dict(sorted(statuses.items()))}")
    print(f"  redirected to result  {to_result} of {len(requests)}\n")


# --- What the database says


def _report_database(quiz, people: int) -> None:
    from django.db.models import Count

    from quizzes.models import Answer, Attempt

    attempts = Attempt.objects.filter(quiz=quiz)
    by_status = Counter(attempts.values_list("status", flat=True))
    answers = Answer.objects.filter(attempt__quiz=quiz)
    duplicated = (
        answers.values("attempt_id", "question_key").annotate(n=Count("pk")).filter(n__gt=1)
    )
    wrong_count = (
        attempts.filter(status=Attempt.Status.SUBMITTED)
        .annotate(n=Count("answers"))
        .exclude(n=QUESTIONS)
        .count()
    )
    lost = by_status.get(Attempt.Status.STARTED, 0)
    print("database after the run")
    print(f"  attempts              {attempts.count():8d} (expected {people})")
    print(f"  submitted             {by_status.get(Attempt.Status.SUBMITTED, 0):8d}")
    print(f"  passed                {attempts.filter(passed=True).count():8d}")
    print(f"  answers               {answers.count():8d} (expected {people * QUESTIONS})")
    print(f"  lost attempts         {lost:8d} (still open; must be 0)")
    print(f"  duplicated answers    {duplicated.count():8d} (must be 0)")
    print(f"  attempts with other than {QUESTIONS} answers: {wrong_count}")
    if lost or duplicated.exists() or wrong_count:
        sys.exit("FAILED: a submission was lost or recorded twice")


# --- The database


if __name__ == "__main__":
    main()
