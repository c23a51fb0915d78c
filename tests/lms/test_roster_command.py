"""`manage.py import_roster`: the same import as the admin page, from a file on disk."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from lms.models import Invitation, User
from tests.lms.test_roster_service import as_csv, person


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def roster_file(tmp_path):
    def write(*people) -> str:
        path = tmp_path / "roster.csv"
        path.write_bytes(as_csv(*people))
        return str(path)

    return write


def test_it_imports_the_file_prints_a_summary_and_sends_the_invitations(db, roster_file):
    out, err = run(roster_file(person("E1"), person("E2", manager_employee_id="E1")))
    assert out.strip() == (
        "Roster imported: 2 created, 0 updated (0 reactivated), 0 unchanged, 0 deactivated; "
        "1 department and 1 job role created; 2 invitations to send."
    )
    assert err == ""
    assert User.objects.get(employee_id="E2").manager.employee_id == "E1"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "e1@example.com",
        "e2@example.com",
    ]
    assert not Invitation.objects.filter(sent_at=None).exists()


def test_problems_go_to_stderr_and_nothing_is_imported(db, roster_file):
    path = roster_file(person("E1", email="nope"), person("E2", management_level="boss"))
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_roster", path, stdout=io.StringIO(), stderr=err)
    assert str(raised.value) == f"Nothing was imported: 2 problems in {path}"
    assert err.getvalue().splitlines() == [
        "Line 2, column email: 'nope' is not a valid e-mail address.",
        "Line 3, column management_level: 'boss' is not a management level; "
        "use top, middle, frontline or staff.",
    ]
    assert not User.objects.exists()


def test_a_single_problem_is_counted_in_the_singular(db, roster_file):
    path = roster_file(person("E1", manager_employee_id="E1"))
    with pytest.raises(CommandError, match=r"^Nothing was imported: 1 problem in "):
        run(path)


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(CommandError, match=f"There is no file {missing}"):
        run(str(missing))


def test_dry_run_changes_nothing_and_says_so(db, roster_file):
    out, _ = run(roster_file(person("E1")), "--dry-run")
    assert out.startswith("Dry run, nothing was changed.")
    assert "1 created" in out
    assert not User.objects.exists()
    assert mail.outbox == []


def test_deactivate_missing_deactivates_people_not_in_the_file(employee, manager, roster_file):
    path = roster_file(person(manager.employee_id, email=manager.email, management_level="middle"))
    out, _ = run(path, "--deactivate-missing")
    employee.refresh_from_db()
    assert "1 deactivated" in out
    assert not employee.is_active


def test_no_invite_writes_no_invitations(db, roster_file):
    out, _ = run(roster_file(person("E1")), "--no-invite")
    assert "0 invitations" in out
    assert User.objects.filter(employee_id="E1").exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_unreachable_broker_is_reported_and_the_invitations_wait(db, roster_file, monkeypatch):
    monkeypatch.setattr("lms.tasks.enqueue", lambda task, *args, **kwargs: False)
    out, err = run(roster_file(person("E1")))
    assert "1 created" in out
    assert "could not be queued" in err
    assert Invitation.objects.filter(user__employee_id="E1", sent_at=None).exists()
