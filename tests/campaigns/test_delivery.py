import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import tasks
from campaigns.models import Delivery, Release
from campaigns.services.delivery import fan_out, live_campaign
from lms.models import ManagementLevel, Notification
from tests.campaigns.factories import asked_revision, make_campaign, publish_change
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    """Operations > Production > Assembly, and Quality beside it; one person in each."""
    operations = DepartmentFactory(name="Operations")
    production = DepartmentFactory(name="Production", parent=operations)
    assembly = DepartmentFactory(name="Assembly", parent=production)
    quality = DepartmentFactory(name="Quality")
    return {
        "operations": operations,
        "production": production,
        "assembly": assembly,
        "quality": quality,
        "in_operations": UserFactory(department=operations),
        "in_production": UserFactory(department=production),
        "in_assembly": UserFactory(department=assembly),
        "in_quality": UserFactory(department=quality),
    }


def _receivers(campaign) -> set[int]:
    return set(Delivery.objects.filter(campaign=campaign).values_list("user_id", flat=True))


def _fan_out(campaign) -> int:
    return fan_out(campaign=live_campaign(campaign.pk))


def test_publishing_a_campaign_delivers_it_once_to_each_person_with_a_notification_and_email(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(title="Spill response", audience_departments=[org["production"]])

    deliveries = Delivery.objects.filter(campaign=campaign)
    assert {d.user_id for d in deliveries} == {org["in_production"].pk, org["in_assembly"].pk}
    assert {d.revision_id for d in deliveries} == {campaign.live_revision_id}
    assert all(d.emailed_at is not None for d in deliveries)
    notes = Notification.objects.filter(kind=Notification.Kind.CAMPAIGN)
    assert sorted(n.user_id for n in notes) == sorted(d.user_id for d in deliveries)
    assert {n.url for n in notes} == {campaign.url}
    assert "Spill response" in notes[0].message
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [org["in_production"].email, org["in_assembly"].email]
    )


def test_a_department_includes_its_sub_departments_and_leaves_out_inactive_people(org):
    UserFactory(department=org["assembly"], is_active=False)
    campaign = make_campaign(audience_departments=[org["operations"]])

    assert _fan_out(campaign) == 3

    assert _receivers(campaign) == {
        org["in_operations"].pk,
        org["in_production"].pk,
        org["in_assembly"].pk,
    }


def test_levels_and_job_roles_narrow_the_audience(org):
    auditor = JobRoleFactory(name="Internal Auditor")
    wanted = UserFactory(
        department=org["quality"], job_role=auditor, management_level=ManagementLevel.MIDDLE
    )
    UserFactory(department=org["quality"], job_role=auditor)  # staff, not middle
    UserFactory(department=org["quality"], management_level=ManagementLevel.MIDDLE)  # other role
    campaign = make_campaign(audience_levels=[ManagementLevel.MIDDLE], audience_job_roles=[auditor])

    _fan_out(campaign)

    assert _receivers(campaign) == {wanted.pk}


def test_an_empty_audience_is_every_active_person(org):
    UserFactory(is_active=False)
    campaign = make_campaign()

    _fan_out(campaign)

    assert _receivers(campaign) == {
        org[name].pk for name in ("in_operations", "in_production", "in_assembly", "in_quality")
    }


def _queries_of_a_fan_out(size: int, department) -> int:
    for _ in range(size):
        UserFactory(department=department)
    campaign = make_campaign(audience_departments=[department], send_in_app=True)
    loaded = live_campaign(campaign.pk)
    loaded.get_url_parts()  # the site's root paths, cached once for every page
    with CaptureQueriesContext(connection) as queries:
        written = fan_out(campaign=loaded)
    assert written == size
    assert Notification.objects.filter(kind=Notification.Kind.CAMPAIGN).count() >= size
    return len(queries)


def test_the_fan_out_runs_a_fixed_number_of_queries_whatever_the_audience(org):
    small = _queries_of_a_fan_out(3, DepartmentFactory(name="Small"))
    large = _queries_of_a_fan_out(40, DepartmentFactory(name="Large"))

    assert small == large
    assert small <= 8


def test_running_the_fan_out_again_writes_nothing(org):
    campaign = make_campaign(audience_departments=[org["operations"]])
    assert _fan_out(campaign) == 3
    notes = Notification.objects.count()

    assert _fan_out(campaign) == 0
    tasks.deliver_campaign(campaign.pk)

    assert Delivery.objects.filter(campaign=campaign).count() == 3
    assert Notification.objects.count() == notes


