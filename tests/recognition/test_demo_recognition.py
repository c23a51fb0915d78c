"""The demo's recognition: badges with images, six months of points history, kudos, badge awards,
the demo manager's team milestones, and a closed and an open appraisal period; seeded once
however often the demo command runs."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms.models import User
from recognition.demo import BADGES, HISTORY_DAYS, KUDOS, OPTED_OUT, seed_recognition
from recognition.models import (
    AppraisalPeriod,
    AppraisalSummary,
    Badge,
    BadgeAward,
    Category,
    Kudos,
    PointsEntry,
    RecognitionPreference,
    TeamMilestone,
)

pytestmark = pytest.mark.django_db

EMPLOYEE = "employee@demo.example"
MANAGER = "manager@demo.example"
HR = "hr@demo.example"


@pytest.fixture
def output():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        Badge,
        BadgeAward,
        Kudos,
        PointsEntry,
        RecognitionPreference,
        TeamMilestone,
        AppraisalPeriod,
        AppraisalSummary,
        get_image_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


def below(manager: User):
    return User.objects.filter(manager=manager) | User.objects.filter(manager__manager=manager)


def test_seeding_again_adds_nothing_and_the_command_says_how_many(output):
    assert f"{Kudos.objects.count()} kudos (" in output
    assert "(0 new recognition rows)" not in output
    before = counts()
    assert before["Kudos"] == len(KUDOS)
    assert before["Badge"] == len(BADGES)
    assert seed_recognition() == 0
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "(0 new recognition rows)" in out.getvalue()
    assert counts() == before


def test_six_months_of_points_kudos_badges_and_corrections_for_the_managers_people(output):
    manager = User.objects.get(email=MANAGER)
    entries = PointsEntry.objects.filter(user__in=below(manager))
    months = set(entries.annotate(month=TruncMonth("awarded_at")).values_list("month", flat=True))
    assert len(months) >= 5
    now = timezone.now()
    oldest = now - datetime.timedelta(days=HISTORY_DAYS + 1)
    assert not PointsEntry.objects.filter(awarded_at__gt=now).exists()
    assert not PointsEntry.objects.filter(rule__isnull=False, awarded_at__lt=oldest).exists()
    categories = set(entries.values_list("category", flat=True))
    assert {
        Category.MODULE_COMPLETED,
        Category.QUIZ_PASSED,
        Category.CAMPAIGN_ACKNOWLEDGED,
        Category.SUGGESTION_ACCEPTED,
        Category.KUDOS_RECEIVED,
    } <= categories
    # Each kudos paid its receiver once, on the day it was sent.
    employee = User.objects.get(email=EMPLOYEE)
    assert Kudos.objects.filter(receiver=employee).count() >= 3
    kudos_entries = PointsEntry.objects.filter(category=Category.KUDOS_RECEIVED, rule__isnull=False)
    paid = {entry.source_id: entry for entry in kudos_entries}
    for kudos in Kudos.objects.all():
        entry = paid[kudos.pk]
        assert (entry.user_id, entry.awarded_at) == (kudos.receiver_id, kudos.created_at)
    assert kudos_entries.count() == Kudos.objects.count()
    reports = below(manager).exclude(pk=employee.pk)
    assert Kudos.objects.filter(receiver__in=reports).exists()
    spread = Kudos.objects.annotate(month=TruncMonth("created_at")).values_list("month", flat=True)
    assert len(set(spread)) >= 6
    assert not RecognitionPreference.objects.get(user__email=OPTED_OUT).show_on_wall
    # Badges have their images, and awards keep their history.
    root = Collection.get_first_root_node()
    for badge in Badge.objects.select_related("image"):
        assert (badge.image.width, badge.image.height) == (256, 256)
        assert badge.image.collection_id == root.pk
        assert badge.criteria_narrative
    assert Badge.objects.get(slug="voice-of-improvement").clauses.get().number == "10.3"
    first, second = BadgeAward.objects.filter(badge__slug="on-time-champion").order_by("sequence")
    assert (first.user_id, first.sequence, second.sequence) == (second.user_id, 1, 2)
    assert first.expires_at <= second.awarded_at <= timezone.now() < second.expires_at
    shared = BadgeAward.objects.get(is_public=True)
    assert shared.user.email == EMPLOYEE
    corrections = PointsEntry.objects.filter(corrects__isnull=False)
    assert corrections.count() == 2
    for correction in corrections:
        assert correction.points < 0
        assert correction.reason
        assert correction.awarded_by.email == HR
        assert correction.category == correction.corrects.category
    assert TeamMilestone.objects.filter(manager=manager).count() == 2


def test_the_last_quarter_is_closed_with_frozen_summaries_and_the_current_one_is_open(
    output, client
):
    today = timezone.localdate()
    closed = AppraisalPeriod.objects.get(closed_at__isnull=False)
    open_period = AppraisalPeriod.objects.get(closed_at__isnull=True)
    assert open_period.starts_on <= today <= open_period.ends_on
    assert closed.ends_on == open_period.starts_on - datetime.timedelta(days=1)
    assert closed.starts_on.day == 1 and closed.starts_on.month in (1, 4, 7, 10)
    assert closed.closed_by.email == HR
    manager = User.objects.get(email=MANAGER)
    reports = set(below(manager).filter(is_active=True).values_list("pk", flat=True))
    frozen = set(closed.summaries.values_list("user_id", flat=True))
    assert reports <= frozen
    # The team milestone of the closed quarter was corrected after it closed: the frozen
    # figures keep the points as they stood.
    paid = PointsEntry.objects.filter(
        user=manager,
        category=Category.TEAM_ON_TIME,
        awarded_at__date__gte=closed.starts_on,
        awarded_at__date__lte=closed.ends_on,
    ).order_by("awarded_at")
    assert paid.first().corrections.get().awarded_at > closed.closed_at
    summary = closed.summaries.get(user=manager)
    assert summary.figures["points"][Category.TEAM_ON_TIME] == sum(e.points for e in paid) > 0
    client.force_login(manager)
    response = client.get(reverse("appraisal_period", args=[closed.pk]))
    assert response.status_code == 200
    employee = User.objects.get(email=EMPLOYEE)
    assert reverse("appraisal_summary", args=[closed.pk, employee.pk]) in response.text
