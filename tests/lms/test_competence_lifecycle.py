"""The life of a record after it is written: effectiveness checks, renewal, expiry."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lms.models import (
    Assignment,
    CompetenceRecord,
    EffectivenessCheck,
    ExpiryNotice,
    ManagementLevel,
    Notification,
    ProficiencyLevel,
)
from lms.services import competence as service
from lms.signals import effectiveness_check_answered
from tests.factories import UserFactory
from tests.lms.factories_training import make_competence, make_module

pytestmark = pytest.mark.django_db
Outcome = EffectivenessCheck.Outcome


def award(user, competence, *, days_ago=10, expires_in=None, level=ProficiencyLevel.COMPETENT):
    now = timezone.now()
    return CompetenceRecord.objects.create(
        user=user,
        competence=competence,
        level=level,
        achieved_at=now - datetime.timedelta(days=days_ago),
        recorded_at=now - datetime.timedelta(days=days_ago),
        expires_at=None if expires_in is None else now + datetime.timedelta(days=expires_in),
        source=CompetenceRecord.Source.ASSESSMENT,
    )


def check_for(record, *, due_in=-1, manager=None):
    return EffectivenessCheck.objects.create(
        record=record,
        manager=manager,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in),
    )


# --- Effectiveness checks


def test_due_checks_are_requested_from_the_line_manager_once(employee, manager):
    other_report = UserFactory(manager=manager)
    competence = make_competence(name="Forklift handling")
    due = check_for(award(employee, competence), manager=None)
    also_due = check_for(award(other_report, competence), manager=manager)
    not_yet = check_for(award(UserFactory(manager=manager), make_competence()), due_in=3)

    assert service.request_due_effectiveness_checks() == 2
    assert service.request_due_effectiveness_checks() == 0

    due.refresh_from_db()
    also_due.refresh_from_db()
    not_yet.refresh_from_db()
    assert due.requested_at is not None and due.manager == manager
    assert also_due.requested_at is not None
    assert not_yet.requested_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]
    assert "Forklift handling" in mail.outbox[0].body
    assert Notification.objects.filter(user=manager, kind="effectiveness_check").count() == 2


def test_a_check_about_someone_without_a_manager_or_revoked_is_not_requested(employee, hr):
    loner = UserFactory(manager=None)
    check_for(award(loner, make_competence()))
    revoked = award(employee, make_competence())
    check_for(revoked)
    service.revoke_record(record=revoked, by=hr, reason="Found to be copied.")

    assert service.request_due_effectiveness_checks() == 0
    assert mail.outbox == []


def test_the_line_manager_confirms_a_check_once(employee, manager):
    check = check_for(award(employee, make_competence()), manager=manager)

    answered = service.answer_effectiveness_check(
        check=check, by=manager, outcome=Outcome.CONFIRMED, note=""
    )

    assert answered.outcome == Outcome.CONFIRMED
    assert answered.answered_by == manager
    assert answered.answered_at is not None
    with pytest.raises(ValidationError, match="answered already"):
        service.answer_effectiveness_check(
            check=check, by=manager, outcome=Outcome.NEEDS_SUPPORT, note="Changed my mind."
        )
    check.refresh_from_db()
    assert check.outcome == Outcome.CONFIRMED


def test_needs_support_requires_a_note(employee, manager):
    check = check_for(award(employee, make_competence()), manager=manager)
    with pytest.raises(ValidationError, match="what support"):
        service.answer_effectiveness_check(
            check=check, by=manager, outcome=Outcome.NEEDS_SUPPORT, note="  "
        )
    check.refresh_from_db()
    assert check.outcome == Outcome.PENDING
    service.answer_effectiveness_check(
        check=check, by=manager, outcome=Outcome.NEEDS_SUPPORT, note="Pair with a mentor."
    )
    check.refresh_from_db()
    assert (check.outcome, check.note) == (Outcome.NEEDS_SUPPORT, "Pair with a mentor.")


def test_an_unknown_outcome_or_a_check_not_yet_due_is_refused(employee, manager):
    check = check_for(award(employee, make_competence()), manager=manager, due_in=5)
    with pytest.raises(ValidationError, match="applies it at work"):
        service.answer_effectiveness_check(check=check, by=manager, outcome="pending", note="")
    with pytest.raises(ValidationError, match="falls due on"):
        service.answer_effectiveness_check(
            check=check, by=manager, outcome=Outcome.CONFIRMED, note=""
        )


def test_only_the_current_line_manager_or_hr_may_answer(
    employee, manager, other_manager, hr, outsider
):
    big_boss = UserFactory(management_level=ManagementLevel.TOP)
    manager.manager = big_boss
    manager.save()
    check = check_for(award(employee, make_competence()), manager=manager)
    for person in (employee, other_manager, outsider, big_boss):
        with pytest.raises(PermissionDenied):
            service.answer_effectiveness_check(
                check=check, by=person, outcome=Outcome.CONFIRMED, note=""
            )
    answered = service.answer_effectiveness_check(
        check=check, by=hr, outcome=Outcome.CONFIRMED, note=""
    )
    assert answered.answered_by == hr


def test_a_former_manager_may_no_longer_answer(employee, manager, other_manager):
    check = check_for(award(employee, make_competence()), manager=manager)
    employee.manager = other_manager
    employee.save()
    with pytest.raises(PermissionDenied):
        service.answer_effectiveness_check(
            check=check, by=manager, outcome=Outcome.CONFIRMED, note=""
        )
    service.answer_effectiveness_check(
        check=check, by=other_manager, outcome=Outcome.CONFIRMED, note=""
    )


def test_an_answer_is_announced_after_commit_saying_whether_the_line_manager_gave_it(
    employee, manager, hr, django_capture_on_commit_callbacks
):
    heard = []

    def listen(sender, signal, **payload):
        heard.append(payload)

    effectiveness_check_answered.connect(listen)
    try:
        by_manager = check_for(award(employee, make_competence()), manager=manager)
        by_hr = check_for(award(employee, make_competence()), manager=manager)
        with django_capture_on_commit_callbacks(execute=True):
            service.answer_effectiveness_check(
                check=by_manager, by=manager, outcome=Outcome.CONFIRMED, note=""
            )
            assert heard == []
        with django_capture_on_commit_callbacks(execute=True):
            service.answer_effectiveness_check(
                check=by_hr, by=hr, outcome=Outcome.NEEDS_SUPPORT, note="A mentor."
            )
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            service.answer_effectiveness_check(
                check=by_hr, by=hr, outcome=Outcome.CONFIRMED, note=""
            )
    finally:
        effectiveness_check_answered.disconnect(listen)

    assert heard == [
        {
            "check_id": by_manager.pk,
            "person_id": employee.pk,
            "answered_by_id": manager.pk,
            "as_line_manager": True,
            "outcome": Outcome.CONFIRMED,
        },
        {
            "check_id": by_hr.pk,
            "person_id": employee.pk,
            "answered_by_id": hr.pk,
            "as_line_manager": False,
            "outcome": Outcome.NEEDS_SUPPORT,
        },
    ]


# --- Renewal before expiry


def test_a_record_expiring_soon_gets_its_renewing_module_assigned_once(employee):
    competence = make_competence(name="Hazard analysis", validity_months=12)
    module = make_module(title="Hazard analysis refresher", competences=[competence])
    record = award(employee, competence, expires_in=20)

    assert service.renew_expiring_competences() == 1
    assert service.renew_expiring_competences() == 0

    assignment = Assignment.objects.get(user=employee, module=module)
    expiry_day = timezone.localdate(record.expires_at)
    assert assignment.due_on == expiry_day - datetime.timedelta(days=1)
    assert assignment.status == Assignment.Status.OPEN
    assert ExpiryNotice.objects.get().kind == ExpiryNotice.Kind.RENEWAL_ASSIGNED
    [note] = Notification.objects.filter(user=employee, kind="competence_expiring")
    assert "Hazard analysis refresher" in note.message


def test_renewal_prefers_a_module_meant_for_the_person(employee):
    competence = make_competence(validity_months=12)
    make_module(
        title="A for managers", competences=[competence], audience_levels=[ManagementLevel.MIDDLE]
    )
    for_staff = make_module(
        title="B for staff", competences=[competence], audience_levels=[ManagementLevel.STAFF]
    )
    award(employee, competence, expires_in=10)

    service.renew_expiring_competences()

    assert Assignment.objects.get(user=employee).module == for_staff


def test_records_not_expiring_soon_or_already_renewed_are_left_alone(employee, hr):
    competence = make_competence(validity_months=12)
    make_module(competences=[competence])
    award(employee, competence, expires_in=200)  # not soon
    other = make_competence(validity_months=12)
    make_module(competences=[other])
    award(employee, other, expires_in=10, days_ago=300)
    award(employee, other, expires_in=360, days_ago=1)  # renewed since
    without_module = make_competence(validity_months=12)
    award(employee, without_module, expires_in=10)

    assert service.renew_expiring_competences() == 0
    assert not Assignment.objects.exists()
    assert not ExpiryNotice.objects.exists()


# --- Expired without renewal


def test_an_expired_record_is_announced_to_the_person_and_manager_once(employee, manager):
    competence = make_competence(name="Legionella control", validity_months=12)
    award(employee, competence, days_ago=400, expires_in=-2)

    assert service.notify_expired_competences() == 1
    assert service.notify_expired_competences() == 0

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [employee.email, manager.email]
    )
    assert all("Legionella control" in message.subject for message in mail.outbox)
    notes = Notification.objects.filter(kind="competence_expired")
    assert {note.user_id for note in notes} == {employee.pk, manager.pk}
    notice = ExpiryNotice.objects.get()
    assert notice.kind == ExpiryNotice.Kind.EXPIRED and notice.emailed_at is not None


def test_an_expired_record_renewed_since_is_not_announced(employee):
    competence = make_competence(validity_months=12)
    award(employee, competence, days_ago=400, expires_in=-2)
    award(employee, competence, days_ago=1, expires_in=360)

    assert service.notify_expired_competences() == 0
    assert mail.outbox == []


def test_a_notice_written_but_not_sent_is_sent_by_the_next_run(employee):
    record = award(employee, make_competence(), days_ago=400, expires_in=-2)
    ExpiryNotice.objects.create(record=record, kind=ExpiryNotice.Kind.EXPIRED)

    assert service.notify_expired_competences() == 1
    assert len(mail.outbox) == 2