def test_a_minor_release_delivers_nothing_new(org):
    campaign = make_campaign(audience_departments=[org["operations"]])
    _fan_out(campaign)
    first = asked_revision(campaign)

    release = publish_change(campaign, material=False)
    written = _fan_out(campaign)

    assert not release.is_material
    assert written == 0
    assert set(Delivery.objects.filter(campaign=campaign).values_list("revision", flat=True)) == {
        first.pk
    }
    assert not Notification.objects.filter(kind=Notification.Kind.CAMPAIGN_CHANGED).exists()


def test_a_material_release_asks_everyone_again_and_says_it_changed(org):
    campaign = make_campaign(audience_departments=[org["production"]])
    _fan_out(campaign)

    release = publish_change(campaign, material=True, change_summary="New spill kit location.")
    newcomer = UserFactory(department=org["assembly"])
    written = _fan_out(campaign)

    assert release.is_material
    assert written == 3
    new_rows = Delivery.objects.filter(campaign=campaign, revision=release.revision)
    assert {d.user_id for d in new_rows} == {
        org["in_production"].pk,
        org["in_assembly"].pk,
        newcomer.pk,
    }
    changed = Notification.objects.filter(kind=Notification.Kind.CAMPAIGN_CHANGED)
    assert {n.user_id for n in changed} == {org["in_production"].pk, org["in_assembly"].pk}
    # Never asked before, so for them it is simply new.
    assert Notification.objects.filter(kind=Notification.Kind.CAMPAIGN, user=newcomer).count() == 1
    assert Delivery.objects.filter(campaign=campaign).count() == 5


def test_someone_who_joins_the_audience_receives_the_live_campaign_on_the_periodic_run(org):
    campaign = make_campaign(audience_departments=[org["production"]])
    tasks.deliver_campaign(campaign.pk)
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    joiner = UserFactory(department=org["assembly"])
    mover = org["in_quality"]
    mover.department = org["production"]
    mover.save(update_fields=["department"])

    written = tasks.deliver_live_campaigns()

    assert written == 2
    assert _receivers(campaign) >= {joiner.pk, mover.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([joiner.email, mover.email])
    assert tasks.deliver_live_campaigns() == 0


def test_the_periodic_run_sends_emails_a_lost_task_left_behind(org):
    campaign = make_campaign(audience_departments=[org["production"]])
    _fan_out(campaign)  # deliveries written, but the e-mail task never ran
    assert mail.outbox == []

    tasks.deliver_live_campaigns()

    assert len(mail.outbox) == 2


def test_an_expired_or_unpublished_campaign_delivers_nothing(org):
    expired = make_campaign(audience_departments=[org["operations"]])
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save(update_fields=["expire_at"])
    withdrawn = make_campaign(audience_departments=[org["operations"]])
    withdrawn.unpublish()
    draft = make_campaign(audience_departments=[org["operations"]], live=False)

    for campaign in (expired, withdrawn, draft):
        assert tasks.deliver_campaign(campaign.pk) == 0
        assert fan_out(campaign=campaign) == 0
    assert tasks.deliver_live_campaigns() == 0

    assert not Delivery.objects.exists()


def test_a_campaign_without_in_app_delivery_writes_rows_but_no_notifications(org):
    campaign = make_campaign(audience_departments=[org["operations"]], send_in_app=False)

    assert _fan_out(campaign) == 3

    assert not Notification.objects.exists()


def test_a_campaign_scheduled_for_later_is_released_and_delivered_when_it_goes_live(
    org, django_capture_on_commit_callbacks
):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(audience_departments=[org["production"]], go_live_at=go_live)
    assert not Release.objects.filter(campaign=campaign).exists()
    assert not Delivery.objects.exists()

    # An hour later, as far as the scheduled revision can tell.
    past = timezone.now() - datetime.timedelta(seconds=1)
    revision = campaign.latest_revision
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled", verbosity=0)

    assert Release.objects.filter(campaign=campaign).count() == 1
    assert _receivers(campaign) == {org["in_production"].pk, org["in_assembly"].pk}


def test_the_periodic_jobs_are_scheduled():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["deliver-live-campaigns"]["task"] == "campaigns.tasks.deliver_live_campaigns"
    assert schedule["send-campaign-reminders"]["task"] == "campaigns.tasks.send_campaign_reminders"
