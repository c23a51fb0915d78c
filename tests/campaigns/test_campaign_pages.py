"""Campaign pages as readers meet them, and who may publish them in the CMS.

Readers: the index and each campaign are for signed-in people; the page shows the content, the
related training, the awareness check, and marks the reader's delivery opened. Editors: HR may
edit pages but only Communications (campaigns.publish_campaign) may publish, unpublish or
schedule a campaign; Wagtail's scheduled publishing makes a campaign live at its time.
"""

import datetime
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from campaigns.models import CampaignPage, Delivery
from lms.blocks import markdown_value
from quizzes.models import Attempt
from tests.campaigns.factories import (
    deliver,
    make_campaign,
    make_campaign_index,
    md,
)
from tests.lms.factories_training import make_clause, make_module, make_standard
from tests.permission_rows import ANON
from tests.quizzes.factories import make_quiz, submitted_attempt


def _callout(text):
    return {"type": "callout", "value": {"kind": "why", "title": "", "text": text}}


@pytest.fixture
def campaign(operations):
    standard = make_standard(name="ISO 45001:2018")
    return make_campaign(
        title="Report every near miss",
        summary="A near miss today is an injury tomorrow.",
        body=[md("Report it **before the end of your shift**."), _callout("Nobody is blamed.")],
        audience_departments=[operations],
        standards=[standard],
        clauses=[make_clause(standard=standard, number="7.3", title="Awareness")],
        related_modules=[make_module(title="Near-miss reporting")],
        needs_acknowledgement=True,
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("page", ["index", "campaign"])
@pytest.mark.parametrize("persona", [ANON, "employee", "manager", "hr", "comms", "outsider"])
def test_the_pages_need_a_login_and_are_open_to_every_signed_in_person(
    client, personas, campaign, page, persona
):
    url = campaign.get_parent().url if page == "index" else campaign.url
    if persona != ANON:
        client.force_login(personas[persona])
    response = client.get(url)
    if persona == ANON:
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 200


class TestReadingACampaign:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, campaign):
        for url in (campaign.url, campaign.get_parent().url):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))

    def test_anyone_signed_in_reads_the_content_the_clauses_and_the_related_training(
        self, client, outsider, campaign
    ):
        client.force_login(outsider)
        response = client.get(campaign.url)
        text = _text(response)
        assert response.status_code == 200
        assert '<h1 id="campaign-title">Report every near miss</h1>' in text
        assert "A near miss today is an injury tomorrow." in text
        assert "<strong>before the end of your shift</strong>" in text  # the Markdown block
        assert 'class="callout callout--why"' in text  # the callout block's own template
        assert "ISO 45001:2018 7.3</span> Awareness" in text
        module = campaign.related_modules.get()
        assert f'<a href="{module.url}">Near-miss reporting</a>' in text

    def test_a_draft_module_is_not_offered_as_related_training(self, client, employee, operations):
        draft = make_module(title="Unfinished module", live=False)
        campaign = make_campaign(audience_departments=[operations], related_modules=[draft])
        client.force_login(employee)
        assert "Unfinished module" not in _text(client.get(campaign.url))

    def test_someone_outside_the_audience_is_not_asked_to_acknowledge(
        self, client, outsider, campaign
    ):
        client.force_login(outsider)
        text = _text(client.get(campaign.url))
        assert "It is not addressed to you, so nothing is asked of you." in text
        assert reverse("campaign_acknowledge", args=[campaign.pk]) not in text

    def test_the_audience_is_asked_to_acknowledge_in_the_campaigns_own_words(
        self, client, employee, operations
    ):
        campaign = make_campaign(
            audience_departments=[operations],
            needs_acknowledgement=True,
            acknowledgement_text="I will report near misses before my shift ends.",
        )
        client.force_login(employee)
        text = _text(client.get(campaign.url))
        assert "I will report near misses before my shift ends." in text
        assert f'action="{reverse("campaign_acknowledge", args=[campaign.pk])}"' in text
        assert "I acknowledge this</button>" in text

    def test_opening_it_marks_the_readers_delivery_opened_once(self, client, employee, campaign):
        delivery = deliver(campaign, employee)
        client.force_login(employee)
        client.get(campaign.url)
        delivery.refresh_from_db()
        first_opened = delivery.opened_at
        assert first_opened is not None
        client.get(campaign.url)
        delivery.refresh_from_db()
        assert delivery.opened_at == first_opened

    def test_opening_it_without_a_delivery_records_nothing(self, client, outsider, campaign):
        client.force_login(outsider)
        client.get(campaign.url)
        assert not Delivery.objects.exists()

    def test_someone_elses_delivery_stays_unopened(self, client, employee, manager, campaign):
        deliver(campaign, employee)
        client.force_login(manager)
        client.get(campaign.url)
        assert Delivery.objects.get().opened_at is None

    def test_its_queries_do_not_grow_with_the_number_of_published_answers(
        self, client, employee, campaign, django_assert_max_num_queries
    ):
        from campaigns.models import CampaignFeedback

        def answers(n):
            CampaignFeedback.objects.bulk_create(
                CampaignFeedback(campaign=campaign, text="Q", answer="A", answer_is_public=True)
                for _ in range(n)
            )

        client.force_login(employee)
        answers(2)
        client.get(campaign.url)  # warm the site root paths cache
        with django_assert_max_num_queries(30) as small:
            client.get(campaign.url)
        answers(40)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(campaign.url)


