"""The CMS: reached only through allauth's login, and where HR keeps people and the org chart."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from lms.models import Department, ManagementLevel, User
from tests.factories import PASSWORD, DepartmentFactory, JobRoleFactory, UserFactory

LOGIN_URL = reverse("account_login")
USERS_URL = reverse("wagtailusers_users:index")
DEPARTMENTS_URL = reverse("wagtailsnippets_lms_department:list")


def edit_person_url(person: User) -> str:
    return reverse("wagtailusers_users:edit", args=[person.pk])


def person_form_data(person: User, **changes) -> dict:
    """What the edit form posts back when nothing is touched, with `changes` on top."""
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "password1": "",
        "password2": "",
        "is_active": "on" if person.is_active else "",
        "employee_id": person.employee_id or "",
        "department": person.department_id or "",
        "job_role": person.job_role_id or "",
        "management_level": person.management_level,
        "manager": person.manager_id or "",
        "groups": [g.pk for g in person.groups.all()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin(db):
    return UserFactory(email="admin@example.com", is_superuser=True, is_staff=True)


def test_an_anonymous_visit_to_the_cms_ends_on_the_allauth_login_page(client, db):
    response = client.get("/cms/", follow=True)

    assert response.redirect_chain[-1] == (f"{LOGIN_URL}?next=/cms/", 302)
    assert response.status_code == 200
    assert "account/login.html" in [t.name for t in response.templates]


def test_the_cms_login_url_hands_over_to_allauth_keeping_where_to_go_next(client, db):
    response = client.get("/cms/login/?next=/cms/pages/")

    assert response["Location"] == f"{LOGIN_URL}?next=/cms/pages/"


def test_posting_credentials_to_the_cms_login_signs_nobody_in(client, hr):
    response = client.post("/cms/login/", {"username": hr.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session
    assert client.get("/cms/")["Location"] == f"{LOGIN_URL}?next=/cms/"


def test_hr_signs_in_through_allauth_and_lands_in_the_cms(client, hr):
    response = client.post(
        f"{LOGIN_URL}?next=/cms/", {"login": hr.email, "password": PASSWORD, "next": "/cms/"}
    )

    assert response["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_an_employee_is_turned_away_from_the_cms_to_the_login_page_without_a_loop(client, employee):
    client.force_login(employee)

    response = client.get("/cms/", follow=True)

    # Wagtail redirects (not 403) to the login page; that page must not bounce back to /cms/.
    assert response.redirect_chain == [(f"{LOGIN_URL}?next=/cms/", 302)]
    page = response.content.decode()
    assert "You do not have permission to access the admin." in page
    assert "You are signed in as employee@example.com" in page
    assert client.get(USERS_URL)["Location"] == f"{LOGIN_URL}?next={USERS_URL}"


def test_hr_sees_people_with_their_department_in_the_user_list(client, hr, employee):
    client.force_login(hr)

    response = client.get(USERS_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert employee.email in page
    assert "Operations" in page


def test_the_user_list_costs_the_same_queries_for_ten_people_as_for_forty(
    client, hr, django_assert_max_num_queries
):
    client.force_login(hr)
    UserFactory.create_batch(10)
    with django_assert_max_num_queries(60) as few:
        client.get(USERS_URL)
    UserFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(USERS_URL)


def test_hr_can_find_a_person_by_employee_id(client, hr, employee, manager):
    client.force_login(hr)

    page = client.get(USERS_URL, {"q": employee.employee_id}).content.decode()

    assert employee.email in page
    assert manager.email not in page


def test_hr_edits_a_persons_place_in_the_organisation(client, hr, employee):
    quality = DepartmentFactory(name="Quality")
    auditor = JobRoleFactory(name="Internal auditor")
    client.force_login(hr)
    form = client.get(edit_person_url(employee)).content.decode()
    for field in ["employee_id", "department", "job_role", "management_level", "manager"]:
        assert f'name="{field}"' in form

    response = client.post(
        edit_person_url(employee),
        person_form_data(
            employee,
            employee_id="E-777",
            department=quality.pk,
            job_role=auditor.pk,
            management_level=ManagementLevel.FRONTLINE,
        ),
    )

    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.employee_id == "E-777"
    assert employee.department == quality
    assert employee.job_role == auditor
    assert employee.management_level == ManagementLevel.FRONTLINE


def test_hr_deactivates_a_leaver(client, hr, employee):
    client.force_login(hr)

    client.post(edit_person_url(employee), person_form_data(employee, is_active=None))

    employee.refresh_from_db()
    assert employee.is_active is False


def test_a_line_manager_loop_is_shown_on_the_form_and_saves_nothing(client, hr, employee, manager):
    client.force_login(hr)

    response = client.post(
        edit_person_url(manager),
        person_form_data(manager, manager=employee.pk, first_name="Changed"),
    )

    assert response.status_code == 200
    assert "would be a loop" in response.content.decode()
    manager.refresh_from_db()
    assert manager.manager is None
    assert manager.first_name != "Changed"


def test_hr_cannot_make_anyone_an_administrator(client, hr, employee):
    client.force_login(hr)
    assert 'name="is_superuser"' not in client.get(edit_person_url(employee)).content.decode()

    client.post(edit_person_url(employee), person_form_data(employee, is_superuser="on"))

    employee.refresh_from_db()
    assert employee.is_superuser is False


def test_hr_cannot_edit_an_administrator(client, hr, admin):
    client.force_login(hr)

    response = client.post(
        edit_person_url(admin), person_form_data(admin, email="taken-over@example.com")
    )

    # Wagtail answers a PermissionDenied with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == "/cms/"
    admin.refresh_from_db()
    assert admin.email == "admin@example.com"


def test_an_administrator_can_make_someone_an_administrator(client, admin, employee):
    client.force_login(admin)

    client.post(edit_person_url(employee), person_form_data(employee, is_superuser="on"))

    employee.refresh_from_db()
    assert employee.is_superuser is True


def test_hr_adds_a_person_with_their_place_in_the_organisation(client, hr, manager, operations):
    client.force_login(hr)
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="employee_id"' in form and 'name="manager"' in form
    assert 'name="is_superuser"' not in form

    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "new.starter@example.com",
            "first_name": "New",
            "last_name": "Starter",
            "password1": "a-much-longer-passphrase-42",
            "password2": "a-much-longer-passphrase-42",
            "employee_id": "E-900",
            "department": operations.pk,
            "management_level": ManagementLevel.STAFF,
            "manager": manager.pk,
        },
    )

    assert response.status_code == 302
    person = User.objects.get(email="new.starter@example.com")
    assert (person.employee_id, person.department, person.manager) == ("E-900", operations, manager)


def test_hr_lists_and_searches_departments(client, hr, operations):
    DepartmentFactory(name="Quality")
    client.force_login(hr)

    listing = client.get(DEPARTMENTS_URL).content.decode()
    found = client.get(DEPARTMENTS_URL, {"q": "oper"}).content.decode()

    assert "Operations" in listing and "Quality" in listing
    assert "Operations" in found and "Quality" not in found


def test_hr_lists_job_roles(client, hr):
    JobRoleFactory(name="Internal auditor")
    client.force_login(hr)

    response = client.get(reverse("wagtailsnippets_lms_jobrole:list"))

    assert response.status_code == 200
    assert "Internal auditor" in response.content.decode()


def test_a_department_cannot_be_placed_under_its_own_sub_department(client, hr, operations):
    site_team = DepartmentFactory(name="Site team", parent=operations)
    client.force_login(hr)

    response = client.post(
        reverse("wagtailsnippets_lms_department:edit", args=[operations.pk]),
        {"name": "Operations", "parent": site_team.pk},
    )

    assert response.status_code == 200
    assert "already sits under Operations" in response.content.decode()
    assert Department.objects.get(pk=operations.pk).parent is None


def test_an_employee_cannot_reach_the_people_snippets(client, employee):
    client.force_login(employee)

    response = client.get(DEPARTMENTS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def bulk_deactivate(client, *people):
    url = reverse("wagtail_bulk_action", args=["lms", "user", "set_active_state"])
    query = "&".join(f"id={p.pk}" for p in people)
    return client.post(f"{url}?{query}", {"mark_as_active": "False"})


def test_hr_cannot_bulk_deactivate_an_administrator(client, hr, admin, employee):
    client.force_login(hr)

    bulk_deactivate(client, admin, employee)

    admin.refresh_from_db()
    employee.refresh_from_db()
    assert admin.is_active is True
    assert employee.is_active is True


def test_hr_can_bulk_deactivate_leavers(client, hr, employee, outsider):
    client.force_login(hr)

    bulk_deactivate(client, employee, outsider)

    assert not User.objects.filter(pk__in=[employee.pk, outsider.pk], is_active=True).exists()
