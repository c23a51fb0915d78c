"""My learning: what is assigned, how far along it is, what is suggested, done and withdrawn."""

import re

import pytest
from django.urls import reverse

from lms.models import ManagementLevel
from lms.selectors.learning import Status, my_learning
from tests.factories import DepartmentFactory, UserFactory
from tests.lms.factories_training import (
    days_from_today,
    done_sections,
    make_assignment,
    make_case_study,
    make_completion,
    make_module,
    withdraw,
)


def _page(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("my_learning"))
    assert response.status_code == 200
    return response.content.decode()


def _assigned_section(page: str) -> str:
    return page.split('id="assigned-heading"')[1].split("</section>")[0]


def _case_studies(*titles_and_departments) -> None:
    for title, department in titles_and_departments:
        make_case_study(
            title=title,
            department=department,
            metrics=[("Complaints a month", "12", "3", "", False)],
        )


def test_people_land_on_my_learning_after_signing_in(client, employee):
    response = client.post(
        reverse("account_login"),
        {"login": employee.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.templates[0].name == "lms/learning/my_learning.html"
    assert '<a href="/learning/" aria-current="page">My learning</a>' in response.content.decode()


def test_my_learning_is_for_signed_in_people_only(client, db):
    for name in ("home", "my_learning"):
        assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))


def test_overdue_modules_come_first_then_the_rest_by_due_date(db, employee):
    later = make_assignment(
        user=employee, module=make_module(title="Later"), due_on=days_from_today(30)
    )
    sooner = make_assignment(
        user=employee, module=make_module(title="Sooner"), due_on=days_from_today(3)
    )
    long_overdue = make_assignment(
        user=employee, module=make_module(title="Long overdue"), due_on=days_from_today(-20)
    )
    overdue = make_assignment(
        user=employee, module=make_module(title="Overdue"), due_on=days_from_today(-1)
    )
    done = make_assignment(
        user=employee, module=make_module(title="Done"), due_on=days_from_today(-40)
    )
    make_completion(assignment=done)

    rows = my_learning(user=employee).assigned

    assert [row.assignment for row in rows] == [long_overdue, overdue, sooner, later, done]


def test_each_status_is_said_in_words_with_the_sections_done(client, employee):
    make_assignment(user=employee, module=make_module(title="Untouched", sections=5))
    started = make_module(title="Started", sections=5)
    make_assignment(user=employee, module=started)
    done_sections(user=employee, module=started, how_many=2)
    make_assignment(
        user=employee, module=make_module(title="Late", sections=4), due_on=days_from_today(-3)
    )
    make_completion(
        assignment=make_assignment(user=employee, module=make_module(title="Finished", sections=2))
    )

    section = _assigned_section(_page(client, employee))
    cards = {
        re.search(r">([^<>]+)</a>", card).group(1): card
        for card in section.split('<li class="module-card')[1:]
    }

    assert "Not started" in cards["Untouched"] and "0 of 5 sections" in cards["Untouched"]
    assert "In progress" in cards["Started"] and "2 of 5 sections" in cards["Started"]
    assert '<progress id="progress-' in cards["Started"] and 'value="2"' in cards["Started"]
    assert "Overdue" in cards["Late"] and "0 of 4 sections" in cards["Late"]
    assert "Completed" in cards["Finished"] and "2 of 2 sections" in cards["Finished"]


def test_opening_a_module_without_finishing_a_section_counts_as_in_progress(db, employee):
    page = make_module()
    make_assignment(user=employee, module=page)
    done_sections(user=employee, module=page, how_many=0)

    [row] = my_learning(user=employee).assigned

    assert row.status == Status.IN_PROGRESS
    assert row.sections_done == 0


def test_a_section_removed_from_the_module_no_longer_counts(db, employee):
    page = make_module(sections=3)
    make_assignment(user=employee, module=page)
    done_sections(user=employee, module=page, how_many=2)
    del page.body[0]
    page.save_revision().publish()

    [row] = my_learning(user=employee).assigned

    assert (row.sections_done, row.sections_total) == (1, 2)


def test_mandatory_and_recommended_assignments_are_labelled_with_a_link_and_due_date(
    client, employee
):
    must = make_module(title="Must do")
    make_assignment(user=employee, module=must, due_on=days_from_today(10))
    make_assignment(user=employee, module=make_module(title="Could do"), mandatory=False)

    section = _assigned_section(_page(client, employee))

    must_card, could_card = section.split('<li class="module-card')[1:]
    assert "Mandatory" in must_card and f'href="{must.url}"' in must_card
    assert days_from_today(10).strftime("%-d %B %Y") in must_card
    assert "Recommended" in could_card


