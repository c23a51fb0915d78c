"""What people hold of the competence framework: the current record of each competence, a
person's profile against what their job role and management level require, the gaps and the
modules that close them. Each read is a fixed number of queries, whatever the data size.

The current record of a person and a competence is the one recorded last (by `recorded_at`, then
by id): a revocation or a newer award replaces what came before, nothing is edited in place.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lms.models import (
    Competence,
    CompetenceRecord,
    CompetenceRequirement,
    EffectivenessCheck,
    ProficiencyLevel,
    TrainingModule,
    User,
)
from lms.selectors.people import manages

AWARDED = CompetenceRecord.Kind.AWARDED
REVOKED = CompetenceRecord.Kind.REVOKED
RECORD_PERMISSION = "lms.record_competence"


class Standing(models.TextChoices):
    """Where a person stands with one competence."""

    HELD = "held", "Held"
    EXPIRING = "expiring", "Expiring soon"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    MISSING = "missing", "Missing"
    BELOW = "below", "Below the required level"


def moment_of(today: datetime.date | None = None) -> datetime.datetime:
    """The moment a read is made at: now, or the current time of day on `today`."""
    now = timezone.localtime()
    if today is None:
        return now
    return now.replace(year=today.year, month=today.month, day=today.day)


def _end_of(day: datetime.date) -> datetime.datetime:
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start) - datetime.timedelta(microseconds=1)


def newer_records() -> QuerySet[CompetenceRecord]:
    """Records of the outer record's person and competence recorded after it: for `Exists`."""
    return CompetenceRecord.objects.filter(
        user_id=OuterRef("user_id"), competence_id=OuterRef("competence_id")
    ).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )


def is_current(record: CompetenceRecord) -> bool:
    """Whether no record of the same person and competence came after `record`."""
    return not (
        CompetenceRecord.objects.filter(user_id=record.user_id, competence_id=record.competence_id)
        .filter(
            Q(recorded_at__gt=record.recorded_at)
            | Q(recorded_at=record.recorded_at, pk__gt=record.pk)
        )
        .exists()
    )


def current_record_queryset(*, as_of: datetime.datetime | None = None) -> QuerySet:
    """Every current record (latest per person and competence) as one query, optionally as the
    records stood at `as_of`. A NOT EXISTS on the (user, competence, recorded_at) index, which
    SQLite and PostgreSQL both plan well."""
    records = CompetenceRecord.objects.all()
    newer = newer_records()
    if as_of is not None:
        records = records.filter(recorded_at__lte=as_of)
        newer = newer.filter(recorded_at__lte=as_of)
    return records.filter(~Exists(newer))


def current_records(
    *, user_ids: Iterable[int] | QuerySet, today: datetime.date | None = None
) -> dict[tuple[int, int], CompetenceRecord]:
    """The current record of each (person, competence) among `user_ids`, keyed by
    (user_id, competence_id), with its competence loaded: one query. With `today`, the records
    as they stood at the end of that day."""
    if not isinstance(user_ids, QuerySet):
        user_ids = list(user_ids)
    as_of = _end_of(today) if today is not None else None
    records = (
        current_record_queryset(as_of=as_of)
        .filter(user_id__in=user_ids)
        .select_related("competence")
        .order_by()
    )
    return {(record.user_id, record.competence_id): record for record in records}


def standing_of(
    record: CompetenceRecord | None,
    *,
    moment: datetime.datetime,
    required_level: int | None = None,
    renewal_days: int | None = None,
) -> Standing:
    """The standing a current record gives: missing, revoked, expired, below the required level,
    expiring within `renewal_days` (LMS_COMPETENCE_RENEWAL_DAYS by default), or held."""
    if record is None:
        return Standing.MISSING
    if record.kind == REVOKED:
        return Standing.REVOKED
    if record.expires_at is not None and record.expires_at <= moment:
        return Standing.EXPIRED
    if required_level is not None and record.level < required_level:
        return Standing.BELOW
    if renewal_days is None:
        renewal_days = settings.LMS_COMPETENCE_RENEWAL_DAYS
    soon = moment + datetime.timedelta(days=renewal_days)
    if record.expires_at is not None and record.expires_at <= soon:
        return Standing.EXPIRING
    return Standing.HELD


