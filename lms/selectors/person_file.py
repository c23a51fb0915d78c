"""A person's competence file: every competence record they ever had (awarded, revoked,
superseded, expired), in the order they were recorded, each with the evidence it rests on, under
a header saying who they are and where they stand against their requirements today.

The evidence trail of each record is built here once, as lines of text, so the page, the PDF and
the audit evidence pack show the same words. Four queries: the person with their department,
role and line manager, then the three of `competence_profile`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from lms.models import CompetenceRecord, EffectivenessCheck, ProficiencyLevel, User
from lms.selectors.competence import (
    AWARDED,
    REVOKED,
    CompetenceProfile,
    CompetenceStatus,
    HistoryEntry,
    Standing,
    competence_profile,
)

PLATFORM = "the platform"


class EntryState(models.TextChoices):
    """Where one record of the file stands today."""

    CURRENT = "current", "Current"
    EXPIRED = "expired", "Expired"
    SUPERSEDED = "superseded", "Superseded by a later record"
    REVOKED = "revoked", "Revoked"
    REVOCATION = "revocation", "Revocation"


def state_of(
    *, record: CompetenceRecord, revoked: bool, replaced: bool, moment: datetime.datetime
) -> EntryState:
    """The state of `record` at `moment`: a revocation, revoked, superseded by a later record of
    the same competence, expired, or current."""
    if record.kind == REVOKED:
        return EntryState.REVOCATION
    if revoked:
        return EntryState.REVOKED
    if replaced:
        return EntryState.SUPERSEDED
    if has_expired(record, moment=moment):
        return EntryState.EXPIRED
    return EntryState.CURRENT


def has_expired(record: CompetenceRecord, *, moment: datetime.datetime) -> bool:
    return record.kind == AWARDED and record.expires_at is not None and record.expires_at <= moment


def day(moment: datetime.datetime | datetime.date | None) -> str:
    """A date as the file prints it: 3 March 2025."""
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return date_format(moment, "j F Y")


def percent(value: Decimal | None) -> str:
    if value is None:
        return "no score"
    return f"{value.normalize():f}%"


def check_of(record: CompetenceRecord) -> EffectivenessCheck | None:
    # A reverse one-to-one loaded by select_related raises when there is no row.
    try:
        return record.effectiveness_check
    except ObjectDoesNotExist:
        return None


def name_of(user: User | None, *, missing: str) -> str:
    if user is None:
        return missing
    return user.get_full_name() or user.email


@dataclass(frozen=True)
class FileEntry:
    """One record of the file with its state and its evidence trail as (label, text) lines."""

    record: CompetenceRecord
    state: EntryState
    expired: bool
    trail: list[tuple[str, str]]

    @property
    def state_text(self) -> str:
        """The state, saying also when the expiry date of a revoked or superseded record has
        passed."""
        if self.expired and self.state != EntryState.EXPIRED:
            return f"{self.state.label}; its expiry date has passed"
        return self.state.label

    @property
    def heading(self) -> str:
        """The record in one line: what, at which level, from where."""
        record = self.record
        if record.kind == REVOKED:
            return f"{record.competence.name}: revocation"
        level = ProficiencyLevel(record.level).label
        return f"{record.competence.name}: {level}, {record.get_source_display().lower()}"


@dataclass
class PersonFile:
    person: User
    profile: CompetenceProfile
    entries: list[FileEntry]  # oldest first
    generated_at: datetime.datetime

    @property
    def header(self) -> list[tuple[str, str]]:
        """Who the file is about, as (label, text) lines."""
        person = self.person
        return [
            ("Person", name_of(person, missing="")),
            ("Employee id", person.employee_id or "none"),
            ("Department", str(person.department or "none")),
            ("Job role", str(person.job_role or "none")),
            ("Management level", person.get_management_level_display()),
            ("Line manager", name_of(person.manager, missing="none")),
            ("Generated", f"{day(self.generated_at)} {self.generated_at:%H:%M}"),
        ]

    @property
    def standing(self) -> list[tuple[str, str]]:
        """Where the person stands with each requirement and each other competence held, as
        (competence, text) lines."""
        return [
            (status.competence.name, _standing_text(status))
            for status in self.profile.required + self.profile.held
        ]


def _standing_text(status: CompetenceStatus) -> str:
    if status.required_level is None:
        required = "not required"
    else:
        required = f"requires {status.required_level_label.lower()}"
    if status.held_level is None:
        held = "nothing held"
    else:
        verb = "held" if status.standing == Standing.EXPIRED else "holds"
        until = f" until {day(status.until)}" if status.until else ", no expiry"
        held = f"{verb} {status.held_level_label.lower()}{until}"
    return f"{status.standing_label}: {required}; {held}"


def person_file(*, person: User, today: datetime.date | None = None) -> PersonFile:
    """The competence file of `person` (loaded with department, job role and manager, as
    `people_with_org` does): three queries."""
    profile = competence_profile(user=person, today=today)
    history = list(reversed(profile.history))
    later_by_record = _next_of_same_competence(history)
    entries = [
        _entry(item, later=later_by_record.get(item.record.pk), moment=profile.moment)
        for item in history
    ]
    return PersonFile(person=person, profile=profile, entries=entries, generated_at=profile.moment)


def _next_of_same_competence(history: list[HistoryEntry]) -> dict[int, CompetenceRecord]:
    """For each record (oldest first), the record of the same competence written after it."""
    last: dict[int, CompetenceRecord] = {}
    following: dict[int, CompetenceRecord] = {}
    for item in history:
        record = item.record
        previous = last.get(record.competence_id)
        if previous is not None:
            following[previous.pk] = record
        last[record.competence_id] = record
    return following


def _entry(
    item: HistoryEntry, *, later: CompetenceRecord | None, moment: datetime.datetime
) -> FileEntry:
    record = item.record
    return FileEntry(
        record=record,
        state=state_of(
            record=record,
            revoked=item.revocation is not None,
            replaced=not item.is_current,
            moment=moment,
        ),
        expired=has_expired(record, moment=moment),
        trail=evidence_trail(record, revocation=item.revocation, replaced_by=later, moment=moment),
    )


def evidence_trail(
    record: CompetenceRecord,
    *,
    revocation: CompetenceRecord | None,
    replaced_by: CompetenceRecord | None,
    moment: datetime.datetime,
) -> list[tuple[str, str]]:
    """What `record` rests on and what became of it, as (label, text) lines. `record` comes from
    `records_with_evidence`, so nothing here reads the database."""
    lines = [
        ("Record", f"number {record.pk}, recorded {day(record.recorded_at)}"),
        ("Source", record.get_source_display()),
    ]
    if record.kind == AWARDED:
        lines.append(("Level", ProficiencyLevel(record.level).label))
        lines.append(("Achieved", day(record.achieved_at)))
    if record.completion_id is not None:
        completion = record.completion
        lines.append(
            (
                "Training",
                f"completed “{completion.module.title}” on {day(completion.completed_at)}",
            )
        )
        if record.revision_id is not None:
            revision = f"revision {record.revision_id} of {day(record.revision.created_at)}"
        else:
            revision = "not recorded"
        lines.append(("Module revision", revision))
    if record.attempt_id is not None:
        attempt = record.attempt
        outcome = {True: "passed", False: "not passed", None: "not scored"}[attempt.passed]
        lines.append(
            (
                "Quiz attempt",
                f"“{attempt.quiz.title}”, attempt {attempt.number}: "
                f"{percent(attempt.score_percent)}, {outcome} "
                f"(pass mark {attempt.pass_mark_percent}%)",
            )
        )
    if record.source == CompetenceRecord.Source.ASSESSMENT:
        lines.append(("Assessor", name_of(record.assessor, missing="no longer listed")))
        lines.append(("Assessor's notes", record.notes))
    if record.certificate_file:
        lines.append(
            (
                "Certificate",
                f"file {record.certificate_file.name.rsplit('/', 1)[-1]}, "
                f"issued by {record.certificate_issuer}",
            )
        )
    check = check_of(record)
    if check is not None:
        lines.append(("Manager confirmation", _confirmation(check)))
    lines.append(("Recorded by", name_of(record.recorded_by, missing=PLATFORM)))
    if record.kind == AWARDED:
        lines.append(("Expiry", _expiry(record, moment=moment)))
    if record.kind == REVOKED:
        lines.append(("Revokes", f"record {record.supersedes_id}"))
        lines.append(("Reason", record.reason))
    elif record.supersedes_id is not None:
        lines.append(("Replaces", f"record {record.supersedes_id}"))
    if revocation is not None:
        who = name_of(revocation.recorded_by, missing=PLATFORM)
        lines.append(
            (
                "Revoked",
                f"on {day(revocation.recorded_at)} by {who} (record {revocation.pk}): "
                f"{revocation.reason}",
            )
        )
    elif replaced_by is not None and record.kind == AWARDED:
        lines.append(
            ("Superseded", f"by record {replaced_by.pk} of {day(replaced_by.recorded_at)}")
        )
    return lines


def _confirmation(check: EffectivenessCheck) -> str:
    if check.outcome == EffectivenessCheck.Outcome.PENDING:
        if check.requested_at is not None:
            asked = name_of(check.manager, missing="the line manager")
            return (
                f"due {day(check.due_on)}; asked of {asked} on {day(check.requested_at)}, "
                "not answered yet"
            )
        return f"due {day(check.due_on)}, not asked yet"
    who = name_of(check.answered_by, missing="someone no longer listed")
    text = f"{check.get_outcome_display()}: answered by {who} on {day(check.answered_at)}"
    return f"{text}. Note: {check.note}" if check.note else text


def _expiry(record: CompetenceRecord, *, moment: datetime.datetime) -> str:
    if record.expires_at is None:
        return "no expiry"
    if has_expired(record, moment=moment):
        return f"expired on {day(record.expires_at)}"
    return f"expires on {day(record.expires_at)}"
