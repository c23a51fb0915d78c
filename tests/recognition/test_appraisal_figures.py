"""The figures of an appraisal summary, each counted at the edges of its period, in a fixed
number of queries whatever the history. The helpers at the top are shared by the other
appraisal tests."""

import datetime
import json

import pytest
from django.utils import timezone

from campaigns.models import Suggestion, SuggestionEvent
from lms.models import Assignment, CompetenceRecord, Completion, ProficiencyLevel
from recognition.models import Category, KudosValue, PointsEntry
from recognition.selectors.appraisals import FIGURES_VERSION, figures_for
from recognition.services.ledger import award_by_rule
from tests.factories import UserFactory
from tests.lms.factories_training import make_competence, make_module
from tests.recognition.factories import AppraisalPeriodFactory, BadgeAwardFactory, KudosFactory

MARCH = (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
# The edges of March in local time: just outside before, first instant, last instant, just after.
EDGES = {
    "before": (datetime.datetime(2025, 2, 28, 23, 59, 59), False),
    "first instant": (datetime.datetime(2025, 3, 1, 0, 0), True),
    "last instant": (datetime.datetime(2025, 3, 31, 23, 59, 59), True),
    "after": (datetime.datetime(2025, 4, 1, 0, 0), False),
}


def local(naive: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(naive)


def march(**fields):
    return AppraisalPeriodFactory(
        name=fields.pop("name", "March 2025"), starts_on=MARCH[0], ends_on=MARCH[1], **fields
    )


def april(**fields):
    return AppraisalPeriodFactory(
        name=fields.pop("name", "April 2025"),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2025, 4, 30),
        **fields,
    )


def points(user, amount: int, *, at: datetime.datetime, by, category=Category.ADJUSTMENT):
    return PointsEntry.objects.create(
        user=user,
        points=amount,
        category=category,
        reason="Helped with the audit",
        awarded_by=by,
        awarded_at=at,
    )


def complete(user, module, *, at: datetime.datetime, on_time: bool | None) -> Completion:
    """A completion of `module` at `at`: of an assignment when `on_time` says how it went,
    unassigned (self-directed) when it is None."""
    assignment = None
    if on_time is not None:
        assignment = Assignment.objects.create(
            user=user,
            module=module,
            due_on=at.date() if on_time else at.date() - datetime.timedelta(days=1),
            status=Assignment.Status.COMPLETED,
            completed_at=at,
        )
    return Completion.objects.create(
        user=user, module=module, completed_at=at, assignment=assignment, on_time=on_time
    )


def gain(user, *, at: datetime.datetime, assessor, name: str | None = None, level=None):
    competence = make_competence(**({"name": name} if name else {}))
    return CompetenceRecord.objects.create(
        user=user,
        competence=competence,
        level=level if level is not None else ProficiencyLevel.COMPETENT,
        achieved_at=at,
        source=CompetenceRecord.Source.ASSESSMENT,
        assessor=assessor,
    )


def accepted_suggestion(author, *, on: datetime.date, by) -> Suggestion:
    suggestion = Suggestion.objects.create(
        category=Suggestion.Category.SAFETY,
        text="Put a second lock on the press.",
        author=author,
        status=Suggestion.Status.ACCEPTED,
        owner=by,
        action="Fit the lock.",
    )
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        from_status=Suggestion.Status.NEW,
        to_status=Suggestion.Status.UNDER_REVIEW,
        by=by,
        on=on - datetime.timedelta(days=3),
    )
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        from_status=Suggestion.Status.UNDER_REVIEW,
        to_status=Suggestion.Status.ACCEPTED,
        by=by,
        on=on,
    )
    return suggestion


# --- Each figure at the edges of the period


@pytest.fixture(autouse=True)
def paris(settings):
    # Away from UTC, so a period bound taken in UTC instead of local time would show.
    settings.TIME_ZONE = "Europe/Paris"


def _figures(person, period=None):
    return figures_for(period=period or march(), user_ids=[person.pk])[person.pk]


@pytest.mark.parametrize("edge", list(EDGES))
def test_points_count_from_the_first_instant_to_the_last_of_the_period(employee, hr, edge):
    moment, inside = EDGES[edge]
    points(employee, 7, at=local(moment), by=hr)
    points(employee, 5, at=local(datetime.datetime(2025, 3, 15, 12)), by=hr)

    figures = _figures(employee)

    assert figures["points_total"] == (12 if inside else 5)
    assert figures["points"][Category.ADJUSTMENT] == (12 if inside else 5)


