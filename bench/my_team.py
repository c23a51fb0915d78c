"""How long My team and My learning take to render for a big team, and how many queries they need.
Prints figures only.

    .venv/bin/python bench/my_team.py [--reports 200] [--modules 10] [--database-url postgres://...]

By default it runs against a throwaway SQLite file in /tmp. With --database-url pointing at
PostgreSQL, the database is created if missing and the bench's own people and modules are removed
first.
"""

import argparse
import datetime
import random
import statistics
import time
from pathlib import Path

from setup import set_up_django

SQLITE_FILE = Path("/tmp/lms_my_team_bench.sqlite3")
ID_PREFIX = "BT"
SLUG_PREFIX = "bench-module-"
SECTIONS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5, help="renders per page; median shown")
    parser.add_argument("--database-url", help="default: a throwaway SQLite file in /tmp")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    set_up_django(
        database_url=options.database_url,
        sqlite_file=SQLITE_FILE,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    _remove_earlier_bench_data()
    from django.db import connection

    started = time.perf_counter()
    manager, report = _build(options.reports, options.modules, random.Random(options.seed))
    print(
        f"database: {connection.vendor}; a manager with {options.reports} direct reports, "
        f"{options.modules} modules of {SECTIONS} sections, every report assigned every module "
        f"(built in {time.perf_counter() - started:.1f} s)\n"
    )
    print(f"{'page':<48} {'median s':>9} {'max s':>7} {'queries':>8} {'KB':>6}")
    _measure("/learning/team/ (the manager)", manager, "/learning/team/", options.repeat)
    _measure(
        "/learning/team/?indirect=1 (the manager)",
        manager,
        "/learning/team/?indirect=1",
        options.repeat,
    )
    _measure("/learning/ (one report)", report, "/learning/", options.repeat)
    _measure("/learning/ (the manager)", manager, "/learning/", options.repeat)
    _measure_reminders()


def _remove_earlier_bench_data() -> None:
    from lms.models import Completion, Notification, ReminderDigest, TrainingModule, User

    people = User.objects.filter(employee_id__startswith=ID_PREFIX)
    # Completions protect their people and modules: evidence is never deleted by accident.
    Completion.objects.filter(user__in=people).delete()
    ReminderDigest.objects.filter(user__in=people).delete()
    Notification.objects.filter(user__in=people).delete()
    people.delete()
    for module in TrainingModule.objects.filter(slug__startswith=SLUG_PREFIX):
        module.delete()


def _build(reports: int, modules: int, rng: random.Random):
    from django.db import transaction

    with transaction.atomic():
        return _build_in_transaction(reports, modules, rng)


def _build_in_transaction(reports: int, module_count: int, rng: random.Random):
    from django.utils import timezone

    from lms.models import (
        Assignment,
        Completion,
        Department,
        ModuleStart,
        SectionDone,
        User,
    )

    department, _ = Department.objects.get_or_create(name="Bench Operations")
    manager = User.objects.create_user(
        email="bench.manager@bench.example",
        employee_id=f"{ID_PREFIX}000000",
        first_name="Bench",
        last_name="Manager",
        department=department,
        management_level="middle",
    )
    people = User.objects.bulk_create(
        User(
            email=f"bench.report.{n}@bench.example",
            employee_id=f"{ID_PREFIX}{n:06d}",
            first_name="Report",
            last_name=f"{n:04d}",
            department=department,
            manager=manager,
            password="!",  # unusable: nobody logs in as them but the bench
        )
        for n in range(1, reports + 1)
    )
    modules = [_module(number) for number in range(1, module_count + 1)]
    today = timezone.localdate()
    now = timezone.now()
    assignments, starts, sections, completions = [], [], [], []
    for person in people:
        for module in modules:
            state = rng.choices(
                ["completed", "in_progress", "not_started", "overdue", "withdrawn"],
                weights=[35, 25, 20, 15, 5],
            )[0]
            due_on = today + datetime.timedelta(
                days=rng.randint(-30, -1) if state == "overdue" else rng.randint(0, 60)
            )
            assignment = Assignment(
                user=person,
                module=module,
                due_on=due_on,
                mandatory=rng.random() < 0.8,
                status={"completed": "completed", "withdrawn": "withdrawn"}.get(state, "open"),
                completed_at=now if state == "completed" else None,
                withdrawn_at=now if state == "withdrawn" else None,
                withdrawn_reason="Role changed" if state == "withdrawn" else "",
            )
            assignments.append(assignment)
            if state in ("in_progress", "overdue", "completed"):
                starts.append(ModuleStart(user=person, module=module))
                done = SECTIONS if state == "completed" else rng.randint(0, SECTIONS - 1)
                sections += [
                    SectionDone(user=person, module=module, section_id=section_id)
                    for section_id in module.section_ids()[:done]
                ]
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    ModuleStart.objects.bulk_create(starts, batch_size=1000)
    SectionDone.objects.bulk_create(sections, batch_size=1000)
    for assignment in assignments:
        if assignment.status == "completed":
            completions.append(
                Completion(
                    user=assignment.user,
                    module=assignment.module,
                    revision_id=assignment.module.live_revision_id,
                    completed_at=now,
                    assignment=assignment,
                    on_time=True,
                )
            )
    Completion.objects.bulk_create(completions, batch_size=1000)
    return manager, people[0]


def _module(number: int):
    from wagtail.models import Page, Site

    from lms.models import TrainingCatalogue, TrainingModule

    catalogue = TrainingCatalogue.objects.first()
    if catalogue is None:
        site = Site.objects.filter(is_default_site=True).first()
        root = site.root_page if site else Page.objects.get(depth=1)
        catalogue = TrainingCatalogue(title="Training", slug="training")
        root.add_child(instance=catalogue)
        catalogue.save_revision().publish()
    module = TrainingModule(
        title=f"Bench module {number:02d}",
        slug=f"{SLUG_PREFIX}{number}",
        summary="A module for the bench.",
        body=[("section", {"title": f"Part {n}", "content": []}) for n in range(1, SECTIONS + 1)],
    )
    catalogue.add_child(instance=module)
    module.save_revision().publish()
    module.refresh_from_db()
    return module


def _measure(label: str, user, url: str, repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    response = client.get(url)  # warm the site-root cache, as in a running server
    assert response.status_code == 200, (url, response.status_code)
    seconds, queries = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        seconds.append(time.perf_counter() - start)
        queries = len(captured)
    print(
        f"{label:<48} {statistics.median(seconds):>9.3f} {max(seconds):>7.3f} {queries:>8} "
        f"{len(response.content) / 1024:>6.0f}"
    )


def _measure_reminders() -> None:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from lms.services.reminders import send_daily_reminders

    setup_test_environment()  # gives the locmem backend its outbox
    for label in ("send_daily_reminders, first run", "send_daily_reminders, second run"):
        mail.outbox = []
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            sent = send_daily_reminders()
        seconds = time.perf_counter() - start
        print(
            f"{label:<48} {seconds:>9.3f} {'':>7} {len(captured):>8}  "
            f"{sent} digests, {len(mail.outbox)} e-mails"
        )


if __name__ == "__main__":
    main()
