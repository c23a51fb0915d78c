import datetime

import pytest
from django.core import mail
from django.utils import timezone

from campaigns import tasks
from campaigns.models import Acknowledgement, Delivery
from campaigns.services.delivery import fan_out, live_campaign, send_reminders
from lms.models import Notification
from tests.campaigns.factories import asked_revision, make_campaign, publish_change
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

REMINDER = Notification.Kind.CAMPAIGN_REMINDER


@pytest.fixture(autouse=True)
def reminder_rules(settings):
    settings.LMS_CAMPAIGN_REMIND_AFTER_DAYS = 5
    settings.LMS_CAMPAIGN_MAX_REMINDERS = 2


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Laboratory")


@pytest.fixture
def readers(department):
    return [UserFactory(department=department) for _ in range(3)]


def _delivered(department, **fields):
    """A campaign delivered (rows written, in-app notifications and e-mails cleared) today."""
    fields.setdefault("needs_acknowledgement", True)
    campaign = make_campaign(audience_departments=[department], **fields)
    fan_out(campaign=live_campaign(campaign.pk))
    Delivery.objects.filter(campaign=campaign).update(emailed_at=timezone.now())
    Notification.objects.all().delete()
    mail.outbox.clear()
    return campaign


def _days_later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def _reminded_people() -> list[int]:
    return sorted(Notification.objects.filter(kind=REMINDER).values_list("user_id", flat=True))


def test_nobody_is_reminded_before_the_days_have_passed(department, readers):
    _delivered(department)

    assert send_reminders(now=_days_later(4)) == 0

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_after_the_days_each_reader_who_has_not_acknowledged_is_reminded_once(department, readers):
    campaign = _delivered(department, title="Sample labelling")
    Acknowledgement.objects.create(
        campaign=campaign,
        user=readers[0],
        revision=asked_revision(campaign),
        wording=campaign.acknowledgement_text,
    )

    later = _days_later(5)
    assert send_reminders(now=later) == 2

    assert _reminded_people() == sorted(p.pk for p in readers[1:])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in readers[1:])
    assert "Sample labelling" in mail.outbox[0].subject
    assert campaign.url in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    row = Delivery.objects.get(campaign=campaign, user=readers[1])
    assert row.reminders_sent == 1
    assert row.last_reminded_at == later


def test_a_second_run_the_same_day_reminds_nobody(department, readers):
    _delivered(department)
    later = _days_later(5)
    send_reminders(now=later)

    assert send_reminders(now=later + datetime.timedelta(hours=3)) == 0
    assert tasks.send_campaign_reminders() == 0

    assert len(_reminded_people()) == len(readers)
    assert len(mail.outbox) == len(readers)


def test_the_next_reminder_comes_as_many_days_after_the_last_and_stops_at_the_limit(
    department, readers
):
    campaign = _delivered(department)

    sent_by_day = {day: send_reminders(now=_days_later(day)) for day in range(1, 25)}

    assert {day: sent for day, sent in sent_by_day.items() if sent} == {5: 3, 10: 3}
    assert set(
        Delivery.objects.filter(campaign=campaign).values_list("reminders_sent", flat=True)
    ) == {2}
    assert len(mail.outbox) == 6


def test_the_limit_of_reminders_is_a_setting(department, readers, settings):
    settings.LMS_CAMPAIGN_MAX_REMINDERS = 1
    _delivered(department)

    assert send_reminders(now=_days_later(5)) == 3
    assert send_reminders(now=_days_later(10)) == 0


def test_a_campaign_that_asks_for_no_acknowledgement_reminds_nobody(department, readers):
    _delivered(department, needs_acknowledgement=False)

    assert send_reminders(now=_days_later(6)) == 0


def test_people_who_left_the_audience_or_the_organisation_are_not_reminded(department, readers):
    _delivered(department)
    readers[0].is_active = False
    readers[0].save(update_fields=["is_active"])
    readers[1].department = DepartmentFactory(name="Finance")
    readers[1].save(update_fields=["department"])

    assert send_reminders(now=_days_later(5)) == 1

    assert _reminded_people() == [readers[2].pk]


def test_after_a_material_change_only_acknowledging_the_new_revision_counts(department, readers):
    campaign = _delivered(department)
    first = asked_revision(campaign)
    for person in readers:
        Acknowledgement.objects.create(
            campaign=campaign, user=person, revision=first, wording="Understood."
        )
    publish_change(campaign, material=True, change_summary="New limits.")
    fan_out(campaign=live_campaign(campaign.pk))
    Acknowledgement.objects.create(
        campaign=campaign, user=readers[0], revision=asked_revision(campaign), wording="Yes."
    )

    assert send_reminders(now=_days_later(5)) == 2

    assert _reminded_people() == sorted(p.pk for p in readers[1:])


def test_an_expired_campaign_reminds_nobody(department, readers):
    campaign = _delivered(department)
    campaign.expire_at = _days_later(2)
    campaign.save(update_fields=["expire_at"])

    assert send_reminders(now=_days_later(5)) == 0


def test_a_campaign_sent_in_app_only_reminds_in_app_in_batches(department, readers):
    _delivered(department, send_email=False)

    assert send_reminders(now=_days_later(5), batch_size=2) == 3

    assert _reminded_people() == sorted(p.pk for p in readers)
    assert mail.outbox == []


def test_a_campaign_sent_by_email_only_reminds_by_email_only(department, readers):
    _delivered(department, send_in_app=False)

    assert send_reminders(now=_days_later(5), batch_size=2) == 3

    assert not Notification.objects.exists()
    assert len(mail.outbox) == 3
