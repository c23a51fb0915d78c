"""A thousand people complete a module at the same moment, through the real completion service,
and the points ledger pays each once; then fifty copies of one event race for one person.
Prints figures only.

    .venv/bin/python bench/recognition_ledger.py [--people 1000] [--duplicates 50] [--pool 16]
        [--database-url postgres://...]

It makes its own PostgreSQL database (dropping one a failed run left behind): one module, and
one open assignment of it per person, due next week. A pool of threads, each with its own
database connection, calls `lms.services.progress.complete_module` for every person; the
completion's `module_completed` signal, sent on commit, pays the `module_completed` rule with
its on-time bonus. Then a fresh completion is announced `--duplicates` times at once. The
database is dropped at the end.
"""

import argparse
import datetime
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from setup import close_connections, drop_database, set_up_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_points"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--duplicates", type=int, default=50)
    parser.add_argument("--pool", type=int, default=16, help="worker threads")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("the bench measures concurrent writes on PostgreSQL: give a postgres:// URL")

    drop_database(options.database_url)
    set_up_django(database_url=options.database_url, sqlite_file=Path("/tmp/unused.sqlite3"))
    try:
        started = time.perf_counter()
        module, people = _build(options.people)
        print(
            f"database: PostgreSQL; {len(people)} people with an open assignment of one module "
            f"(built in {time.perf_counter() - started:.1f} s); pool: {options.pool} threads\n"
        )
        elapsed = _complete_all(module, people, options.pool)
        print(
            f"completions: {len(people)} in {elapsed:.2f} s "
            f"({len(people) / elapsed:.0f} completions/s, each paid on commit)"
        )
        duplicate_elapsed = _duplicates(module, options.duplicates)
        print(
            f"duplicates: {options.duplicates} simultaneous copies of one event "
            f"in {duplicate_elapsed:.2f} s\n"
        )
        ok = _report(people_count=len(people))
    finally:
        close_connections()
        drop_database(options.database_url)
    sys.exit(0 if ok else 1)


def _build(count: int):
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page, Site

    from lms.models import Assignment, Department, TrainingCatalogue, TrainingModule, User

    with transaction.atomic():
        site = Site.objects.filter(is_default_site=True).first()
        root = site.root_page if site else Page.objects.get(depth=1)
        catalogue = TrainingCatalogue(title="Training", slug="training")
        root.add_child(instance=catalogue)
        catalogue.save_revision().publish()
        module = TrainingModule(
            title="Spill response",
            slug="bench-spill-response",
            summary="A module for the bench.",
            body=[("section", {"title": "Part 1", "content": []})],
        )
        catalogue.add_child(instance=module)
        module.save_revision().publish()
        department = Department.objects.create(name="Bench")
        people = User.objects.bulk_create(
            User(
                email=f"bench.points.{n}@bench.example",
                employee_id=f"BP{n:06d}",
                first_name="Learner",
                last_name=f"{n:04d}",
                department=department,
                password="!",
            )
            for n in range(1, count + 1)
        )
        due = timezone.localdate() + datetime.timedelta(days=7)
        Assignment.objects.bulk_create(
            Assignment(user=person, module=module, due_on=due) for person in people
        )
    module.refresh_from_db()
    return module, people


def _complete_all(module, people, pool: int) -> float:
    from lms.services.progress import complete_module

    # Each thread keeps its own connection for the run; DROP DATABASE ... WITH (FORCE) ends
    # them at the end.
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=pool) as executor:
        completions = list(
            executor.map(lambda person: complete_module(user=person, module=module).pk, people)
        )
    elapsed = time.perf_counter() - started
    assert len(set(completions)) == len(people), "a completion was lost or shared"
    return elapsed


def _duplicates(module, copies: int) -> float:
    from django.db import connection

    from lms.models import Completion, Department, User
    from lms.signals import module_completed

    person = User.objects.create(
        email="bench.points.duplicate@bench.example",
        employee_id="BP-DUP",
        first_name="Double",
        last_name="Clicker",
        department=Department.objects.get(name="Bench"),
        password="!",
    )
    # Written without the service, so its signal is the bench's to send, many times at once.
    completion = Completion.objects.create(
        user=person, module=module, revision_id=module.live_revision_id, on_time=True
    )
    barrier = threading.Barrier(copies)

    def announce(_n):
        barrier.wait(timeout=60)
        try:
            module_completed.send(
                sender=Completion,
                completion_id=completion.pk,
                user_id=person.pk,
                module_id=module.pk,
                on_time=True,
            )
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=copies) as executor:
        list(executor.map(announce, range(copies)))
    return time.perf_counter() - started


def _report(*, people_count: int) -> bool:
    from django.db.models import Count, Sum

    from recognition.models import PointsEntry, PointsRule

    rule = PointsRule.objects.get(event="module_completed")
    each = rule.points + rule.bonus_points
    paid = PointsEntry.objects.filter(rule=rule)
    expected = (people_count + 1) * each
    total = paid.aggregate(total=Sum("points"))["total"] or 0
    duplicates = (
        paid.values("user_id", "source_type_id", "source_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    print(f"ledger entries: {paid.count()} (expected {people_count + 1})")
    print(f"ledger total: {total} points (expected {expected} = {people_count + 1} x {each})")
    print(f"duplicates: {duplicates}")
    return total == expected and duplicates == 0


if __name__ == "__main__":
    main()
