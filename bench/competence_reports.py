"""How fast the competence matrix and its CSV export are on a big organisation, and how that
compares with PostgreSQL handing over the same rows by itself. Prints figures only.

    .venv/bin/python bench/competence_reports.py [--people 10000] [--small 1000] [--repeat 3]
        [--export-repeat 5] [--database-url postgres://...]

It makes its own PostgreSQL database (dropping one a failed run left behind): departments with
sub-departments, about twenty job roles, all four management levels with their line managers, thirty
competences required by role, by level or by both, and about thirty records per person (mostly
awards, some revoked, some replaced by a newer award, expired, expiring and valid alike). Then it
times the matrix page, the full CSV export (first byte, total, memory) and `psql \\copy` of the
matrix's own SELECT, the floor no export can beat. Through HTTP too, served by gunicorn, once the
matrix view exists. The query counts are compared at two sizes at the end, and the database is
dropped.
"""

import argparse
import contextlib
import cProfile
import datetime
import http.client
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from setup import (
    close_connections,
    drop_database,
    free_port,
    set_up_django,
    start_gunicorn,
    stop_server,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_reports"
ID_PREFIX = "BR"
GOAL_RATIO = 3.0
GUNICORN_LOG = Path("/tmp/lms_bench_reports_gunicorn.log")
READY_TIMEOUT = 30
REQUEST_TIMEOUT = 300
COPY_DONE = re.compile(r"COPY (\d+)")
MATRIX_FLOOR = "floor: matrix SELECT"
JOIN_FLOOR = "floor: current records x people"
HTTP_FLOOR = "floor: matrix SELECT, again"
FETCH_SIZE = 2000  # rows per fetchmany in lms.selectors.matrix

# Division -> department -> sub-departments; people sit in every one of them.
DEPARTMENTS = {
    "Executive Office": {},
    "Operations": {
        "Production": ["Assembly", "Machining", "Paint Shop"],
        "Logistics": ["Warehouse", "Transport"],
        "Maintenance": [],
    },
    "Quality": {"Quality Assurance": [], "Quality Control": ["Laboratory"], "Metrology": []},
    "Health, Safety and Environment": {"Health and Safety": [], "Environment": []},
    "Engineering": {"Process Engineering": [], "Design Engineering": [], "Research": []},
    "Information Technology": {"Service Desk": [], "Infrastructure": [], "Security Office": []},
    "Commercial": {"Sales": ["Key Accounts"], "Customer Service": [], "Purchasing": []},
    "Corporate Services": {"Human Resources": [], "Finance": [], "Legal": [], "Facilities": []},
}
# How many people each division has, relative to the others.
DIVISION_WEIGHTS = {
    "Executive Office": 1, "Operations": 40, "Quality": 10, "Health, Safety and Environment": 5,
    "Engineering": 12, "Information Technology": 8, "Commercial": 14, "Corporate Services": 10,
}  # fmt: skip
DIVISION_ROLES = {
    "Executive Office": ["Project Manager", "Internal Auditor"],
    "Operations": [
        "Machine Operator", "Assembly Technician", "Maintenance Technician", "Forklift Driver",
        "Warehouse Operative", "Planner",
    ],
    "Quality": ["Quality Inspector", "Lab Analyst", "Internal Auditor", "Document Controller"],
    "Health, Safety and Environment": ["Safety Coordinator", "Environmental Officer"],
    "Engineering": ["Process Engineer", "Design Engineer", "Project Manager"],
    "Information Technology": ["Service Desk Analyst", "Systems Administrator", "Security Analyst"],
    "Commercial": ["Sales Representative", "Customer Advisor", "Buyer"],
    "Corporate Services": ["HR Advisor", "Accountant", "Document Controller"],
}  # fmt: skip
STANDARDS = {
    "ISO 9001:2015": "Quality management systems",
    "ISO 14001:2015": "Environmental management systems",
    "ISO 45001:2018": "Occupational health and safety management systems",
    "ISO/IEC 27001:2022": "Information security management systems",
}
# Name, standard, validity in months (None: never expires).
COMPETENCES = [
    ("Quality policy awareness", "ISO 9001:2015", 24),
    ("Document control", "ISO 9001:2015", None),
    ("Control of nonconforming output", "ISO 9001:2015", 36),
    ("Root cause analysis", "ISO 9001:2015", None),
    ("Internal auditing", "ISO 9001:2015", 36),
    ("Measurement equipment calibration", "ISO 9001:2015", 12),
    ("Customer complaint handling", "ISO 9001:2015", None),
    ("Supplier evaluation", "ISO 9001:2015", 36),
    ("Risk-based thinking", "ISO 9001:2015", None),
    ("Leading the management review", "ISO 9001:2015", None),
    ("Environmental aspects", "ISO 14001:2015", 36),
    ("Waste segregation", "ISO 14001:2015", 24),
    ("Spill response", "ISO 14001:2015", 12),
    ("Chemical handling", "ISO 14001:2015", 12),
    ("Energy saving practice", "ISO 14001:2015", None),
    ("Safety induction", "ISO 45001:2018", 12),
    ("Lockout and tagout", "ISO 45001:2018", 12),
    ("Forklift operation", "ISO 45001:2018", 36),
    ("Working at height", "ISO 45001:2018", 24),
    ("First aid", "ISO 45001:2018", 36),
    ("Fire warden", "ISO 45001:2018", 24),
    ("Incident investigation", "ISO 45001:2018", None),
    ("Manual handling", "ISO 45001:2018", 36),
    ("Information security awareness", "ISO/IEC 27001:2022", 12),
    ("Access management", "ISO/IEC 27001:2022", 24),
    ("Incident response", "ISO/IEC 27001:2022", 12),
    ("Secure configuration", "ISO/IEC 27001:2022", 24),
    ("Data protection", "ISO/IEC 27001:2022", 24),
    ("Supplier security", "ISO/IEC 27001:2022", None),
    ("Leading an ISO change", "ISO 9001:2015", None),
]
# Requirements naming a management level only.
LEVEL_REQUIREMENTS = {
    "top": ["Leading the management review", "Risk-based thinking", "Leading an ISO change"],
    "middle": ["Risk-based thinking", "Leading an ISO change", "Incident investigation"],
    "frontline": ["Incident investigation", "Safety induction"],
    "staff": ["Quality policy awareness", "Information security awareness", "Safety induction"],
}
# Requirements naming a job role at one management level.
ROLE_AND_LEVEL_REQUIREMENTS = [
    ("Machine Operator", "frontline", "Lockout and tagout", 3),
    ("Assembly Technician", "frontline", "Control of nonconforming output", 3),
    ("Warehouse Operative", "frontline", "Forklift operation", 3),
    ("Quality Inspector", "middle", "Internal auditing", 3),
    ("Systems Administrator", "middle", "Incident response", 3),
    ("Safety Coordinator", "middle", "First aid", 3),
]
FIRST_NAMES = [
    "Ada", "Alan", "Amara", "Anders", "Anna", "Aoife", "Arjun", "Aya", "Beatriz", "Bram", "Carmen",
    "Chen", "Chiara", "Dara", "Dmitri", "Elena", "Emeka", "Eva", "Farah", "Felix", "Giulia", "Hana",
    "Hugo", "Ines", "Ivan", "Jana", "Jonas", "Kai", "Karin", "Kofi", "Lars", "Layla", "Lena",
    "Liam", "Lucia", "Malik", "Maria", "Mateo", "Mei", "Mina", "Nadia", "Niko", "Noor", "Olga",
    "Omar", "Pavel", "Priya", "Rafael", "Rosa", "Sami", "Sara", "Sofia", "Tariq", "Teresa", "Tomas",
    "Uma", "Victor", "Yara", "Yusuf", "Zofia"
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Acosta", "Adeyemi", "Ahmed", "Andersen", "Baker", "Banerjee", "Bauer", "Becker",
    "Bianchi", "Brennan", "Brown", "Costa", "Dahl", "Das", "Dubois", "Duarte", "Eriksen", "Evans",
    "Fischer", "Fontaine", "Garcia", "Gomez", "Gruber", "Haas", "Hansen", "Hoffmann", "Horvat",
    "Ito", "Jansen", "Jensen", "Kaya", "Keller", "Kim", "Kowalski", "Kruger", "Larsen", "Lee",
    "Lindqvist", "Lopez", "Mahmoud", "Martin", "Meyer", "Moreau", "Murphy", "Nagy", "Novak",
    "Nowak", "Okafor", "Olsen", "Ortiz", "Petrov", "Popescu", "Quinn", "Rahman", "Ricci", "Rossi",
    "Santos", "Schmidt", "Silva", "Smith", "Suzuki", "Tanaka", "Torres", "Varga", "Vogel", "Wagner",
    "Walsh", "Weber", "Wong", "Yilmaz", "Young", "Zhang", "Zimmermann"
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000, help="the second size for queries")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page figure")
    parser.add_argument(
        "--export-repeat", type=int, default=5, help="runs of each export, each with its floor"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        parser.error("the floor is psql \\copy: give a postgres:// URL")

    drop_database(options.database_url)
    set_up_django(
        database_url=options.database_url,
        sqlite_file=Path("/tmp/unused.sqlite3"),
        # As in production: no query log kept in memory.
        DEBUG="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    figures = Figures()
    try:
        started = time.perf_counter()
        hr, department = _build(options.people, random.Random(options.seed), figures)
        figures.build_seconds = time.perf_counter() - started
        _print_organisation(figures, department)
        figures.load_before = os.getloadavg()[0]
        _measure_matrix(hr, department, options.repeat, figures)
        floors = _floor_statements(hr)
        _measure_export(options, hr, floors, figures)
        _measure_http(options, hr, department, floors, figures)
        if max(figures.ratio, figures.http_ratio) > GOAL_RATIO:
            figures.profile = _profile_export(hr)
        _measure_query_counts(hr, options.small, figures)
        _print_summary(figures)
    finally:
        close_connections()
        drop_database(options.database_url)


@dataclass
class Timing:
    label: str
    seconds: list[float]
    queries: int | None = None
    rows: int | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def max(self) -> float:
        return max(self.seconds)


class Figures:
    def __init__(self) -> None:
        self.build_seconds = 0.0
        self.counts: dict[str, int] = {}
        self.timings: list[Timing] = []
        self.export: dict[str, float | int] = {}
        self.http_export: dict[str, float | int] = {}
        self.http_note = ""
        self.query_counts: list[tuple[int, int, int, int]] = []
        self.profile: list[str] = []
        self.load_before = 0.0

    def timing(self, label: str) -> Timing | None:
        return next((timing for timing in self.timings if timing.label == label), None)

    @property
    def ratio(self) -> float:
        return self._over_floor("CSV export, total")

    @property
    def http_ratio(self) -> float:
        return self._over_floor("HTTP CSV export, total", floor_label=HTTP_FLOOR)

    def _over_floor(self, label: str, *, floor_label: str = MATRIX_FLOOR) -> float:
        export, floor = self.timing(label), self.timing(floor_label)
        return export.median / floor.median if export and floor else 0.0


# --- The organisation


def _build(size: int, rng: random.Random, figures: Figures):
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    with transaction.atomic():
        departments = _departments()
        roles = _job_roles()
        competences = _competences()
        requirements = _requirements(competences, roles)
        people = _people(size, departments, roles, rng)
        records = _records(people, competences, requirements, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    # The viewer: a manager in Human Resources, given the HR group as HR staff have.
    hr = next(
        (
            person
            for person in people
            if person.department.name == "Human Resources" and person.management_level != "staff"
        ),
        people[0],
    )
    hr.groups.add(Group.objects.get(name="HR"))
    figures.counts.update(
        people=len(people),
        departments=len(departments),
        roles=len(roles),
        competences=len(competences),
        requirements=requirements.count,
        **records,
    )
    return hr, departments["Operations"]


def _departments():
    from lms.models import Department

    made = {}
    for division, children in DEPARTMENTS.items():
        made[division] = Department.objects.create(name=division)
        for child, grandchildren in children.items():
            made[child] = Department.objects.create(name=child, parent=made[division])
            for grandchild in grandchildren:
                made[grandchild] = Department.objects.create(name=grandchild, parent=made[child])
    return made


def _division_of(department) -> str:
    while department.parent is not None:
        department = department.parent
    return department.name


def _job_roles():
    from lms.models import JobRole

    names = sorted({role for roles in DIVISION_ROLES.values() for role in roles})
    return {role.name: role for role in JobRole.objects.bulk_create(JobRole(name=n) for n in names)}


def _competences():
    from lms.models import Competence, IsoStandard

    standards = {
        name: IsoStandard.objects.create(name=name, title=title)
        for name, title in STANDARDS.items()
    }
    return Competence.objects.bulk_create(
        Competence(name=name, standard=standards[standard], validity_months=months)
        for name, standard, months in COMPETENCES
    )


class _Requirements:
    """What the bench itself knows each person needs, to make the records believable."""

    def __init__(self) -> None:
        self.by_role: dict[int, set[int]] = {}
        self.by_level: dict[str, set[int]] = {}
        self.count = 0

    def of(self, person) -> set[int]:
        return self.by_role.get(person.job_role_id, set()) | self.by_level.get(
            person.management_level, set()
        )


def _requirements(competences, roles) -> _Requirements:
    from lms.models import CompetenceRequirement

    by_name = {competence.name: competence for competence in competences}
    known = _Requirements()
    rows = []
    for level, names in LEVEL_REQUIREMENTS.items():
        for name in names:
            rows.append(CompetenceRequirement(competence=by_name[name], management_level=level))
            known.by_level.setdefault(level, set()).add(by_name[name].pk)
    # Each role needs four competences of the standards its work touches, at level 1 to 3.
    for n, role in enumerate(roles.values()):
        for k in range(4):
            competence = competences[(n * 3 + k * 7) % len(competences)]
            rows.append(
                CompetenceRequirement(competence=competence, job_role=role, min_level=1 + k % 3)
            )
            known.by_role.setdefault(role.pk, set()).add(competence.pk)
    for role_name, level, name, min_level in ROLE_AND_LEVEL_REQUIREMENTS:
        rows.append(
            CompetenceRequirement(
                competence=by_name[name],
                job_role=roles[role_name],
                management_level=level,
                min_level=min_level,
            )
        )
    unique = {(r.competence_id, r.job_role_id, r.management_level): r for r in rows}
    CompetenceRequirement.objects.bulk_create(unique.values())
    known.count = len(unique)
    return known


def _people(size: int, departments, roles, rng: random.Random):
    """Layer by layer, as in roster_import: a few top managers, middle and frontline managers,
    then staff, each reporting to someone one level up, mostly in their own division."""
    from lms.models import User

    divisions = list(DIVISION_WEIGHTS)
    weights = list(DIVISION_WEIGHTS.values())
    places = {
        division: [d for d in departments.values() if _division_of(d) == division]
        for division in divisions
    }
    levels = [("top", max(1, size // 1000)), ("middle", max(1, size // 50))]
    levels.append(("frontline", max(1, size // 10)))
    levels.append(("staff", size - sum(count for _, count in levels)))
    everyone, bosses = [], {}
    for level, count in levels:
        layer = []
        for _ in range(count):
            n = len(everyone) + len(layer) + 1
            division = "Executive Office" if level == "top" else rng.choices(divisions, weights)[0]
            layer.append(
                User(
                    email=f"person.{n}@bench.example",
                    employee_id=f"{ID_PREFIX}{n:06d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    department=rng.choice(places[division]),
                    job_role=roles[rng.choice(DIVISION_ROLES[division])],
                    management_level=level,
                    manager=_pick_manager(division, bosses, rng),
                    password="!",  # unusable: the bench logs in through a session
                )
            )
        everyone += User.objects.bulk_create(layer, batch_size=2000)
        bosses = {}
        for person in layer:
            bosses.setdefault(_division_of(person.department), []).append(person)
    return everyone


def _pick_manager(division: str, bosses, rng: random.Random):
    """Someone one level up in the same division, or in the top team."""
    if not bosses:
        return None
    return rng.choice(bosses.get(division) or [b for team in bosses.values() for b in team])


def _records(people, competences, requirements: _Requirements, rng: random.Random):
    """About one record per person and competence, written by COPY with the ids chosen here,
    so a revocation or a replacement can point at the record it supersedes."""
    from django.db import connection

    from lms.models import CompetenceRecord

    now = datetime.datetime.now(datetime.UTC)
    table = CompetenceRecord._meta.db_table
    columns = [
        "id", "user_id", "competence_id", "kind", "level", "achieved_at", "expires_at", "source",
        "notes", "certificate_file", "certificate_issuer", "supersedes_id", "reason",
        "recorded_at",
    ]  # fmt: skip
    tally = {"records": 0, "revoked": 0, "superseded": 0}
    next_id = 1
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for person in people:
                needed = requirements.of(person)
                for competence in competences:
                    held = 0.92 if competence.pk in needed else 0.68
                    if rng.random() >= held:
                        continue
                    chain = rng.choices((1, 2, 3), weights=(70, 25, 5))[0]
                    for row in _chain(person, competence, chain, next_id, now, rng):
                        copy.write_row(row)
                        tally["records"] += 1
                        tally["revoked"] += row[3] == "revoked"
                    tally["superseded"] += chain - 1
                    next_id += chain
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [next_id - 1])
    return tally


def _chain(person, competence, length: int, first_id: int, now, rng: random.Random):
    """`length` records of one person and competence, oldest first: each later one replaces
    the one before, or revokes it (never a revocation of a revocation)."""
    months = competence.validity_months
    # The latest record falls anywhere from 1.3 validity periods ago to now: some expired, some
    # expiring within the renewal window, most valid.
    span_days = int((months or 48) * 30.4 * 1.3)
    latest = now - datetime.timedelta(days=rng.uniform(0, span_days), minutes=rng.randint(0, 900))
    moments = [latest - datetime.timedelta(days=200 * (length - 1 - i)) for i in range(length)]
    rows, previous_kind = [], None
    for i, achieved in enumerate(moments):
        record_id = first_id + i
        revokes = previous_kind == "awarded" and rng.random() < 0.3
        level = rng.choices((1, 2, 3), weights=(15, 60, 25))[0]
        if revokes:
            row = (
                record_id, person.pk, competence.pk, "revoked", level, achieved, None,
                "revocation", "", "", "", record_id - 1, "Not applied in practice", achieved,
            )  # fmt: skip
        else:
            expires = achieved + datetime.timedelta(days=months * 30.4) if months else None
            source = rng.choice(("assessment", "assessment", "certificate"))
            issuer = "Accredited Training Ltd" if source == "certificate" else ""
            supersedes = record_id - 1 if i else None
            reason = "Renewed" if i else ""
            row = (
                record_id, person.pk, competence.pk, "awarded", level, achieved, expires,
                source, "", "", issuer, supersedes, reason, achieved,
            )  # fmt: skip
        previous_kind = row[3]
        rows.append(row)
    return rows


def _print_organisation(figures: Figures, department) -> None:
    from django.db.models import Count

    from lms.models import CompetenceRecord, User
    from lms.selectors.matrix import department_and_below

    counts = figures.counts
    levels = dict(
        User.objects.filter(employee_id__startswith=ID_PREFIX)
        .values_list("management_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    managers = User.objects.filter(reports__isnull=False).distinct().count()
    current = _current_record_count()
    print(
        f"database: PostgreSQL; {counts['people']:,} people in {counts['departments']} "
        f"departments ({len(department_and_below(department))} under {department.name}), "
        f"{counts['roles']} job roles, {managers:,} managers, levels "
        + ", ".join(f"{level} {levels.get(level, 0):,}" for level in TOP_DOWN)
    )
    print(
        f"{counts['competences']} competences, {counts['requirements']} requirements; "
        f"{CompetenceRecord.objects.count():,} records ({counts['revoked']:,} revocations, "
        f"{counts['superseded']:,} superseded), {current:,} of them current"
    )
    print(f"generated in {figures.build_seconds:.1f} s (people by bulk_create, records by COPY)\n")


TOP_DOWN = ("top", "middle", "frontline", "staff")


def _current_record_count() -> int:
    from lms.selectors.competence import current_record_queryset

    return current_record_queryset().count()


# --- The matrix page


def _measure_matrix(hr, department, repeat: int, figures: Figures) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.selectors.matrix import CellStatus, MatrixFilters, competence_matrix

    cases = [
        ("matrix page 1, no filter", MatrixFilters()),
        (f"matrix, department {department.name}", MatrixFilters(department=department)),
        ("matrix, status expired", MatrixFilters(status=CellStatus.EXPIRED)),
    ]
    for label, filters in cases:
        seconds = []
        for _ in range(repeat):
            viewer = _fresh(hr)
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                matrix = competence_matrix(viewer=viewer, filters=filters)
            seconds.append(time.perf_counter() - start)
        figures.timings.append(Timing(label, seconds, queries=len(captured), rows=matrix.row_count))


def _fresh(user):
    """The viewer as a new request would load it: no permission cache carried over."""
    return type(user).objects.get(pk=user.pk)


# --- The CSV export


class _Counted:
    def __init__(self, rows) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _export_once(hr) -> dict[str, float | int]:
    from lms.exports import table_bytes
    from lms.selectors.matrix import MatrixFilters, matrix_table

    viewer = _fresh(hr)
    start, cpu = time.perf_counter(), time.process_time()
    header, rows = matrix_table(viewer=viewer, filters=MatrixFilters())
    counted = _Counted(rows)
    first_byte, size = None, 0
    for chunk in table_bytes("csv", header, counted, title="Matrix"):
        if first_byte is None:
            first_byte = time.perf_counter() - start
        size += len(chunk)
    return {
        "ttfb": first_byte or 0.0,
        "total": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "bytes": size,
        "rows": counted.count,
    }


def _measure_export(options, hr, floors: dict[str, str], figures: Figures) -> None:
    """Each export run is followed by the floors, so both see the same load on the machine."""
    runs, growth = [], []
    floor_runs: dict[str, list[tuple[float, int]]] = {label: [] for label in floors}
    for _ in range(options.export_repeat):
        before = _memory_kb("VmRSS")
        _reset_peak_rss()
        runs.append(_export_once(hr))
        growth.append(_memory_kb("VmHWM") - before)
        for label, select in floors.items():
            floor_runs[label].append(_psql_copy(options.database_url, select))
    rows = runs[0]["rows"]
    figures.timings += [
        Timing("CSV export, first byte", [run["ttfb"] for run in runs], rows=rows),
        Timing("CSV export, total", [run["total"] for run in runs], rows=rows),
        Timing("CSV export, CPU time of the process", [run["cpu"] for run in runs]),
    ]
    for label, timed in floor_runs.items():
        seconds = [run[0] for run in timed]
        figures.timings.append(
            Timing(label, seconds, rows=timed[0][1], note="psql \\copy to /dev/null")
        )
    figures.export = {
        "bytes": runs[0]["bytes"],
        "rows": rows,
        "rss_kb": _memory_kb("VmRSS"),
        "rss_growth_kb": max(growth),
    }


def _traced_peak_kb(hr) -> int:
    """The peak of Python's own allocations during one export. Tracemalloc slows Python down,
    so this run's time is not used."""
    tracemalloc.start()
    _export_once(hr)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak // 1024


def _memory_kb(field: str, pid: str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak_rss(pid: str = "self") -> None:
    # Linux resets VmHWM (the peak resident size) to the current size on "5".
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


# --- The floor: PostgreSQL alone


def _floor_statements(hr) -> dict[str, str]:
    """The matrix's own statement and a plain join of the current records to the people, with
    their parameters inlined, for psql."""
    from lms.selectors.competence import current_record_queryset
    from lms.selectors.matrix import MatrixFilters, matrix_columns, matrix_people, matrix_sql

    filters = MatrixFilters()
    column_ids = [competence.pk for competence in matrix_columns(filters=filters)]
    people = matrix_people(viewer=_fresh(hr), filters=filters)
    joined = (
        current_record_queryset()
        .order_by()
        .values_list(
            "user__employee_id",
            "user__first_name",
            "user__last_name",
            "user__email",
            "competence_id",
            "kind",
            "level",
            "expires_at",
        )
    )
    return {
        MATRIX_FLOOR: _inlined(*matrix_sql(people=people, column_ids=column_ids)),
        JOIN_FLOOR: _inlined(*joined.query.sql_with_params()),
    }


def _inlined(sql: str, params) -> str:
    """The statement with its parameters (numbers and booleans here) quoted by psycopg."""
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)


def _psql_copy(database_url: str, select: str) -> tuple[float, int]:
    """Seconds psql takes (starting and connecting included) and the rows it copied."""
    url = urlparse(database_url)
    command = [
        "psql",
        "-X",
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.path.lstrip("/"),
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        f"\\copy ({select}) to '/dev/null' with csv",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"psql failed: {done.stderr}")
    found = COPY_DONE.search(done.stdout)
    return seconds, int(found.group(1)) if found else 0


# --- Through HTTP, when the view exists


def _measure_http(options, hr, department, floors: dict[str, str], figures: Figures) -> None:
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("report_competence_matrix")
    except NoReverseMatch:
        figures.http_note = (
            "HTTP skipped: no URL named report_competence_matrix yet (re-run once it exists)"
        )
        return
    session_key = _session_of(hr)
    close_connections()
    port = free_port()
    # One synchronous worker: each request is measured alone, and its memory is that worker's.
    server = start_gunicorn(
        database_url=options.database_url,
        port=port,
        log=GUNICORN_LOG,
        arguments=["-w", "1", "--timeout", str(REQUEST_TIMEOUT)],
        is_ready=lambda port: _get(port, "/healthz", {})[0] == 200,
        ready_timeout=READY_TIMEOUT,
        DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"],
    )
    try:
        worker = _worker_of(server)
        cookie = {"Cookie": f"sessionid={session_key}"}
        cases = [
            ("HTTP matrix page 1, no filter", path),
            (f"HTTP matrix, department {department.name}", f"{path}?department={department.pk}"),
            ("HTTP matrix, status expired", f"{path}?status=expired"),
        ]
        _get(port, path, cookie)  # the first request of a worker loads the code
        for label, url in cases:
            seconds, status = [], 0
            for _ in range(options.repeat):
                start = time.perf_counter()
                status, _ttfb, _size, _rows = _get(port, url, cookie)
                seconds.append(time.perf_counter() - start)
            figures.timings.append(Timing(label, seconds, note=f"HTTP {status}"))
        runs, growth, cpu, floor = [], [], [], []
        for _ in range(options.export_repeat):
            before, cpu_before = _memory_kb("VmRSS", worker), _cpu_seconds(worker)
            _reset_peak_rss(worker)
            start = time.perf_counter()
            status, ttfb, size, lines = _get(port, f"{path}?export=csv", cookie)
            runs.append((ttfb, time.perf_counter() - start, size, lines))
            growth.append(_memory_kb("VmHWM", worker) - before)
            cpu.append(_cpu_seconds(worker) - cpu_before)
            floor.append(_psql_copy(options.database_url, floors[MATRIX_FLOOR])[0])
        note = f"HTTP {status}"
        figures.timings.append(
            Timing("HTTP CSV export, first byte", [r[0] for r in runs], note=note)
        )
        figures.timings.append(
            Timing("HTTP CSV export, total", [r[1] for r in runs], rows=runs[0][3] - 1, note=note)
        )
        figures.timings.append(Timing("HTTP CSV export, CPU time of the worker", cpu))
        figures.timings.append(Timing(HTTP_FLOOR, floor, note="between the HTTP exports"))
        figures.http_export = {"bytes": runs[0][2], "rss_growth_kb": max(growth)}
    finally:
        stop_server(server)


def _session_of(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _get(port: int, path: str, headers) -> tuple[int, float, int, int]:
    """Status, seconds to the first byte of the body, body size and its line count."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    start = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first = response.read(1)
        ttfb = time.perf_counter() - start
        size, lines = len(first), first.count(b"\n")
        while piece := response.read(64 * 1024):
            size += len(piece)
            lines += piece.count(b"\n")
        return response.status, ttfb, size, lines
    finally:
        connection.close()


def _cpu_seconds(pid: str) -> float:
    # utime and stime, fields 14 and 15 of /proc/<pid>/stat, after the command name in brackets.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _worker_of(server: subprocess.Popen) -> str:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return children[0] if children else str(server.pid)


# --- Query counts at two sizes


def _measure_query_counts(hr, small: int, figures: Figures) -> None:
    from lms.models import User

    figures.query_counts.append(_query_counts(hr))
    # The small organisation is the same one with all but `small` people gone inactive: the
    # matrix leaves them out, as it leaves out leavers.
    roster = User.objects.filter(employee_id__startswith=ID_PREFIX).exclude(pk=hr.pk)
    keep = list(roster.order_by("pk").values_list("pk", flat=True)[: small - 1])
    roster.exclude(pk__in=keep).update(is_active=False)
    figures.query_counts.append(_query_counts(hr))


def _query_counts(hr) -> tuple[int, int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.exports import table_bytes
    from lms.selectors.matrix import MatrixFilters, competence_matrix, matrix_table

    viewer = _fresh(hr)
    with CaptureQueriesContext(connection) as page:
        matrix = competence_matrix(viewer=viewer, filters=MatrixFilters())
    viewer = _fresh(hr)
    with CaptureQueriesContext(connection) as export:
        for _chunk in table_bytes(
            "csv", *matrix_table(viewer=viewer, filters=MatrixFilters()), title="Matrix"
        ):
            pass
    return matrix.row_count, len(page), len(export), _traced_peak_kb(hr)


# --- The figures


def _print_summary(figures: Figures) -> None:
    print(
        f"wall-clock figures on {os.cpu_count()} cores shared with whatever else runs here: "
        f"load average {figures.load_before:.1f} before the measures, "
        f"{os.getloadavg()[0]:.1f} after\n"
    )
    print(f"{'measure':<44} {'median s':>9} {'max s':>8} {'queries':>8} {'rows':>8}  note")
    for timing in figures.timings:
        queries = "" if timing.queries is None else timing.queries
        rows = "" if timing.rows is None else f"{timing.rows:,}"
        print(
            f"{timing.label:<44} {timing.median:>9.3f} {timing.max:>8.3f} {queries:>8} "
            f"{rows:>8}  {timing.note}"
        )
    if figures.http_note:
        print(figures.http_note)
    export = figures.export
    print(
        f"\nCSV export (in process): {export['bytes'] / 1e6:.1f} MB, {export['rows']:,} rows; "
        f"process RSS {export['rss_kb'] / 1024:.0f} MB, its peak grew by at most "
        f"{export['rss_growth_kb']:,} KB during an export"
    )
    if figures.http_export:
        http_export = figures.http_export
        print(
            f"CSV export (HTTP): {http_export['bytes'] / 1e6:.1f} MB; gunicorn worker peak RSS "
            f"growth {http_export['rss_growth_kb']:,} KB"
        )
    plain = figures.timing(JOIN_FLOOR)
    export_total = figures.timing("CSV export, total")
    print(
        f"ratio export / floor: {figures.ratio:.1f}x the matrix SELECT, "
        f"{export_total.median / plain.median:.1f}x the plain join (goal <= {GOAL_RATIO:.0f}x: "
        f"{'met' if figures.ratio <= GOAL_RATIO else 'NOT met'})"
    )
    if figures.http_ratio:
        print(
            f"ratio HTTP export / floor: {figures.http_ratio:.1f}x the matrix SELECT "
            f"(goal: {'met' if figures.http_ratio <= GOAL_RATIO else 'NOT met'})"
        )
    print("\n  people  queries: competence_matrix  full export   export's tracemalloc peak")
    for people, page, export_count, peak in figures.query_counts:
        print(f"{people:>8,} {page:>27} {export_count:>12} {peak:>19,} KB")
    counts = {(page, export) for _people, page, export, _peak in figures.query_counts}
    print("query counts equal at both sizes: " + ("yes" if len(counts) == 1 else "NO"))
    floor_rows = figures.timing(MATRIX_FLOOR).rows
    print(
        f"(queries as Django counts them; the server-side cursor also makes one FETCH round trip "
        f"per {FETCH_SIZE:,} joined rows: {-(-floor_rows // FETCH_SIZE)} at the full size)"
    )
    if figures.profile:
        print(
            "\nan export is over the goal; where the in-process export's time goes "
            "(cProfile, top 15 by own time):"
        )
        print("\n".join(figures.profile))


def _profile_export(hr) -> list[str]:
    """The export's functions that take the most time of their own, as lines to print."""
    profile = cProfile.Profile()
    profile.enable()
    _export_once(hr)
    profile.disable()
    stats = pstats.Stats(profile)
    lines = [f"{'own s':>7} {'total s':>8} {'calls':>9}  function"]
    top = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:15]
    for (filename, line, name), (_cc, calls, own, total, _callers) in top:
        where = f"{Path(filename).name}:{line} " if filename != "~" else ""
        lines.append(f"{own:>7.2f} {total:>8.2f} {calls:>9,}  {where}{name}")
    return lines


# --- The database


if __name__ == "__main__":
    main()
