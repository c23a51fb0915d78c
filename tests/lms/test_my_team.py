"""My team: each report against each module, overdue counts, completion rate, and reminders."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from lms import tasks
from lms.models import Assignment, Notification, TeamReminder
from lms.selectors.learning import Status, team_grid
from tests.factories import UserFactory
from tests.lms.factories_training import (
    days_from_today,
    done_sections,
    make_assignment,
    make_completion,
    make_module,
)


def _cell_texts(html: str, person) -> list[str]:
    """The words in each cell of `person`'s row of the grid, row header and button excluded."""
    row = re.search(
        rf"<tr>\s*<th scope=\"row\">.*?>{re.escape(str(person))}</a></th>(.*?)</tr>", html, re.S
    )
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


@pytest.fixture
def team(manager, employee):
    """The employee and a second direct report, with three modules in every state between them."""
    second = UserFactory(manager=manager, first_name="Second", last_name="Report")
    fire, quality, ethics = (
        make_module(title="Fire", sections=4),
        make_module(title="Quality", sections=3),
        make_module(title="Ethics"),
    )
    make_assignment(user=employee, module=fire, due_on=days_from_today(-2))
    started = make_assignment(user=employee, module=quality, due_on=days_from_today(5))
    done_sections(user=employee, module=quality, how_many=1)
    make_completion(assignment=make_assignment(user=second, module=fire))
    make_assignment(user=second, module=quality, due_on=days_from_today(9))
    make_assignment(user=second, module=ethics, mandatory=False, due_on=days_from_today(-1))
    return {"second": second, "modules": (fire, quality, ethics), "started": started}


def test_each_cell_says_the_status_in_words(client, manager, employee, team):
    client.force_login(manager)
    html = client.get(reverse("my_team_learning")).content.decode()

    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers == ["Person", "Overdue", "Ethics", "Fire", "Quality", "Reminder"]
    employee_cells = _cell_texts(html, employee)
    assert employee_cells[0] == "1"
    assert employee_cells[1] == "Not assigned"
    assert employee_cells[2].startswith("Overdue 0 of 4 sections")
    assert employee_cells[3].startswith("In progress 1 of 3 sections")
    second_cells = _cell_texts(html, team["second"])
    assert second_cells[0] == "1"
    assert second_cells[1].startswith("Overdue") and "recommended" in second_cells[1]
    assert second_cells[2] == "Completed 4 of 4 sections"
    assert second_cells[3].startswith("Not started 0 of 3 sections")


def test_the_completion_rate_counts_mandatory_assignments_only(client, manager, team):
    client.force_login(manager)
    response = client.get(reverse("my_team_learning"))

    grid = response.context["grid"]
    # Mandatory: employee fire + quality, second fire (completed) + quality; ethics is advised.
    assert (grid.mandatory_completed, grid.mandatory_total, grid.completion_percent) == (1, 4, 25)
    assert "25%" in response.content.decode()
    assert "(1 of 4 mandatory assignments)" in response.content.decode()


def test_a_refresher_open_again_counts_as_not_completed(db, manager, employee):
    page = make_module()
    make_completion(
        assignment=make_assignment(user=employee, module=page, due_on=days_from_today(-300))
    )
    make_assignment(user=employee, module=page, due_on=days_from_today(20))

    grid = team_grid(manager=manager)

    assert grid.rows[0].cells[0].status == Status.NOT_STARTED
    assert (grid.mandatory_completed, grid.mandatory_total) == (0, 1)


def test_withdrawn_assignments_and_deactivated_people_are_left_out(db, manager, employee):
    withdrawn = make_assignment(user=employee, module=make_module(title="Withdrawn"))
    withdrawn.status = Assignment.Status.WITHDRAWN
    withdrawn.save()
    make_assignment(user=employee, module=make_module(title="Open"))
    leaver = UserFactory(manager=manager, is_active=False)
    make_assignment(user=leaver, module=make_module(title="Leaver's"))

    grid = team_grid(manager=manager)

    assert [row.person for row in grid.rows] == [employee]
    assert [m.title for m in grid.modules] == ["Open"]
    assert grid.rows[0].cells[0].status == Status.NOT_STARTED
    assert grid.mandatory_total == 1


def test_indirect_reports_appear_only_with_the_toggle(client, manager, employee):
    indirect = UserFactory(manager=employee, first_name="Indirect", last_name="Report")
    client.force_login(manager)

    direct_only = client.get(reverse("my_team_learning")).context["grid"]
    everyone = client.get(reverse("my_team_learning"), {"indirect": "1"}).context["grid"]

    assert [row.person for row in direct_only.rows] == [employee]
    assert {row.person for row in everyone.rows} == {employee, indirect}


def test_people_without_reports_get_a_403_and_the_old_team_page_redirects(
    client, manager, employee, hr
):
    for person in (employee, hr):
        client.force_login(person)
        assert client.get(reverse("my_team_learning")).status_code == 403
        assert client.get(reverse("my_team")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("my_team"))["Location"] == reverse("my_team_learning")