# --- Who may do what


def can_record_competence(*, recorder: User, person: User) -> bool:
    """Whether `recorder` may record an assessment or a certificate for `person`, or revoke one
    of their records: HR for anyone, a manager for the people below them, nobody for
    themselves."""
    if not recorder.is_authenticated or not recorder.is_active or recorder.pk == person.pk:
        return False
    return recorder.has_perm(RECORD_PERMISSION) or manages(manager=recorder, person=person)


def can_answer_check(*, user: User, person: User) -> bool:
    """Whether `user` may answer an effectiveness check about `person`: their current line
    manager, or HR; never the person themself."""
    if not user.is_authenticated or not user.is_active or user.pk == person.pk:
        return False
    return person.manager_id == user.pk or user.has_perm(RECORD_PERMISSION)


# --- A person's profile


@dataclass
class CompetenceStatus:
    """One competence of a person's profile: what is required (if anything), what they hold."""

    competence: Competence
    standing: Standing
    record: CompetenceRecord | None
    required_level: int | None = None
    required_by: list[str] = field(default_factory=list)
    closing_modules: list[TrainingModule] = field(default_factory=list)

    @property
    def held_level(self) -> int | None:
        if self.record is None or self.record.kind == REVOKED:
            return None
        return self.record.level

    @property
    def held_level_label(self) -> str:
        level = self.held_level
        return "" if level is None else ProficiencyLevel(level).label

    @property
    def required_level_label(self) -> str:
        level = self.required_level
        return "" if level is None else ProficiencyLevel(level).label

    @property
    def until(self) -> datetime.datetime | None:
        return None if self.held_level is None else self.record.expires_at

    @property
    def standing_label(self) -> str:
        return self.standing.label

    @property
    def is_gap(self) -> bool:
        return self.standing != Standing.HELD


@dataclass
class HistoryEntry:
    """One record of a person's history, with the revocation that replaced it, if any."""

    record: CompetenceRecord
    revocation: CompetenceRecord | None
    is_current: bool

    @property
    def can_be_revoked(self) -> bool:
        return self.is_current and self.record.kind == AWARDED


@dataclass
class CompetenceProfile:
    person: User
    required: list[CompetenceStatus]
    held: list[CompetenceStatus]
    history: list[HistoryEntry]
    moment: datetime.datetime

    @property
    def gaps(self) -> list[CompetenceStatus]:
        """What needs doing: every requirement not held, and held competences running out."""
        return [status for status in self.required + self.held if status.is_gap]


def requirements_for(user: User) -> QuerySet[CompetenceRequirement]:
    """The requirements that apply to `user`: those naming their management level only, their
    job role only, or both (which apply only when both match)."""
    applies = Q(job_role__isnull=True, management_level=user.management_level)
    if user.job_role_id is not None:
        applies |= Q(job_role_id=user.job_role_id, management_level="")
        applies |= Q(job_role_id=user.job_role_id, management_level=user.management_level)
    return CompetenceRequirement.objects.filter(applies)


def records_with_evidence() -> QuerySet[CompetenceRecord]:
    """Records with everything their evidence trail shows loaded in the same query."""
    return CompetenceRecord.objects.select_related(
        "competence",
        "completion__module",
        "revision",
        "attempt__quiz",
        "assessor",
        "recorded_by",
        "effectiveness_check__answered_by",
        "effectiveness_check__manager",
    ).defer(
        "completion__module__body",
        "revision__content",
        "attempt__paper",
        "attempt__quiz__questions",
        "attempt__quiz__instructions",
    )


