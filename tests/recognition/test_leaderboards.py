"""Leaderboards of a month or a quarter: boundaries, opting out, ties, managers' ranking, and a
fixed number of queries whatever the ledger's size."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import Assignment, Completion
from recognition.models import Category, PointsEntry, RecognitionPreference
from recognition.periods import MONTH, QUARTER, Period
from recognition.selectors import leaderboards as boards
from tests.factories import DepartmentFactory, UserFactory
from tests.lms.factories_training import make_module

URL = reverse("leaderboards")
NOVEMBER = Period(MONTH, datetime.date(2026, 11, 1))
TODAY = datetime.date(2026, 11, 27)


def _at(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def _points(user, points, at, *, by):
    return PointsEntry.objects.create(
        user=user,
        points=points,
        category=Category.ADJUSTMENT,
        reason="For the leaderboard",
        awarded_by=by,
        awarded_at=at,
    )


def _opt_out(user):
    RecognitionPreference.objects.create(user=user, show_on_leaderboards=False)


def _names(board):
    return [(row.rank, row.name, row.figure) for row in board.rows]


# --- Periods


@pytest.mark.parametrize(
    ("kind", "at", "first", "last"),
    [
        ("month", "2026-02", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
        ("quarter", "2026-05", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        ("quarter", "2025-12", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (None, None, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)),
    ],
)
def test_a_period_is_a_calendar_month_or_quarter(kind, at, first, last):
    period = boards.period_from(kind=kind, at=at, today=TODAY)

    assert (period.first_day, period.last_day) == (first, last)


@pytest.mark.parametrize(
    ("kind", "at", "message"),
    [
        ("all-time", None, "Choose a period of a month or a quarter."),
        ("month", "2026-13", "Give the month as YYYY-MM"),
        ("month", "November", "Give the month as YYYY-MM"),
        ("month", "2026-12", "December 2026 has not started yet."),
    ],
)
def test_a_bad_period_is_refused_with_a_message(kind, at, message):
    with pytest.raises(boards.BadPeriod, match=message):
        boards.period_from(kind=kind, at=at, today=TODAY)


def test_the_previous_and_next_periods_follow_the_year():
    january = Period(MONTH, datetime.date(2026, 1, 1))
    q4 = Period(QUARTER, datetime.date(2025, 10, 1))

    assert january.previous().at == "2025-12"
    assert q4.following().at == "2026-01"
    assert q4.label == "Q4 2025 (October to December)"


def test_an_entry_on_the_last_second_of_a_month_counts_in_that_month_only(employee, hr):
    _points(employee, 7, _at(2026, 10, 31, 23, 59, 59), by=hr)
    _points(employee, 3, _at(2026, 11, 1, 0, 0, 0), by=hr)
    october = Period(MONTH, datetime.date(2026, 10, 1))

    in_october = boards.department_board(viewer=employee, period=october)
    in_november = boards.department_board(viewer=employee, period=NOVEMBER)

    assert ("Team Member", "7") in [(r.name, r.figure) for r in in_october.rows]
    assert ("Team Member", "3") in [(r.name, r.figure) for r in in_november.rows]


# --- The people boards


def test_the_department_board_ranks_the_department_and_those_under_it(employee, manager, hr):
    operations = employee.department
    night_shift = DepartmentFactory(name="Night shift", parent=operations)
    worker = UserFactory(first_name="Night", last_name="Worker", department=night_shift)
    elsewhere = UserFactory(first_name="Else", last_name="Where")
    _points(worker, 20, _at(2026, 11, 3), by=hr)
    _points(employee, 10, _at(2026, 11, 3), by=hr)
    _points(elsewhere, 50, _at(2026, 11, 3), by=hr)

    board = boards.department_board(viewer=employee, period=NOVEMBER)

    assert _names(board) == [
        (1, "Night Worker", "20"),
        (2, "Team Member", "10"),
        (3, "Line Manager", "0"),
    ]
    assert [row.is_viewer for row in board.rows] == [False, True, False]


def test_equal_points_share_a_rank(employee, manager, hr):
    third = UserFactory(first_name="Third", last_name="Person", department=employee.department)
    _points(employee, 10, _at(2026, 11, 3), by=hr)
    _points(manager, 10, _at(2026, 11, 4), by=hr)
    _points(third, 4, _at(2026, 11, 4), by=hr)

    board = boards.department_board(viewer=employee, period=NOVEMBER)

    assert [(row.rank, row.figure) for row in board.rows] == [(1, "10"), (1, "10"), (3, "4")]


def test_someone_who_opted_out_is_neither_named_nor_ranked(employee, manager, hr):
    _points(manager, 30, _at(2026, 11, 3), by=hr)
    _points(employee, 10, _at(2026, 11, 3), by=hr)
    _opt_out(manager)

    department = boards.department_board(viewer=employee, period=NOVEMBER)
    _title, team = boards.team_board(viewer=manager, period=NOVEMBER)

    assert _names(department) == [(1, "Team Member", "10")]
    assert _names(team) == [(1, "Team Member", "10")]


def test_the_top_twenty_are_listed_and_the_viewer_below_them_too(employee, hr):
    for n in range(21):
        person = UserFactory(department=employee.department)
        _points(person, 100 - n, _at(2026, 11, 3), by=hr)
    _points(employee, 1, _at(2026, 11, 3), by=hr)

    board = boards.department_board(viewer=employee, period=NOVEMBER)

    assert len(board.rows) == 20
    assert board.viewer_below.rank == 22
    assert board.viewer_below.figure == "1"


def test_an_employees_team_is_their_managers_direct_reports(employee, manager, hr):
    colleague = UserFactory(first_name="Co", last_name="Worker", manager=manager)
    UserFactory(first_name="Below", last_name="Colleague", manager=colleague)
    _points(colleague, 5, _at(2026, 11, 3), by=hr)

    title, team = boards.team_board(viewer=employee, period=NOVEMBER)

    assert title == "Your team"
    assert _names(team) == [(1, "Co Worker", "5"), (2, "Team Member", "0")]


def test_a_managers_team_is_their_own_direct_reports(employee, manager):
    title, team = boards.team_board(viewer=manager, period=NOVEMBER)

    assert title == "Your direct reports"
    assert _names(team) == [(1, "Team Member", "0")]


# --- Departments and managers


def test_departments_are_ranked_by_points_per_person_counting_those_who_opted_out(
    employee, manager, other_manager, hr
):
    _points(employee, 30, _at(2026, 11, 3), by=hr)
    _opt_out(employee)
    _points(other_manager, 10, _at(2026, 11, 3), by=hr)

    ranking = boards.department_ranking(viewer=employee, period=NOVEMBER)

    operations, quality = ranking[0], ranking[1]
    assert (operations.rank, operations.name, operations.people) == (1, "Operations", 2)
    assert (operations.points, operations.per_person_shown) == (30, "15.0")
    assert (quality.rank, quality.name, quality.points, quality.per_person_shown) == (
        2,
        "Quality",
        10,
        "5.0",
    )
    assert operations.is_viewers
    assert {row.rank for row in ranking[2:]} == {3}


def _team_with_due(manager, *, due, on_time):
    module = make_module()
    report = UserFactory(manager=manager)
    for n in range(due):
        assignment = Assignment.objects.create(
            user=report,
            module=module,
            due_on=datetime.date(2026, 11, 2 + n),
            status=Assignment.Status.COMPLETED,
        )
        Completion.objects.create(
            user=report, module=module, assignment=assignment, on_time=n < on_time
        )


def test_managers_are_ranked_by_their_teams_training_on_time_once_three_fell_due(hr):
    best, tied, worse, too_few, hidden = (
        UserFactory(first_name=name, last_name="Boss")
        for name in ("Best", "Tied", "Worse", "Small", "Hidden")
    )
    _team_with_due(best, due=4, on_time=4)
    _team_with_due(tied, due=3, on_time=3)
    _team_with_due(worse, due=4, on_time=1)
    _team_with_due(too_few, due=2, on_time=2)
    _team_with_due(hidden, due=3, on_time=3)
    _opt_out(hidden)

    rows, viewer_below = boards.manager_ranking(viewer=worse, period=NOVEMBER, today=TODAY)

    assert [(row.rank, row.name, row.rate_shown) for row in rows] == [
        (1, "Best Boss", "100%"),
        (1, "Tied Boss", "100%"),
        (3, "Worse Boss", "25%"),
    ]
    assert rows[2].is_viewer
    assert viewer_below is None


# --- The page


def test_the_page_shows_the_boards_and_links_to_the_periods_around(client, employee, hr):
    _points(employee, 12, _at(2026, 10, 5), by=hr)
    client.force_login(employee)

    response = client.get(URL, {"period": "month", "at": "2026-10"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Leaderboards: October 2026" in page
    assert re.search(r"Team Member \(you\)</th><td[^>]*>12</td>", page)
    assert "?period=month&amp;at=2026-09" in page
    assert "?period=month&amp;at=2026-11" in page
    assert "?period=quarter&amp;at=2026-10" in page


def test_the_current_period_has_no_link_to_the_next(client, employee):
    client.force_login(employee)

    page = client.get(URL).content.decode()

    following = boards.period_from(kind=None, at=None).following()
    assert f"at={following.at}" not in page


def test_a_bad_period_gets_400_with_the_message(client, employee):
    client.force_login(employee)

    response = client.get(URL, {"period": "ever"})

    assert response.status_code == 400
    assert "Choose a period of a month or a quarter." in response.content.decode()


def _history(people, *, entries_each, by):
    module = make_module()
    for person in people:
        for n in range(entries_each):
            _points(person, n + 1, timezone.now() - datetime.timedelta(hours=n), by=by)
        assignment = Assignment.objects.create(
            user=person,
            module=module,
            due_on=timezone.localdate(),
            status=Assignment.Status.COMPLETED,
        )
        Completion.objects.create(user=person, module=module, assignment=assignment, on_time=True)


# Session and user; the header (unread counts, is a manager, the viewer's two kinds of
# permissions); whether the viewer manages, the team board, managers' rates and names, the
# department tree, the department board, departments, the viewer's preference.
PAGE_QUERIES = 14


@pytest.mark.parametrize("viewer_name", ["employee", "manager"])
def test_the_page_runs_a_fixed_number_of_queries_whatever_the_ledger(
    client, django_assert_num_queries, personas, hr, viewer_name
):
    manager = personas["manager"]
    team = [personas["employee"], *UserFactory.create_batch(2, manager=manager)]
    _history(team, entries_each=1, by=hr)
    client.force_login(personas[viewer_name])
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200

    more = UserFactory.create_batch(10, manager=manager, department=manager.department)
    _history([*team, *more], entries_each=5, by=hr)
    _opt_out(team[1])

    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
