"""Assignment rules in the CMS: HR keeps them, and saving one assigns its audience."""

import pytest
from django.urls import reverse

from lms.models import Assignment, AssignmentRule, ManagementLevel
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory
from tests.lms.factories_training import make_module, make_rule

LIST_URL = reverse("wagtailsnippets_lms_assignmentrule:list")
ADD_URL = reverse("wagtailsnippets_lms_assignmentrule:add")


def edit_url(rule: AssignmentRule) -> str:
    return reverse("wagtailsnippets_lms_assignmentrule:edit", args=[rule.pk])


def rule_form_data(**values) -> dict:
    data = {
        "name": "Forklift safety for logistics",
        "audience_levels": [],
        "audience_departments": [],
        "audience_job_roles": [],
        "due_in_days": "30",
        "mandatory": "on",
        "recur_every_months": "",
        "is_active": "on",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def module(db):
    return make_module(title="Forklift safety")


def test_hr_sees_each_rule_with_its_module_audience_due_days_and_recurrence(client, hr, module):
    logistics = DepartmentFactory(name="Logistics")
    make_rule(
        name="Drivers",
        module=module,
        audience_levels=[ManagementLevel.STAFF],
        audience_departments=[logistics],
        audience_job_roles=[JobRoleFactory(name="Forklift Driver")],
        due_in_days=14,
        recur_every_months=12,
    )
    client.force_login(hr)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Drivers",
        "Forklift safety",
        "Staff · Logistics · Forklift Driver",
        "14",
        "Every 12 months",
        "Due in (days)",
        "Mandatory",
        "Recurring",
        "Active",
    ):
        assert text in page


def test_a_rule_with_an_empty_audience_is_shown_as_everyone(client, hr, module):
    make_rule(name="All hands", module=module)
    client.force_login(hr)

    assert "Everyone" in client.get(LIST_URL).content.decode()


def test_the_rule_list_costs_the_same_queries_for_two_rules_as_for_twenty(
    client, hr, module, django_assert_max_num_queries
):
    def add_rules(count: int) -> None:
        for _ in range(count):
            make_rule(
                module=make_module(),
                audience_departments=[DepartmentFactory()],
                audience_job_roles=[JobRoleFactory()],
            )

    client.force_login(hr)
    add_rules(2)
    with django_assert_max_num_queries(80) as few:
        assert client.get(LIST_URL).status_code == 200
    add_rules(18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST_URL).status_code == 200


def test_hr_finds_a_rule_by_name(client, hr, module):
    make_rule(name="Forklift refresher", module=module)
    make_rule(name="Data protection basics", module=module)
    client.force_login(hr)

    page = client.get(LIST_URL, {"q": "forklift"}).content.decode()

    assert "Forklift refresher" in page
    assert "Data protection basics" not in page


def test_hr_sees_assignment_rules_in_the_cms_menu(client, hr):
    client.force_login(hr)

    assert LIST_URL in client.get("/cms/").content.decode()


def test_saving_a_new_rule_in_the_cms_assigns_its_audience(
    client, hr, module, django_capture_on_commit_callbacks
):
    logistics = DepartmentFactory(name="Logistics")
    driver = UserFactory(department=logistics)
    UserFactory(department=DepartmentFactory(name="Finance"))
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD_URL, rule_form_data(module=module.pk, audience_departments=[logistics.pk])
        )

    assert response.status_code == 302
    rule = AssignmentRule.objects.get()
    assert list(rule.audience_departments.all()) == [logistics]
    assert list(Assignment.objects.values_list("user_id", "rule_id")) == [(driver.pk, rule.pk)]


def test_narrowing_a_rule_in_the_cms_withdraws_those_left_outside_and_says_why(
    client, hr, module, django_capture_on_commit_callbacks
):
    middle = UserFactory(management_level=ManagementLevel.MIDDLE)
    staff = UserFactory(management_level=ManagementLevel.STAFF)
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD_URL, rule_form_data(name="Leaders", module=module.pk))
    rule = AssignmentRule.objects.get()
    assert Assignment.objects.filter(status="open").count() == 3  # hr too

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(rule),
            rule_form_data(
                name="Leaders", module=module.pk, audience_levels=[ManagementLevel.MIDDLE]
            ),
        )

    assert response.status_code == 302
    assert list(Assignment.objects.filter(status="open").values_list("user_id", flat=True)) == [
        middle.pk
    ]
    assert Assignment.objects.get(user=staff).withdrawn_reason == (
        "No longer in the audience of rule 'Leaders' (now staff)."
    )


def test_an_invalid_rule_is_refused_and_assigns_nobody(
    client, hr, module, django_capture_on_commit_callbacks
):
    UserFactory()
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, rule_form_data(module=module.pk, due_in_days="-3"))

    assert response.status_code == 200
    assert not AssignmentRule.objects.exists()
    assert not Assignment.objects.exists()


def test_people_without_the_rule_permissions_cannot_open_or_add_rules(
    client, employee, comms, module
):
    for person in (employee, comms):
        client.force_login(person)
        assert client.get(LIST_URL).status_code == 302
        client.post(ADD_URL, rule_form_data(module=module.pk))
    assert not AssignmentRule.objects.exists()