class TestTheAwarenessCheck:
    @pytest.fixture
    def quiz(self):
        return make_quiz(title="Near misses: three questions", max_attempts=None)

    def test_it_links_to_the_quiz_engine_with_the_way_back(
        self, client, employee, operations, quiz
    ):
        campaign = make_campaign(audience_departments=[operations], awareness_check=quiz)
        client.force_login(employee)
        text = _text(client.get(campaign.url))
        assert "Awareness check: Near misses: three questions" in text
        detail = reverse("quiz_detail", args=[quiz.pk])
        assert f'href="{detail}?next={campaign.url}"' in text
        assert f'action="{reverse("quiz_start", args=[quiz.pk])}"' in text
        assert f'name="next" value="{campaign.url}"' in text

    def test_starting_it_from_the_campaign_returns_there(self, client, employee, operations, quiz):
        campaign = make_campaign(audience_departments=[operations], awareness_check=quiz)
        client.force_login(employee)
        client.post(reverse("quiz_start", args=[quiz.pk]), {"next": campaign.url})
        assert Attempt.objects.get(user=employee, quiz=quiz).return_url == campaign.url

    def test_it_shows_the_readers_latest_result(self, client, employee, operations, quiz):
        campaign = make_campaign(audience_departments=[operations], awareness_check=quiz)
        submitted_attempt(quiz=quiz, user=employee, score="66.67", passed=False)
        client.force_login(employee)
        text = _text(client.get(campaign.url))
        assert "Your last attempt scored 66.67%" in text

    def test_a_campaign_without_one_shows_none(self, client, employee, campaign):
        client.force_login(employee)
        assert "Awareness check" not in _text(client.get(campaign.url))


class TestTheIndex:
    def test_it_lists_live_campaigns_with_the_readers_standing(
        self, client, employee, operations, campaign
    ):
        make_campaign(title="Still a draft", live=False)
        other = make_campaign(title="Waste sorting", audience_departments=[operations])
        deliver(campaign, employee)
        client.force_login(employee)
        text = _text(client.get(make_campaign_index().url))
        assert "Report every near miss" in text and "Waste sorting" in text
        assert "Still a draft" not in text
        assert "Not opened yet" in text
        assert other.title in text

    def test_its_queries_do_not_grow_with_the_number_of_campaigns(
        self, client, employee, operations, django_assert_max_num_queries
    ):
        index = make_campaign_index()

        def campaigns(n):
            for _ in range(n):
                deliver(make_campaign(audience_departments=[operations]), employee)

        campaigns(2)
        client.force_login(employee)
        client.get(index.url)
        with django_assert_max_num_queries(30) as small:
            client.get(index.url)
        campaigns(6)
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(index.url)


class TestPreview:
    def test_an_editors_preview_shows_the_content_without_the_readers_boxes(self, comms, campaign):
        page = campaign.get_latest_revision_as_object()
        page.body = [markdown_value("A **draft** sentence.")]
        response = page.make_preview_request()
        text = _text(response)
        assert response.status_code == 200
        assert "<strong>draft</strong>" in text
        assert "Preview." in text
        assert "I acknowledge this" not in text


# --- Publishing rights in the CMS


