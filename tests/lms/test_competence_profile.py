"""A person's competence profile: what their role requires, where they stand, what closes a gap."""

import datetime

import pytest
from django.utils import timezone

from lms.models import CompetenceRecord, CompetenceRequirement, ManagementLevel, ProficiencyLevel
from lms.selectors.competence import Standing, competence_profile, current_records
from tests.factories import JobRoleFactory, UserFactory
from tests.lms.factories_training import make_competence, make_module

pytestmark = pytest.mark.django_db
LEVEL = ProficiencyLevel


def record(user, competence, *, level=LEVEL.COMPETENT, days_ago=10, expires_in=None, **fields):
    now = timezone.now()
    fields.setdefault("recorded_at", now - datetime.timedelta(days=days_ago))
    return CompetenceRecord.objects.create(
        user=user,
        competence=competence,
        level=level,
        achieved_at=now - datetime.timedelta(days=days_ago),
        expires_at=None if expires_in is None else now + datetime.timedelta(days=expires_in),
        source=fields.pop("source", CompetenceRecord.Source.ASSESSMENT),
        **fields,
    )


def require(competence, *, job_role=None, level="", min_level=LEVEL.COMPETENT):
    return CompetenceRequirement.objects.create(
        competence=competence, job_role=job_role, management_level=level, min_level=min_level
    )


def by_name(statuses):
    return {status.competence.name: status for status in statuses}


def test_each_requirement_of_the_role_shows_where_the_person_stands(employee, hr):
    role = employee.job_role
    held = make_competence(name="Held")
    missing = make_competence(name="Missing")
    expiring = make_competence(name="Expiring")
    expired = make_competence(name="Expired")
    revoked = make_competence(name="Revoked")
    below = make_competence(name="Below")
    require(held, job_role=role)
    require(missing, level=ManagementLevel.STAFF)
    require(expiring, job_role=role)
    require(expired, job_role=role)
    require(revoked, job_role=role)
    require(below, level=ManagementLevel.STAFF, min_level=LEVEL.CAN_TRAIN_OTHERS)
    record(employee, held, expires_in=200)
    record(employee, expiring, expires_in=10)
    record(employee, expired, expires_in=-1, days_ago=400)
    revoked_record = record(employee, revoked, days_ago=20)
    record(
        employee,
        revoked,
        level=LEVEL.NOT_YET_COMPETENT,
        days_ago=1,
        kind=CompetenceRecord.Kind.REVOKED,
        source=CompetenceRecord.Source.REVOCATION,
        supersedes=revoked_record,
        recorded_by=hr,
        reason="Unsafe practice observed.",
    )
    record(employee, below, level=LEVEL.COMPETENT)

    profile = competence_profile(user=employee)

    statuses = by_name(profile.required)
    assert {name: s.standing for name, s in statuses.items()} == {
        "Held": Standing.HELD,
        "Missing": Standing.MISSING,
        "Expiring": Standing.EXPIRING,
        "Expired": Standing.EXPIRED,
        "Revoked": Standing.REVOKED,
        "Below": Standing.BELOW,
    }
    assert statuses["Held"].held_level == LEVEL.COMPETENT
    assert statuses["Held"].until is not None
    assert statuses["Revoked"].held_level is None
    assert statuses["Below"].required_level == LEVEL.CAN_TRAIN_OTHERS
    assert {s.competence.name for s in profile.gaps} == set(statuses) - {"Held"}
    history = {entry.record.pk: entry for entry in profile.history}
    assert history[revoked_record.pk].revocation is not None
    assert not history[revoked_record.pk].is_current
    assert len(profile.history) == 6


