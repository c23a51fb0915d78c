import datetime

import psycopg
import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError, connections
from django.utils import timezone

from campaigns import mail as campaign_mail
from campaigns import tasks
from campaigns.models import Delivery
from campaigns.services.delivery import (
    fan_out,
    live_campaign,
    send_email_batch,
    send_reminders,
)
from lms.models import Notification
from tests.campaigns.factories import make_campaign, publish_change
from tests.campaigns.smtp_sink import SmtpSink
from tests.factories import DepartmentFactory, UserFactory


class CountingBackend(LocmemBackend):
    """The in-memory outbox, counting the connections opened to it."""

    opened = 0

    def open(self):
        CountingBackend.opened += 1
        return super().open()


@pytest.fixture
def counting_backend(settings):
    settings.EMAIL_BACKEND = "tests.campaigns.test_campaign_mail.CountingBackend"
    CountingBackend.opened = 0
    return CountingBackend


@pytest.fixture
def team(db):
    department = DepartmentFactory(name="Warehouse")
    people = [UserFactory(department=department) for _ in range(5)]
    return department, people


def _unsent(campaign) -> int:
    return Delivery.objects.filter(campaign=campaign, emailed_at__isnull=True).count()


@pytest.mark.django_db
class TestBatches:
    def test_emails_go_in_batches_over_one_connection_each_and_once_per_person(
        self, team, settings, counting_backend
    ):
        settings.LMS_CAMPAIGN_EMAIL_BATCH = 2
        department, people = team
        campaign = make_campaign(audience_departments=[department])

        tasks.deliver_campaign(campaign.pk)

        assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
        assert counting_backend.opened == 3
        assert _unsent(campaign) == 0

    def test_running_the_tasks_again_sends_nothing(self, team, counting_backend):
        department, people = team
        campaign = make_campaign(audience_departments=[department])
        tasks.deliver_campaign(campaign.pk)
        opened = counting_backend.opened

        tasks.deliver_campaign(campaign.pk)
        tasks.send_campaign_emails(campaign.pk)
        tasks.deliver_live_campaigns()

        assert len(mail.outbox) == len(people)
        assert counting_backend.opened == opened

    def test_a_campaign_sent_in_app_only_sends_no_email(self, team, counting_backend):
        department, _ = team
        campaign = make_campaign(audience_departments=[department], send_email=False)

        tasks.deliver_campaign(campaign.pk)
        tasks.send_campaign_emails(campaign.pk)

        assert mail.outbox == []
        assert counting_backend.opened == 0


@pytest.mark.django_db
class TestContent:
    def test_the_email_has_text_and_html_with_the_summary_and_an_absolute_link(
        self, team, settings
    ):
        settings.WAGTAILADMIN_BASE_URL = "https://learning.example.org/"
        department, people = team
        campaign = make_campaign(
            title="Report every near miss",
            summary="Near misses tell us where the next accident will be.",
            audience_departments=[department],
            needs_acknowledgement=True,
        )
        fan_out(campaign=live_campaign(campaign.pk))

        send_email_batch(campaign=live_campaign(campaign.pk))

        message = next(m for m in mail.outbox if m.to == [people[0].email])
        link = f"https://learning.example.org{campaign.url}"
        assert message.subject == "Report every near miss"
        assert "Near misses tell us where the next accident will be." in message.body
        assert link in message.body
        assert "confirm that you have understood it" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'href="{link}"' in html
        assert "Near misses tell us where the next accident will be." in html

    def test_a_material_change_tells_those_asked_before_what_changed(self, team):
        department, people = team
        campaign = make_campaign(audience_departments=[department])
        tasks.deliver_campaign(campaign.pk)
        mail.outbox.clear()
        newcomer = UserFactory(department=department)

        publish_change(campaign, material=True, change_summary="Masks are now required in aisle 4.")
        tasks.deliver_campaign(campaign.pk)

        by_person = {m.to[0]: m for m in mail.outbox}
        assert len(mail.outbox) == len(people) + 1
        again = by_person[people[0].email]
        assert again.subject.startswith("Changed: ")
        assert "Masks are now required in aisle 4." in again.body
        assert "Masks are now required in aisle 4." in again.alternatives[0][0]
        first_time = by_person[newcomer.email]
        assert not first_time.subject.startswith("Changed: ")
        assert "aisle 4" not in first_time.body

    def test_a_minor_change_sends_no_email(self, team):
        department, _ = team
        campaign = make_campaign(audience_departments=[department])
        tasks.deliver_campaign(campaign.pk)
        mail.outbox.clear()

        publish_change(campaign, material=False)
        tasks.deliver_campaign(campaign.pk)

        assert mail.outbox == []


# --- Over SMTP, to a real server in a thread: the commit point is the end of the data


@pytest.fixture
def sink(settings):
    with SmtpSink(refuse={"nobody@example.com"}) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5
        yield server


