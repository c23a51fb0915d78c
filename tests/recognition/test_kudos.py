"""Sending kudos and hiding them from the wall: the rules, the points, who is told."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from lms.models import Notification
from recognition.models import Kudos, KudosValue, PointsEntry
from recognition.services.kudos import hide_kudos, send_kudos
from tests.factories import UserFactory
from tests.recognition.factories import KudosFactory, rule

MESSAGE = "Spotted an out-of-date procedure on the line and had it replaced."
# A Wednesday at noon: the week runs from Monday 23 to Sunday 29 November.
WEDNESDAY = timezone.make_aware(datetime.datetime(2026, 11, 25, 12, 0))


def _send(sender, receiver, **changes):
    arguments = {
        "sender": sender,
        "receiver_id": receiver.pk,
        "value": KudosValue.SAFETY,
        "message": MESSAGE,
        "at": WEDNESDAY,
    } | changes
    return send_kudos(**arguments)


def _nothing_written():
    return (
        Kudos.objects.count(),
        PointsEntry.objects.count(),
        Notification.objects.filter(kind=Notification.Kind.KUDOS).count(),
    ) == (0, 0, 0)


def test_kudos_pay_the_receiver_by_the_rule_and_tell_them(employee, outsider):
    kudos = _send(outsider, employee)

    assert (kudos.sender, kudos.receiver, kudos.value) == (outsider, employee, "safety")
    entry = PointsEntry.objects.get(user=employee)
    assert entry.points == 5
    assert entry.category == "kudos_received"
    assert entry.source == kudos
    assert entry.reason == f"Kudos from {outsider.first_name} for Health and safety"
    note = Notification.objects.get(user=employee)
    assert note.kind == Notification.Kind.KUDOS
    assert MESSAGE in note.message
    assert note.url == "/recognition/kudos/"


def test_the_receivers_line_manager_is_told(employee, manager, outsider):
    _send(outsider, employee)

    note = Notification.objects.get(user=manager)
    assert note.kind == Notification.Kind.KUDOS
    assert note.message == (
        f"Team Member received kudos from {outsider.get_full_name()} for Health and safety"
    )
    assert note.url == "/recognition/kudos/team/"


def test_a_manager_sending_kudos_to_a_report_is_not_told_again(employee, manager):
    _send(manager, employee)

    assert not Notification.objects.filter(user=manager).exists()
    assert Notification.objects.filter(user=employee, kind="kudos").count() == 1


def test_the_message_is_kept_as_plain_text_without_surrounding_space(employee, outsider):
    kudos = _send(outsider, employee, message="  <b>Fixed</b> the spill kit & restocked it.  ")

    assert kudos.message == "<b>Fixed</b> the spill kit & restocked it."


@pytest.mark.parametrize(
    ("case", "field", "text"),
    [
        ("nobody", "receiver", "Choose a colleague"),
        ("not a number", "receiver", "Choose a colleague"),
        ("left", "receiver", "Choose a colleague"),
        ("not on the roster", "receiver", "Choose a colleague"),
        ("oneself", "receiver", "cannot send them to yourself"),
        ("unknown value", "value", "Choose the value"),
        ("short message", "message", "at least 10 characters"),
        ("blank message", "message", "at least 10 characters"),
        ("long message", "message", "Keep the message to 500 characters; it has 501"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    employee, outsider, case, field, text
):
    left = UserFactory(is_active=False)
    off_roster = UserFactory(employee_id=None)
    changes = {
        "nobody": {"receiver_id": None},
        "not a number": {"receiver_id": "seven"},
        "left": {"receiver_id": left.pk},
        "not on the roster": {"receiver_id": off_roster.pk},
        "oneself": {"receiver_id": outsider.pk},
        "unknown value": {"value": "charm"},
        "short message": {"message": "  Thanks!  "},
        "blank message": {"message": "           "},
        "long message": {"message": "x" * 501},
    }[case]

    with pytest.raises(ValidationError) as refused:
        _send(outsider, employee, **changes)

    assert text in " ".join(refused.value.message_dict[field])
    assert _nothing_written()


def test_a_sender_may_send_the_weekly_number_of_kudos_and_no_more(settings, outsider):
    settings.LMS_KUDOS_SENT_PER_WEEK = 2
    first, second, third = UserFactory.create_batch(3)
    _send(outsider, first, at=WEDNESDAY - datetime.timedelta(days=2))  # Monday
    _send(outsider, second)

    with pytest.raises(ValidationError) as refused:
        _send(outsider, third, at=WEDNESDAY + datetime.timedelta(days=4, hours=11))  # Sunday

    assert refused.value.messages == [
        "You have sent 2 kudos this week, the most anyone may send in a week (2); you can "
        "send more from Monday 30 November."
    ]
    assert not Kudos.objects.filter(receiver=third).exists()
    assert not PointsEntry.objects.filter(user=third).exists()
    assert not Notification.objects.filter(user=third).exists()


def test_the_weekly_number_starts_again_on_monday(settings, outsider):
    settings.LMS_KUDOS_SENT_PER_WEEK = 1
    first, second = UserFactory.create_batch(2)
    _send(outsider, first)

    monday = timezone.make_aware(datetime.datetime(2026, 11, 30, 0, 0))
    kudos = _send(outsider, second, at=monday)

    assert kudos.created_at == monday


def test_one_kudos_a_day_from_the_same_sender_to_the_same_colleague(employee, outsider):
    _send(outsider, employee, at=WEDNESDAY.replace(hour=0))

    with pytest.raises(ValidationError) as refused:
        _send(outsider, employee, at=WEDNESDAY.replace(hour=23, minute=59), value="quality")

    assert "You already sent Team Member kudos today" in refused.value.messages[0]
    assert Kudos.objects.count() == 1
    assert PointsEntry.objects.filter(user=employee).count() == 1
    tomorrow = _send(outsider, employee, at=WEDNESDAY + datetime.timedelta(days=1))
    assert tomorrow.pk is not None


def test_another_sender_may_thank_the_same_colleague_the_same_day(employee, outsider, hr):
    _send(outsider, employee)
    _send(hr, employee)

    assert Kudos.objects.filter(receiver=employee).count() == 2


def test_the_receivers_points_stop_at_the_rules_weekly_cap(employee):
    rule("kudos_received", points=10, weekly_cap=25)
    for sender in UserFactory.create_batch(4):
        _send(sender, employee)

    entries = PointsEntry.objects.filter(user=employee).order_by("pk")
    assert [entry.points for entry in entries] == [10, 10, 5, 0]
    assert entries.aggregate(total=Sum("points"))["total"] == 25
    assert "weekly cap of 25 reached" in entries.last().reason
    assert Kudos.objects.filter(receiver=employee).count() == 4


def test_an_inactive_kudos_rule_pays_nothing_but_the_kudos_are_sent(employee, outsider):
    rule("kudos_received", is_active=False)

    kudos = _send(outsider, employee)

    assert kudos.pk is not None
    assert not PointsEntry.objects.exists()


def test_hr_hides_kudos_from_the_wall_and_they_still_count(employee, outsider, hr):
    kudos = _send(outsider, employee)

    hidden = hide_kudos(kudos=kudos, by=hr, reason="Names a customer.")

    assert hidden.hidden_at is not None
    assert hidden.hidden_by == hr
    kudos.refresh_from_db()
    assert kudos.hidden_reason == "Names a customer."
    assert PointsEntry.objects.filter(user=employee).count() == 1
    note = Notification.objects.filter(user=outsider).get()
    assert note.message == (
        "Your kudos to Team Member were taken off the recognition wall: Names a customer."
    )


def test_hiding_hidden_kudos_changes_nothing(employee, outsider, hr):
    kudos = hide_kudos(kudos=_send(outsider, employee), by=hr, reason="Names a customer.")

    again = hide_kudos(kudos=kudos, by=hr, reason="Another reason.")

    assert again.hidden_at == kudos.hidden_at
    assert Notification.objects.filter(user=outsider).count() == 1


def test_only_hr_may_hide_kudos(employee, manager, outsider):
    kudos = KudosFactory(sender=outsider, receiver=employee)

    with pytest.raises(PermissionDenied):
        hide_kudos(kudos=kudos, by=manager, reason="I do not like it.")

    kudos.refresh_from_db()
    assert kudos.hidden_at is None


def test_hiding_needs_a_reason(employee, outsider, hr):
    kudos = KudosFactory(sender=outsider, receiver=employee)

    with pytest.raises(ValidationError, match="Say why"):
        hide_kudos(kudos=kudos, by=hr, reason="   ")

    kudos.refresh_from_db()
    assert kudos.hidden_at is None
    assert not Notification.objects.exists()
