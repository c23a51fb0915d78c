"""Who must take which module by when: rules, the org chart, managers and HR decide; this writes it.

Every operation is idempotent and bulk. Assigning to an audience is one INSERT ... SELECT per rule,
whatever the audience's size; the partial unique constraint (one open assignment per person and
module) turns a concurrent or repeated run into a no-op instead of a duplicate.

Decisions worth knowing:
- A rule skips people whose completion of the module is still valid: any completion when neither
  the rule (`recur_every_months`) nor the module (`refresher_months`) asks for refreshers, else
  one newer than that many months (the rule's interval wins when both are set).
- Assigning by hand (a manager or HR) is allowed even when the person has completed the module:
  asking someone to retake training, after an incident for instance, is a manager's call. It never
  creates a second open assignment.
- Only open, mandatory assignments that came from a rule are withdrawn when a person leaves the
  rule's audience; hand-made assignments stay, and completions are never touched.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from lms.audience import Audience, department_parents
from lms.models import (
    Assignment,
    AssignmentRule,
    Completion,
    ManagementLevel,
    TrainingModule,
    User,
)
from lms.selectors.people import report_ids, sees_everyone

OPEN = Assignment.Status.OPEN
# People per statement when a list of ids goes into SQL: well under every database's limit.
CHUNK_SIZE = 1000
_REASON_LENGTH = Assignment._meta.get_field("withdrawn_reason").max_length


class Assigned(NamedTuple):
    """The outcome of assigning by hand: how many got a new assignment, how many had one open."""

    new: int
    already: int


class Synced(NamedTuple):
    assigned: int
    withdrawn: int


# --- Assigning one person, by hand or by rule


def assign_module(
    *,
    user: User,
    module: TrainingModule,
    due_on: date,
    mandatory: bool = True,
    rule: AssignmentRule | None = None,
    assigned_by: User | None = None,
) -> Assignment:
    """The person's open assignment of `module`: the existing one if any (left as it is), else a
    new one. A completed module may be assigned again; checking whether a rule should is
    `apply_rule`'s job."""
    existing = Assignment.objects.filter(user=user, module=module, status=OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                user=user,
                module=module,
                due_on=due_on,
                mandatory=mandatory,
                rule=rule,
                assigned_by=assigned_by,
            )
    except IntegrityError:
        # Someone else opened one between our look and our write.
        return Assignment.objects.get(user=user, module=module, status=OPEN)


def assign_to_team(
    *,
    manager: User,
    module: TrainingModule,
    due_on: date,
    user_ids: Iterable[int] | None = None,
    include_indirect: bool = False,
    mandatory: bool = True,
    today: date | None = None,
) -> Assigned:
    """A manager assigns `module` to some of their reports (`user_ids`) or, without `user_ids`,
    to their direct reports (all reports with `include_indirect`). Raises PermissionDenied for
    anyone outside their team, ValidationError for a draft module or a past due date."""
    team = report_ids(manager=manager)
    if user_ids is None:
        if include_indirect:
            targets = team
        else:
            targets = set(manager.reports.filter(is_active=True).values_list("pk", flat=True))
    else:
        targets = set(user_ids)
        if not targets <= team:
            raise PermissionDenied("You can assign training only to people in your team.")
    return _assign_by_hand(
        assigned_by=manager,
        module=module,
        due_on=due_on,
        user_ids=targets,
        mandatory=mandatory,
        today=today,
    )


def assign_to_people(
    *,
    assigned_by: User,
    module: TrainingModule,
    due_on: date,
    user_ids: Iterable[int],
    mandatory: bool = True,
    today: date | None = None,
) -> Assigned:
    """HR (anyone who sees everyone) assigns `module` to any active people. Raises
    PermissionDenied for anyone else, ValidationError for a draft module or a past due date."""
    if not sees_everyone(assigned_by):
        raise PermissionDenied("Only HR can assign training to anyone.")
    return _assign_by_hand(
        assigned_by=assigned_by,
        module=module,
        due_on=due_on,
        user_ids=set(user_ids),
        mandatory=mandatory,
        today=today,
    )


