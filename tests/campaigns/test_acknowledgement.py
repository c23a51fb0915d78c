"""Acknowledging a campaign: once per person and revision asked about, only by the people it is
addressed to, announced on commit with whether it was on time, and sent to the LRS as xAPI."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Acknowledgement, Release
from campaigns.services.reading import (
    ACKNOWLEDGE_VERB,
    NothingToAcknowledge,
    acknowledge,
)
from campaigns.services.releases import current_release
from campaigns.signals import campaign_acknowledged
from lms.models import XapiStatement
from tests.campaigns.factories import deliver, make_campaign
from tests.fake_lrs import FakeLrs
from tests.lms.factories_training import make_clause, make_standard

WORDING = "I have read the near-miss procedure and will report every near miss."


@pytest.fixture
def campaign(operations):
    return make_campaign(
        title="Report every near miss",
        audience_departments=[operations],
        needs_acknowledgement=True,
        acknowledgement_text=WORDING,
    )


@pytest.fixture
def announced():
    """The campaign_acknowledged signals sent during a test, as their keyword arguments."""
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    campaign_acknowledged.connect(listener, dispatch_uid="test-acknowledgement-listener")
    yield received
    campaign_acknowledged.disconnect(dispatch_uid="test-acknowledgement-listener")


def _post(client, campaign):
    return client.post(reverse("campaign_acknowledge", args=[campaign.pk]))


class TestAcknowledging:
    def test_it_records_the_revision_asked_about_and_the_wording_confirmed(
        self, client, employee, campaign
    ):
        client.force_login(employee)
        response = _post(client, campaign)
        assert response.status_code == 302
        assert response["Location"] == f"{campaign.url}#acknowledgement"
        acknowledgement = Acknowledgement.objects.get()
        assert acknowledgement.user == employee
        assert acknowledgement.campaign_id == campaign.pk
        assert acknowledgement.revision_id == current_release(campaign).asks_about_id
        assert acknowledgement.wording == WORDING

    def test_the_page_then_says_when(self, client, employee, campaign):
        client.force_login(employee)
        _post(client, campaign)
        text = re.sub(r"\s+", " ", client.get(campaign.url).content.decode())
        today = timezone.localdate().strftime("%-d %B %Y")
        assert f"You acknowledged this on {today}." in text
        assert "I acknowledge this</button>" not in text

    def test_a_second_post_returns_the_first_and_changes_nothing(
        self, client, employee, campaign, announced, django_capture_on_commit_callbacks
    ):
        client.force_login(employee)
        with django_capture_on_commit_callbacks(execute=True):
            _post(client, campaign)
        first = Acknowledgement.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            response = _post(client, campaign)
        assert response.status_code == 302
        assert list(Acknowledgement.objects.values_list("pk", "acknowledged_at")) == [
            (first.pk, first.acknowledged_at)
        ]
        assert len(announced) == 1

    def test_the_service_returns_the_same_acknowledgement_twice(self, employee, campaign):
        assert acknowledge(campaign=campaign, user=employee) == acknowledge(
            campaign=campaign, user=employee
        )
        assert Acknowledgement.objects.count() == 1

    def test_someone_outside_the_audience_gets_403_and_nothing_is_stored(
        self, client, outsider, campaign
    ):
        client.force_login(outsider)
        assert _post(client, campaign).status_code == 403
        assert not Acknowledgement.objects.exists()
        with pytest.raises(PermissionDenied):
            acknowledge(campaign=campaign, user=outsider)

    def test_someone_sent_it_before_changing_department_may_still_acknowledge(
        self, client, outsider, campaign
    ):
        deliver(campaign, outsider)
        client.force_login(outsider)
        assert _post(client, campaign).status_code == 302
        assert Acknowledgement.objects.get().user == outsider

    def test_a_campaign_that_asks_for_none_answers_400_and_stores_nothing(
        self, client, employee, operations
    ):
        campaign = make_campaign(audience_departments=[operations], needs_acknowledgement=False)
        client.force_login(employee)
        response = _post(client, campaign)
        assert response.status_code == 400
        assert "This campaign does not ask for an acknowledgement." in response.content.decode()
        assert not Acknowledgement.objects.exists()

    def test_a_campaign_without_a_release_has_nothing_to_acknowledge(self, employee, campaign):
        Release.objects.filter(campaign=campaign).delete()
        with pytest.raises(NothingToAcknowledge):
            acknowledge(campaign=campaign, user=employee)

    def test_an_unpublished_campaign_is_404(self, client, employee, campaign):
        campaign.unpublish()
        client.force_login(employee)
        assert _post(client, campaign).status_code == 404
        assert not Acknowledgement.objects.exists()

    def test_it_needs_a_post(self, client, employee, campaign):
        client.force_login(employee)
        assert client.get(reverse("campaign_acknowledge", args=[campaign.pk])).status_code == 405


class TestTheSignal:
    def test_it_is_sent_on_commit_with_on_time(
        self, employee, campaign, announced, django_capture_on_commit_callbacks
    ):
        deliver(campaign, employee, at=timezone.now() - datetime.timedelta(days=3))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            acknowledgement = acknowledge(campaign=campaign, user=employee)
            assert announced == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert announced == [
            {
                "signal": campaign_acknowledged,
                "acknowledgement_id": acknowledgement.pk,
                "campaign_id": campaign.pk,
                "user_id": employee.pk,
                "revision_id": acknowledgement.revision_id,
                "on_time": True,
            }
        ]
        assert Acknowledgement.objects.get(pk=acknowledgement.pk).on_time is True

    def test_late_is_counted_from_the_persons_delivery(
        self, settings, employee, campaign, announced, django_capture_on_commit_callbacks
    ):
        settings.LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS = 14
        deliver(campaign, employee, at=timezone.now() - datetime.timedelta(days=15))
        with django_capture_on_commit_callbacks(execute=True):
            acknowledgement = acknowledge(campaign=campaign, user=employee)
        assert announced[0]["on_time"] is False
        assert Acknowledgement.objects.get(pk=acknowledgement.pk).on_time is False

    def test_without_a_delivery_it_is_counted_from_the_release(
        self, settings, employee, campaign, announced, django_capture_on_commit_callbacks
    ):
        settings.LMS_CAMPAIGN_ACKNOWLEDGE_WITHIN_DAYS = 14
        Release.objects.filter(campaign=campaign).update(
            published_at=timezone.now() - datetime.timedelta(days=20)
        )
        with django_capture_on_commit_callbacks(execute=True):
            acknowledgement = acknowledge(campaign=campaign, user=employee)
        assert announced[0]["on_time"] is False
        assert Acknowledgement.objects.get(pk=acknowledgement.pk).on_time is False


class TestTheXapiStatement:
    @pytest.fixture
    def lrs(self, settings):
        server = FakeLrs()
        settings.LMS_XAPI_ENDPOINT = server.url
        settings.LMS_XAPI_HOMEPAGE = "https://learning.example.com"
        yield server
        server.close()

    def test_it_is_written_once_and_sent_after_the_commit(
        self, lrs, employee, operations, django_capture_on_commit_callbacks
    ):
        standard = make_standard(name="ISO 45001:2018")
        campaign = make_campaign(
            title="Report every near miss",
            audience_departments=[operations],
            needs_acknowledgement=True,
            clauses=[make_clause(standard=standard, number="7.3", title="Awareness")],
        )
        with django_capture_on_commit_callbacks(execute=True):
            acknowledgement = acknowledge(campaign=campaign, user=employee)
            acknowledge(campaign=campaign, user=employee)

        row = XapiStatement.objects.get()
        assert row.key == f"acknowledgement:{acknowledgement.pk}"
        statement = row.statement
        assert statement["actor"]["account"] == {
            "homePage": "https://learning.example.com",
            "name": employee.employee_id,
        }
        assert statement["verb"]["id"] == ACKNOWLEDGE_VERB
        assert statement["object"]["id"] == (
            f"https://learning.example.com/xapi/activities/campaigns/{campaign.pk}"
        )
        assert statement["object"]["definition"]["name"] == {"en-GB": "Report every near miss"}
        categories = [c["id"] for c in statement["context"]["contextActivities"]["category"]]
        assert categories == ["https://learning.example.com/xapi/iso/iso-450012018/clauses/7.3"]
        assert statement["result"]["response"] == acknowledgement.wording
        assert statement["timestamp"].endswith("Z")
        # The send task ran once the acknowledgement was committed.
        assert [sent["id"] for sent in lrs.received] == [statement["id"]]

    def test_nothing_is_written_while_no_lrs_is_configured(self, settings, employee, campaign):
        settings.LMS_XAPI_ENDPOINT = ""
        acknowledge(campaign=campaign, user=employee)
        assert not XapiStatement.objects.exists()
