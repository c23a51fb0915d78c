"""Competence records and their life cycle (ISO 9001 7.2): recorded by completing a module or
passing its quiz, by an assessor, or from an external certificate; revoked by a new record; checked
for effectiveness by the line manager; renewed before they expire, and announced when they lapse.

Records are append-only (see `lms.models.competence`). Who may record by hand: HR
(`lms.record_competence`) for anyone, a manager for the people below them, nobody for themselves.
Anything that tells people something writes its row first (the record, the check's
`requested_at`, the expiry notice) in the transaction that tells them, so a retry or a second
worker tells nobody twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from lms.audience import department_parents
from lms.models import (
    Competence,
    CompetenceRecord,
    Completion,
    EffectivenessCheck,
    ExpiryNotice,
    Notification,
    ProficiencyLevel,
    TrainingModule,
    User,
)
from lms.models.content import add_months
from lms.selectors.competence import (
    can_answer_check,
    can_record_competence,
    current_record_queryset,
    is_current,
    moment_of,
)
from lms.services.assignments import assign_module
from lms.services.notifications import notification
from lms.signals import effectiveness_check_answered
from quizzes.models import Attempt

AWARDED = CompetenceRecord.Kind.AWARDED
REVOKED = CompetenceRecord.Kind.REVOKED
Source = CompetenceRecord.Source
Outcome = EffectivenessCheck.Outcome

# The certificate types accepted, by extension, and how each file must begin.
CERTIFICATE_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
REASON_LENGTH = CompetenceRecord._meta.get_field("reason").max_length
ISSUER_LENGTH = CompetenceRecord._meta.get_field("certificate_issuer").max_length
# A completion whose competence task was lost is picked up by the nightly sweep within this many
# days; older completions are left alone, so adding a competence to a module later does not
# award it to everyone who took the module years ago.
SWEEP_DAYS = 30
BATCH_SIZE = 200


def expiry_of(
    *, competence: Competence, achieved_at: datetime.datetime
) -> datetime.datetime | None:
    """When a record of `competence` achieved at `achieved_at` expires: `validity_months` later,
    at the same time of day (31 January + 1 month is 28/29 February); None when it never does."""
    if not competence.validity_months:
        return None
    local = timezone.localtime(achieved_at)
    day = add_months(local.date(), competence.validity_months)
    return local.replace(year=day.year, month=day.month, day=day.day)


# --- Recorded by the platform


def record_from_completion(*, completion: Completion) -> list[CompetenceRecord]:
    """Record each competence the completed module evidences, once per completion, and return
    the records (those written earlier included).

    The source is the passed quiz attempt when the module has a quiz and the person passed it at
    or before completing (the latest such attempt), else the completion itself; the record keeps
    the page revision the person trained on. The level is the module's `competence_level`. For
    competences that ask for one, an effectiveness check is written for the line manager; the
    person is told in-app.
    """
    records, _ = _record_from_completion(completion)
    return records


def _record_from_completion(
    completion: Completion,
) -> tuple[list[CompetenceRecord], list[CompetenceRecord]]:
    """`record_from_completion`, also returning the records this call wrote."""
    module = completion.module
    competences = list(module.competences.order_by("name"))
    existing = {r.competence_id: r for r in CompetenceRecord.objects.filter(completion=completion)}
    if all(c.pk in existing for c in competences):
        return [existing[c.pk] for c in competences], []
    attempt = _passed_attempt(completion) if module.quiz_id else None
    # An attempt evidences each competence once: a second completion resting on the same
    # attempt (a refresher with no new attempt) records the completion alone.
    attempt_used_for = set()
    if attempt is not None:
        attempt_used_for = set(
            CompetenceRecord.objects.filter(attempt=attempt).values_list("competence_id", flat=True)
        )
    user = completion.user
    written = []
    with transaction.atomic():
        for competence in competences:
            if competence.pk in existing:
                continue
            by_attempt = attempt is not None and competence.pk not in attempt_used_for
            record = CompetenceRecord(
                user=user,
                competence=competence,
                kind=AWARDED,
                level=module.competence_level,
                achieved_at=completion.completed_at,
                expires_at=expiry_of(competence=competence, achieved_at=completion.completed_at),
                source=Source.QUIZ_ATTEMPT if by_attempt else Source.MODULE_COMPLETION,
                completion=completion,
                revision_id=completion.revision_id,
                attempt=attempt if by_attempt else None,
            )
            if not _insert(record):
                # Another worker recorded it between our look and our write.
                existing[competence.pk] = CompetenceRecord.objects.get(
                    completion=completion, competence=competence
                )
                continue
            existing[competence.pk] = record
            written.append(record)
            _write_effectiveness_check(record)
        if written:
            names = ", ".join(f"“{record.competence}”" for record in written)
            level = ProficiencyLevel(module.competence_level).label.lower()
            notification(
                user_id=user.pk,
                kind=Notification.Kind.COMPETENCE_RECORDED,
                message=f"Completing “{module.title}” recorded {names} ({level}).",
                url=reverse("my_competences"),
            ).save()
    return [existing[c.pk] for c in competences], written


def _passed_attempt(completion: Completion) -> Attempt | None:
    return (
        Attempt.objects.filter(
            user_id=completion.user_id,
            quiz_id=completion.module.quiz_id,
            status=Attempt.Status.SUBMITTED,
            passed=True,
            submitted_at__lte=completion.completed_at,
        )
        .defer("paper")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _insert(record: CompetenceRecord) -> bool:
    """Insert `record`; False when a unique constraint says it is there already."""
    try:
        with transaction.atomic():
            record.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def _write_effectiveness_check(record: CompetenceRecord) -> EffectivenessCheck | None:
    days = record.competence.effectiveness_check_days
    if not days:
        return None
    manager = record.user.manager if record.user.manager_id else None
    return EffectivenessCheck.objects.create(
        record=record,
        manager=manager if manager is not None and manager.is_active else None,
        due_on=timezone.localdate(record.achieved_at) + datetime.timedelta(days=days),
    )


def record_missing_competences(*, days: int = SWEEP_DAYS) -> int:
    """The nightly sweep: record the competences of completions of the last `days` days that
    have no record at all (their task was lost); returns how many records it wrote."""
    since = timezone.now() - datetime.timedelta(days=days)
    through = TrainingModule.competences.through
    completions = (
        Completion.objects.filter(completed_at__gte=since)
        .filter(Exists(through.objects.filter(trainingmodule_id=OuterRef("module_id"))))
        .exclude(Exists(CompetenceRecord.objects.filter(completion_id=OuterRef("pk"))))
        .select_related("module", "user__manager")
        .order_by("pk")
    )
    return sum(len(_record_from_completion(completion)[1]) for completion in completions)


# --- Recorded by hand


def record_assessment(
    *,
    person: User,
    competence: Competence,
    level: int,
    assessor: User,
    notes: str,
    achieved_at: datetime.datetime | None = None,
    supersedes: CompetenceRecord | None = None,
) -> CompetenceRecord:
    """Record that `assessor` assessed `person` at `level` of `competence`, with their notes.

    Raises PermissionDenied unless the assessor is HR or manages the person (and is not the
    person), ValidationError for missing notes, an unknown level, a date in the future, or a
    `supersedes` record of another person or competence. The person is told in-app.
    """
    _check_may_record(recorder=assessor, person=person)
    notes = (notes or "").strip()
    errors = []
    if not notes:
        errors.append("Write what you observed: the notes are the evidence of an assessment.")
    errors += _level_errors(level)
    achieved_at = achieved_at or timezone.now()
    errors += _date_errors(achieved_at)
    if supersedes is not None and (
        supersedes.user_id != person.pk or supersedes.competence_id != competence.pk
    ):
        errors.append("The record it replaces must be of the same person and competence.")
    if errors:
        raise ValidationError(errors)
    return _award(
        CompetenceRecord(
            user=person,
            competence=competence,
            kind=AWARDED,
            level=level,
            achieved_at=achieved_at,
            expires_at=expiry_of(competence=competence, achieved_at=achieved_at),
            source=Source.ASSESSMENT,
            assessor=assessor,
            notes=notes,
            supersedes=supersedes,
            recorded_by=assessor,
        ),
        how=f"assessed by {assessor}",
        with_check=False,
    )


def record_certificate(
    *,
    person: User,
    competence: Competence,
    level: int,
    file: File,
    issuer: str,
    achieved_at: datetime.datetime | datetime.date,
    recorded_by: User,
    expires_at: datetime.datetime | datetime.date | None = None,
) -> CompetenceRecord:
    """Record an external certificate of `person` for `competence`, keeping the uploaded file.

    The file must be a PDF, PNG or JPG of at most 10 MB; `achieved_at` (the certificate's date)
    not in the future; `expires_at`, when the certificate states one, after it (else the
    competence's validity decides). Raises PermissionDenied or ValidationError as
    `record_assessment`. An effectiveness check is written when the competence asks for one.
    """
    _check_may_record(recorder=recorded_by, person=person)
    issuer = (issuer or "").strip()
    achieved_at = start_of(achieved_at)
    expires_at = start_of(expires_at) if expires_at is not None else None
    errors = []
    try:
        validate_certificate_file(file)
    except ValidationError as error:
        errors += error.messages
    if not issuer:
        errors.append("Name who issued the certificate.")
    elif len(issuer) > ISSUER_LENGTH:
        errors.append(f"Shorten the issuer's name to {ISSUER_LENGTH} characters.")
    errors += _level_errors(level)
    errors += _date_errors(achieved_at)
    if expires_at is not None and expires_at <= achieved_at:
        errors.append("The expiry date must come after the date the certificate was awarded.")
    if errors:
        raise ValidationError(errors)
    return _award(
        CompetenceRecord(
            user=person,
            competence=competence,
            kind=AWARDED,
            level=level,
            achieved_at=achieved_at,
            expires_at=expires_at or expiry_of(competence=competence, achieved_at=achieved_at),
            source=Source.CERTIFICATE,
            certificate_file=file,
            certificate_issuer=issuer,
            recorded_by=recorded_by,
        ),
        how=f"from a certificate issued by {issuer}",
        with_check=True,
    )


def _award(record: CompetenceRecord, *, how: str, with_check: bool) -> CompetenceRecord:
    """Save a validated award recorded by hand and tell the person; with `with_check`, also ask
    the line manager later whether it shows at work. One transaction."""
    with transaction.atomic():
        record.save(force_insert=True)
        if with_check:
            _write_effectiveness_check(record)
        _tell_recorded(record, how=how)
    return record


def validate_certificate_file(file: File) -> None:
    """Raise ValidationError unless `file` is a PDF, PNG or JPG (by name and by content) of at
    most 10 MB."""
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CERTIFICATE_SIGNATURES:
        raise ValidationError("Upload the certificate as a PDF, PNG or JPG file.")
    size = file.size
    if not size:
        raise ValidationError("The file is empty; upload the certificate itself.")
    if size > MAX_CERTIFICATE_BYTES:
        megabytes = size / (1024 * 1024)
        raise ValidationError(f"The file is {megabytes:.1f} MB; the limit is 10 MB.")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(CERTIFICATE_SIGNATURES[extension]):
        raise ValidationError(
            f"The file is not a real {extension.upper()} file; upload the certificate as a "
            "PDF, PNG or JPG."
        )


def revoke_record(*, record: CompetenceRecord, by: User, reason: str) -> CompetenceRecord:
    """Revoke `record` with a new record saying who and why (level: not yet competent), and tell
    the person in-app. Only the person's current record of the competence can be revoked, once.

    Raises PermissionDenied as `record_assessment`, ValidationError with no reason, for a
    revocation, for a record already revoked, or for one a newer record has replaced.
    """
    _check_may_record(recorder=by, person=record.user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the record is revoked: the reason is part of the evidence.")
    if len(reason) > REASON_LENGTH:
        raise ValidationError(f"Shorten the reason to {REASON_LENGTH} characters.")
    if record.kind == REVOKED:
        raise ValidationError("This is a revocation already; it cannot be revoked.")
    earlier = _revocation_of(record)
    if earlier is not None:
        raise ValidationError(_already_revoked(earlier))
    if not is_current(record):
        raise ValidationError(
            "A newer record of this competence has replaced this one; revoke the current one."
        )
    revocation = CompetenceRecord(
        user=record.user,
        competence=record.competence,
        kind=REVOKED,
        level=ProficiencyLevel.NOT_YET_COMPETENT,
        source=Source.REVOCATION,
        supersedes=record,
        reason=reason,
        recorded_by=by,
    )
    with transaction.atomic():
        if not _insert(revocation):
            # Someone revoked it between our look and our write.
            raise ValidationError(_already_revoked(_revocation_of(record)))
        notification(
            user_id=record.user_id,
            kind=Notification.Kind.COMPETENCE_RECORDED,
            message=f"Your record of “{record.competence}” was revoked by {by}: {reason}",
            url=reverse("my_competences"),
        ).save()
    return revocation


def _revocation_of(record: CompetenceRecord) -> CompetenceRecord | None:
    return (
        CompetenceRecord.objects.filter(supersedes=record, kind=REVOKED)
        .select_related("recorded_by")
        .first()
    )


def _already_revoked(revocation: CompetenceRecord | None) -> str:
    if revocation is None:
        return "This record has been revoked already."
    when = date_format(timezone.localtime(revocation.recorded_at), "j F Y")
    who = f" by {revocation.recorded_by}" if revocation.recorded_by_id else ""
    return f"This record was revoked already{who} on {when}."


def _check_may_record(*, recorder: User, person: User) -> None:
    if recorder.pk == person.pk:
        raise PermissionDenied("Nobody can record or revoke their own competence.")
    if not can_record_competence(recorder=recorder, person=person):
        raise PermissionDenied("Only HR or the person's manager can record their competence.")


def _level_errors(level) -> list[str]:
    if level not in ProficiencyLevel.values:
        return ["Choose a level from the proficiency scale."]
    return []


def _date_errors(achieved_at: datetime.datetime) -> list[str]:
    if timezone.localdate(achieved_at) > timezone.localdate():
        return ["The date it was achieved cannot be in the future."]
    return []


def start_of(value: datetime.datetime | datetime.date) -> datetime.datetime:
    """A date (from a form) as the start of that day here; a datetime as it is."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _tell_recorded(record: CompetenceRecord, *, how: str) -> None:
    level = ProficiencyLevel(record.level).label.lower()
    notification(
        user_id=record.user_id,
        kind=Notification.Kind.COMPETENCE_RECORDED,
        message=f"“{record.competence}” was recorded for you ({level}), {how}.",
        url=reverse("my_competences"),
    ).save()


# --- Effectiveness checks (ISO 9001 7.2 c)


def due_effectiveness_checks(*, today: datetime.date) -> QuerySet[EffectivenessCheck]:
    """Checks due by `today`, not yet requested, about active people with an active line
    manager, whose record has not been revoked."""
    return (
        EffectivenessCheck.objects.filter(
            due_on__lte=today,
            requested_at__isnull=True,
            outcome=Outcome.PENDING,
            record__user__is_active=True,
            record__user__manager__is_active=True,
        )
        .exclude(record__superseded_by__kind=REVOKED)
        .order_by("due_on", "pk")
    )


def request_due_effectiveness_checks(*, today: datetime.date | None = None) -> int:
    """Ask each line manager about their reports' checks that fell due: mark the checks
    requested (from the person's current line manager), then write a notification per check and
    send the manager one e-mail listing them, all in one transaction per manager. Returns how
    many checks were requested; a second run the same day requests none."""
    today = today or timezone.localdate()
    manager_ids = sorted(
        set(
            due_effectiveness_checks(today=today).values_list("record__user__manager_id", flat=True)
        )
    )
    requested = 0
    for manager_id in manager_ids:
        with transaction.atomic():
            checks = list(
                due_effectiveness_checks(today=today)
                .filter(record__user__manager_id=manager_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("record__competence", "record__user__manager")
            )
            if not checks:
                continue
            manager = checks[0].record.user.manager
            EffectivenessCheck.objects.filter(
                pk__in=[check.pk for check in checks], requested_at__isnull=True
            ).update(requested_at=timezone.now(), manager=manager)
            url = reverse("effectiveness_checks")
            Notification.objects.bulk_create(
                [
                    notification(
                        user_id=manager.pk,
                        kind=Notification.Kind.EFFECTIVENESS_CHECK,
                        message=f"Does {check.record.user} apply “{check.record.competence}” "
                        "at work? Tell us.",
                        url=url,
                    )
                    for check in checks
                ]
            )
            context = {
                "manager": manager,
                "checks": checks,
                "site_name": settings.WAGTAIL_SITE_NAME,
                "checks_link": _absolute(url),
            }
            mail.EmailMessage(
                subject=f"{len(checks)} effectiveness check{'s'[: len(checks) != 1]} to answer",
                body=render_to_string("lms/email/effectiveness_check.txt", context),
                to=[manager.email],
            ).send()
        requested += len(checks)
    return requested


def answer_effectiveness_check(
    *, check: EffectivenessCheck, by: User, outcome: str, note: str
) -> EffectivenessCheck:
    """Record the answer to an effectiveness check: the person applies the competence at work
    (`confirmed`) or needs support (`needs_support`, with a note saying what). Answered once,
    from its due date, by the person's current line manager or HR.

    Raises PermissionDenied for anyone else, ValidationError for a bad outcome, a missing note,
    a check not yet due or already answered.
    """
    person = check.record.user
    if not can_answer_check(user=by, person=person):
        raise PermissionDenied(f"Only {person}'s line manager or HR can answer this check.")
    note = (note or "").strip()
    if outcome not in (Outcome.CONFIRMED, Outcome.NEEDS_SUPPORT):
        raise ValidationError("Choose whether the person applies it at work or needs support.")
    if outcome == Outcome.NEEDS_SUPPORT and not note:
        raise ValidationError("Say what support the person needs.")
    today = timezone.localdate()
    if check.due_on > today:
        due = date_format(check.due_on, "j F Y")
        raise ValidationError(f"This check falls due on {due}; answer it from then on.")
    answered = EffectivenessCheck.objects.filter(pk=check.pk, outcome=Outcome.PENDING).update(
        outcome=outcome, note=note, answered_by=by, answered_at=timezone.now()
    )
    check.refresh_from_db()
    if not answered:
        who = f" by {check.answered_by}" if check.answered_by_id else ""
        raise ValidationError(f"This check was answered already{who}.")
    transaction.on_commit(
        lambda: effectiveness_check_answered.send(
            sender=EffectivenessCheck,
            check_id=check.pk,
            person_id=person.pk,
            answered_by_id=by.pk,
            as_line_manager=person.manager_id == by.pk,
            outcome=outcome,
        )
    )
    return check


# --- Expiry


def expiring_records(*, today: datetime.date | None = None) -> QuerySet[CompetenceRecord]:
    """Current awarded records of active people that expire after now and within
    LMS_COMPETENCE_RENEWAL_DAYS, and have had no renewal assigned."""
    moment = moment_of(today)
    horizon = moment + datetime.timedelta(days=settings.LMS_COMPETENCE_RENEWAL_DAYS)
    noticed = ExpiryNotice.objects.filter(
        record=OuterRef("pk"), kind=ExpiryNotice.Kind.RENEWAL_ASSIGNED
    )
    return (
        current_record_queryset()
        .filter(kind=AWARDED, expires_at__gt=moment, expires_at__lte=horizon)
        .filter(user__is_active=True)
        .exclude(Exists(noticed))
    )


def renew_expiring_competences(*, today: datetime.date | None = None) -> int:
    """Before a record expires, assign the live module that renews it: one evidencing the
    competence at the level held (preferring one whose audience includes the person), due the
    day before the expiry. The notice is written first, so a re-run assigns nothing twice; a
    competence no live module evidences gets no notice, and is reconsidered the next day. The
    person is told in-app. Returns how many renewals were assigned."""
    today = today or timezone.localdate()
    records = list(expiring_records(today=today).select_related("user", "competence"))
    if not records:
        return 0
    renewing = _renewing_modules({record.competence_id for record in records})
    tree = department_parents()
    assigned = 0
    for record in records:
        module = _renewing_module(renewing.get(record.competence_id, []), record, tree)
        if module is None:
            continue
        expiry_day = timezone.localdate(record.expires_at)
        due_on = max(today, expiry_day - datetime.timedelta(days=1))
        with transaction.atomic():
            notice = ExpiryNotice(record=record, kind=ExpiryNotice.Kind.RENEWAL_ASSIGNED)
            try:
                with transaction.atomic():
                    notice.save(force_insert=True)
            except IntegrityError:
                continue  # another worker got here first
            assignment = assign_module(user=record.user, module=module, due_on=due_on)
            expires = date_format(expiry_day, "j F Y")
            due = date_format(assignment.due_on, "j F Y")
            notification(
                user_id=record.user_id,
                kind=Notification.Kind.COMPETENCE_EXPIRING,
                message=f"“{record.competence}” expires on {expires}: “{module.title}” renews "
                f"it and is assigned to you, due {due}.",
                url=reverse("my_learning"),
            ).save()
        assigned += 1
    return assigned


def _renewing_modules(competence_ids: set[int]) -> dict[int, list[TrainingModule]]:
    through = TrainingModule.competences.through
    links = list(
        through.objects.filter(competence_id__in=competence_ids, trainingmodule__live=True)
        .select_related("trainingmodule")
        .defer("trainingmodule__body")
        .order_by("trainingmodule__title", "trainingmodule_id")
    )
    modules = {link.trainingmodule_id: link.trainingmodule for link in links}
    prefetch_related_objects(list(modules.values()), "audience_departments", "audience_job_roles")
    by_competence: dict[int, list[TrainingModule]] = defaultdict(list)
    for link in links:
        by_competence[link.competence_id].append(modules[link.trainingmodule_id])
    return by_competence


def _renewing_module(
    modules: list[TrainingModule], record: CompetenceRecord, tree: dict
) -> TrainingModule | None:
    """The module that renews `record`: one meant for the person first, then one recording the
    level they hold; by title otherwise."""
    if not modules:
        return None

    def rank(module: TrainingModule) -> tuple:
        meant_for = module.audience.includes(record.user, department_tree=tree)
        return (not meant_for, module.competence_level < record.level)

    return min(modules, key=rank)


def notify_expired_competences(*, today: datetime.date | None = None) -> int:
    """Tell each person whose current record has expired with no renewal, and their line
    manager, in-app and by e-mail, once: an expiry notice is written for each record first, then
    the notices not yet sent are sent. Returns how many notices this call sent."""
    moment = moment_of(today)
    noticed = ExpiryNotice.objects.filter(record=OuterRef("pk"), kind=ExpiryNotice.Kind.EXPIRED)
    expired = (
        current_record_queryset()
        .filter(kind=AWARDED, expires_at__lte=moment, user__is_active=True)
        .exclude(Exists(noticed))
        .values_list("pk", flat=True)
    )
    ExpiryNotice.objects.bulk_create(
        [ExpiryNotice(record_id=pk, kind=ExpiryNotice.Kind.EXPIRED) for pk in expired],
        ignore_conflicts=True,
        batch_size=500,
    )
    return send_pending_expiry_notices()


def send_pending_expiry_notices(*, batch_size: int = BATCH_SIZE) -> int:
    """Send the expiry notices written and not sent yet, a batch per SMTP connection, each batch
    marked sent (and its notifications written) in the transaction that sent it; two workers
    never send the same notice (SKIP LOCKED). Returns how many notices were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                ExpiryNotice.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    kind=ExpiryNotice.Kind.EXPIRED,
                    emailed_at__isnull=True,
                    record__user__is_active=True,
                )
                .select_related("record__competence", "record__user__manager")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            messages, notes = [], []
            for notice in batch:
                _expired_messages(notice, messages, notes)
            with mail.get_connection() as connection:
                connection.send_messages(messages)
            Notification.objects.bulk_create(notes, batch_size=500)
            ExpiryNotice.objects.filter(pk__in=[notice.pk for notice in batch]).update(
                emailed_at=timezone.now()
            )
        sent += len(batch)


def _expired_messages(notice: ExpiryNotice, messages: list, notes: list) -> None:
    record = notice.record
    person = record.user
    manager = person.manager if person.manager_id and person.manager.is_active else None
    expired_on = date_format(timezone.localtime(record.expires_at), "j F Y")
    context = {
        "person": person,
        "manager": manager,
        "competence": record.competence,
        "expired_on": expired_on,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "competences_link": _absolute(reverse("my_competences")),
        "person_link": _absolute(reverse("person_competences", args=[person.pk])),
    }
    # (recipient, subject, template, in-app message, link): the person, then their manager.
    tellings = [
        (
            person,
            f"Your competence “{record.competence}” has expired",
            "lms/email/competence_expired.txt",
            f"“{record.competence}” expired on {expired_on}. See how to renew it.",
            reverse("my_competences"),
        )
    ]
    if manager is not None:
        tellings.append(
            (
                manager,
                f"{person}: “{record.competence}” has expired",
                "lms/email/competence_expired_manager.txt",
                f"{person}: “{record.competence}” expired on {expired_on}.",
                reverse("person_competences", args=[person.pk]),
            )
        )
    for recipient, subject, template, message, url in tellings:
        messages.append(
            mail.EmailMessage(
                subject=subject, body=render_to_string(template, context), to=[recipient.email]
            )
        )
        notes.append(
            notification(
                user_id=recipient.pk,
                kind=Notification.Kind.COMPETENCE_EXPIRED,
                message=message,
                url=url,
            )
        )


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