def _assign_by_hand(
    *,
    assigned_by: User,
    module: TrainingModule,
    due_on: date,
    user_ids: set[int],
    mandatory: bool,
    today: date | None,
) -> Assigned:
    today = today or timezone.localdate()
    if not module.live:
        raise ValidationError(f"'{module.title}' is not published, so nobody can take it yet.")
    if due_on < today:
        raise ValidationError("The due date is in the past; choose today or a later day.")
    new = already = 0
    now = timezone.now()
    for chunk in _chunks(sorted(user_ids)):
        people = User.objects.filter(pk__in=chunk, is_active=True)
        targeted = people.count()
        inserted = _insert_assignments(
            people=people.exclude(pk__in=_open_holders(module.pk)),
            module_id=module.pk,
            due_on=due_on,
            mandatory=mandatory,
            rule_id=None,
            assigned_by_id=assigned_by.pk,
            now=now,
        )
        new += inserted
        already += targeted - inserted
    return Assigned(new=new, already=already)


# --- Rules


def apply_rule(*, rule: AssignmentRule, today: date | None = None) -> int:
    """Assign the rule's module to every active person in its audience who has no open
    assignment of it and no completion still valid; returns how many got one. An inactive rule
    or an unpublished module assigns nothing. A fixed number of queries whatever the audience."""
    today = today or timezone.localdate()
    module = rule.module
    if not rule.is_active or not module.live:
        return 0
    return _insert_for_rule(rule=rule, people=rule.audience.people(), today=today)


def apply_rules_for_module(*, module: TrainingModule, today: date | None = None) -> int:
    """Apply every active rule of `module` (just published); returns how many were assigned."""
    rules = rules_with_audience().filter(module=module, is_active=True)
    return sum(apply_rule(rule=rule, today=today) for rule in rules)


def withdraw_outside_audience(*, rule: AssignmentRule) -> int:
    """Withdraw the rule's open mandatory assignments of people its audience no longer includes
    (or who left, or when the rule now assigns another module); returns how many."""
    assignments = list(
        Assignment.objects.filter(rule=rule, status=OPEN, mandatory=True).values_list(
            "pk", "user_id", "module_id"
        )
    )
    if not assignments:
        return 0
    people = _people_with_org({user_id for _, user_id, _ in assignments})
    tree = department_parents()
    audience = rule.audience
    reasons: dict[str, list[int]] = defaultdict(list)
    for pk, user_id, module_id in assignments:
        if module_id != rule.module_id:
            reasons[_module_changed_reason(rule)].append(pk)
        elif why := _why_outside(audience, people[user_id], tree):
            reasons[_reason(rule, why)].append(pk)
    return _withdraw(reasons)


def sync_assignments_for_people(*, user_ids: Iterable[int], today: date | None = None) -> Synced:
    """Bring the rule assignments of people who joined, moved or changed level or job role in
    step with the rules: withdraw their open mandatory rule assignments whose rule no longer
    includes them (keeping the assignment, under the other rule, when another active rule for the
    same module does), then apply every active rule that now includes them. Hand-made assignments
    and completions are left alone. Queries grow with the number of rules, not of people."""
    today = today or timezone.localdate()
    rules = list(rules_with_audience())
    if not rules:
        return Synced(0, 0)
    tree = department_parents()
    audiences = {rule.pk: rule.audience for rule in rules}
    assigned = withdrawn = 0
    for chunk in _chunks(sorted(set(user_ids))):
        people = _people_with_org(chunk)
        withdrawn += _withdraw_or_move(people, rules, audiences, tree)
        for rule in rules:
            if not (rule.is_active and rule.module.live):
                continue
            included = [
                person.pk
                for person in people.values()
                if person.is_active and audiences[rule.pk].includes(person, department_tree=tree)
            ]
            if included:
                people_in_rule = User.objects.filter(pk__in=included, is_active=True)
                assigned += _insert_for_rule(rule=rule, people=people_in_rule, today=today)
    return Synced(assigned=assigned, withdrawn=withdrawn)


def reconcile_all_rules(*, today: date | None = None) -> Synced:
    """Every rule against today's org chart: the nightly sweep that catches whatever a lost task
    or a change made outside the CMS and the roster import missed."""
    withdrawn = assigned = 0
    for rule in rules_with_audience():
        withdrawn += withdraw_outside_audience(rule=rule)
        assigned += apply_rule(rule=rule, today=today)
    return Synced(assigned=assigned, withdrawn=withdrawn)


# --- Refreshers


