"""The appraisal pages: who sees which summaries, closing a period from its page, and a fixed
number of queries whatever the history, open or closed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recognition.models import AppraisalSummary
from recognition.services.appraisals import close_period
from tests.factories import UserFactory
from tests.recognition.factories import AppraisalPeriodFactory, KudosFactory
from tests.recognition.test_appraisal_figures import (
    grow_history,
    local,
    march,
    points,
)

AFTER_MARCH = datetime.date(2025, 4, 1)


def _period_url(period):
    return reverse("appraisal_period", args=[period.pk])


def _summary_url(period, person):
    return reverse("appraisal_summary", args=[period.pk, person.pk])


def _closed_march(hr):
    period = march()
    close_period(period=period, by=hr, today=AFTER_MARCH)
    period.refresh_from_db()
    return period


# --- The list of periods


def test_the_list_links_each_person_to_what_they_may_see(client, personas):
    period = march()
    expectations = {
        "employee": (False, False),
        "manager": (True, False),
        "hr": (False, True),
    }
    for persona, (team, everyone) in expectations.items():
        client.force_login(personas[persona])
        response = client.get(reverse("appraisal_periods"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "March 2025" in html
        assert _summary_url(period, personas[persona]) in html
        assert (f'{_period_url(period)}?scope=team"' in html) is team
        assert (f'{_period_url(period)}"' in html) is everyone


# --- Who sees whose summaries


def test_hr_sees_everyone_in_a_period(client, personas):
    period = march()
    client.force_login(personas["hr"])

    response = client.get(_period_url(period))

    people = {summary.person for summary in response.context["summaries"]}
    assert {personas["employee"], personas["other_manager"], personas["outsider"]} <= people
    assert response.context["may_close"]


def test_hr_filters_a_period_by_department(client, personas, operations):
    period = march()
    client.force_login(personas["hr"])

    response = client.get(_period_url(period), {"department": operations.pk})

    people = {summary.person for summary in response.context["summaries"]}
    assert people == {personas["employee"], personas["manager"]}


def test_an_unknown_department_is_refused_with_a_message(client, hr):
    period = march()
    client.force_login(hr)

    response = client.get(_period_url(period), {"department": "999999"})

    assert response.status_code == 400
    assert "Choose one of the departments listed." in response.content.decode()
    assert response.context["summaries"] == []


def test_hr_pages_through_fifty_people_at_a_time(client, hr):
    UserFactory.create_batch(51)
    period = march()
    client.force_login(hr)

    first = client.get(_period_url(period))
    second = client.get(_period_url(period), {"page": 2})

    assert len(first.context["summaries"]) == 50
    assert first.context["page"].paginator.count == 52
    assert len(second.context["summaries"]) == 2


def test_a_manager_sees_only_the_people_below_them(client, personas):
    period = march()
    below = UserFactory(manager=personas["employee"])
    client.force_login(personas["manager"])

    response = client.get(_period_url(period))

    people = {summary.person for summary in response.context["summaries"]}
    assert people == {personas["employee"], below}
    assert not response.context["may_close"]
    assert response.context["form"] is None


def test_hr_who_manages_can_look_at_their_team_only(client, hr):
    report = UserFactory(manager=hr)
    period = march()
    client.force_login(hr)

    response = client.get(_period_url(period), {"scope": "team"})

    assert [summary.person for summary in response.context["summaries"]] == [report]


@pytest.mark.parametrize("persona", ["employee", "comms", "outsider"])
def test_people_without_a_team_cannot_list_a_period(client, personas, persona):
    client.force_login(personas[persona])

    assert client.get(_period_url(march())).status_code == 403


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("employee", 200),
        ("manager", 200),
        ("hr", 200),
        ("other_manager", 403),
        ("comms", 403),
        ("outsider", 403),
    ],
)
def test_the_employees_summary_is_for_them_their_managers_and_hr(client, personas, viewer, status):
    client.force_login(personas[viewer])

    response = client.get(_summary_url(march(), personas["employee"]))

    assert response.status_code == status


def test_the_manager_of_a_manager_sees_the_summary_two_levels_down(client, employee, manager):
    below = UserFactory(manager=employee)
    client.force_login(manager)

    assert client.get(_summary_url(march(), below)).status_code == 200


def test_a_person_sees_their_own_summary_and_not_their_managers(client, employee, manager):
    period = march()
    client.force_login(employee)

    assert client.get(_summary_url(period, employee)).status_code == 200
    assert client.get(_summary_url(period, manager)).status_code == 403


def test_an_open_period_shows_the_figures_so_far(client, employee, manager, hr):
    period = march()
    points(employee, 12, at=local(datetime.datetime(2025, 3, 3, 10)), by=hr)
    KudosFactory(
        sender=manager,
        receiver=employee,
        message="Spotted the expired calibration.",
        created_at=local(datetime.datetime(2025, 3, 4, 10)),
    )
    client.force_login(employee)

    html = client.get(_summary_url(period, employee)).content.decode()

    assert "Figures so far" in html
    assert "Frozen on" not in html
    assert "Spotted the expired calibration." in html
    assert "From Line Manager" in html
    assert ">12<" in html


def test_a_closed_period_shows_when_it_was_frozen(client, employee, hr):
    points(employee, 12, at=local(datetime.datetime(2025, 3, 3, 10)), by=hr)
    period = _closed_march(hr)
    points(employee, 40, at=local(datetime.datetime(2025, 3, 3, 11)), by=hr)
    client.force_login(employee)

    response = client.get(_summary_url(period, employee))

    html = response.content.decode()
    assert "Frozen on" in html
    assert "Figures so far" not in html
    assert response.context["summary"].figures["points_total"] == 12


def test_someone_not_frozen_in_a_closed_period_is_told_so(client, hr):
    period = _closed_march(hr)
    newcomer = UserFactory()
    client.force_login(newcomer)

    response = client.get(_summary_url(period, newcomer))

    assert response.status_code == 200
    assert "No summary was frozen for you" in response.content.decode()


# --- Closing from the period's page


def test_hr_closes_an_ended_period_from_its_page(client, hr, employee):
    period = AppraisalPeriodFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(hr)

    response = client.post(reverse("appraisal_close", args=[period.pk]), follow=True)

    assert response.redirect_chain[-1][0] == _period_url(period)
    assert "summaries are frozen" in response.content.decode()
    assert AppraisalSummary.objects.filter(period=period, user=employee).exists()
    assert not response.context["may_close"]


def test_closing_an_unfinished_period_from_its_page_is_refused_with_the_reason(client, hr):
    period = AppraisalPeriodFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        ends_on=timezone.localdate(),
    )
    client.force_login(hr)

    response = client.post(reverse("appraisal_close", args=[period.pk]))

    assert response.status_code == 400
    assert "it can be closed from" in response.content.decode()
    period.refresh_from_db()
    assert not period.is_closed
    assert not AppraisalSummary.objects.exists()


def test_closing_a_closed_period_again_is_refused(client, hr):
    period = AppraisalPeriodFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(hr)
    client.post(reverse("appraisal_close", args=[period.pk]))
    count = AppraisalSummary.objects.count()

    response = client.post(reverse("appraisal_close", args=[period.pk]))

    assert response.status_code == 400
    assert "already closed" in response.content.decode()
    assert AppraisalSummary.objects.count() == count


@pytest.mark.parametrize("persona", ["employee", "manager", "comms"])
def test_nobody_but_hr_can_close_a_period(client, personas, persona):
    period = AppraisalPeriodFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(personas[persona])

    assert client.post(reverse("appraisal_close", args=[period.pk])).status_code == 403
    period.refresh_from_db()
    assert not period.is_closed
    assert not AppraisalSummary.objects.exists()


# --- A fixed number of queries whatever the history


def _queries(django_assert_num_queries, client, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


# Measured. Open: the page's people (2: count and page), their figures (8), and what every page
# costs (session, user, navigation, notifications); a manager's people cost one query per level
# below them where HR's permissions cost one. Closed: the frozen figures are one read.
PAGE_QUERIES = {
    ("hr", False): 18,
    ("hr", True): 11,
    ("manager", False): 18,
    ("manager", True): 12,
}
SUMMARY_QUERIES = {
    ("hr", False): 15,
    ("hr", True): 9,
    ("manager", False): 15,
    ("manager", True): 9,
}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("viewer", ["hr", "manager"])
@pytest.mark.parametrize("size", [1, 8])
def test_the_period_page_and_a_summary_run_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries, size, closed, viewer
):
    hr, employee, manager = personas["hr"], personas["employee"], personas["manager"]
    team = [employee, *UserFactory.create_batch(size, manager=manager)]
    grow_history(team, size=size, by=hr)
    period = _closed_march(hr) if closed else march()
    client.force_login(personas[viewer])

    page = _queries(
        django_assert_num_queries, client, _period_url(period), PAGE_QUERIES[viewer, closed]
    )
    summary = _queries(
        django_assert_num_queries,
        client,
        _summary_url(period, employee),
        SUMMARY_QUERIES[viewer, closed],
    )

    rows = {row.person: row for row in page.context["summaries"]}
    assert rows[employee].figures["points_total"] == size
    assert len(summary.context["summary"].figures["kudos"]) == size
