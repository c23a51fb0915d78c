"""The roster import page in the Wagtail admin, for HR and against everyone else."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.models import Department, Invitation, User
from tests.lms.test_roster_service import as_csv, person

URL = "/cms/roster/import/"


def upload(data: bytes, name: str = "roster.csv", **options) -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **options}


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m).strip()) for m in get_messages(response.wsgi_request)]


def test_the_page_lives_at_its_admin_url():
    assert reverse("lms_roster_import") == URL


def test_hr_sees_the_upload_form(client, hr):
    client.force_login(hr)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'name="deactivate_missing"' in content
    assert 'name="dry_run"' in content


def test_hr_imports_a_roster_and_sees_the_counts(client, hr):
    client.force_login(hr)
    data = as_csv(
        person("E1", management_level="Top management"), person("E2", manager_employee_id="E1")
    )
    response = client.post(URL, upload(data))
    assert response.status_code == 302
    assert response["Location"] == URL
    assert User.objects.get(employee_id="E2").manager.employee_id == "E1"
    (level, text), *others = messages_of(response)
    assert level == "success"
    assert text.startswith("Roster imported: 2 created, 0 updated")
    assert others == []
    assert sorted(message.to[0] for message in mail.outbox) == [
        "e1@example.com",
        "e2@example.com",
    ]


def test_the_counts_are_shown_on_the_page_after_the_redirect(client, hr):
    client.force_login(hr)
    response = client.post(URL, upload(as_csv(person("E1"))), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Roster imported: 1 created" in response.content.decode()


def test_a_superuser_without_the_hr_group_may_import(client, db):
    admin = User.objects.create_superuser("admin@example.com", "x")
    client.force_login(admin)
    client.post(URL, upload(as_csv(person("E1"))))
    assert User.objects.filter(employee_id="E1").exists()


def test_an_unreachable_task_queue_is_explained_and_the_invitations_wait(client, hr, monkeypatch):
    monkeypatch.setattr("lms.tasks.enqueue", lambda task, *args, **kwargs: False)
    client.force_login(hr)
    response = client.post(URL, upload(as_csv(person("E1"))))
    levels = dict(messages_of(response))
    assert "1 created" in levels["success"]
    assert levels["warning"] == (
        "The invitation e-mails could not be queued just now; they will go out automatically "
        "when the task queue is back."
    )
    assert Invitation.objects.filter(user__employee_id="E1", sent_at=None).exists()
    assert mail.outbox == []


def test_a_bad_file_shows_every_problem_and_creates_nothing(client, hr):
    client.force_login(hr)
    departments = Department.objects.count()
    data = as_csv(person("E1", department="New"), person("E2", management_level="boss"))
    response = client.post(URL, upload(data, name="march.csv"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Problems in march.csv" in content
    assert "Line 3, column management_level: &#x27;boss&#x27; is not a management level" in content
    assert ("error", "Nothing was imported: 1 problem in march.csv.") in messages_of(response)
    assert not User.objects.filter(employee_id__in=["E1", "E2"]).exists()
    assert Department.objects.count() == departments


def test_a_file_that_is_not_csv_is_explained(client, hr):
    client.force_login(hr)
    response = client.post(URL, upload(b"\xff\xfe\x00binary", name="roster.xlsx"))
    assert response.status_code == 200
    assert "the file is not UTF-8 text" in response.content.decode()


def test_only_the_first_200_problems_are_listed_and_the_rest_counted(client, hr):
    client.force_login(hr)
    data = as_csv(*[person(f"E{n}", management_level="boss") for n in range(250)])
    response = client.post(URL, upload(data))
    content = response.content.decode()
    assert content.count("is not a management level") == 200
    assert "and 50 more" in content
    assert not User.objects.filter(employee_id="E0").exists()


def test_a_dry_run_creates_nothing_and_reports_what_would_happen(client, hr):
    client.force_login(hr)
    users = User.objects.count()
    response = client.post(URL, upload(as_csv(person("E1"), person("E2")), dry_run="on"))
    assert response.status_code == 302
    (level, text), *_ = messages_of(response)
    assert level == "success"
    assert text.startswith("Dry run, nothing was changed.")
    assert "2 created" in text
    assert User.objects.count() == users
    assert not Invitation.objects.exists()


def test_deactivate_missing_from_the_page_keeps_the_records(client, hr, employee, manager):
    client.force_login(hr)
    data = as_csv(person(manager.employee_id, email=manager.email, management_level="middle"))
    client.post(URL, upload(data, deactivate_missing="on"))
    employee.refresh_from_db()
    assert not employee.is_active
    assert User.objects.filter(pk=employee.pk).exists()


def test_a_file_too_large_is_refused_before_it_is_read(client, hr, monkeypatch):
    monkeypatch.setattr("lms.views.roster.MAX_UPLOAD_BYTES", 100)
    client.force_login(hr)
    response = client.post(URL, upload(as_csv(person("E1"), person("E2"))))
    assert response.status_code == 200
    assert "is larger than" in response.content.decode()
    assert not User.objects.filter(employee_id="E1").exists()


def test_a_post_without_a_file_is_refused(client, hr):
    client.force_login(hr)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_communications_with_admin_access_but_not_hr_get_403(client, comms):
    client.force_login(comms)
    assert client.get(URL).status_code == 403
    assert client.post(URL, upload(as_csv(person("E1")))).status_code == 403
    assert not User.objects.filter(employee_id="E1").exists()


@pytest.mark.parametrize("persona", ["employee", "manager", "outsider"])
def test_people_without_admin_access_are_sent_away_and_import_nothing(client, personas, persona):
    client.force_login(personas[persona])
    # Wagtail's own admin gate answers first: back to the login page, with a message.
    response = client.post(URL, upload(as_csv(person("E1"))))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(URL).status_code == 302
    assert not User.objects.filter(employee_id="E1").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(URL, upload(as_csv(person("E1")))).status_code == 302
    assert not User.objects.filter(employee_id="E1").exists()