def test_points_are_split_by_category_and_corrections_count_against_them(employee, hr):
    entry = award_by_rule(
        event=Category.MODULE_COMPLETED,
        user_id=employee.pk,
        source=("lms.completion", 1),
        reason="Completed a module",
        at=local(datetime.datetime(2025, 3, 10, 9)),
    )
    PointsEntry.objects.create(
        user=employee,
        points=1 - entry.points,
        category=entry.category,
        reason="Paid twice",
        awarded_by=hr,
        corrects=entry,
        awarded_at=local(datetime.datetime(2025, 3, 20, 9)),
    )
    points(employee, 3, at=local(datetime.datetime(2025, 3, 11)), by=hr)

    figures = _figures(employee)

    assert figures["points"][Category.MODULE_COMPLETED] == 1
    assert figures["points"][Category.ADJUSTMENT] == 3
    assert figures["points"][Category.KUDOS_RECEIVED] == 0
    assert figures["points_total"] == 4
    assert set(figures["points"]) == {category.value for category in Category}


@pytest.mark.parametrize("edge", list(EDGES))
def test_modules_on_time_late_and_self_directed_count_within_the_period(employee, edge):
    moment, inside = EDGES[edge]
    module = make_module()
    complete(employee, module, at=local(moment), on_time=True)
    complete(employee, module, at=local(moment), on_time=False)
    complete(employee, module, at=local(moment), on_time=None)
    complete(employee, make_module(), at=local(datetime.datetime(2025, 3, 5)), on_time=False)

    modules = _figures(employee)["modules"]

    expected = 1 if inside else 0
    assert modules == {"on_time": expected, "late": 1 + expected, "self_directed": expected}


@pytest.mark.parametrize("edge", list(EDGES))
def test_competences_gained_in_the_period_are_listed_with_their_level(employee, manager, edge):
    moment, inside = EDGES[edge]
    gain(employee, at=local(moment), assessor=manager, name="Lockout–tagout")

    competences = _figures(employee)["competences"]

    if inside:
        assert competences == [
            {
                "name": "Lockout–tagout",
                "level": 2,
                "level_label": "Competent",
                "achieved_on": moment.date().isoformat(),
            }
        ]
    else:
        assert competences == []


def test_a_revocation_is_not_a_competence_gained(employee, manager):
    record = gain(employee, at=local(datetime.datetime(2025, 3, 3)), assessor=manager)
    CompetenceRecord.objects.create(
        user=employee,
        competence=record.competence,
        kind=CompetenceRecord.Kind.REVOKED,
        level=record.level,
        achieved_at=local(datetime.datetime(2025, 3, 4)),
        source=CompetenceRecord.Source.REVOCATION,
        supersedes=record,
        reason="Wrong person",
        recorded_by=manager,
    )

    assert len(_figures(employee)["competences"]) == 1


@pytest.mark.parametrize("edge", list(EDGES))
def test_badges_awarded_in_the_period_are_listed_and_revoked_ones_are_not(employee, edge):
    moment, inside = EDGES[edge]
    BadgeAwardFactory(user=employee, badge__name="Safety first", awarded_at=local(moment))
    BadgeAwardFactory(
        user=employee,
        awarded_at=local(datetime.datetime(2025, 3, 10)),
        revoked_at=local(datetime.datetime(2025, 3, 12)),
        revocation_reason="Awarded by mistake",
    )

    badges = _figures(employee)["badges"]

    expected = [{"name": "Safety first", "awarded_on": moment.date().isoformat()}]
    assert badges == (expected if inside else [])


@pytest.mark.parametrize("edge", list(EDGES))
def test_kudos_received_in_the_period_keep_message_sender_and_value(employee, manager, edge):
    moment, inside = EDGES[edge]
    KudosFactory(
        sender=manager,
        receiver=employee,
        value=KudosValue.SAFETY,
        message="Stopped the line when the guard was off.",
        created_at=local(moment),
    )

    kudos = _figures(employee)["kudos"]

    expected = {
        "sender": "Line Manager",
        "value": "safety",
        "value_label": "Health and safety",
        "message": "Stopped the line when the guard was off.",
        "sent_on": moment.date().isoformat(),
    }
    assert kudos == ([expected] if inside else [])