def test_sending_a_reminder_writes_a_row_then_emails_the_open_items(
    client, manager, employee, team, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("send_team_reminder", args=[employee.pk]), follow=True)

    assert "Reminder sent to Team Member." in response.content.decode()
    reminder = TeamReminder.objects.get()
    assert (reminder.user, reminder.sent_by) == (employee, manager)
    assert reminder.emailed_at is not None
    [message] = mail.outbox
    assert message.to == [employee.email]
    assert "Line Manager asks you" in message.subject
    assert "Fire, overdue since" in message.body
    assert "Quality, due" in message.body
    assert message.body.index("Fire") < message.body.index("Quality")
    assert Notification.objects.filter(user=employee, kind=Notification.Kind.NUDGE).count() == 1


def test_a_second_reminder_the_same_day_says_so_and_sends_nothing(
    client, manager, employee, team, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("send_team_reminder", args=[employee.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        response = client.post(url, follow=True)

    assert "already been reminded today" in response.content.decode()
    assert TeamReminder.objects.count() == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind=Notification.Kind.NUDGE).count() == 1


def test_a_reminder_task_run_twice_emails_once(
    client, manager, employee, team, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("send_team_reminder", args=[employee.pk]))
    tasks.send_team_reminder.delay(TeamReminder.objects.get().pk)

    assert len(mail.outbox) == 1


def test_reminding_someone_outside_the_team_is_refused_and_writes_nothing(
    client, manager, employee, other_manager, django_capture_on_commit_callbacks
):
    stranger = other_manager.reports.get()
    make_assignment(user=stranger, module=make_module())
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("send_team_reminder", args=[stranger.pk]))

    assert response.status_code == 403
    assert not TeamReminder.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_employee_cannot_remind_their_own_manager(client, manager, employee):
    make_assignment(user=manager, module=make_module())
    client.force_login(employee)
    response = client.post(reverse("send_team_reminder", args=[manager.pk]))
    assert response.status_code == 403
    assert not TeamReminder.objects.exists()


def test_an_indirect_report_can_be_reminded(
    client, manager, employee, django_capture_on_commit_callbacks
):
    indirect = UserFactory(manager=employee)
    make_assignment(user=indirect, module=make_module())
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("send_team_reminder", args=[indirect.pk]), {"indirect": "1"})

    assert response["Location"] == reverse("my_team_learning") + "?indirect=1"
    assert TeamReminder.objects.get().user == indirect
    assert [m.to for m in mail.outbox] == [[indirect.email]]


def test_a_person_with_nothing_open_is_not_reminded(client, manager, employee):
    make_completion(assignment=make_assignment(user=employee, module=make_module()))
    client.force_login(manager)

    response = client.post(reverse("send_team_reminder", args=[employee.pk]), follow=True)

    assert "no open training" in response.content.decode()
    assert not TeamReminder.objects.exists()


def test_a_reminder_needs_a_post(client, manager, employee):
    client.force_login(manager)
    assert client.get(reverse("send_team_reminder", args=[employee.pk])).status_code == 405
    assert not TeamReminder.objects.exists()


@pytest.mark.parametrize("size", [5, 200])
def test_the_team_page_costs_the_same_queries_whatever_the_team_size(
    client, manager, size, django_assert_max_num_queries
):
    modules = [make_module(title=f"Module {n}", sections=3) for n in range(10)]
    people = [UserFactory(manager=manager, department=manager.department) for _ in range(size)]
    Assignment.objects.bulk_create(
        Assignment(
            user=person,
            module=page,
            due_on=days_from_today((i + j) % 20 - 10),
            status=Assignment.Status.COMPLETED if (i + j) % 4 == 0 else Assignment.Status.OPEN,
            mandatory=j % 3 != 0,
        )
        for i, person in enumerate(people)
        for j, page in enumerate(modules)
    )
    for person in people[::7]:
        done_sections(user=person, module=modules[1], how_many=2)
    client.force_login(manager)

    with django_assert_max_num_queries(13):
        response = client.get(reverse("my_team_learning"))

    grid = response.context["grid"]
    assert len(grid.rows) == min(size, 100)
    assert grid.people == size
    assert grid.mandatory_total == size * 6
    assert response.content.decode().count("Send reminder<span") == sum(
        r.open > 0 for r in grid.rows
    )


def test_a_big_team_is_shown_a_page_at_a_time_with_figures_for_everyone(db, manager, employee):
    others = [UserFactory(manager=manager, last_name=f"Zz{n}") for n in range(2)]
    page = make_module()
    for person in [employee, *others]:
        make_assignment(user=person, module=page, due_on=days_from_today(-1))

    first = team_grid(manager=manager, per_page=2)
    last = team_grid(manager=manager, per_page=2, page_number="2")

    assert [row.person for row in first.rows] == [employee, others[0]]
    assert [row.person for row in last.rows] == [others[1]]
    assert (last.people, last.overdue_total, last.mandatory_total) == (3, 3, 3)


def test_a_bad_page_number_shows_the_first_page(client, manager, employee):
    client.force_login(manager)
    response = client.get(reverse("my_team_learning"), {"page": "nonsense"})
    assert [row.person for row in response.context["grid"].rows] == [employee]


def test_after_a_reminder_the_manager_is_back_on_the_page_they_were_on(
    client, manager, employee, django_capture_on_commit_callbacks
):
    make_assignment(user=employee, module=make_module())
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("send_team_reminder", args=[employee.pk]), {"indirect": "1", "page": "3"}
        )
    assert response["Location"] == reverse("my_team_learning") + "?indirect=1&page=3"