def _edit_data(client, campaign: CampaignPage, **changes) -> dict:
    """The page editor's form for `campaign` as the browser would send it, with `changes`."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[campaign.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form").dict()
    # The StreamField editor is drawn by script; send its blocks as the editor would.
    blocks = list(campaign.get_latest_revision_as_object().body.raw_data)
    data["body-count"] = str(len(blocks))
    for position, block in enumerate(blocks):
        data.update(
            {
                f"body-{position}-type": block["type"],
                f"body-{position}-value": block["value"],
                f"body-{position}-id": block["id"],
                f"body-{position}-order": str(position),
                f"body-{position}-deleted": "",
            }
        )
    data.update(changes)
    return data


def _edit(client, campaign, **changes):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[campaign.pk]),
        _edit_data(client, campaign, **changes),
    )


@pytest.fixture
def draft(operations):
    return make_campaign(title="Draft campaign", audience_departments=[operations], live=False)


class TestPublishingRights:
    def test_hr_may_edit_a_campaign_but_not_publish_it(self, hr, comms, campaign):
        for_hr = campaign.permissions_for_user(hr)
        assert for_hr.can_edit()
        assert not for_hr.can_publish()
        assert not for_hr.can_unpublish()
        assert not for_hr.can_unschedule()
        for_comms = campaign.permissions_for_user(comms)
        assert for_comms.can_publish() and for_comms.can_unpublish()

    def test_hr_cannot_publish_a_new_campaign_in_the_index(self, hr, comms):
        index = make_campaign_index()
        assert not index.permissions_for_user(hr).can_publish_subpage()
        assert index.permissions_for_user(comms).can_publish_subpage()

    def test_the_base_page_class_hands_over_to_the_campaign_tester(self, hr, campaign):
        plain = Page.objects.get(pk=campaign.pk)
        assert not plain.permissions_for_user(hr).can_publish()

    def test_wagtails_publish_action_refuses_hr_too(self, hr, comms, draft):
        revision = draft.save_revision(user=hr)
        with pytest.raises(PublishPagePermissionError):
            revision.publish(user=hr)
        revision.publish(user=comms)
        draft.refresh_from_db()
        assert draft.live

    def test_hrs_publish_in_the_cms_saves_a_draft_and_leaves_it_unpublished(
        self, client, hr, draft
    ):
        client.force_login(hr)
        response = _edit(
            client, draft, title="Draft campaign, edited by HR", **{"action-publish": "1"}
        )
        assert response.status_code == 302
        draft.refresh_from_db()
        assert not draft.live
        assert draft.get_latest_revision_as_object().title == "Draft campaign, edited by HR"

    def test_communications_publishes_in_the_cms(self, client, comms, draft):
        client.force_login(comms)
        response = _edit(client, draft, **{"action-publish": "1"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.live

    def test_hrs_edit_of_a_live_campaign_stays_a_draft(self, client, hr, campaign):
        client.force_login(hr)
        _edit(client, campaign, summary="Rewritten by HR.", **{"action-publish": "1"})
        campaign.refresh_from_db()
        assert campaign.summary == "A near miss today is an injury tomorrow."
        assert campaign.has_unpublished_changes

    def test_hr_cannot_unpublish_a_campaign(self, client, hr, campaign):
        client.force_login(hr)
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=[campaign.pk]))
        # Wagtail's admin answers a refused action by sending the editor back to its dashboard.
        assert response["Location"] == reverse("wagtailadmin_home")
        campaign.refresh_from_db()
        assert campaign.live

    def test_communications_can_unpublish_a_campaign(self, client, comms, campaign):
        client.force_login(comms)
        client.post(reverse("wagtailadmin_pages:unpublish", args=[campaign.pk]))
        campaign.refresh_from_db()
        assert not campaign.live


class TestScheduledPublishing:
    def _go_live_at(self, when: datetime.datetime) -> str:
        return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")

    def test_hr_cannot_schedule_a_campaign(self, client, hr, draft):
        client.force_login(hr)
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        _edit(client, draft, go_live_at=self._go_live_at(tomorrow), **{"action-publish": "1"})
        draft.refresh_from_db()
        assert not draft.live
        assert not draft.revisions.filter(approved_go_live_at__isnull=False).exists()

    def test_a_scheduled_campaign_goes_live_when_publish_scheduled_runs_after_its_time(
        self, client, comms, draft
    ):
        client.force_login(comms)
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        _edit(client, draft, go_live_at=self._go_live_at(tomorrow), **{"action-publish": "1"})
        draft.refresh_from_db()
        assert not draft.live
        assert draft.revisions.filter(approved_go_live_at__isnull=False).count() == 1

        call_command("publish_scheduled")
        draft.refresh_from_db()
        assert not draft.live  # not yet its time

        later = timezone.now() + datetime.timedelta(days=1, hours=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled")
        draft.refresh_from_db()
        assert draft.live


class TestAwarenessCheckLength:
    def test_a_quiz_of_more_than_three_questions_is_refused_with_a_message(
        self, client, comms, draft
    ):
        from tests.quizzes.factories import make_quiz, single

        long_quiz = make_quiz(
            title="Long quiz",
            questions=[single(f"Question {n}?", [("Yes", True), ("No", False)]) for n in range(4)],
        )
        client.force_login(comms)

        response = _edit(client, draft, awareness_check=str(long_quiz.pk))

        assert response.status_code == 200
        assert "asks 4" in response.content.decode()
        draft.refresh_from_db()
        assert draft.get_latest_revision_as_object().awareness_check_id is None

    def test_a_quiz_drawing_three_questions_is_accepted(self, client, comms, draft):
        from tests.quizzes.factories import make_quiz, single

        quiz = make_quiz(
            title="Short draw",
            questions=[single(f"Question {n}?", [("Yes", True), ("No", False)]) for n in range(5)],
            questions_to_draw=3,
        )
        client.force_login(comms)

        response = _edit(client, draft, awareness_check=str(quiz.pk))

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.get_latest_revision_as_object().awareness_check_id == quiz.pk
