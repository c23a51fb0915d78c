"""The roster import service: the whole file is checked first, then applied in bulk."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.demo import demo_roster
from lms.models import Department, Invitation, JobRole, ManagementLevel, User
from lms.services.roster import (
    LINE_KEY,
    ROSTER_COLUMNS,
    RosterInvalid,
    RosterProblem,
    import_roster,
    read_roster_csv,
)
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory


def person(employee_id="E1", **values) -> dict[str, str]:
    row = {
        "employee_id": employee_id,
        "email": f"{employee_id.lower()}@example.com",
        "first_name": "Ada",
        "last_name": f"Person {employee_id}",
        "department": "Operations",
        "job_role": "Machine Operator",
        "management_level": "staff",
        "manager_employee_id": "",
    }
    return row | values


def as_csv(*people: dict[str, str], columns=ROSTER_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in people:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def problems_of(*people: dict[str, str], **options) -> list[str]:
    with pytest.raises(RosterInvalid) as raised:
        import_roster(rows=read_roster_csv(data=as_csv(*people)), **options)
    return [str(problem) for problem in raised.value.problems]


def problems_reading(data: bytes) -> list[str]:
    with pytest.raises(RosterInvalid) as raised:
        read_roster_csv(data=data)
    return [str(problem) for problem in raised.value.problems]


def team(size: int, prefix: str = "T") -> list[dict[str, str]]:
    """A manager and `size - 1` reports, the manager listed last so it is created in the same
    import as its reports."""
    boss = f"{prefix}0"
    reports = [
        person(
            f"{prefix}{n}",
            manager_employee_id=boss,
            department=f"{prefix} dept {n % 3}",
            job_role=f"{prefix} role",
        )
        for n in range(1, size)
    ]
    return [*reports, person(boss, management_level="middle", job_role=f"{prefix} lead")]


# --- A valid file


def test_a_valid_file_creates_people_with_departments_roles_and_unusable_passwords(db):
    result = import_roster(
        rows=read_roster_csv(
            data=as_csv(
                person("E1", management_level="middle", department="Quality"),
                person("E2", manager_employee_id="E1", department="Quality", job_role=""),
            )
        )
    )
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert (result.departments_created, result.job_roles_created) == (1, 1)
    boss, report = User.objects.get(employee_id="E1"), User.objects.get(employee_id="E2")
    assert boss.management_level == ManagementLevel.MIDDLE
    assert report.manager == boss
    assert report.department.name == "Quality"
    assert report.job_role is None
    assert not report.has_usable_password()
    assert report.is_active


def test_a_new_manager_listed_after_their_reports_is_set_as_their_manager(db):
    import_roster(rows=team(4))
    boss = User.objects.get(employee_id="T0")
    assert set(boss.reports.values_list("employee_id", flat=True)) == {"T1", "T2", "T3"}


def test_values_are_stripped_and_emails_lower_cased(db):
    import_roster(
        rows=[
            person(
                " E1 ", email="  Ada.Person@Example.COM ", first_name=" Ada ", department=" Ops "
            )
        ]
    )
    ada = User.objects.get(employee_id="E1")
    assert (ada.email, ada.first_name, ada.department.name) == (
        "ada.person@example.com",
        "Ada",
        "Ops",
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("TOP", ManagementLevel.TOP),
        ("Top management", ManagementLevel.TOP),
        ("MIDDLE MANAGEMENT", ManagementLevel.MIDDLE),
        ("frontline management", ManagementLevel.FRONTLINE),
        ("Frontline", ManagementLevel.FRONTLINE),
        ("sTaFf", ManagementLevel.STAFF),
    ],
)
def test_management_levels_are_accepted_as_codes_or_full_labels_in_any_case(db, written, stored):
    import_roster(rows=[person("E1", management_level=written)])
    assert User.objects.get(employee_id="E1").management_level == stored


def test_departments_and_job_roles_match_existing_names_whatever_their_case(db):
    quality = DepartmentFactory(name="Quality")
    inspector = JobRoleFactory(name="Inspector")
    result = import_roster(rows=[person("E1", department="QUALITY", job_role="inspector")])
    ada = User.objects.get(employee_id="E1")
    assert (ada.department, ada.job_role) == (quality, inspector)
    assert (result.departments_created, result.job_roles_created) == (0, 0)


def test_plain_dicts_without_line_numbers_are_numbered_from_line_two(db):
    with pytest.raises(RosterInvalid) as raised:
        import_roster(rows=[person("E1"), person("E2", management_level="boss")])
    assert raised.value.problems == [
        RosterProblem(
            3,
            "management_level",
            "'boss' is not a management level; use top, middle, frontline or staff.",
        )
    ]


def test_the_demo_roster_imports_and_a_second_run_changes_nothing(db):
    first = import_roster(rows=demo_roster(), invite_new_people=False)
    second = import_roster(rows=demo_roster(), invite_new_people=False)
    assert first.created == len(demo_roster()) > 0
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(demo_roster()))
    assert not Invitation.objects.exists()


# --- Reading the file


def test_read_rows_carry_their_line_in_the_file(db):
    data = b"\n" + as_csv(person("E1"), person("E2")) + b"\n\n"
    rows = read_roster_csv(data=data)
    assert [(row["employee_id"], row[LINE_KEY]) for row in rows] == [("E1", "3"), ("E2", "4")]


def test_a_quoted_value_spanning_lines_keeps_later_line_numbers_true(db):
    data = as_csv(person("E1", last_name="Two\nLines"), person("E2"))
    rows = read_roster_csv(data=data)
    assert [row[LINE_KEY] for row in rows] == ["2", "4"]


def test_a_file_that_is_not_utf8_is_refused_with_the_line(db):
    data = as_csv(person("E1"), person("E2", last_name="Müller")).replace(
        "Müller".encode(), "Müller".encode("latin-1")
    )
    assert problems_reading(data) == [
        "Line 3: the file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."
    ]


def test_a_binary_file_is_refused_as_not_csv():
    assert problems_reading(b"PK\x03\x04\x00\x00binary")[0].startswith("This is not a CSV file")


def test_broken_quoting_is_refused_as_not_csv_with_the_line():
    data = as_csv(person("E1")) + b'E2,"e2@example.com"x,A,B,,,staff,\n'
    assert problems_reading(data)[0].startswith("Line 3: this is not a CSV file")


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    assert problems_reading(data) == ["The file is empty."]


def test_a_header_without_people_is_refused():
    assert problems_reading(as_csv()) == ["Line 1: the file has a header but no people."]


def test_missing_columns_are_named():
    columns = [c for c in ROSTER_COLUMNS if c not in ("department", "job_role")]
    problems = problems_reading(as_csv(person("E1"), columns=columns))
    assert len(problems) == 1
    assert problems[0].startswith("Line 1: the header lacks the columns department, job_role;")


def test_a_row_with_more_values_than_columns_is_refused():
    data = as_csv(person("E1")) + b"E2,e2@example.com,Ann,Lee,Ops,Role,staff,,extra\n"
    assert problems_reading(data) == [
        "Line 3: this row has 9 values but the header names 8 columns; "
        "a value with a comma in it needs quotes."
    ]


def test_header_names_are_matched_whatever_their_case_order_or_byte_order_mark(db):
    header, body = as_csv(person("E1"), columns=tuple(reversed(ROSTER_COLUMNS))).split(b"\n", 1)
    data = b"\xef\xbb\xbf" + b" , ".join(name.upper() for name in header.split(b",")) + b"\n" + body
    rows = read_roster_csv(data=data)
    assert (rows[0]["employee_id"], rows[0]["email"]) == ("E1", "e1@example.com")


def test_a_semicolon_separated_file_is_read(db):
    data = as_csv(person("E1")).replace(b",", b";")
    assert read_roster_csv(data=data)[0]["email"] == "e1@example.com"


def test_more_rows_than_the_setting_allows_are_refused(db, settings):
    settings.LMS_ROSTER_MAX_ROWS = 2
    data = as_csv(person("E1"), person("E2"), person("E3"))
    assert "more than 2 people" in problems_reading(data)[0]
    with pytest.raises(RosterInvalid, match="problem"):
        import_roster(rows=[person("E1"), person("E2"), person("E3")])
    assert not User.objects.exists()


# --- Validation: each problem is named, and nothing is applied


def test_a_bad_row_applies_nothing_and_names_line_and_column(db):
    UserFactory(employee_id="E9", email="e9@example.com")
    before = (User.objects.count(), Department.objects.count(), JobRole.objects.count())
    problems = problems_of(
        person("E1", department="New department"),
        person("E9", last_name="Renamed"),
        person("E5", management_level="boss", job_role="New role"),
        deactivate_missing=True,
    )
    assert problems == [
        "Line 4, column management_level: 'boss' is not a management level; "
        "use top, middle, frontline or staff."
    ]
    assert (User.objects.count(), Department.objects.count(), JobRole.objects.count()) == before
    assert User.objects.get(employee_id="E9").last_name != "Renamed"
    assert not Invitation.objects.exists()


def test_every_bad_row_is_reported_not_only_the_first(db):
    problems = problems_of(
        person("E1", email="not-an-address"),
        person("E2"),
        person("E3", management_level="chief"),
        person("E4", manager_employee_id="E404"),
    )
    assert [problem.split(":")[0] for problem in problems] == [
        "Line 2, column email",
        "Line 4, column management_level",
        "Line 5, column manager_employee_id",
    ]


@pytest.mark.parametrize(
    ("column", "needed"),
    [
        ("employee_id", "an employee id"),
        ("email", "an e-mail address"),
        ("first_name", "a first name"),
        ("last_name", "a last name"),
        ("management_level", "a management level"),
    ],
)
def test_a_missing_required_value_is_named(db, column, needed):
    problems = problems_of(person("E1"), person("E2") | {column: "  "})
    assert f"Line 3, column {column}: this is empty; every person needs {needed}." in problems


def test_blank_department_and_job_role_are_allowed(db):
    import_roster(rows=[person("E1", department="", job_role="")])
    assert User.objects.filter(employee_id="E1", department=None, job_role=None).exists()


def test_a_value_longer_than_the_field_is_refused(db):
    problems = problems_of(person("E1", department="D" * 121))
    assert problems == [
        f"Line 2, column department: '{'D' * 30}…' is longer than the 120 characters allowed."
    ]


def test_an_invalid_email_is_refused(db):
    assert problems_of(person("E1", email="ada@@example")) == [
        "Line 2, column email: 'ada@@example' is not a valid e-mail address."
    ]


def test_a_repeated_employee_id_is_refused_on_its_later_line(db):
    problems = problems_of(person("E1"), person("E2"), person("E1", email="other@example.com"))
    assert problems == [
        "Line 4, column employee_id: E1 is also on line 2; each person must appear once."
    ]


def test_a_repeated_email_is_refused_whatever_its_case(db):
    problems = problems_of(
        person("E1", email="Ada@Example.com"), person("E2", email="ada@example.COM")
    )
    assert problems == [
        "Line 3, column email: ada@example.com is also on line 2; "
        "each person needs their own address."
    ]


def test_an_email_of_another_person_in_the_system_is_refused(db):
    UserFactory(employee_id="E9", email="taken@example.com")
    UserFactory(employee_id=None, email="admin@example.com")
    problems = problems_of(
        person("E1", email="TAKEN@example.com"), person("E2", email="admin@example.com")
    )
    assert problems == [
        "Line 2, column email: taken@example.com already belongs to employee E9, who is not in "
        "this file; each person needs their own address.",
        "Line 3, column email: admin@example.com already belongs to an account outside the "
        "roster (it has no employee id); each person needs their own address.",
    ]


def test_an_email_freed_by_its_holder_in_the_same_file_can_be_taken(db):
    UserFactory(employee_id="E9", email="shared@example.com")
    import_roster(
        rows=[person("E9", email="e9.new@example.com"), person("E1", email="shared@example.com")]
    )
    assert User.objects.get(employee_id="E1").email == "shared@example.com"
    assert User.objects.get(employee_id="E9").email == "e9.new@example.com"


def test_two_people_can_swap_addresses_in_one_import(db):
    UserFactory(employee_id="A", email="a@example.com")
    UserFactory(employee_id="B", email="b@example.com")
    result = import_roster(
        rows=[person("A", email="b@example.com"), person("B", email="a@example.com")]
    )
    assert result.updated == 2
    assert dict(User.objects.values_list("employee_id", "email")) == {
        "A": "b@example.com",
        "B": "a@example.com",
    }


def test_a_manager_nobody_has_is_refused(db):
    assert problems_of(person("E1", manager_employee_id="E404")) == [
        "Line 2, column manager_employee_id: nobody in the file or the system has the employee "
        "id E404."
    ]


def test_a_manager_already_in_the_system_but_not_in_the_file_is_accepted(manager):
    import_roster(rows=[person("E1", manager_employee_id=manager.employee_id)])
    assert User.objects.get(employee_id="E1").manager == manager


def test_a_person_cannot_be_their_own_manager(db):
    assert problems_of(person("E1", manager_employee_id="E1")) == [
        "Line 2, column manager_employee_id: E1 cannot be their own manager."
    ]


def test_a_manager_that_deactivate_missing_would_deactivate_is_refused(manager):
    problems = problems_of(
        person("E1", manager_employee_id=manager.employee_id), deactivate_missing=True
    )
    assert problems == [
        f"Line 2, column manager_employee_id: {manager.employee_id} is not in the file, so this "
        "import would deactivate them; add them to the file or name another manager."
    ]


def test_a_manager_cycle_within_the_file_names_the_chain(db):
    problems = problems_of(
        person("E1"),
        person("E7", manager_employee_id="E9"),
        person("E8", manager_employee_id="E7"),
        person("E9", manager_employee_id="E7"),
    )
    assert problems == [
        "Line 3, column manager_employee_id: E7 → E9 → E7 would be a reporting loop "
        "(lines 3, 5); someone in it must report to a person outside it."
    ]


def test_a_manager_cycle_through_a_person_already_in_the_system_names_the_chain(db):
    top = UserFactory(employee_id="E1")
    middle = UserFactory(employee_id="E2", manager=top)
    UserFactory(employee_id="E3", manager=middle)
    # E1 now reports to E3, who (not in the file) reports to E2, who reports to E1.
    problems = problems_of(
        person("E1", manager_employee_id="E3"), person("E2", manager_employee_id="E1")
    )
    assert problems == [
        "Line 2, column manager_employee_id: E1 → E3 → E2 → E1 would be a reporting loop "
        "(lines 2, 3); someone in it must report to a person outside it."
    ]


def test_a_manager_cycle_through_an_account_without_employee_id_is_caught(db):
    lead = UserFactory(employee_id="E1")
    admin = UserFactory(employee_id=None, email="admin@example.com", manager=lead)
    UserFactory(employee_id="E2", manager=admin)
    problems = problems_of(person("E1", manager_employee_id="E2"))
    assert problems == [
        "Line 2, column manager_employee_id: E1 → E2 → admin@example.com → E1 would be a "
        "reporting loop (line 2); someone in it must report to a person outside it."
    ]


def test_moving_a_manager_under_a_former_report_is_fine_once_the_report_moves_too(db):
    top = UserFactory(employee_id="E1")
    UserFactory(employee_id="E2", manager=top)
    import_roster(rows=[person("E2"), person("E1", manager_employee_id="E2")])
    assert User.objects.get(employee_id="E1").manager.employee_id == "E2"
    assert User.objects.get(employee_id="E2").manager is None


# --- Applying: updates, re-imports, deactivation, invitations


def test_reimporting_the_same_file_changes_nothing_and_writes_nothing(db):
    rows = read_roster_csv(data=as_csv(*team(5)))
    import_roster(rows=rows)
    with CaptureQueriesContext(connection) as queries:
        result = import_roster(rows=rows, deactivate_missing=True)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("UPDATE", "INSERT", "DELETE")]
    assert writes == []
    assert (result.created, result.updated, result.unchanged, result.deactivated) == (0, 0, 5, 0)
    assert Invitation.objects.count() == 5


def test_a_changed_row_updates_the_person(manager):
    ada = UserFactory(employee_id="E1", email="ada@example.com", manager=manager)
    result = import_roster(
        rows=[
            person(
                "E1",
                email="ada.lovelace@example.com",
                last_name="Lovelace",
                department="Research",
                management_level="frontline",
                manager_employee_id="",
            ),
            person(manager.employee_id, email=manager.email, management_level="middle"),
        ]
    )
    ada.refresh_from_db()
    assert (result.updated, result.created, result.departments_created) == (2, 0, 1)
    assert ada.email == "ada.lovelace@example.com"
    assert ada.last_name == "Lovelace"
    assert ada.department.name == "Research"
    assert ada.management_level == ManagementLevel.FRONTLINE
    assert ada.manager is None
    assert ada.has_usable_password()


def test_only_a_new_manager_counts_as_an_update(manager, other_manager):
    ada = UserFactory(employee_id="E1", email="ada@example.com", manager=manager)
    row = person(
        "E1",
        email=ada.email,
        first_name=ada.first_name,
        last_name=ada.last_name,
        department=ada.department.name,
        job_role=ada.job_role.name,
        manager_employee_id=other_manager.employee_id,
    )
    result = import_roster(rows=[row])
    ada.refresh_from_db()
    assert (result.updated, result.unchanged) == (1, 0)
    assert ada.manager == other_manager


def test_deactivate_missing_keeps_records_and_never_touches_people_without_employee_id(
    employee, manager
):
    admin = UserFactory(employee_id=None, email="admin@example.com", is_superuser=True)
    result = import_roster(
        rows=[person("E1", manager_employee_id=manager.employee_id), _same(manager)],
        deactivate_missing=True,
    )
    employee.refresh_from_db()
    admin.refresh_from_db()
    assert result.deactivated == 1
    assert not employee.is_active
    assert employee.manager == manager  # the record stays as it was, only inactive
    assert admin.is_active


def test_without_deactivate_missing_nobody_is_deactivated(employee):
    result = import_roster(rows=[person("E1")])
    employee.refresh_from_db()
    assert result.deactivated == 0
    assert employee.is_active


def test_a_deactivated_person_who_appears_again_is_reactivated(employee):
    employee.is_active = False
    employee.save()
    result = import_roster(rows=[_same(employee)])
    employee.refresh_from_db()
    assert employee.is_active
    assert (result.reactivated, result.updated) == (1, 1)


def test_invitations_are_written_for_new_people_only(employee):
    result = import_roster(rows=[_same(employee), person("E1"), person("E2")])
    invited = set(Invitation.objects.values_list("user__employee_id", flat=True))
    assert invited == {"E1", "E2"}
    assert result.invited == 2
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()


def test_no_invitations_are_written_when_not_asked(db):
    result = import_roster(rows=[person("E1")], invite_new_people=False)
    assert result.invited == 0
    assert not Invitation.objects.exists()


def test_a_dry_run_counts_what_would_happen_and_writes_nothing(employee, manager, outsider):
    before = (User.objects.count(), Department.objects.count(), JobRole.objects.count())
    result = import_roster(
        rows=[
            person("E1", department="New"),
            _same(manager),
            _same(employee, last_name="Changed"),
        ],
        deactivate_missing=True,
        dry_run=True,
    )
    assert result.dry_run
    assert (result.created, result.updated, result.deactivated) == (1, 1, 1)
    assert (result.departments_created, result.invited) == (1, 1)
    assert (User.objects.count(), Department.objects.count(), JobRole.objects.count()) == before
    employee.refresh_from_db()
    assert employee.last_name != "Changed"
    assert not Invitation.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(db, monkeypatch):
    if connection.vendor == "sqlite":
        # Django assumes SQLite's old limit of 999 parameters a query, which splits a bulk insert
        # every 70 people; SQLite since 3.32 takes 32,766, so BATCH_SIZE decides, as on PostgreSQL.
        monkeypatch.setattr(connection.features, "max_query_params", 32_766)

    def queries_for(rows):
        with CaptureQueriesContext(connection) as queries:
            import_roster(rows=rows, deactivate_missing=False)
        return len(queries)

    small, large = team(30, prefix="S"), team(300, prefix="L")
    assert queries_for(small) == queries_for(large)
    # The second round updates every person and changes every manager.
    small_changed = [row | {"last_name": "Changed", "manager_employee_id": ""} for row in small]
    large_changed = [row | {"last_name": "Changed", "manager_employee_id": ""} for row in large]
    assert queries_for(small_changed) == queries_for(large_changed)
    assert User.objects.filter(last_name="Changed", manager=None).count() == 330


def _same(user: User, **changes) -> dict[str, str]:
    """The roster row that leaves `user` exactly as they are."""
    return {
        "employee_id": user.employee_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "department": user.department.name if user.department else "",
        "job_role": user.job_role.name if user.job_role else "",
        "management_level": user.management_level,
        "manager_employee_id": user.manager.employee_id if user.manager else "",
    } | changes
