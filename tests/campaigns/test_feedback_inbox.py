"""The Communications team's feedback inbox: reading signed and anonymous feedback, answering it
in Markdown and choosing to publish the answer; bad answers change nothing; nobody else may."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignFeedback
from tests.campaigns.factories import feedback, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    return make_campaign(title="Lockout–tagout procedure")


@pytest.fixture
def signed(campaign, employee):
    return feedback(campaign, author=employee, text="Does this apply to the **forklift** too?")


@pytest.fixture
def anonymous(campaign):
    return feedback(campaign, text="Nobody told the night shift about this.")


def test_the_inbox_shows_who_wrote_or_anonymous(client, comms, signed, anonymous):
    client.force_login(comms)
    response = client.get(reverse("campaign_feedback_inbox"))
    assert response.status_code == 200
    assert "Team Member" in response.text
    assert "Anonymous" in response.text
    assert "<strong>forklift</strong>" in response.text
    assert "2 in all, 2 waiting for an answer." in response.text


def test_answering_records_the_answer_by_whom_and_when(client, comms, signed):
    client.force_login(comms)
    response = client.post(
        reverse("campaign_feedback_answer", args=[signed.pk]),
        {"answer": "Yes: every **mobile** plant item is covered."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#feedback-{signed.pk}")
    signed.refresh_from_db()
    assert signed.answer == "Yes: every **mobile** plant item is covered."
    assert signed.answered_by == comms
    assert signed.answered_on == timezone.localdate()
    assert signed.answer_is_public is False
    page = client.get(reverse("campaign_feedback_inbox"))
    assert "<strong>mobile</strong>" in page.text
    assert "Answered, not published" in page.text


def test_an_answer_can_be_published_and_withdrawn(client, comms, anonymous):
    client.force_login(comms)
    url = reverse("campaign_feedback_answer", args=[anonymous.pk])
    client.post(url, {"answer": "A briefing is planned.", "answer_is_public": "on"})
    anonymous.refresh_from_db()
    assert anonymous.answer_is_public is True
    assert anonymous.author is None
    client.post(url, {"answer": "A briefing is planned for every shift."})
    anonymous.refresh_from_db()
    assert anonymous.answer_is_public is False
    assert anonymous.answer == "A briefing is planned for every shift."


def test_an_answer_keeps_its_markdown_source_and_is_rendered_sanitised(client, comms, signed):
    client.force_login(comms)
    client.post(
        reverse("campaign_feedback_answer", args=[signed.pk]),
        {"answer": "<script>alert(1)</script> Read [the procedure](javascript:alert(1))."},
    )
    page = client.get(reverse("campaign_feedback_inbox"))
    assert "<script>alert(1)</script>" not in page.text
    assert 'href="javascript:' not in page.text


@pytest.mark.parametrize("data", [{}, {"answer": "   "}, {"answer": "", "answer_is_public": "on"}])
def test_an_empty_answer_is_refused_and_changes_nothing(client, comms, signed, data):
    client.force_login(comms)
    response = client.post(reverse("campaign_feedback_answer", args=[signed.pk]), data)
    assert response.status_code == 400
    assert "Write an answer before saving it." in response.text
    signed.refresh_from_db()
    assert (signed.answer, signed.answered_by, signed.answer_is_public) == ("", None, False)


def test_a_too_long_answer_is_refused(client, comms, signed):
    client.force_login(comms)
    response = client.post(
        reverse("campaign_feedback_answer", args=[signed.pk]), {"answer": "x" * 4001}
    )
    assert response.status_code == 400
    signed.refresh_from_db()
    assert signed.answer == ""


def test_unanswered_feedback_comes_first_and_can_be_filtered(client, comms, signed, anonymous):
    CampaignFeedback.objects.filter(pk=anonymous.pk).update(answer="Done.", answered_by=comms)
    client.force_login(comms)
    listed = client.get(reverse("campaign_feedback_inbox")).context["page"].object_list
    assert [item.pk for item in listed] == [signed.pk, anonymous.pk]
    answered = client.get(reverse("campaign_feedback_inbox"), {"show": "answered"})
    assert [item.pk for item in answered.context["page"].object_list] == [anonymous.pk]
    waiting = client.get(reverse("campaign_feedback_inbox"), {"show": "unanswered"})
    assert [item.pk for item in waiting.context["page"].object_list] == [signed.pk]


@pytest.mark.parametrize("persona", ["employee", "manager", "hr", "outsider"])
def test_only_communications_reads_and_answers_feedback(client, personas, signed, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("campaign_feedback_inbox")).status_code == 403
    response = client.post(
        reverse("campaign_feedback_answer", args=[signed.pk]), {"answer": "Hijacked."}
    )
    assert response.status_code == 403
    signed.refresh_from_db()
    assert signed.answer == ""


def test_answering_unknown_feedback_is_not_found(client, comms):
    client.force_login(comms)
    response = client.post(reverse("campaign_feedback_answer", args=[999999]), {"answer": "Hi."})
    assert response.status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_inbox_runs_a_fixed_number_of_queries(
    client, comms, campaign, employee, django_assert_max_num_queries, size
):
    for number in range(size):
        feedback(campaign, author=employee if number % 2 else None, text=f"Question {number}")
    client.force_login(comms)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("campaign_feedback_inbox"))
    assert response.status_code == 200
