"""A person's points page, and a person's ledger where HR corrects and adjusts points."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recognition.models import AppendOnly, Category, PointsEntry
from recognition.services.ledger import award_by_rule, correct_entry
from tests.factories import UserFactory
from tests.quizzes.factories import make_quiz
from tests.recognition.factories import rule

pytestmark = pytest.mark.django_db


def history(user, size: int, *, by) -> None:
    """`size` hand-made entries in the past months, a third of them corrected."""
    now = timezone.now()
    made = PointsEntry.objects.bulk_create(
        PointsEntry(
            user=user,
            points=5,
            category=Category.ADJUSTMENT,
            reason=f"Old entry {n}",
            awarded_by=by,
            awarded_at=now - datetime.timedelta(days=n + 1),
        )
        for n in range(size)
    )
    PointsEntry.objects.bulk_create(
        PointsEntry(
            user=user,
            points=-1,
            category=Category.ADJUSTMENT,
            reason="Counted twice",
            awarded_by=by,
            corrects=entry,
            awarded_at=entry.awarded_at + datetime.timedelta(hours=1),
        )
        for entry in made[::3]
    )


def paid_for_quiz(user, title="Hazard signs"):
    return award_by_rule(
        event="quiz_passed",
        user_id=user.pk,
        source=make_quiz(title=title),
        reason=f"Passed “{title}” at the first attempt",
        bonus=True,
    )


# --- My points


def test_my_points_shows_totals_categories_ledger_and_how_to_earn(client, employee, hr):
    entry = paid_for_quiz(employee)
    correct_entry(entry=entry, points=-5, reason="Bonus paid by mistake", by=hr)
    client.force_login(employee)

    response = client.get(reverse("recognition_home"))

    html = response.content.decode()
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.total, summary.this_month, summary.this_quarter) == (10, 10, 10)
    assert summary.by_category == [("Quiz passed", 10)]
    assert "Passed “Hazard signs” at the first attempt" in html
    assert f"Corrects entry no. {entry.pk}" in html
    assert "Bonus paid by mistake" in html
    assert "Corrected by -5" in html and "now 10" in html
    assert "Training completed</strong>: 10 points, 5 more when on time" in html
    assert "Kudos received</strong>: 5 points; at most 25 a week" in html


def test_a_capped_entry_says_the_cap_cut_it(client, employee):
    rule("quiz_passed", weekly_cap=20)
    paid_for_quiz(employee, "First")
    paid_for_quiz(employee, "Second")
    client.force_login(employee)

    html = client.get(reverse("recognition_home")).content.decode()

    assert "Cut by the weekly cap of 20 points" in html
    assert html.count("Cut by the weekly cap") == 1


def test_my_points_shows_only_my_own_entries(client, employee, manager):
    paid_for_quiz(manager, "Managers only")
    client.force_login(employee)

    response = client.get(reverse("recognition_home"))

    assert "Managers only" not in response.content.decode()
    assert response.context["summary"].total == 0


def test_the_ledger_is_paginated_fifty_a_page(client, employee, hr):
    history(employee, 60, by=hr)  # 60 entries and 20 corrections
    client.force_login(employee)

    first = client.get(reverse("recognition_home"))
    last = client.get(reverse("recognition_home"), {"page": 2})

    assert len(first.context["lines"]) == 50
    assert 'href="/recognition/?page=2">Older entries' in first.content.decode()
    assert len(last.context["lines"]) == 30
    assert "Page 2 of 2" in last.content.decode()


@pytest.mark.parametrize("size", [3, 90])
def test_my_points_runs_a_fixed_number_of_queries(
    client, employee, hr, size, django_assert_num_queries
):
    history(employee, size, by=hr)
    client.force_login(employee)

    with django_assert_num_queries(12):
        assert client.get(reverse("recognition_home")).status_code == 200


# --- A person's points, for HR and their managers


def person_url(person, action=""):
    name = f"points_{action}" if action else "person_points"
    return reverse(name, args=[person.pk])


def test_hr_sees_anyones_points_with_the_forms_to_correct_them(client, employee, hr):
    entry = paid_for_quiz(employee)
    client.force_login(hr)

    response = client.get(person_url(employee))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Points of Team Member" in html
    assert f'<option value="{entry.pk}">No. {entry.pk}' in html
    assert 'action="' + person_url(employee, "adjust") + '"' in html


def test_a_manager_reads_a_reports_points_without_forms(client, employee, manager):
    paid_for_quiz(employee)
    client.force_login(manager)

    response = client.get(person_url(employee))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Passed “Hazard signs”" in html
    assert "Correct an entry" not in html and person_url(employee, "correct") not in html


def test_a_manager_of_another_team_is_refused_and_nobody_is_a_404(client, employee, other_manager):
    client.force_login(other_manager)

    assert client.get(person_url(employee)).status_code == 403
    assert client.get(reverse("person_points", args=[999_999])).status_code == 404


@pytest.mark.parametrize("size", [3, 90])
def test_a_persons_points_run_a_fixed_number_of_queries(
    client, employee, hr, size, django_assert_num_queries
):
    history(employee, size, by=hr)
    client.force_login(hr)

    with django_assert_num_queries(12):
        assert client.get(person_url(employee)).status_code == 200


# --- Corrections and adjustments


def test_hr_corrects_an_entry_with_a_new_entry_and_the_old_one_stays(client, employee, hr):
    entry = paid_for_quiz(employee)
    client.force_login(hr)

    response = client.post(
        person_url(employee, "correct"),
        {"correct-entry": entry.pk, "correct-points": "-5", "correct-reason": "Paid twice"},
        follow=True,
    )

    assert response.redirect_chain == [(person_url(employee), 302)]
    assert f"Entry no. {entry.pk} corrected by -5 points." in response.content.decode()
    correction = PointsEntry.objects.get(corrects=entry)
    assert (correction.points, correction.reason, correction.awarded_by) == (-5, "Paid twice", hr)
    assert correction.category == Category.QUIZ_PASSED
    entry.refresh_from_db()
    assert entry.points == 15


@pytest.mark.parametrize(
    ("points", "reason", "message"),
    [
        ("-5", "", "Say why: the person reads it in their ledger."),
        ("0", "Oops", "A correction of 0 points changes nothing."),
        ("-20", "Too much", "That would take the entry below 0: it stands at 15 points."),
        ("many", "Oops", "Give the points as a whole number"),
        ("-99999", "Oops", "Give at least -10,000 points."),
    ],
)
def test_a_bad_correction_is_refused_with_a_message_and_writes_nothing(
    client, employee, hr, points, reason, message
):
    entry = paid_for_quiz(employee)
    client.force_login(hr)

    response = client.post(
        person_url(employee, "correct"),
        {"correct-entry": entry.pk, "correct-points": points, "correct-reason": reason},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    assert PointsEntry.objects.count() == 1


def test_an_entry_of_someone_else_or_a_correction_cannot_be_corrected(client, employee, hr):
    theirs = paid_for_quiz(UserFactory())
    mine = paid_for_quiz(employee, "Mine")
    fix = correct_entry(entry=mine, points=-1, reason="Fix", by=hr)
    client.force_login(hr)

    for entry, message in [
        (theirs, "Choose one of the person&#x27;s entries."),
        (fix, "That entry is itself a correction"),
    ]:
        response = client.post(
            person_url(employee, "correct"),
            {"correct-entry": entry.pk, "correct-points": "-1", "correct-reason": "Again"},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert PointsEntry.objects.count() == 3


def test_hr_adjusts_a_persons_points_by_hand(client, employee, hr):
    client.force_login(hr)

    response = client.post(
        person_url(employee, "adjust"),
        {"adjust-points": "30", "adjust-reason": "Led the audit"},
    )

    assert response.status_code == 302
    entry = PointsEntry.objects.get(user=employee)
    assert (entry.points, entry.category, entry.awarded_by, entry.rule) == (
        30,
        Category.ADJUSTMENT,
        hr,
        None,
    )


def test_a_bad_adjustment_is_refused_with_a_message_and_writes_nothing(client, employee, hr):
    client.force_login(hr)

    response = client.post(
        person_url(employee, "adjust"), {"adjust-points": "0", "adjust-reason": "Nothing"}
    )

    assert response.status_code == 400
    assert "An adjustment of 0 points changes nothing." in response.content.decode()
    assert not PointsEntry.objects.exists()


def test_a_manager_posting_a_correction_or_adjustment_is_refused(client, employee, manager):
    entry = paid_for_quiz(employee)
    client.force_login(manager)

    corrected = client.post(
        person_url(employee, "correct"),
        {"correct-entry": entry.pk, "correct-points": "-5", "correct-reason": "No"},
    )
    adjusted = client.post(
        person_url(employee, "adjust"), {"adjust-points": "50", "adjust-reason": "Mine"}
    )

    assert (corrected.status_code, adjusted.status_code) == (403, 403)
    assert PointsEntry.objects.count() == 1


# --- The ledger is append-only


def test_an_entry_is_never_changed_or_deleted(employee):
    entry = paid_for_quiz(employee)

    entry.points = 100
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()

    assert PointsEntry.objects.get(pk=entry.pk).points == 15
