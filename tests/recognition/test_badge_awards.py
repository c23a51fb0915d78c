"""Awarding badges: once while held, again after expiry with the history kept, notified,
triggered by the other apps' facts and by the nightly sweep; sharing and revoking."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.signals import suggestion_accepted
from lms.models import Notification
from lms.signals import module_completed
from recognition import tasks
from recognition.models import BadgeAward, BadgeCriterion
from recognition.selectors import badges as selectors
from recognition.services.badges import (
    evaluate_badges,
    evaluate_everyone,
    revoke_award,
    set_sharing,
)
from tests.factories import UserFactory
from tests.recognition.factories import BadgeAwardFactory, BadgeFactory, KudosFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kudos_badge(db):
    return BadgeFactory(name="Appreciated", criterion=BadgeCriterion.KUDOS_RECEIVED, threshold=1)


@pytest.fixture
def earned(employee, outsider, kudos_badge):
    """The employee meets the kudos badge's criterion."""
    return KudosFactory(receiver=employee, sender=outsider)


def test_a_badge_is_awarded_once_and_a_second_evaluation_awards_nothing(
    employee, kudos_badge, earned
):
    [award] = evaluate_badges(user_id=employee.pk)

    assert (award.badge, award.user, award.sequence) == (kudos_badge, employee, 1)
    assert award.expires_at is None
    assert evaluate_badges(user_id=employee.pk) == []
    assert BadgeAward.objects.filter(user=employee).count() == 1


def test_an_award_is_notified_to_its_holder(employee, kudos_badge, earned):
    evaluate_badges(user_id=employee.pk)
    evaluate_badges(user_id=employee.pk)

    [note] = Notification.objects.filter(user=employee, kind=Notification.Kind.BADGE)
    assert note.message == "You earned the badge “Appreciated”."
    assert note.url == "/recognition/badges/"


def test_an_expiring_badge_lasts_its_days(employee, kudos_badge, earned):
    kudos_badge.valid_for_days = 365
    kudos_badge.save()

    [award] = evaluate_badges(user_id=employee.pk)

    assert award.expires_at - award.awarded_at == datetime.timedelta(days=365)


def test_an_expired_badge_is_earned_again_with_the_next_sequence_and_its_history_kept(
    employee, kudos_badge, earned
):
    first = BadgeAwardFactory(
        badge=kudos_badge,
        user=employee,
        awarded_at=timezone.now() - datetime.timedelta(days=400),
        expires_at=timezone.now() - datetime.timedelta(days=35),
    )

    [again] = evaluate_badges(user_id=employee.pk)

    assert again.sequence == 2
    assert list(BadgeAward.objects.filter(user=employee).order_by("sequence")) == [first, again]
    assert again.uid != first.uid


def test_a_badge_not_yet_expired_is_not_awarded_again(employee, kudos_badge, earned):
    BadgeAwardFactory(
        badge=kudos_badge, user=employee, expires_at=timezone.now() + datetime.timedelta(days=1)
    )

    assert evaluate_badges(user_id=employee.pk) == []


def test_a_revoked_award_is_not_current_and_the_badge_can_be_earned_again(
    employee, hr, kudos_badge, earned
):
    [award] = evaluate_badges(user_id=employee.pk)
    revoke_award(award=award, reason="Awarded by mistake.", by=hr)

    assert selectors.held_badge_ids(user_ids=[employee.pk]) == set()
    [again] = evaluate_badges(user_id=employee.pk)
    assert again.sequence == 2


def test_an_inactive_badge_is_not_awarded(employee, kudos_badge, earned):
    kudos_badge.is_active = False
    kudos_badge.save()

    assert evaluate_badges(user_id=employee.pk) == []


def test_a_person_who_left_is_not_awarded(employee, kudos_badge, earned):
    employee.is_active = False
    employee.save()

    assert evaluate_badges(user_id=employee.pk) == []


def test_a_concurrent_award_of_the_same_sequence_is_refused_quietly(
    employee, kudos_badge, earned, monkeypatch
):
    BadgeAwardFactory(badge=kudos_badge, user=employee)
    # As if this evaluation read before the other one's award committed.
    monkeypatch.setattr("recognition.services.badges.held_badge_ids", lambda user_ids: set())
    monkeypatch.setattr("recognition.services.badges.last_sequences", lambda user_id: {})

    assert evaluate_badges(user_id=employee.pk) == []
    assert BadgeAward.objects.filter(user=employee).count() == 1
    assert not Notification.objects.filter(user=employee, kind="badge").exists()


