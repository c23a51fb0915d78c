"""How long assignment rules take for a big organisation, and how many queries. Prints figures only.

    .venv/bin/python bench/assignment_rule.py [--people 10000] [--database-url postgres://...]

By default it runs against a throwaway SQLite file in /tmp. With --database-url pointing at
PostgreSQL, the database is created if missing and the bench's own rows are removed first.
"""

import argparse
import time
from datetime import timedelta
from pathlib import Path

from setup import set_up_django

SQLITE_FILE = Path("/tmp/lms_assignment_rule_bench.sqlite3")
ID_PREFIX = "AR"
DEPARTMENT_PREFIX = "Bench "
MODULE_PREFIX = "Bench module"
DEPARTMENTS = [f"{DEPARTMENT_PREFIX}{name}" for name in (
    "Operations", "Logistics", "Production", "Quality", "Maintenance",
    "Engineering", "Finance", "Sales", "Information Technology", "Human Resources",
)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--moved", type=int, default=1_000, help="people who change department")
    parser.add_argument("--database-url", help="default: a throwaway SQLite file in /tmp")
    options = parser.parse_args()

    set_up_django(database_url=options.database_url, sqlite_file=SQLITE_FILE)
    _remove_earlier_bench_rows()
    from django.db import connection

    print(f"database: {connection.vendor}; {options.people:,} people\n")
    _run_scenarios(options.people, options.moved)


def _remove_earlier_bench_rows() -> None:
    from lms.models import Assignment, AssignmentRule, Completion, Department, TrainingModule, User

    modules = TrainingModule.objects.filter(title__startswith=MODULE_PREFIX)
    Completion.objects.filter(module__in=modules).delete()
    Assignment.objects.filter(module__in=modules).delete()
    AssignmentRule.objects.filter(module__in=modules).delete()
    for module in modules:
        module.delete()
    User.objects.filter(employee_id__startswith=ID_PREFIX).delete()
    Department.objects.filter(name__in=DEPARTMENTS).delete()


def _build(size: int):
    """`size` people spread over ten departments (a fifth in Operations), and four modules."""
    from django.contrib.auth.hashers import make_password

    from lms.models import Department, ManagementLevel, User
    from tests.lms.factories_training import make_module

    departments = [Department.objects.create(name=name) for name in DEPARTMENTS]
    password = make_password(None)
    levels = list(ManagementLevel.values)
    people = [
        User(
            email=f"bench.{number}@assign.example",
            employee_id=f"{ID_PREFIX}{number:06d}",
            first_name="Bench",
            last_name=f"Person {number}",
            # Operations (the first department) holds a fifth of everyone.
            department=departments[0] if number % 5 == 0 else departments[1 + number % 9],
            management_level=levels[number % len(levels)],
            password=password,
        )
        for number in range(size)
    ]
    User.objects.bulk_create(people, batch_size=2000)
    modules = [make_module(title=f"{MODULE_PREFIX} {n}") for n in range(3)]
    modules.append(make_module(title=f"{MODULE_PREFIX} refresher", refresher_months=12))
    return departments, modules


def _run_scenarios(size: int, moved_count: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from lms.models import AssignmentRule, Completion, User
    from lms.services import assignments
    from tests.lms.factories_training import make_rule

    start = time.perf_counter()
    departments, (everyone_module, logistics_module, operations_module, refresher) = _build(size)
    operations, logistics = departments[0], departments[1]
    print(f"{'setup: people and modules':<58} {time.perf_counter() - start:>8.2f}")
    print(f"\n{'scenario':<58} {'seconds':>8} {'queries':>8}  result")

    everyone = make_rule(name="Bench everyone", module=everyone_module)
    everyone = AssignmentRule.objects.get(pk=everyone.pk)
    _measure(
        f"1. apply_rule, audience of {size:,} (first time)",
        lambda: assignments.apply_rule(rule=everyone),
    )
    everyone = AssignmentRule.objects.get(pk=everyone.pk)
    _measure("2. apply_rule again (idempotent)", lambda: assignments.apply_rule(rule=everyone))

    make_rule(name="Bench logistics", module=logistics_module, audience_departments=[logistics])
    ops_rule = make_rule(
        name="Bench operations", module=operations_module, audience_departments=[operations]
    )
    assignments.apply_rule(rule=ops_rule)
    moved = list(
        User.objects.filter(department=operations)
        .order_by("pk")
        .values_list("pk", flat=True)[:moved_count]
    )
    User.objects.filter(pk__in=moved).update(department=logistics)
    _measure(
        f"3. sync_assignments_for_people, {len(moved):,} moved department",
        lambda: assignments.sync_assignments_for_people(user_ids=moved),
    )
    _measure(
        "   ... the same sync again (idempotent)",
        lambda: assignments.sync_assignments_for_people(user_ids=moved),
    )

    long_ago = timezone.now() - timedelta(days=400)
    with transaction.atomic():
        Completion.objects.bulk_create(
            [
                Completion(user_id=pk, module=refresher, completed_at=long_ago)
                for pk in User.objects.filter(employee_id__startswith=ID_PREFIX).values_list(
                    "pk", flat=True
                )
            ],
            batch_size=2000,
        )
    _measure(
        f"4. create_refresher_assignments, {size:,} completions",
        assignments.create_refresher_assignments,
    )
    _measure("   ... again (idempotent)", assignments.create_refresher_assignments)


def _measure(label: str, run) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        outcome = run()
    seconds = time.perf_counter() - start
    writes = sum(q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE") for q in queries)
    print(f"{label:<58} {seconds:>8.2f} {len(queries):>8}  {_describe(outcome)} ({writes} writing)")


def _describe(outcome) -> str:
    if isinstance(outcome, tuple):
        return f"{outcome.assigned:,} assigned, {outcome.withdrawn:,} withdrawn"
    return f"{outcome:,} assigned"


if __name__ == "__main__":
    main()