def test_kudos_hidden_from_the_wall_still_count(employee, manager, hr):
    KudosFactory(
        sender=manager,
        receiver=employee,
        created_at=local(datetime.datetime(2025, 3, 9)),
        hidden_at=local(datetime.datetime(2025, 3, 10)),
        hidden_by=hr,
    )

    assert len(_figures(employee)["kudos"]) == 1


@pytest.mark.parametrize(
    ("accepted_on", "inside"),
    [
        (datetime.date(2025, 2, 28), False),
        (datetime.date(2025, 3, 1), True),
        (datetime.date(2025, 3, 31), True),
        (datetime.date(2025, 4, 1), False),
    ],
)
def test_suggestions_count_in_the_period_they_were_accepted_in(employee, hr, accepted_on, inside):
    suggestion = accepted_suggestion(employee, on=accepted_on, by=hr)
    Suggestion.objects.create(category="quality", text="Not accepted yet", author=employee)
    Suggestion.objects.create(category="quality", text="Anonymous")

    accepted = _figures(employee)["suggestions_accepted"]

    expected = {
        "suggestion_id": suggestion.pk,
        "category": "safety",
        "accepted_on": accepted_on.isoformat(),
    }
    assert accepted == ([expected] if inside else [])


def test_a_manager_has_their_teams_on_time_rate_and_size_and_others_have_none(
    employee, manager, operations
):
    other = UserFactory(department=operations, manager=manager)
    UserFactory(department=operations, manager=manager, is_active=False)
    module = make_module()
    for person, due_on, on_time in [
        (employee, datetime.date(2025, 3, 1), True),
        (other, datetime.date(2025, 3, 31), False),
        (other, datetime.date(2025, 3, 20), True),
        # Due outside the period: not this period's compliance.
        (other, datetime.date(2025, 4, 1), False),
    ]:
        assignment = Assignment.objects.create(
            user=person, module=module, due_on=due_on, status=Assignment.Status.COMPLETED
        )
        Completion.objects.create(
            user=person, module=module, assignment=assignment, on_time=on_time
        )

    figures = figures_for(period=march(), user_ids=[manager.pk, employee.pk])

    assert figures[manager.pk]["team"] == {"size": 2, "due": 3, "on_time": 2, "rate": 66.7}
    assert figures[employee.pk]["team"] is None


def test_a_manager_with_nothing_due_has_no_rate(employee, manager):
    assert _figures(manager)["team"] == {"size": 1, "due": 0, "on_time": 0, "rate": None}


def test_figures_are_plain_json(employee, manager, hr):
    points(employee, 3, at=local(datetime.datetime(2025, 3, 3)), by=hr)
    KudosFactory(sender=manager, receiver=employee, created_at=local(datetime.datetime(2025, 3, 3)))
    figures = figures_for(period=march(), user_ids=[employee.pk, manager.pk])

    assert json.loads(json.dumps(figures[employee.pk])) == figures[employee.pk]
    assert figures[employee.pk]["version"] == FIGURES_VERSION


# --- A fixed number of queries whatever the history


def grow_history(people, *, size, by):
    """`size` rows of every kind of figure for each of `people`, in March."""
    module = make_module()
    for person in people:
        for day in range(1, size + 1):
            at = local(datetime.datetime(2025, 3, day, 10))
            points(person, 1, at=at, by=by)
            complete(person, module, at=at, on_time=day % 2 == 0)
            gain(person, at=at, assessor=by)
            BadgeAwardFactory(user=person, awarded_at=at)
            # From one sender: new senders would be more people on a page.
            KudosFactory(sender=by, receiver=person, created_at=at)
            accepted_suggestion(person, on=at.date(), by=by)


@pytest.mark.parametrize("size", [1, 6])
def test_figures_take_eight_queries_whatever_the_history(
    employee, manager, hr, django_assert_num_queries, size
):
    people = [employee, manager, *UserFactory.create_batch(size)]
    grow_history(people, size=size, by=hr)
    period = march()

    with django_assert_num_queries(8):
        figures = figures_for(period=period, user_ids=[person.pk for person in people])

    assert figures[employee.pk]["points_total"] == size
    assert len(figures[employee.pk]["kudos"]) == size
    assert len(figures[manager.pk]["suggestions_accepted"]) == size
    assert figures[manager.pk]["team"]["size"] == 1


def test_nobody_takes_no_query(django_assert_num_queries, db):
    period = march()
    with django_assert_num_queries(0):
        assert figures_for(period=period, user_ids=[]) == {}