def _make_the_next_commit_fail(monkeypatch) -> None:
    """The next commit fails before the database has it: on PostgreSQL, the COMMIT that goes
    out just before the final line; elsewhere Django's commit."""
    database = connections["default"]
    if database.vendor == "postgresql":
        real_send_commit = campaign_mail._send_commit

        def send_commit_fails_once(pgconn):
            monkeypatch.setattr(campaign_mail, "_send_commit", real_send_commit)
            raise psycopg.OperationalError("the database went away")

        monkeypatch.setattr(campaign_mail, "_send_commit", send_commit_fails_once)
        return
    real_commit = database.commit

    def commit_fails_once():
        monkeypatch.setattr(database, "commit", real_commit)
        raise OperationalError("the database went away")

    monkeypatch.setattr(database, "commit", commit_fails_once)


def _delivered_but_not_emailed(department, monkeypatch, **fields):
    """A campaign published (each publication commits, so it is delivered at once) whose
    e-mail task the broker lost."""
    with monkeypatch.context() as patched:
        patched.setattr(tasks, "enqueue", lambda *args, **kwargs: False)
        campaign = make_campaign(audience_departments=[department], **fields)
    assert Delivery.objects.filter(campaign=campaign, emailed_at__isnull=True).exists()
    return campaign


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("migration_data_kept")
class TestSmtp:
    def test_each_person_receives_exactly_one_message_in_batches(self, team, settings, sink):
        settings.LMS_CAMPAIGN_EMAIL_BATCH = 2
        department, people = team
        campaign = make_campaign(audience_departments=[department])

        tasks.deliver_campaign(campaign.pk)
        tasks.deliver_campaign(campaign.pk)
        tasks.send_campaign_emails(campaign.pk)

        assert sink.count_by_recipient() == {p.email: 1 for p in people}
        assert sink.connections == 3
        assert _unsent(campaign) == 0
        message = sink.messages()[0].parsed()
        assert message["Subject"] == campaign.title
        assert message.get_content_type() == "multipart/alternative"

    def test_a_failed_commit_after_the_data_delivers_nothing_and_leaves_the_row_unsent(
        self, team, sink, monkeypatch
    ):
        department, people = team
        campaign = _delivered_but_not_emailed(department, monkeypatch)
        _make_the_next_commit_fail(monkeypatch)
        with pytest.raises(OperationalError):
            send_email_batch(campaign=live_campaign(campaign.pk))

        assert sink.wait_until(lambda sink: sink.abandoned == 1)
        assert sink.messages() == []
        assert _unsent(campaign) == len(people)

        send_email_batch(campaign=live_campaign(campaign.pk))

        assert sink.count_by_recipient() == {p.email: 1 for p in people}
        assert _unsent(campaign) == 0

    def test_a_line_starting_with_a_dot_arrives_intact(self, team, sink):
        department, people = team
        campaign = make_campaign(
            audience_departments=[department], summary="Three rules:\n.one\n..two\n."
        )

        tasks.deliver_campaign(campaign.pk)

        text = sink.messages()[0].parsed().get_payload(0).get_payload(decode=True).decode()
        assert "Three rules:\n.one\n..two\n.\n" in text.replace("\r\n", "\n")
        assert len(sink.messages()) == len(people)

    def test_a_refused_address_is_not_tried_again_and_the_others_are_sent(self, team, sink):
        department, people = team
        refused = UserFactory(department=department, email="nobody@example.com")
        campaign = make_campaign(audience_departments=[department])

        tasks.deliver_campaign(campaign.pk)
        tasks.send_campaign_emails(campaign.pk)

        assert sink.count_by_recipient() == {p.email: 1 for p in people}
        assert Delivery.objects.get(campaign=campaign, user=refused).emailed_at is not None

    def test_an_unreachable_server_leaves_every_row_for_the_retry(self, team, sink, monkeypatch):
        department, people = team
        campaign = _delivered_but_not_emailed(department, monkeypatch)
        sink.stop()

        with pytest.raises(OSError):
            send_email_batch(campaign=live_campaign(campaign.pk))

        assert _unsent(campaign) == len(people)

    def test_reminders_over_smtp_arrive_once_and_not_again_the_same_day(
        self, team, settings, sink, monkeypatch
    ):
        settings.LMS_CAMPAIGN_REMIND_AFTER_DAYS = 5
        department, people = team
        campaign = _delivered_but_not_emailed(department, monkeypatch, needs_acknowledgement=True)
        later = timezone.now() + datetime.timedelta(days=5)

        assert send_reminders(now=later) == len(people)
        assert send_reminders(now=later + datetime.timedelta(hours=1)) == 0

        assert sink.count_by_recipient() == {p.email: 1 for p in people}
        assert all(row.reminders_sent == 1 for row in Delivery.objects.filter(campaign=campaign))
        assert Notification.objects.filter(kind=Notification.Kind.CAMPAIGN_REMINDER).count() == 5
