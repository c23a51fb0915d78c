"""The demo campaigns: a policy to acknowledge, one with an awareness check and a procedure
republished with a material change, delivered and partly read, acknowledged and checked, with
feedback; seeded once however often the demo command runs."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from campaigns.demo_campaigns import CAMPAIGNS, seed_campaigns
from campaigns.models import (
    Acknowledgement,
    CampaignFeedback,
    CampaignIndexPage,
    CampaignPage,
    Delivery,
    Release,
)
from campaigns.selectors.reach import asked_versions, campaign_reach, reach_scope
from lms.models import User
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db

EMPLOYEE = "employee@demo.example"


@pytest.fixture
def output():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _campaign(slug: str) -> CampaignPage:
    return CampaignPage.objects.get(slug=slug)


def counts() -> dict[str, int]:
    models = [CampaignPage, Release, Delivery, Acknowledgement, CampaignFeedback, Attempt]
    return {model.__name__: model.objects.count() for model in models}


def test_seeding_again_adds_nothing_and_the_command_says_how_many(output):
    assert f"{len(CAMPAIGNS)} campaigns ({len(CAMPAIGNS)} new)" in output
    before = counts()
    assert seed_campaigns() == 0
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{len(CAMPAIGNS)} campaigns (0 new)" in out.getvalue()
    assert counts() == before
    assert CampaignIndexPage.objects.count() == 1


def test_the_live_campaigns_are_delivered_and_partly_read_and_acknowledged(output):
    policy = _campaign("our-quality-policy")
    assert policy.live and policy.needs_acknowledgement and not policy.is_policy
    people = User.objects.filter(is_active=True, employee_id__isnull=False).count()
    deliveries = Delivery.objects.filter(campaign=policy)
    assert deliveries.count() == people, "everyone is its audience"
    opened = deliveries.filter(opened_at__isnull=False).count()
    acknowledged = Acknowledgement.objects.filter(campaign=policy).count()
    assert 0 < acknowledged < opened < people
    assert not deliveries.filter(emailed_at__isnull=True).exists(), "the demo sends no e-mail"
    assert Acknowledgement.objects.filter(campaign=policy, user__email=EMPLOYEE).exists()


def test_the_awareness_check_has_three_questions_and_attempts_that_pass_and_fail(output):
    spills = _campaign("spills-the-first-five-minutes")
    quiz = spills.awareness_check
    assert len(quiz.questions) == 3
    assert not spills.needs_acknowledgement
    attempts = Attempt.objects.filter(quiz=quiz, status=Attempt.Status.SUBMITTED)
    assert attempts.filter(passed=True).exists()
    assert attempts.filter(passed=False).exists()
    delivered = set(Delivery.objects.filter(campaign=spills).values_list("user_id", flat=True))
    assert set(attempts.values_list("user_id", flat=True)) <= delivered
    assert attempts.filter(user__email=EMPLOYEE, passed=True).exists()
    assert {d.name for d in spills.audience_departments.all()} == {
        "Operations",
        "Health and Safety",
    }


def test_the_policy_was_republished_with_a_material_change(output):
    procedure = _campaign("lockout-tagout-procedure")
    assert procedure.is_policy and procedure.policy_reference == "PRO-HS-004"
    releases = list(Release.objects.filter(campaign=procedure).order_by("pk"))
    assert [release.is_material for release in releases] == [True, True]
    assert releases[1].change_summary.startswith("New step: try to start the machine")
    assert releases[0].published_at < releases[1].published_at
    older, newer = releases[0].asks_about_id, releases[1].asks_about_id
    mine = Acknowledgement.objects.filter(campaign=procedure, user__email=EMPLOYEE)
    assert list(mine.values_list("revision_id", flat=True)) == [older]
    delivery = Delivery.objects.get(campaign=procedure, user__email=EMPLOYEE, revision_id=newer)
    assert delivery.opened_at is None
    per_revision = dict(
        Acknowledgement.objects.filter(campaign=procedure)
        .values_list("revision_id")
        .annotate(n=Count("pk"))
        .values_list("revision_id", "n")
    )
    assert per_revision[older] > per_revision[newer] > 0
    assert "Try to start it" in str(procedure.body)


def test_feedback_is_signed_anonymous_answered_and_published(output):
    feedback = CampaignFeedback.objects.all()
    assert feedback.filter(author__isnull=True).exists()
    assert feedback.filter(author__email=EMPLOYEE, answer="").exists()
    published = feedback.get(answer_is_public=True)
    assert published.author is None
    assert published.answered_by.email == "comms@demo.example"
    assert feedback.exclude(answer="").filter(answer_is_public=False).exists()


def test_the_reach_of_the_demo_shows_every_state(output, client):
    policy = _campaign("lockout-tagout-procedure")
    hr = User.objects.get(email="hr@demo.example")
    reach = campaign_reach(
        campaign=policy, scope=reach_scope(viewer=hr), versions=asked_versions(campaign=policy)
    )
    assert reach.version.number == 2
    assert reach.total.delivered > reach.total.opened > reach.total.acknowledged > 0
    assert EMPLOYEE in {fact.email for fact in reach.not_acknowledged}
    assert len(reach.by_department) == 2
    manager = User.objects.get(email="manager@demo.example")
    client.force_login(manager)
    response = client.get(reverse("campaign_reach", args=[policy.pk]))
    assert response.status_code == 200
    assert "Employee Demo" in response.text
    client.force_login(User.objects.get(email="comms@demo.example"))
    assert client.get(reverse("campaign_reach_index")).status_code == 200
    assert client.get(reverse("campaign_feedback_inbox")).status_code == 200
