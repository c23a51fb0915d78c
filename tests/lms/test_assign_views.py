"""The assign page: a manager assigns to their team, HR to anyone, nobody else at all."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lms.models import Assignment
from tests.factories import UserFactory
from tests.lms.factories_training import days_from_today, make_assignment, make_module

URL = "/learning/assign/"


@pytest.fixture
def module(db):
    return make_module(title="Forklift safety")


def due(days: int = 14) -> str:
    return days_from_today(days).isoformat()


def assign_data(module, **values) -> dict:
    return {"module": module.pk, "due_on": due(), "mandatory": "on", **values}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def assigned() -> set[tuple[int, int | None]]:
    return set(Assignment.objects.values_list("user_id", "assigned_by_id"))


def test_the_page_has_its_name():
    assert reverse("assign_module") == URL


def test_a_manager_sees_their_team_and_the_live_modules(client, manager, employee, module):
    make_module(title="Unfinished draft", live=False)
    client.force_login(manager)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Forklift safety" in page
    assert "Unfinished draft" not in page
    assert f'value="{employee.pk}"' in page
    assert 'name="whole_team"' in page
    assert 'type="date"' in page


def test_a_manager_assigns_a_module_to_one_report(client, manager, employee, module):
    client.force_login(manager)

    response = client.post(URL, assign_data(module, people=[employee.pk]))

    assert response.status_code == 302
    assert response["Location"] == URL
    assert assigned() == {(employee.pk, manager.pk)}
    assignment = Assignment.objects.get()
    assert (assignment.due_on.isoformat(), assignment.mandatory) == (due(), True)
    assert messages_of(response) == ["Assigned 'Forklift safety' to 1 person."]


def test_a_manager_assigns_to_their_whole_team_with_or_without_indirect_reports(
    client, manager, employee, module
):
    indirect = UserFactory(manager=employee)
    client.force_login(manager)

    client.post(URL, assign_data(module, whole_team="on"))
    assert assigned() == {(employee.pk, manager.pk)}

    response = client.post(URL, assign_data(module, whole_team="on", include_indirect="on"))

    assert assigned() == {(employee.pk, manager.pk), (indirect.pk, manager.pk)}
    assert messages_of(response)[-1:] == [
        "Assigned 'Forklift safety' to 1 person; 1 already had it."
    ]


def test_a_manager_cannot_assign_to_another_teams_person_and_nothing_is_created(
    client, manager, employee, other_manager, module
):
    other_report = other_manager.reports.get()
    client.force_login(manager)

    response = client.post(URL, assign_data(module, people=[employee.pk, other_report.pk]))

    assert response.status_code == 200
    assert "You can assign training only to people in your team." in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("persona", ["employee", "comms", "outsider"])
def test_people_who_manage_nobody_and_are_not_hr_are_refused(client, personas, module, persona):
    client.force_login(personas[persona])

    assert client.get(URL).status_code == 403
    response = client.post(URL, assign_data(module, people=[personas["employee"].pk]))

    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, module):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_hr_finds_anyone_by_employee_id_and_assigns_to_them(
    client, hr, employee, other_manager, module
):
    other_report = other_manager.reports.get()
    client.force_login(hr)

    page = client.get(URL, {"q": other_report.employee_id}).content.decode()
    assert f'value="{other_report.pk}"' in page
    assert f'value="{employee.pk}"' not in page
    assert 'name="whole_team"' not in page  # HR manages nobody here

    response = client.post(URL, assign_data(module, people=[employee.pk, other_report.pk]))

    assert response.status_code == 302
    assert assigned() == {(employee.pk, hr.pk), (other_report.pk, hr.pk)}
    assert messages_of(response) == ["Assigned 'Forklift safety' to 2 people."]


def test_hr_finds_people_by_name(client, hr, employee, manager, module):
    client.force_login(hr)

    page = client.get(URL, {"q": "member"}).content.decode()

    assert f'value="{employee.pk}"' in page
    assert f'value="{manager.pk}"' not in page


def test_hr_is_asked_to_search_before_people_are_listed(client, hr, employee, module):
    client.force_login(hr)

    page = client.get(URL).content.decode()

    assert "Search to list the people you can tick." in page
    assert f'value="{employee.pk}"' not in page


def test_a_due_date_in_the_past_is_refused_with_a_message(client, manager, employee, module):
    client.force_login(manager)

    response = client.post(URL, assign_data(module, people=[employee.pk], due_on=due(-1)))

    assert response.status_code == 200
    assert "The due date is in the past; choose today or a later day." in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_a_module_that_is_not_live_is_refused(client, manager, employee, module):
    draft = make_module(title="Draft", live=False)
    client.force_login(manager)

    response = client.post(URL, assign_data(draft, people=[employee.pk]))

    assert response.status_code == 200
    assert "That module is not published; choose another one." in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "Tick the people to assign it to, or your whole team."),
        ({"whole_team": "on", "people": "EMPLOYEE"}, "Choose either your whole team or the"),
    ],
)
def test_the_manager_must_choose_people_or_the_whole_team(
    client, manager, employee, module, values, message
):
    if values.get("people") == "EMPLOYEE":
        values["people"] = [employee.pk]
    client.force_login(manager)

    response = client.post(URL, assign_data(module, **values))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


def test_assigning_again_says_who_already_had_it(client, manager, employee, module):
    second = UserFactory(manager=manager)
    make_assignment(user=employee, module=module)
    client.force_login(manager)

    response = client.post(URL, assign_data(module, people=[employee.pk, second.pk]))

    assert messages_of(response) == ["Assigned 'Forklift safety' to 1 person; 1 already had it."]
    assert Assignment.objects.filter(user=employee).count() == 1


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_team(
    client, manager, employee, module, django_assert_max_num_queries
):
    client.force_login(manager)
    UserFactory.create_batch(3, manager=manager)
    make_module()
    with django_assert_max_num_queries(40) as few:
        assert client.get(URL).status_code == 200
    UserFactory.create_batch(30, manager=manager)
    for _ in range(8):
        make_module()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200
