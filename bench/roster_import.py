"""How long a big roster import takes, and how many queries it needs. Prints figures only.

    .venv/bin/python bench/roster_import.py [--rows 10000] [--database-url postgres://...]

By default it runs against a throwaway SQLite file in /tmp. With --database-url pointing at
PostgreSQL, the database is created if missing and the bench's own people are removed first.
"""

import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from setup import set_up_django

SQLITE_FILE = Path("/tmp/lms_roster_bench.sqlite3")
ID_PREFIX = "BN"

DEPARTMENTS = [
    "Executive Office", "Operations", "Production", "Assembly", "Machining", "Logistics",
    "Warehouse", "Purchasing", "Quality Assurance", "Quality Control", "Laboratory",
    "Health and Safety", "Environment", "Maintenance", "Engineering", "Research and Development",
    "Information Technology", "Information Security", "Human Resources", "Finance", "Sales",
    "Customer Service", "Legal and Compliance", "Facilities",
]  # fmt: skip
JOB_ROLES = [
    "Machine Operator", "Assembly Technician", "Maintenance Technician", "Forklift Driver",
    "Warehouse Operative", "Quality Inspector", "Lab Analyst", "Process Engineer",
    "Design Engineer", "Buyer", "Planner", "Safety Coordinator", "Environmental Officer",
    "Service Desk Analyst", "Systems Administrator", "Security Analyst", "HR Advisor",
    "Accountant", "Sales Representative", "Customer Advisor", "Internal Auditor",
    "Document Controller", "Facilities Officer", "Project Manager", "Data Analyst",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", help="default: a throwaway SQLite file in /tmp")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    set_up_django(database_url=options.database_url, sqlite_file=SQLITE_FILE)
    _remove_earlier_bench_people()
    from django.db import connection

    rows = generate_roster(options.rows, random.Random(options.seed))
    print(f"database: {connection.vendor}; roster of {len(rows):,} people")
    _run_scenarios(rows, random.Random(options.seed + 1))


def _remove_earlier_bench_people() -> None:
    from lms.models import Department, JobRole, User

    User.objects.filter(employee_id__startswith=ID_PREFIX).delete()
    Department.objects.filter(name__in=DEPARTMENTS, members=None).delete()
    JobRole.objects.filter(name__in=JOB_ROLES, holders=None).delete()


def generate_roster(size: int, rng: random.Random) -> list[dict[str, str]]:
    """A believable organisation: a managing director, directors, middle and frontline managers
    and staff, each reporting to someone one level up, mostly in their own department."""
    levels = [("top", max(1, size // 1000)), ("middle", max(1, size // 50))]
    levels.append(("frontline", max(1, size // 10)))
    levels.append(("staff", size - sum(count for _, count in levels)))
    rows: list[dict[str, str]] = []
    bosses: list[dict[str, str]] = []
    for level, count in levels:
        layer = [_person(len(rows) + n, level, rng) for n in range(count)]
        for row in layer:
            row["manager_employee_id"] = _pick_manager(row, bosses, rng)
        rows += layer
        bosses = layer
    rows[0].update(department="Executive Office", manager_employee_id="")
    for row in rows[1 : levels[0][1]]:
        row["manager_employee_id"] = rows[0]["employee_id"]
    rng.shuffle(rows)  # reports often come before their managers, as in a real export
    return rows


def _person(number: int, level: str, rng: random.Random) -> dict[str, str]:
    # Synthetic names: the bench measures the import, not how people are called.
    first, last = f"Given{number % 97}", f"Family{number}"
    employee_id = f"{ID_PREFIX}{number:06d}"
    return {
        "employee_id": employee_id,
        "email": f"{first}.{last}.{number}@bench.example".lower(),
        "first_name": first,
        "last_name": last,
        "department": rng.choice(DEPARTMENTS),
        "job_role": rng.choice(JOB_ROLES),
        "management_level": level,
        "manager_employee_id": "",
    }


def _pick_manager(row: dict[str, str], bosses: list[dict[str, str]], rng: random.Random) -> str:
    if not bosses:
        return ""
    same_department = [b for b in bosses if b["department"] == row["department"]]
    return rng.choice(same_department or bosses)["employee_id"]


def _as_csv(rows: list[dict[str, str]]) -> bytes:
    import csv
    import io

    from lms.services.roster import ROSTER_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ROSTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _run_scenarios(rows: list[dict[str, str]], rng: random.Random) -> None:
    data = _as_csv(rows)
    print(f"file: {len(data) / 2**20:.1f} MB\n")
    print(f"{'scenario':<52} {'seconds':>8} {'queries':>8}  result")

    _measure_memory("0. dry run of the first import (tracemalloc on)", data)
    _measure("1. first import", data)
    _measure("2. re-import of the same file", data)

    changed = [dict(row) for row in rows]
    staff = [row for row in changed if row["management_level"] == "staff"]
    for row in rng.sample(changed, len(rows) // 20):
        row["job_role"] = rng.choice(JOB_ROLES)
        row["last_name"] += "-Changed"
        if row["management_level"] == "staff":
            row["department"] = rng.choice(DEPARTMENTS)
    _measure("3. import with 5% of rows changed", _as_csv(changed))

    # Leavers who manage nobody, so no remaining row names them as its manager.
    leavers = {row["employee_id"] for row in rng.sample(staff, len(rows) // 100)}
    remaining = [row for row in changed if row["employee_id"] not in leavers]
    _measure("4. --deactivate-missing, 1% of people left", _as_csv(remaining), deactivate=True)

    broken = [dict(row) for row in changed]
    broken[-1]["management_level"] = "boss"
    _measure("5. a file with one bad row (nothing applied)", _as_csv(broken))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak resident memory: {rss:.0f} MB")


def _measure(label: str, data: bytes, *, deactivate: bool = False) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.services.roster import RosterInvalid, import_roster, read_roster_csv

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        try:
            result = import_roster(rows=read_roster_csv(data=data), deactivate_missing=deactivate)
            outcome = (
                f"{result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.deactivated} deactivated"
            )
        except RosterInvalid as invalid:
            outcome = f"refused: {invalid.problems[0]}"
    seconds = time.perf_counter() - start
    writes = sum(q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE") for q in queries)
    print(f"{label:<52} {seconds:>8.2f} {len(queries):>8}  {outcome} ({writes} writing queries)")


def _measure_memory(label: str, data: bytes) -> None:
    from lms.services.roster import RosterInvalid, import_roster, read_roster_csv

    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = import_roster(rows=read_roster_csv(data=data), dry_run=True)
    except RosterInvalid as invalid:
        sys.exit("\n".join(str(problem) for problem in invalid.problems[:20]))
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<52} {seconds:>8.2f} {'':>8}  would create {result.created}; "
        f"peak Python memory {peak / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
