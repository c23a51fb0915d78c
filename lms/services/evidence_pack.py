"""The audit evidence pack: for one clause of a standard (ISO 9001 7.2, say), optionally one
department and its sub-departments and a date range, a ZIP an auditor can take away that holds

- `requirement-matrix.csv`: the competence matrix limited to the clause's competences and the
  department;
- `records.csv`: every record of those competences for the people in scope, achieved or recorded
  within the range, with its evidence;
- `training-content/<module>-rev<id>.json`: each page revision those records' completions were
  trained on, as stored;
- `people/<employee id>-<name>.pdf`: the competence file of each person with a record in the pack
  or a requirement among its competences;
- `README.txt`, then `manifest.json` (the SHA-256 and size of every file, the filters, who and
  when) and `SHA256SUMS` (for `sha256sum -c`), so the pack can be shown to be unaltered.

The ZIP is produced while it is sent: rows are read in chunks and the PDFs rendered one at a
time, so memory stays flat. Queries: fourteen for the matrix, the records, the revisions and
the people, plus two or three per person file (their requirements and records, and the modules
closing their gaps when they have any).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Revision

from lms.exports import ZipStream, table_bytes
from lms.models import CompetenceRecord, Department, IsoClause, IsoStandard, User
from lms.selectors.competence import REVOKED, newer_records, records_with_evidence
from lms.selectors.matrix import (
    MatrixFilters,
    RequiredLevels,
    matrix_columns,
    matrix_people,
    matrix_table,
)
from lms.selectors.person_file import check_of, has_expired, name_of, person_file, state_of
from lms.services.certificates import organisation_name
from lms.services.competence import start_of
from lms.services.person_file import person_file_filename, render_person_file_pdf

RECORDS_PER_READ = 2000
REVISIONS_PER_READ = 20
PEOPLE_PER_READ = 200
RECORD_HEADER = [
    "Record",
    "Employee id",
    "Name",
    "Department",
    "Competence",
    "Kind",
    "State",
    "Level",
    "Source",
    "Achieved at",
    "Recorded at",
    "Recorded by",
    "Expires at",
    "Expired",
    "Module",
    "Completed at",
    "Revision id",
    "Revision created at",
    "Quiz",
    "Attempt",
    "Score (%)",
    "Passed",
    "Pass mark (%)",
    "Assessor",
    "Assessor's notes",
    "Certificate file",
    "Certificate issuer",
    "Manager confirmation",
    "Confirmed by",
    "Confirmed at",
    "Confirmation note",
    "Replaces or revokes record",
    "Revoked by record",
    "Reason",
]


@dataclass(frozen=True)
class PackFilters:
    standard: IsoStandard
    clause: IsoClause
    department: Department | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def matrix_filters(self) -> MatrixFilters:
        return MatrixFilters(clause=self.clause, department=self.department)

    def as_dict(self) -> dict:
        return {
            "standard": self.standard.name,
            "clause": f"{self.clause.number} {self.clause.title}",
            "department": self.department.name if self.department else None,
            "includes_sub_departments": True,
            "records_from": self.date_from.isoformat() if self.date_from else None,
            "records_to": self.date_to.isoformat() if self.date_to else None,
            "dates_compared": "achieved_at or recorded_at",
        }

    def describe(self) -> list[str]:
        """The filters in words, one per line, for the README."""
        if self.date_from and self.date_to:
            period = f"from {self.date_from} to {self.date_to}"
        elif self.date_from:
            period = f"from {self.date_from}"
        elif self.date_to:
            period = f"up to {self.date_to}"
        else:
            period = "any date"
        department = (
            f"{self.department.name} and its sub-departments"
            if self.department
            else "every department"
        )
        return [
            f"Standard: {self.standard.name}",
            f"Clause: {self.clause.number} {self.clause.title}",
            f"Department: {department}",
            f"Records achieved or recorded: {period} (both days included)",
        ]


@dataclass(frozen=True)
class Generation:
    """Who generated a pack and when: written into the README and the manifest."""

    by: User
    at: datetime.datetime

    def as_dict(self) -> dict:
        return {
            "name": name_of(self.by, missing=""),
            "email": self.by.email,
            "employee_id": self.by.employee_id,
        }


def pack_filename(*, filters: PackFilters, at: datetime.datetime) -> str:
    """The pack's file name without its extension."""
    clause = slugify(filters.clause.number.replace(".", "-"))
    return f"evidence-pack-{slugify(filters.standard.name)}-{clause}-{at:%Y%m%d-%H%M}"


# --- What the pack covers


def _within(filters: PackFilters) -> Q:
    """Records achieved or recorded within the range: a certificate recorded today for a course
    taken in the range counts, and so does one recorded in the range for an older course."""
    if filters.date_from is None and filters.date_to is None:
        return Q()
    bounds = {}
    if filters.date_from is not None:
        bounds["gte"] = start_of(filters.date_from)
    if filters.date_to is not None:
        bounds["lt"] = start_of(filters.date_to + datetime.timedelta(days=1))

    def on(field: str) -> Q:
        return Q(**{f"{field}__{lookup}": moment for lookup, moment in bounds.items()})

    return on("achieved_at") | on("recorded_at")


