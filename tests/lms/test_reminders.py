"""The daily digest: reminders before and after due dates, escalations, once per person per day."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from lms import tasks
from lms.models import Assignment, Notification, ReminderDigest, TeamReminder
from lms.services.reminders import send_daily_reminders
from tests.factories import UserFactory
from tests.lms.factories_training import make_assignment, make_completion, make_module, withdraw

TODAY = datetime.date(2026, 3, 16)


def _due(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def _mail_to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


@pytest.fixture
def modules(db):
    return [make_module(title=f"Module {name}") for name in "ABCDE"]


def test_one_email_a_day_lists_everything_due_soon_due_today_and_overdue(
    employee, manager, modules
):
    a, b, c, d, _ = modules
    make_assignment(user=employee, module=a, due_on=_due(settings.LMS_REMINDER_DAYS_BEFORE))
    make_assignment(user=employee, module=b, due_on=TODAY)
    make_assignment(user=employee, module=c, due_on=_due(-1))
    make_assignment(user=employee, module=d, due_on=_due(-3))

    sent = send_daily_reminders(today=TODAY)

    assert sent == 1
    [message] = mail.outbox
    assert message.to == [employee.email]
    assert message.subject == "Your training: 2 overdue, 1 due today, 1 coming up"
    body = message.body
    assert body.index("Overdue") < body.index("Module D") < body.index("Module C")
    assert body.index("Due today") < body.index("Module B") < body.index("Coming up")
    assert body.index("Module A") > body.index("Coming up")
    assert "http://127.0.0.1:8000/training/" in body
    digest = ReminderDigest.objects.get()
    assert (digest.user, digest.sent_on) == (employee, TODAY)
    assert [item["kind"] for item in digest.items] == [
        "overdue",
        "overdue",
        "due_today",
        "due_soon",
    ]
    assert digest.emailed_at is not None


def test_nothing_is_sent_for_training_not_yet_due_done_withdrawn_or_of_leavers(employee, modules):
    a, b, c, d, e = modules
    make_assignment(user=employee, module=a, due_on=_due(3))
    make_completion(assignment=make_assignment(user=employee, module=b, due_on=_due(-3)))
    withdraw(
        assignment=make_assignment(user=employee, module=c, due_on=_due(-3)), reason="Not needed"
    )
    leaver = UserFactory(is_active=False)
    make_assignment(user=leaver, module=d, due_on=TODAY)
    draft = make_module(title="Draft", live=False)
    make_assignment(user=employee, module=draft, due_on=TODAY)

    assert send_daily_reminders(today=TODAY) == 0
    assert mail.outbox == []
    assert not ReminderDigest.objects.exists()
    assert not Notification.objects.exists()


def test_the_line_manager_hears_of_training_overdue_longer_than_the_escalation_delay(
    employee, manager, modules
):
    days = settings.LMS_ESCALATE_AFTER_DAYS_OVERDUE
    long_late, just_late = modules[:2]
    make_assignment(user=employee, module=long_late, due_on=_due(-days - 1))
    make_assignment(user=employee, module=just_late, due_on=_due(-days))

    send_daily_reminders(today=TODAY)

    [to_employee] = _mail_to(employee)
    assert "Module A" in to_employee.body and "Module B" in to_employee.body
    [to_manager] = _mail_to(manager)
    assert to_manager.subject == "Your training: 1 overdue in your team"
    assert "Team Member: Module A" in to_manager.body
    assert "Module B" not in to_manager.body
    assert "/learning/team/" in to_manager.body
    escalation = Notification.objects.get(user=manager)
    assert escalation.kind == Notification.Kind.ESCALATION
    assert escalation.message.startswith("Team Member: “Module A” was due on")


def test_a_manager_with_their_own_reminders_and_escalations_gets_one_email(
    employee, manager, modules
):
    make_assignment(user=employee, module=modules[0], due_on=_due(-30))
    make_assignment(user=employee, module=modules[1], due_on=_due(-20))
    make_assignment(user=manager, module=modules[2], due_on=TODAY)

    send_daily_reminders(today=TODAY)

    [to_manager] = _mail_to(manager)
    assert to_manager.subject == "Your training: 1 due today, 2 overdue in your team"
    assert len(mail.outbox) == 2


def test_escalation_skips_a_deactivated_manager(employee, manager, modules):
    manager.is_active = False
    manager.save()
    make_assignment(user=employee, module=modules[0], due_on=_due(-30))

    send_daily_reminders(today=TODAY)

    assert [m.to for m in mail.outbox] == [[employee.email]]


def test_a_second_run_the_same_day_sends_nothing_but_the_next_day_does(employee, modules):
    make_assignment(user=employee, module=modules[0], due_on=_due(-2))

    assert send_daily_reminders(today=TODAY) == 1
    assert send_daily_reminders(today=TODAY) == 0
    tasks.send_daily_reminders.delay()  # the beat's task, on the real today
    assert len(_mail_to(employee)) == 2
    assert Notification.objects.filter(user=employee).count() == 2
    assert send_daily_reminders(today=_due(1)) == 1
    assert ReminderDigest.objects.filter(user=employee).count() == 3


def test_a_failed_smtp_run_is_retried_without_duplicates(employee, manager, modules, monkeypatch):
    make_assignment(user=employee, module=modules[0], due_on=_due(-30))
    calls = []

    def fail_once(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise OSError("SMTP server went away")
        return original(self, messages)

    original = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", fail_once)

    with pytest.raises(OSError):
        send_daily_reminders(today=TODAY)
    assert ReminderDigest.objects.filter(emailed_at__isnull=True).count() == 2
    assert not Notification.objects.exists()

    assert send_daily_reminders(today=TODAY) == 2
    assert send_daily_reminders(today=TODAY) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([employee.email, manager.email])
    assert Notification.objects.count() == 2


def test_digests_go_out_in_batches_over_one_connection_each(db, modules, monkeypatch):
    people = [UserFactory() for _ in range(5)]
    for person in people:
        make_assignment(user=person, module=modules[0], due_on=TODAY)
    batches = []
    original = EmailBackend.send_messages

    def record(self, messages):
        batches.append(len(messages))
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", record)
    monkeypatch.setattr("lms.services.reminders.BATCH_SIZE", 2)

    assert send_daily_reminders(today=TODAY) == 5

    assert batches == [2, 2, 1]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_each_item_also_becomes_an_in_app_notification(employee, modules):
    soon = make_assignment(
        user=employee, module=modules[0], due_on=_due(settings.LMS_REMINDER_DAYS_BEFORE)
    )
    make_assignment(user=employee, module=modules[1], due_on=_due(-1))

    send_daily_reminders(today=TODAY)

    notes = {n.kind: n for n in Notification.objects.filter(user=employee)}
    assert set(notes) == {Notification.Kind.DUE_SOON, Notification.Kind.OVERDUE}
    assert notes[Notification.Kind.DUE_SOON].message == "“Module A” is due on 23 March 2026."
    assert notes[Notification.Kind.DUE_SOON].url == soon.module.url
    assert notes[Notification.Kind.OVERDUE].read_at is None


def test_the_reminder_timing_follows_the_settings(employee, modules, settings):
    settings.LMS_REMINDER_DAYS_BEFORE = 2
    settings.LMS_ESCALATE_AFTER_DAYS_OVERDUE = 1
    make_assignment(user=employee, module=modules[0], due_on=_due(2))
    make_assignment(user=employee, module=modules[1], due_on=_due(7))
    make_assignment(user=employee, module=modules[2], due_on=_due(-2))

    send_daily_reminders(today=TODAY)

    [to_employee] = _mail_to(employee)
    assert "Module A" in to_employee.body and "Module B" not in to_employee.body
    assert len(mail.outbox) == 2  # and the manager hears of Module C


def test_the_daily_run_is_on_the_beat_schedule():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"lms.tasks.send_daily_reminders", "lms.tasks.send_pending_team_reminders"} <= entries


def test_an_open_assignment_reminds_only_while_it_is_open(employee, modules):
    assignment = make_assignment(user=employee, module=modules[0], due_on=_due(-1))
    send_daily_reminders(today=TODAY)
    assignment.status = Assignment.Status.COMPLETED
    assignment.save()

    assert send_daily_reminders(today=_due(1)) == 0
    assert len(mail.outbox) == 1


def test_a_managers_reminder_written_while_the_broker_was_down_is_sent_by_the_sweep(
    employee, manager, modules
):
    make_assignment(user=employee, module=modules[0], due_on=_due(-2))
    # As if the broker had been down when the manager pressed the button: the row, no e-mail.
    TeamReminder.objects.create(user=employee, sent_by=manager, sent_on=timezone.localdate())

    tasks.send_pending_team_reminders.delay()
    tasks.send_pending_team_reminders.delay()

    [message] = mail.outbox
    assert message.to == [employee.email]
    assert "Module A, overdue since" in message.body
    assert TeamReminder.objects.get().emailed_at is not None