def create_refresher_assignments(*, today: date | None = None) -> int:
    """Assign again the modules whose last completion is older than their refresher interval,
    to people without an open assignment of them; returns how many were assigned.

    People in an active rule's audience get the rule's assignment (interval: the rule's
    `recur_every_months`, else the module's `refresher_months`; due in the rule's days). Anyone
    else who completed a module with `refresher_months` and is still in the module's own audience
    gets one due in LMS_REFRESHER_DUE_IN_DAYS: mandatory when they ever completed it as a
    mandatory assignment, advised otherwise.
    """
    today = today or timezone.localdate()
    assigned = 0
    rules = rules_with_audience().filter(is_active=True, module__live=True)
    for rule in rules.filter(
        Q(recur_every_months__isnull=False) | Q(module__refresher_months__isnull=False)
    ):
        assigned += apply_rule(rule=rule, today=today)
    modules = (
        TrainingModule.objects.live()
        .filter(refresher_months__isnull=False)
        .prefetch_related("audience_departments", "audience_job_roles")
    )
    now = timezone.now()
    for module in modules:
        cutoff = _valid_since(today, module.refresher_months)
        completions = Completion.objects.filter(module=module)
        due = module.audience.people().filter(pk__in=completions.values("user_id"))
        due = due.exclude(pk__in=completions.filter(completed_at__gte=cutoff).values("user_id"))
        due = due.exclude(pk__in=_open_holders(module.pk))
        ever_required = completions.filter(assignment__mandatory=True).values("user_id")
        # Two plain statements rather than a per-person subquery: mandatory ones first, then
        # the rest, whom the first already assigned are skipped.
        for people, mandatory in (
            (due.filter(pk__in=ever_required), True),
            (due.exclude(pk__in=ever_required), False),
        ):
            assigned += _insert_assignments(
                people=people,
                module_id=module.pk,
                due_on=today + timedelta(days=settings.LMS_REFRESHER_DUE_IN_DAYS),
                mandatory=mandatory,
                rule_id=None,
                assigned_by_id=None,
                now=now,
            )
    return assigned


# --- Helpers


def rules_with_audience() -> QuerySet[AssignmentRule]:
    return AssignmentRule.objects.select_related("module").prefetch_related(
        "audience_departments", "audience_job_roles"
    )


def _insert_for_rule(*, rule: AssignmentRule, people: QuerySet[User], today: date) -> int:
    module = rule.module
    people = people.exclude(pk__in=_open_holders(module.pk))
    valid = Completion.objects.filter(module_id=module.pk)
    interval = rule.recur_every_months or module.refresher_months
    if interval:
        valid = valid.filter(completed_at__gte=_valid_since(today, interval))
    return _insert_assignments(
        people=people.exclude(pk__in=valid.values("user_id")),
        module_id=module.pk,
        due_on=today + timedelta(days=rule.due_in_days),
        mandatory=rule.mandatory,
        rule_id=rule.pk,
        assigned_by_id=None,
        now=timezone.now(),
    )


def _open_holders(module_id: int) -> QuerySet:
    return Assignment.objects.filter(module_id=module_id, status=OPEN).values("user_id")


def _insert_assignments(
    *,
    people: QuerySet[User],
    module_id: int,
    due_on: date,
    mandatory: bool,
    rule_id: int | None,
    assigned_by_id: int | None,
    now: datetime,
) -> int:
    """One open assignment for each of `people`, as a single INSERT ... SELECT; anyone with one
    open already is skipped by the partial unique constraint. Returns how many were added."""
    candidates = people.order_by().annotate(lms_person=F("pk")).values("lms_person")
    inner_sql, inner_params = candidates.query.sql_with_params()
    values = {
        "mandatory": mandatory,
        "module": module_id,
        "due_on": due_on,
        "rule": rule_id,
        "assigned_by": assigned_by_id,
        "status": OPEN,
        "created_at": now,
        "withdrawn_reason": "",
    }
    fields = {name: Assignment._meta.get_field(name) for name in ["user", *values]}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields.values())
    params = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    placeholders = ", ".join(["%s"] * len(values))
    # `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Assignment._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT candidate.lms_person, {placeholders} FROM ({inner_sql}) AS candidate "
        "WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        return max(cursor.rowcount, 0)