def pack_records(
    *,
    people: QuerySet[User],
    column_ids: list[int],
    filters: PackFilters,
    queryset: QuerySet[CompetenceRecord] | None = None,
) -> QuerySet[CompetenceRecord]:
    """Every record of the columns' competences for `people`, within the range."""
    queryset = CompetenceRecord.objects.all() if queryset is None else queryset
    return queryset.filter(
        _within(filters),
        user__in=people.order_by().values("pk"),
        competence_id__in=column_ids,
    )


def _records_with_state(records: QuerySet[CompetenceRecord]) -> QuerySet[CompetenceRecord]:
    """`records` (from `pack_records(queryset=records_with_evidence())`) with what became of
    each: the revocation that revoked it, and whether a later record replaced it."""
    revocations = CompetenceRecord.objects.filter(supersedes=OuterRef("pk"), kind=REVOKED)
    return (
        records.select_related("user__department")
        .annotate(
            revoked_by_record=Subquery(revocations.values("pk")[:1]),
            replaced=Exists(newer_records()),
        )
        .order_by(
            "user__last_name",
            "user__first_name",
            "user__email",
            "user_id",
            "competence__name",
            "recorded_at",
            "pk",
        )
    )


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return None if moment is None else timezone.localtime(moment)


def record_row(record: CompetenceRecord, *, moment: datetime.datetime) -> list:
    """One line of records.csv; `record` comes from `_records_with_state`."""
    user = record.user
    completion = record.completion if record.completion_id else None
    attempt = record.attempt if record.attempt_id else None
    check = check_of(record)
    state = state_of(
        record=record,
        revoked=record.revoked_by_record is not None,
        replaced=record.replaced,
        moment=moment,
    )
    return [
        record.pk,
        user.employee_id,
        name_of(user, missing=""),
        user.department.name if user.department_id else "",
        record.competence.name,
        record.get_kind_display(),
        state.label,
        record.get_level_display(),
        record.get_source_display(),
        _local(record.achieved_at),
        _local(record.recorded_at),
        name_of(record.recorded_by, missing="the platform"),
        _local(record.expires_at),
        "yes" if has_expired(record, moment=moment) else "no",
        completion.module.title if completion else "",
        _local(completion.completed_at) if completion else None,
        record.revision_id,
        _local(record.revision.created_at) if record.revision_id else None,
        attempt.quiz.title if attempt else "",
        attempt.number if attempt else None,
        attempt.score_percent if attempt else None,
        {True: "yes", False: "no", None: ""}[attempt.passed] if attempt else "",
        attempt.pass_mark_percent if attempt else None,
        name_of(record.assessor, missing="") if record.assessor_id else "",
        record.notes,
        record.certificate_file.name.rsplit("/", 1)[-1] if record.certificate_file else "",
        record.certificate_issuer,
        check.get_outcome_display() if check else "",
        name_of(check.answered_by, missing="") if check and check.answered_by_id else "",
        _local(check.answered_at) if check else None,
        check.note if check else "",
        record.supersedes_id,
        record.revoked_by_record,
        record.reason,
    ]


def _used_revisions(records: QuerySet[CompetenceRecord]) -> dict[int, str]:
    """The page revision of each record's completion, with its module's slug: one query."""
    return dict(
        records.filter(completion__revision__isnull=False)
        .order_by()
        .values_list("completion__revision_id", "completion__module__slug")
        .distinct()
    )