def competence_profile(*, user: User, today: datetime.date | None = None) -> CompetenceProfile:
    """What `user`'s job role and management level require and where they stand with each, the
    competences they hold that nothing requires, the live modules that would close each gap,
    and their whole record history (revocations included), latest first. Three queries."""
    moment = moment_of(today)
    requirements = list(
        requirements_for(user).select_related("competence", "job_role").order_by("pk")
    )
    records = list(records_with_evidence().filter(user=user).order_by("-recorded_at", "-pk"))

    current: dict[int, CompetenceRecord] = {}
    revocations: dict[int, CompetenceRecord] = {}
    for record in records:
        current.setdefault(record.competence_id, record)
        if record.kind == REVOKED and record.supersedes_id is not None:
            revocations[record.supersedes_id] = record

    # Several requirements may ask for one competence (by role and by level): the highest wins.
    required: dict[int, CompetenceStatus] = {}
    for requirement in requirements:
        status = required.get(requirement.competence_id)
        if status is None:
            status = required[requirement.competence_id] = CompetenceStatus(
                competence=requirement.competence,
                standing=Standing.MISSING,
                record=current.get(requirement.competence_id),
                required_level=requirement.min_level,
            )
        status.required_level = max(status.required_level, requirement.min_level)
        status.required_by.append(_who(requirement))
    for status in required.values():
        status.standing = standing_of(
            status.record, moment=moment, required_level=status.required_level
        )
    held = [
        CompetenceStatus(
            competence=record.competence,
            standing=standing_of(record, moment=moment),
            record=record,
        )
        for competence_id, record in current.items()
        if competence_id not in required and record.kind == AWARDED
    ]
    profile = CompetenceProfile(
        person=user,
        required=sorted(required.values(), key=lambda s: s.competence.name),
        held=sorted(held, key=lambda s: s.competence.name),
        history=[
            HistoryEntry(
                record=record,
                revocation=revocations.get(record.pk),
                is_current=current[record.competence_id] is record,
            )
            for record in records
        ],
        moment=moment,
    )
    _attach_closing_modules(profile.gaps)
    return profile


def _who(requirement: CompetenceRequirement) -> str:
    parts = [str(requirement.job_role or ""), requirement.get_management_level_display()]
    return ", ".join(part for part in parts if part)


def live_modules_evidencing(competence_ids: Iterable[int]) -> dict[int, list[TrainingModule]]:
    """The live modules that record each of `competence_ids`, by title: one query. Callers keep
    those whose `competence_level` is high enough for what they need."""
    through = TrainingModule.competences.through
    links = (
        through.objects.filter(competence_id__in=set(competence_ids), trainingmodule__live=True)
        .select_related("trainingmodule")
        .defer("trainingmodule__body")
        .order_by("trainingmodule__title", "trainingmodule_id")
    )
    modules: dict[int, list[TrainingModule]] = defaultdict(list)
    for link in links:
        modules[link.competence_id].append(link.trainingmodule)
    return modules


def _attach_closing_modules(gaps: list[CompetenceStatus]) -> None:
    """Each gap's live modules that record its competence at the level it needs: one query."""
    if not gaps:
        return
    modules = live_modules_evidencing(gap.competence.pk for gap in gaps)
    for gap in gaps:
        needed = gap.required_level if gap.required_level is not None else gap.held_level
        gap.closing_modules = [
            module
            for module in modules[gap.competence.pk]
            if needed is None or module.competence_level >= needed
        ]


# --- Effectiveness checks


def pending_checks_for(*, user: User, today: datetime.date | None = None) -> QuerySet:
    """The checks due and unanswered that `user` is asked to answer: those about the people
    whose line manager they are now, or every one for HR. Revoked records are left out."""
    today = today or timezone.localdate()
    checks = _checks().filter(
        outcome=EffectivenessCheck.Outcome.PENDING,
        due_on__lte=today,
        record__user__is_active=True,
    )
    checks = checks.exclude(record__superseded_by__kind=REVOKED)
    if not user.has_perm(RECORD_PERMISSION):
        checks = checks.filter(record__user__manager=user)
    return checks.exclude(record__user=user).order_by("due_on", "pk")


def answered_checks_for(*, user: User, limit: int = 50) -> list[EffectivenessCheck]:
    """The latest checks `user` answered, or that were answered about their reports."""
    checks = _checks().exclude(outcome=EffectivenessCheck.Outcome.PENDING)
    checks = checks.filter(Q(answered_by=user) | Q(record__user__manager=user))
    return list(checks.order_by("-answered_at", "-pk")[:limit])


def _checks() -> QuerySet[EffectivenessCheck]:
    return EffectivenessCheck.objects.select_related(
        "record__competence", "record__user", "answered_by", "manager"
    )