# --- Triggers


def test_kudos_received_trigger_the_receivers_evaluation_once_committed(
    employee, outsider, kudos_badge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        KudosFactory(receiver=employee, sender=outsider)

    assert BadgeAward.objects.filter(user=employee, badge=kudos_badge).count() == 1
    assert not BadgeAward.objects.filter(user=outsider).exists()


def test_an_accepted_suggestion_triggers_its_authors_evaluation(
    employee, kudos_badge, earned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_accepted.send(
            sender=None, suggestion_id=1, author_id=employee.pk, status="accepted"
        )

    assert BadgeAward.objects.filter(user=employee).count() == 1


def test_an_anonymous_suggestion_triggers_nobodys_evaluation(
    employee, kudos_badge, earned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        suggestion_accepted.send(sender=None, suggestion_id=1, author_id=None, status="accepted")

    assert not [c for c in callbacks if "evaluate_badges" in repr(c)]
    assert not BadgeAward.objects.exists()


def test_a_completed_module_triggers_the_learners_evaluation(
    employee, kudos_badge, earned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        module_completed.send(
            sender=None, completion_id=0, user_id=employee.pk, module_id=0, on_time=True
        )

    assert BadgeAward.objects.filter(user=employee).count() == 1


def test_a_completed_module_also_evaluates_the_learners_manager(
    employee, manager, django_capture_on_commit_callbacks
):
    team_badge = BadgeFactory(criterion=BadgeCriterion.TEAM_COMPLIANT)

    with django_capture_on_commit_callbacks(execute=True):
        module_completed.send(
            sender=None, completion_id=0, user_id=employee.pk, module_id=0, on_time=True
        )

    assert BadgeAward.objects.get(badge=team_badge).user == manager


def test_the_nightly_task_awards_everyone_who_meets_a_criterion(employee, manager, kudos_badge):
    KudosFactory(receiver=employee, sender=manager)
    KudosFactory(receiver=manager, sender=employee)

    assert tasks.evaluate_badges_for_everyone() == 2
    assert tasks.evaluate_badges_for_everyone() == 0
    assert set(BadgeAward.objects.values_list("user_id", flat=True)) == {employee.pk, manager.pk}


def _queries_of_a_sweep(chunk_size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        evaluate_everyone(chunk_size=chunk_size)
    return len(queries)


def test_the_nightly_sweep_reads_a_fixed_number_of_queries_per_chunk(db):
    for criterion in BadgeCriterion.values:
        BadgeFactory(criterion=criterion, threshold=3)
    UserFactory.create_batch(3)
    few = _queries_of_a_sweep(chunk_size=100)
    UserFactory.create_batch(30)

    assert _queries_of_a_sweep(chunk_size=100) == few


# --- Sharing and revoking


def test_only_the_holder_can_share_a_badge(employee, outsider):
    award = BadgeAwardFactory(user=employee)

    with pytest.raises(PermissionDenied):
        set_sharing(award=award, user=outsider, public=True)
    set_sharing(award=award, user=employee, public=True)

    award.refresh_from_db()
    assert award.is_public


def test_a_revoked_badge_cannot_be_shared(employee, hr):
    award = revoke_award(award=BadgeAwardFactory(user=employee), reason="Mistake.", by=hr)

    with pytest.raises(ValidationError):
        set_sharing(award=award, user=employee, public=True)
    award.refresh_from_db()
    assert not award.is_public


def test_revoking_needs_hr_and_a_reason_and_unshares_the_badge(employee, hr, manager):
    award = BadgeAwardFactory(user=employee, is_public=True)

    with pytest.raises(PermissionDenied):
        revoke_award(award=award, reason="Mistake.", by=manager)
    with pytest.raises(ValidationError):
        revoke_award(award=award, reason="  ", by=hr)
    award.refresh_from_db()
    assert award.revoked_at is None

    revoke_award(award=award, reason="Awarded by mistake.", by=hr)
    award.refresh_from_db()
    assert award.revoked_at is not None
    assert award.revocation_reason == "Awarded by mistake."
    assert not award.is_public
    with pytest.raises(ValidationError):
        revoke_award(award=award, reason="Again.", by=hr)