def revision_json(revision: Revision, *, slug: str) -> bytes:
    document = {
        "module": slug,
        "title": revision.content.get("title") or revision.object_str,
        "revision_id": revision.pk,
        "created_at": _local(revision.created_at).isoformat(),
        "content": revision.content,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


# --- The pack


@dataclass
class _Counts:
    records: int = 0
    revisions: int = 0
    people: int = 0


def evidence_pack(
    *, filters: PackFilters, generated_by: User, now: datetime.datetime | None = None
) -> Iterator[bytes]:
    """The pack's ZIP bytes, produced while they are read. `generated_by` decides whom it
    covers, as in the matrix: everyone for HR.

    Its files are read over many queries while it streams. On PostgreSQL they all read one
    snapshot (a read-only REPEATABLE READ transaction), so a record written mid-download is in
    none of them rather than in some."""
    # Inside a transaction already (a test's), the snapshot is that transaction's.
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and fresh:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield from _pack(filters=filters, generated_by=generated_by, now=now)


def _pack(
    *, filters: PackFilters, generated_by: User, now: datetime.datetime | None
) -> Iterator[bytes]:
    generation = Generation(by=generated_by, at=timezone.localtime(now))
    archive = ZipStream()
    counts = _Counts()
    matrix_filters = filters.matrix_filters
    column_ids = [competence.pk for competence in matrix_columns(filters=matrix_filters)]
    people = matrix_people(viewer=generated_by, filters=matrix_filters)
    records = pack_records(people=people, column_ids=column_ids, filters=filters)

    header, rows = matrix_table(
        viewer=generated_by, filters=matrix_filters, today=timezone.localdate(generation.at)
    )
    yield from archive.add_stream(
        "requirement-matrix.csv", table_bytes("csv", header, rows, title="Requirement matrix")
    )

    def record_rows() -> Iterator[list]:
        with_evidence = pack_records(
            people=people,
            column_ids=column_ids,
            filters=filters,
            queryset=records_with_evidence(),
        )
        for record in _records_with_state(with_evidence).iterator(chunk_size=RECORDS_PER_READ):
            counts.records += 1
            yield record_row(record, moment=generation.at)

    yield from archive.add_stream(
        "records.csv", table_bytes("csv", RECORD_HEADER, record_rows(), title="Records")
    )

    slugs = _used_revisions(records)
    revisions = Revision.objects.filter(
        pk__in=records.order_by().values("completion__revision_id")
    ).order_by("pk")
    for revision in revisions.iterator(chunk_size=REVISIONS_PER_READ):
        # A record written since the slugs were read may add a revision: name it by its page.
        slug = slugs.get(revision.pk) or f"page-{revision.object_id}"
        counts.revisions += 1
        yield from archive.add(
            f"training-content/{slug}-rev{revision.pk}.json", revision_json(revision, slug=slug)
        )

    yield from _person_files(
        archive,
        people=people,
        column_ids=column_ids,
        filters=filters,
        generation=generation,
        counts=counts,
    )
    yield from archive.add("README.txt", _readme(filters, generation, counts).encode())
    manifest = {
        "generated_at": generation.at.isoformat(timespec="seconds"),
        "generated_by": generation.as_dict(),
        "filters": filters.as_dict(),
        "files": [
            {"path": path, "sha256": sha256, "bytes": size}
            for path, (sha256, size) in archive.digests.items()
        ],
    }
    yield from archive.add(
        "manifest.json",
        json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode(),
    )
    sums = "".join(f"{sha256}  {path}\n" for path, (sha256, _) in archive.digests.items())
    yield from archive.add("SHA256SUMS", sums.encode())
    yield archive.close()


def _person_files(
    archive: ZipStream,
    *,
    people: QuerySet[User],
    column_ids: list[int],
    filters: PackFilters,
    generation: Generation,
    counts: _Counts,
) -> Iterator[bytes]:
    """The competence file of each person with a record in the pack or a requirement among its
    competences, rendered and sent one at a time."""
    required_levels = RequiredLevels(column_ids)
    organisation = organisation_name()
    today = timezone.localdate(generation.at)
    people = (
        people.select_related("department", "job_role", "manager")
        .annotate(
            has_record=Exists(
                CompetenceRecord.objects.filter(
                    _within(filters), competence_id__in=column_ids, user_id=OuterRef("pk")
                )
            )
        )
        .iterator(chunk_size=PEOPLE_PER_READ)
    )
    names: set[str] = set()
    for person in people:
        if not (
            person.has_record or required_levels.of(person.job_role_id, person.management_level)
        ):
            continue
        name = person_file_filename(person)
        if name in names:
            name = f"{name}-{person.pk}"
        names.add(name)
        pdf = render_person_file_pdf(
            person_file=person_file(person=person, today=today), organisation=organisation
        )
        counts.people += 1
        yield from archive.add(f"people/{name}.pdf", pdf)


def _readme(filters: PackFilters, generation: Generation, counts: _Counts) -> str:
    who = generation.as_dict()
    lines = [
        f"Audit evidence pack: {filters.standard.name} clause {filters.clause.number} "
        f"{filters.clause.title}",
        "",
        f"Generated {generation.at.isoformat(timespec='seconds')} by {who['name']} "
        f"<{who['email']}>.",
        "",
        "Filters",
        *(f"  {line}" for line in filters.describe()),
        "",
        "Contents",
        "  requirement-matrix.csv  Each person in scope against each competence of the clause: "
        "competent (with level), expiring, expired, revoked, below the required level, missing "
        "or not required.",
        f"  records.csv             {counts.records} competence records of those competences, "
        "with their evidence: module and page revision, quiz attempt and score, assessor and "
        "notes, certificate, manager confirmation, who recorded it, expiry, revocation.",
        f"  training-content/       {counts.revisions} training module page revisions the "
        "records' completions were trained on, as stored.",
        f"  people/                 {counts.people} person competence files (PDF): every "
        "record of each person with a record or a requirement in this pack.",
        "  manifest.json           The SHA-256 and size of every file above, the filters, who "
        "generated the pack and when.",
        "  SHA256SUMS              The same hashes (manifest.json included): check the pack "
        "with `sha256sum -c SHA256SUMS`.",
        "",
        "People in scope are the active people on the roster. Spreadsheet cells that would "
        "start a formula begin with an apostrophe.",
    ]
    return "\n".join(lines) + "\n"