def test_a_requirement_naming_role_and_level_applies_only_when_both_match(employee):
    role = employee.job_role
    both = make_competence(name="Role and staff")
    other_level = make_competence(name="Role and middle")
    other_role = make_competence(name="Other role")
    require(both, job_role=role, level=ManagementLevel.STAFF)
    require(other_level, job_role=role, level=ManagementLevel.MIDDLE)
    require(other_role, job_role=JobRoleFactory(name="Auditor"))

    profile = competence_profile(user=employee)

    assert [s.competence.name for s in profile.required] == ["Role and staff"]


def test_two_requirements_of_one_competence_ask_for_the_higher_level(employee):
    competence = make_competence(name="Audit")
    require(competence, job_role=employee.job_role, min_level=LEVEL.UNDER_SUPERVISION)
    require(competence, level=ManagementLevel.STAFF, min_level=LEVEL.CAN_TRAIN_OTHERS)

    [status] = competence_profile(user=employee).required

    assert status.required_level == LEVEL.CAN_TRAIN_OTHERS
    assert len(status.required_by) == 2


def test_a_gap_lists_the_live_modules_that_record_the_competence_at_the_level_needed(employee):
    competence = make_competence(name="Calibration")
    require(competence, job_role=employee.job_role)
    closing = make_module(title="Calibration basics", competences=[competence])
    make_module(title="Draft calibration", competences=[competence], live=False)
    make_module(
        title="Calibration taster",
        competences=[competence],
        competence_level=LEVEL.UNDER_SUPERVISION,
    )
    make_module(title="Unrelated")

    [status] = competence_profile(user=employee).required

    assert status.standing == Standing.MISSING
    assert [module.pk for module in status.closing_modules] == [closing.pk]


def test_competences_held_that_nothing_requires_are_listed_apart(employee):
    extra = make_competence(name="First aid")
    record(employee, extra, expires_in=5)

    profile = competence_profile(user=employee)

    assert profile.required == []
    [status] = profile.held
    assert status.competence == extra
    assert status.standing == Standing.EXPIRING
    assert status.required_level is None


def test_the_latest_record_is_the_current_one(employee):
    competence = make_competence()
    require(competence, job_role=employee.job_role)
    record(employee, competence, level=LEVEL.CAN_TRAIN_OTHERS, days_ago=30)
    record(employee, competence, level=LEVEL.UNDER_SUPERVISION, days_ago=2)

    [status] = competence_profile(user=employee).required

    assert status.held_level == LEVEL.UNDER_SUPERVISION
    assert status.standing == Standing.BELOW


def test_current_records_gives_the_latest_record_per_person_and_competence(
    employee, manager, django_assert_num_queries
):
    first, second = make_competence(), make_competence()
    record(employee, first, days_ago=30)
    newest = record(employee, first, days_ago=3, level=LEVEL.CAN_TRAIN_OTHERS)
    only = record(employee, second, days_ago=5)
    theirs = record(manager, first, days_ago=9)
    record(UserFactory(), first, days_ago=1)  # someone not asked about

    with django_assert_num_queries(1):
        current = current_records(user_ids=[employee.pk, manager.pk])
        names = {key: rec.competence.name for key, rec in current.items()}

    assert current == {
        (employee.pk, first.pk): newest,
        (employee.pk, second.pk): only,
        (manager.pk, first.pk): theirs,
    }
    assert len(names) == 3


def test_current_records_breaks_a_tie_in_time_by_the_later_record(employee):
    competence = make_competence()
    moment = timezone.now()
    record(employee, competence, recorded_at=moment)
    later = record(employee, competence, recorded_at=moment, level=LEVEL.CAN_TRAIN_OTHERS)

    assert current_records(user_ids=[employee.pk])[(employee.pk, competence.pk)] == later


def test_current_records_as_of_a_day_ignores_later_records(employee):
    competence = make_competence()
    earlier = record(employee, competence, days_ago=10)
    record(employee, competence, days_ago=1)

    as_of = timezone.localdate() - datetime.timedelta(days=5)
    current = current_records(user_ids=[employee.pk], today=as_of)

    assert current[(employee.pk, competence.pk)] == earlier
