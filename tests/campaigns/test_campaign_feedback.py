"""Feedback on a campaign: a question or comment, signed or anonymous (no author, the date only),
and the answers Communications publishes, shown to everyone without who asked."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignFeedback
from campaigns.services.reading import MAX_FEEDBACK_LENGTH
from tests.campaigns.factories import make_campaign


@pytest.fixture
def campaign(operations):
    return make_campaign(title="Report every near miss", audience_departments=[operations])


def _send(client, campaign, **data):
    return client.post(reverse("campaign_feedback", args=[campaign.pk]), data)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


class TestSending:
    def test_a_signed_question_keeps_its_author(self, client, employee, campaign):
        client.force_login(employee)
        response = _send(client, campaign, text="Does this cover *visitors*?", identity="signed")
        assert response.status_code == 302
        assert response["Location"] == f"{campaign.url}#feedback"
        feedback = CampaignFeedback.objects.get()
        assert feedback.author == employee
        assert feedback.text == "Does this cover *visitors*?"
        assert feedback.submitted_on == timezone.localdate()

    def test_an_anonymous_one_keeps_the_text_and_the_date_and_nothing_else(
        self, client, employee, campaign
    ):
        client.force_login(employee)
        _send(client, campaign, text="Managers ignore reports.", identity="anonymous")
        row = CampaignFeedback.objects.values().get()
        assert row == {
            "id": row["id"],
            "campaign_id": campaign.pk,
            "author_id": None,
            "text": "Managers ignore reports.",
            "submitted_on": timezone.localdate(),  # a date: no time of day
            "answer": "",
            "answered_by_id": None,
            "answered_on": None,
            "answer_is_public": False,
        }

    def test_someone_outside_the_audience_may_ask_too(self, client, outsider, campaign):
        client.force_login(outsider)
        assert _send(client, campaign, text="Is this for us?", identity="signed").status_code == 302
        assert CampaignFeedback.objects.get().author == outsider

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"text": "", "identity": "signed"}, "Write your question or comment."),
            ({"text": "   ", "identity": "anonymous"}, "Write your question or comment."),
            (
                {"text": "x" * (MAX_FEEDBACK_LENGTH + 1), "identity": "signed"},
                "Keep it to 3000 characters or fewer (it has 3001).",
            ),
            ({"text": "Fine.", "identity": "someone else"}, "Choose whether to send it"),
            ({"text": "Fine."}, "Choose whether to send it"),
        ],
    )
    def test_bad_input_answers_400_with_a_message_and_stores_nothing(
        self, client, employee, campaign, data, message
    ):
        client.force_login(employee)
        response = _send(client, campaign, **data)
        assert response.status_code == 400
        assert message in _text(response)
        assert not CampaignFeedback.objects.exists()

    def test_an_unpublished_campaign_is_404(self, client, employee, campaign):
        campaign.unpublish()
        client.force_login(employee)
        assert _send(client, campaign, text="Hello", identity="signed").status_code == 404

    def test_it_needs_a_post(self, client, employee, campaign):
        client.force_login(employee)
        response = client.get(reverse("campaign_feedback", args=[campaign.pk]))
        assert response.status_code == 405


class TestPublishedAnswers:
    def test_everyone_sees_published_answers_but_never_who_asked(
        self, client, employee, outsider, comms, campaign
    ):
        CampaignFeedback.objects.create(
            campaign=campaign,
            author=employee,
            text="Does this cover **visitors**?",
            answer="Yes: hosts report for their visitors.",
            answered_by=comms,
            answered_on=timezone.localdate(),
            answer_is_public=True,
        )
        client.force_login(outsider)
        text = _text(client.get(campaign.url))
        assert "Does this cover <strong>visitors</strong>?" in text
        assert "Yes: hosts report for their visitors." in text
        assert employee.get_full_name() not in text
        assert employee.email not in text
        assert comms.email not in text

    def test_answers_not_published_stay_with_communications(self, client, outsider, campaign):
        CampaignFeedback.objects.create(
            campaign=campaign, text="Private question", answer="Private answer"
        )
        CampaignFeedback.objects.create(
            campaign=campaign, text="Waiting question", answer="", answer_is_public=True
        )
        client.force_login(outsider)
        text = _text(client.get(campaign.url))
        assert "Private" not in text and "Waiting question" not in text
        assert "No answers have been published yet." in text

    def test_questions_and_answers_are_sanitised(self, client, outsider, campaign):
        CampaignFeedback.objects.create(
            campaign=campaign,
            text="<script>alert(1)</script>[x](javascript:alert(2))",
            answer='<img src=x onerror="alert(3)">Fine.',
            answer_is_public=True,
        )
        client.force_login(outsider)
        text = _text(client.get(campaign.url))
        assert "<script>alert(1)" not in text
        assert "javascript:" not in text
        assert "onerror" not in text
        assert "Fine." in text
