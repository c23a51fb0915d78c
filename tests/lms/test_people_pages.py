import pytest
from django.urls import reverse

from lms.models import ManagementLevel
from tests.factories import DepartmentFactory, UserFactory


def test_my_learning_shows_a_person_their_place_in_the_organisation(client, employee):
    client.force_login(employee)
    response = client.get(reverse("my_learning"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Welcome, Team" in page
    assert "Operations" in page
    assert "Line Manager" in page


def test_the_team_page_lists_a_managers_reports_but_not_deactivated_ones(client, manager, employee):
    UserFactory(manager=manager, first_name="Gone", last_name="Leaver", is_active=False)
    client.force_login(manager)
    page = client.get(reverse("my_team_learning")).content.decode()
    assert "Team Member" in page
    assert "Gone Leaver" not in page


def test_navigation_depends_on_who_is_looking(client, employee, manager, hr, comms):
    def nav_of(person):
        client.force_login(person)
        response = client.get(reverse("my_learning"))
        return [label for _key, label, _href in response.context["nav_links"]]

    everyone = [
        "My learning",
        "Competences",
        "Campaigns",
        "Training",
        "Search",
        "Suggest",
        "Recognition",
    ]
    assert nav_of(employee) == everyone
    assert nav_of(manager) == [*everyone, "My team", "Assign training", "Reports"]
    assert nav_of(hr) == [*everyone, "Assign training", "Reports", "HR", "CMS"]
    assert nav_of(comms) == [*everyone, "Campaign reach", "Suggestions", "CMS"]


def test_the_navigation_leads_to_my_learning_and_the_teams_training(client, manager, employee):
    client.force_login(manager)
    links = {
        key: href for key, _label, href in client.get(reverse("my_learning")).context["nav_links"]
    }
    assert links["learning"] == reverse("my_learning")
    assert links["team"] == reverse("my_team_learning")


def test_the_old_team_page_sends_managers_to_their_teams_training(client, manager, employee):
    client.force_login(manager)
    assert client.get(reverse("my_team"))["Location"] == reverse("my_team_learning")


def test_a_manager_can_open_an_indirect_reports_record_but_not_another_teams(
    client, manager, employee, other_manager
):
    indirect = UserFactory(manager=employee)
    client.force_login(manager)
    assert client.get(reverse("person_detail", args=[indirect.pk])).status_code == 200
    stranger = other_manager.reports.get()
    assert client.get(reverse("person_detail", args=[stranger.pk])).status_code == 403


def test_an_unknown_person_is_a_404_not_a_500(client, hr):
    client.force_login(hr)
    assert client.get(reverse("person_detail", args=[999_999])).status_code == 404


@pytest.mark.parametrize("size", [5, 80])
def test_the_hr_people_list_costs_the_same_queries_whatever_the_size(
    client, hr, size, django_assert_max_num_queries
):
    for _ in range(size):
        UserFactory()
    client.force_login(hr)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hr_people"))
    assert response.status_code == 200


def test_hr_filters_people_by_department_level_and_text(client, hr):
    quality = DepartmentFactory(name="Quality")
    wanted = UserFactory(
        department=quality, management_level=ManagementLevel.FRONTLINE, last_name="Findme"
    )
    UserFactory(department=quality, management_level=ManagementLevel.STAFF)
    UserFactory(management_level=ManagementLevel.FRONTLINE, last_name="Findme")
    client.force_login(hr)
    response = client.get(
        reverse("hr_people"),
        {"q": "findme", "department": quality.pk, "management_level": "frontline", "active": "yes"},
    )
    assert list(response.context["page"].object_list) == [wanted]


def test_hr_people_with_a_bad_filter_value_says_so_and_lists_nobody(client, hr):
    client.force_login(hr)
    response = client.get(reverse("hr_people"), {"management_level": "boss"})
    assert response.status_code == 200
    assert response.context["form"].errors["management_level"]
    assert response.context["page"].paginator.count == 0