def _people_with_org(user_ids: Iterable[int]) -> dict[int, User]:
    """The people with what audiences look at, and the names a withdrawal reason gives."""
    found: dict[int, User] = {}
    for chunk in _chunks(sorted(set(user_ids))):
        people = User.objects.filter(pk__in=chunk).select_related("department", "job_role")
        fields = ("is_active", "management_level", "department__name", "job_role__name")
        found.update((person.pk, person) for person in people.only(*fields))
    return found


def _withdraw_or_move(
    people: dict[int, User],
    rules: list[AssignmentRule],
    audiences: dict[int, Audience],
    tree: dict[int, int | None],
) -> int:
    """Withdraw (or move to another active rule for the same module) the open mandatory rule
    assignments of `people` whose rule no longer includes them; returns how many were withdrawn."""
    by_pk = {rule.pk: rule for rule in rules}
    assignments = Assignment.objects.filter(
        user_id__in=list(people), status=OPEN, mandatory=True, rule__isnull=False
    ).values_list("pk", "user_id", "module_id", "rule_id")
    reasons: dict[str, list[int]] = defaultdict(list)
    moves: dict[int, list[int]] = defaultdict(list)
    for pk, user_id, module_id, rule_id in assignments:
        person, rule = people[user_id], by_pk.get(rule_id)
        if rule is None:
            continue  # a rule created since we loaded them: its own task handles it
        if rule.module_id != module_id:
            reason = _module_changed_reason(rule)
        elif why := _why_outside(audiences[rule_id], person, tree):
            reason = _reason(rule, why)
        else:
            continue
        other = next(
            (
                candidate
                for candidate in rules
                if candidate.module_id == module_id
                and candidate.is_active
                and candidate.mandatory
                and person.is_active
                and audiences[candidate.pk].includes(person, department_tree=tree)
            ),
            None,
        )
        if other is not None:
            # Same training still required by another rule: keep its due date.
            moves[other.pk].append(pk)
        else:
            reasons[reason].append(pk)
    for rule_id, pks in moves.items():
        for chunk in _chunks(pks):
            Assignment.objects.filter(pk__in=chunk, status=OPEN).update(rule_id=rule_id)
    return _withdraw(reasons)


def _why_outside(audience: Audience, person: User, tree: dict[int, int | None]) -> list[str]:
    """What puts `person` outside `audience`, in words; empty when they are in it."""
    if not person.is_active:
        return ["account deactivated"]
    if audience.includes(person, department_tree=tree):
        return []
    why = []
    if audience.levels and person.management_level not in audience.levels:
        why.append(f"now {ManagementLevel(person.management_level).label.lower()}")
    departments_only = Audience(department_ids=audience.department_ids)
    if audience.department_ids and not departments_only.includes(person, department_tree=tree):
        department = person.department
        why.append(f"moved to {department.name}" if department else "no longer in a department")
    if audience.job_role_ids and person.job_role_id not in audience.job_role_ids:
        role = person.job_role
        why.append(f"now {role.name}" if role else "no longer has a job role")
    return why


def _reason(rule: AssignmentRule, why: list[str]) -> str:
    return _fitted(f"No longer in the audience of rule '{rule.name}' ({'; '.join(why)}).")


def _module_changed_reason(rule: AssignmentRule) -> str:
    return _fitted(f"Rule '{rule.name}' now assigns '{rule.module.title}' instead.")


def _fitted(reason: str) -> str:
    return reason if len(reason) <= _REASON_LENGTH else reason[: _REASON_LENGTH - 1] + "…"


def _withdraw(reasons: dict[str, list[int]]) -> int:
    """Withdraw the still-open assignments listed under each reason; one UPDATE per reason and
    chunk, so an assignment completed in the meantime stays completed."""
    now = timezone.now()
    withdrawn = 0
    for reason, pks in reasons.items():
        for chunk in _chunks(pks):
            withdrawn += Assignment.objects.filter(pk__in=chunk, status=OPEN).update(
                status=Assignment.Status.WITHDRAWN, withdrawn_at=now, withdrawn_reason=reason
            )
    return withdrawn


def _valid_since(today: date, months: int) -> datetime:
    """The start of the day `months` months before `today`: a completion since then is valid."""
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return timezone.make_aware(datetime.combine(date(year, month, day), time.min))


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK_SIZE):
        yield items[start : start + CHUNK_SIZE]