def test_recommended_modules_are_those_for_my_audience_that_i_was_not_given(db, employee):
    assigned = make_module(title="Assigned to me")
    make_assignment(user=employee, module=assigned)
    completed_alone = make_module(title="Done without assignment")
    make_completion(assignment=make_assignment(user=employee, module=completed_alone))
    make_module(title="For everyone")
    make_module(title="For staff", audience_levels=[ManagementLevel.STAFF])
    make_module(title="For my department", audience_departments=[employee.department])
    make_module(title="For top management", audience_levels=[ManagementLevel.TOP])
    make_module(
        title="For another department", audience_departments=[DepartmentFactory(name="Finance")]
    )
    make_module(title="Draft", live=False)

    titles = [m.title for m in my_learning(user=employee).recommended]

    assert titles == ["For everyone", "For my department", "For staff"]


def test_a_sub_department_sees_modules_meant_for_its_parent(db, employee):
    parent = employee.department
    child = DepartmentFactory(name="Night shift", parent=parent)
    person = UserFactory(department=child)
    make_module(title="For operations", audience_departments=[parent])

    assert [m.title for m in my_learning(user=person).recommended] == ["For operations"]


def test_withdrawn_assignments_are_shown_with_their_reason(client, employee):
    withdraw(
        assignment=make_assignment(user=employee, module=make_module(title="Old procedure")),
        reason="Replaced by the 2026 procedure",
    )

    page = _page(client, employee)

    withdrawn = page.split('id="withdrawn-heading"')[1].split("</section>")[0]
    assert "Old procedure" in withdrawn
    assert "Replaced by the 2026 procedure" in withdrawn
    assert "Old procedure" not in _assigned_section(page)


def test_completed_history_shows_the_date_and_the_version_trained_on(client, employee):
    page = make_module(title="Hazard reporting")
    completion = make_completion(assignment=make_assignment(user=employee, module=page))

    html = _page(client, employee)

    history = html.split('id="completed-heading"')[1].split("</section>")[0]
    assert "Hazard reporting" in history
    assert completion.completed_at.strftime("%-d %B %Y") in history
    version = completion.revision.created_at.strftime("%-d %B %Y")
    assert f"version of {version}" in history


def test_the_page_keeps_the_persons_place_in_the_organisation(client, employee):
    page = _page(client, employee)

    place = page.split('id="profile-heading"')[1]
    assert "Operations" in place
    assert "Line Manager" in place


def test_case_studies_of_my_department_come_first_with_a_before_and_after(client, employee):
    finance = DepartmentFactory(name="Finance")
    _case_studies(
        ("Fewer complaints in Operations", employee.department),
        ("Finance closes faster", finance),
        ("Finance pays on time", finance),
        ("Finance audits cleanly", finance),
    )

    client.force_login(employee)
    response = client.get(reverse("my_learning"))

    shown = [case.title for case in response.context["learning"].case_studies]
    assert shown[0] == "Fewer complaints in Operations"
    assert len(shown) == 3
    cases = response.content.decode().split('id="cases-heading"')[1].split("</section>")[0]
    assert "Complaints a month: 12 before, 3 after" in cases


def test_another_persons_assignments_are_not_shown(client, employee, manager):
    make_assignment(user=manager, module=make_module(title="Manager only"))

    assert "Manager only" not in _assigned_section(_page(client, employee))


@pytest.mark.parametrize("size", [5, 50])
def test_my_learning_costs_the_same_queries_whatever_the_number_of_assignments(
    client, employee, size, django_assert_max_num_queries
):
    for number in range(size):
        page = make_module(title=f"Module {number:02d}", sections=3)
        assignment = make_assignment(
            user=employee, module=page, due_on=days_from_today(number - size // 2)
        )
        if number % 3 == 0:
            done_sections(user=employee, module=page, how_many=1)
        elif number % 3 == 1:
            make_completion(assignment=assignment)
        make_module(title=f"Suggested {number:02d}")
    withdraw(
        assignment=make_assignment(user=employee, module=make_module(title="Withdrawn")),
        reason="No longer needed",
    )
    _case_studies(*[(f"Case {n}", employee.department) for n in range(4)])
    client.force_login(employee)

    with django_assert_max_num_queries(26):
        response = client.get(reverse("my_learning"))

    assert len(response.context["learning"].assigned) == size
    cards = size + min(size, 6) + 3  # assigned, recommended, case studies
    assert response.content.decode().count('<li class="module-card') == cards
