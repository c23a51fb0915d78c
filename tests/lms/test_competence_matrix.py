"""The competence matrix: every cell and every total checked against a small organisation worked
out by hand, each filter, who sees whom, the CSV and XLSX exports, bad input, and a query count
that does not grow with the organisation.

The organisation (columns in name order: Calibration, Forklift, Hazard awareness):

    Operations ─ Assembly (sub-department)      Quality
    Ada Adams   Operations  Operator   staff      reports to Mia
    Ben Brown   Assembly    Operator   staff      reports to nobody
    Cara Clark  Quality     Inspector  staff      reports to Dan
    Dan Dunn    Quality     Inspector  frontline  reports to Mia
    Mia Manager Operations  (no role)  frontline  reports to nobody

Requirements: Calibration for Inspectors at L2 (role only); Forklift for staff at L1 (level
only) and for staff Operators at L3 (role and level); Hazard awareness for Operators at L2 (role
only) and for frontline managers at L2 (level only). So:

            Calibration        Forklift              Hazard awareness
    Ada     not req. (L2 held) competent L3          expiring L2 (10 days)
    Ben     not required       below: L1 of L3 (an   missing
                               older L3 superseded)
    Cara    expired            competent L2 (of L1)  not required
    Dan     revoked            not required          competent L3 (45 days)
    Mia     not required       not required          missing

Column totals (required / covered): 2 / 0, 3 / 2, 4 / 2; overall 9 / 4 = 44.4 %.
Departments: Assembly 2 / 0, Operations 3 / 2, Quality 4 / 2.
"""

import csv
import datetime
import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import (
    CompetenceRecord,
    CompetenceRequirement,
    ManagementLevel,
    ProficiencyLevel,
    User,
)
from lms.selectors.matrix import CellStatus, MatrixFilters, competence_matrix
from lms.views.reports import REPORTS
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory
from tests.lms.factories_training import make_clause, make_competence, make_standard

pytestmark = pytest.mark.django_db
S = CellStatus
STAFF, FRONTLINE = ManagementLevel.STAFF, ManagementLevel.FRONTLINE
SOURCE = CompetenceRecord.Source


def matrix_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("report_competence_matrix") + (f"?{query}" if query else "")


def record(person, competence, *, level, days_ago=10, expires_in=None, **fields):
    now = timezone.now()
    return CompetenceRecord.objects.create(
        user=person,
        competence=competence,
        level=level,
        achieved_at=now - datetime.timedelta(days=days_ago),
        recorded_at=now - datetime.timedelta(days=days_ago),
        expires_at=None if expires_in is None else now + datetime.timedelta(days=expires_in),
        source=fields.pop("source", SOURCE.ASSESSMENT),
        **fields,
    )


def require(competence, *, job_role=None, level="", min_level):
    CompetenceRequirement.objects.create(
        competence=competence, job_role=job_role, management_level=level, min_level=min_level
    )


@pytest.fixture
def org(db):
    operations = DepartmentFactory(name="Operations")
    assembly = DepartmentFactory(name="Assembly", parent=operations)
    quality = DepartmentFactory(name="Quality")
    operator = JobRoleFactory(name="Operator")
    inspector = JobRoleFactory(name="Inspector")
    iso9001 = make_standard(name="ISO 9001:2015")
    iso45001 = make_standard(name="ISO 45001:2018")
    competence_clause = make_clause(standard=iso9001, number="7.2", title="Competence")
    awareness_clause = make_clause(standard=iso9001, number="7.3", title="Awareness")
    calibration = make_competence(name="Calibration", standard=iso9001)
    calibration.clauses = [competence_clause]
    calibration.save()
    forklift = make_competence(name="Forklift", standard=iso45001)
    # Part of ISO 9001 only through its clause.
    hazard = make_competence(name="Hazard awareness", standard=iso45001)
    hazard.clauses = [awareness_clause]
    hazard.save()

    require(calibration, job_role=inspector, min_level=2)
    require(forklift, level=STAFF, min_level=1)
    require(forklift, job_role=operator, level=STAFF, min_level=3)
    require(hazard, job_role=operator, min_level=2)
    require(hazard, level=FRONTLINE, min_level=2)

    def person(first, last, department, role, level, manager=None):
        return UserFactory(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.com",
            department=department,
            job_role=role,
            management_level=level,
            manager=manager,
        )

    mia = person("Mia", "Manager", operations, None, FRONTLINE)
    ada = person("Ada", "Adams", operations, operator, STAFF, manager=mia)
    ben = person("Ben", "Brown", assembly, operator, STAFF)
    dan = person("Dan", "Dunn", quality, inspector, FRONTLINE, manager=mia)
    cara = person("Cara", "Clark", quality, inspector, STAFF, manager=dan)
    # HR is not on the roster (no employee id), so is not a row of the matrix.
    hr = UserFactory(email="hr.reports@example.com", employee_id=None, groups=["HR"])

    record(ada, calibration, level=2)
    record(ada, forklift, level=3, expires_in=200)
    record(ada, hazard, level=2, expires_in=10)
    record(ben, forklift, level=3, days_ago=100)
    record(ben, forklift, level=1, days_ago=5)
    record(cara, calibration, level=2, days_ago=400, expires_in=-1)
    record(cara, forklift, level=2)
    awarded = record(dan, calibration, level=2, days_ago=30)
    record(
        dan,
        calibration,
        level=ProficiencyLevel.NOT_YET_COMPETENT,
        days_ago=1,
        kind=CompetenceRecord.Kind.REVOKED,
        source=SOURCE.REVOCATION,
        supersedes=awarded,
        recorded_by=hr,
        reason="Calibrated with an expired reference.",
    )
    record(dan, hazard, level=3, expires_in=45)

    return SimpleNamespace(
        operations=operations,
        assembly=assembly,
        quality=quality,
        operator=operator,
        inspector=inspector,
        iso9001=iso9001,
        iso45001=iso45001,
        clause_7_2=competence_clause,
        ada=ada,
        ben=ben,
        cara=cara,
        dan=dan,
        mia=mia,
        hr=hr,
    )


EXPECTED_CELLS = {
    "Adams": [(S.NOT_REQUIRED, 2), (S.COMPETENT, 3), (S.EXPIRING, 2)],
    "Brown": [(S.NOT_REQUIRED, None), (S.BELOW, 1), (S.MISSING, None)],
    "Clark": [(S.EXPIRED, None), (S.COMPETENT, 2), (S.NOT_REQUIRED, None)],
    "Dunn": [(S.REVOKED, None), (S.NOT_REQUIRED, None), (S.COMPETENT, 3)],
    "Manager": [(S.NOT_REQUIRED, None), (S.NOT_REQUIRED, None), (S.MISSING, None)],
}


def cells_of(matrix):
    return {
        row.person.last_name: [(cell.status, cell.level) for cell in row.cells]
        for row in matrix.rows
    }


def totals_of(matrix):
    return {
        "columns": [
            (column.name, total.required, total.covered, total.percent)
            for column, total in zip(matrix.columns, matrix.column_totals, strict=True)
        ],
        "departments": [
            (d.name, d.people, d.coverage.required, d.coverage.covered, d.coverage.percent)
            for d in matrix.department_totals
        ],
        "overall": (matrix.overall.required, matrix.overall.covered, matrix.overall.percent),
    }


def shown(client, viewer, **params):
    client.force_login(viewer)
    response = client.get(matrix_url(**params))
    assert response.status_code == 200
    return response.context["matrix"]


# --- Every cell and every total


def test_every_cell_gives_the_status_and_the_level_held(client, org):
    matrix = shown(client, org.hr)

    assert [column.name for column in matrix.columns] == [
        "Calibration",
        "Forklift",
        "Hazard awareness",
    ]
    assert cells_of(matrix) == EXPECTED_CELLS
    assert list(cells_of(matrix)) == ["Adams", "Brown", "Clark", "Dunn", "Manager"]


def test_required_levels_combine_role_only_level_only_and_both(client, org):
    rows = {row.person.last_name: row for row in shown(client, org.hr).rows}

    assert [cell.required_level for cell in rows["Adams"].cells] == [None, 3, 2]
    assert [cell.required_level for cell in rows["Clark"].cells] == [2, 1, None]
    assert [cell.required_level for cell in rows["Dunn"].cells] == [2, None, 2]
    assert [cell.required_level for cell in rows["Manager"].cells] == [None, None, 2]


def test_column_department_and_overall_totals_count_required_and_covered_cells(client, org):
    assert totals_of(shown(client, org.hr)) == {
        "columns": [
            ("Calibration", 2, 0, 0.0),
            ("Forklift", 3, 2, 66.7),
            ("Hazard awareness", 4, 2, 50.0),
        ],
        "departments": [
            ("Assembly", 1, 2, 0, 0.0),
            ("Operations", 2, 3, 2, 66.7),
            ("Quality", 2, 4, 2, 50.0),
        ],
        "overall": (9, 4, 44.4),
    }


def test_the_page_says_each_status_in_words_with_the_level_and_a_legend(client, org):
    client.force_login(org.hr)
    page = client.get(matrix_url()).content.decode()

    assert _cell_texts(page, "Ada Adams") == [
        "—Not required L2",
        "Competent L3",
        f"Expiring L2 until {_in_days(10):%-d %b %Y}",
    ]
    assert _cell_texts(page, "Ben Brown") == ["—Not required", "Below L1 needs L3", "Missing"]
    assert _cell_texts(page, "Cara Clark") == ["Expired", "Competent L2", "—Not required"]
    assert _cell_texts(page, "Dan Dunn") == ["Revoked", "—Not required", "Competent L3"]
    assert f'href="{reverse("person_competences", args=[org.ada.pk])}"' in page
    assert "Legend" in page and "expires within 30 days" in page
    assert 'tabindex="0" role="region" aria-label="Competence matrix' in page
    assert _footer_row(page, "Coverage") == ["0.0%", "66.7%", "50.0%"]
    assert _footer_row(page, "Covered") == ["0", "2", "2"]


def _in_days(days):
    return timezone.localtime(timezone.now() + datetime.timedelta(days=days))


def _strip(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def _cell_texts(page, name):
    row = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{name}</a>.*?</tr>", page, re.S)
    return [_strip(cell) for cell in re.findall(r'<td class="matrix-cell[^"]*">(.*?)</td>', row[0])]


def _footer_row(page, heading):
    row = re.search(rf"<th scope=\"row\" colspan=\"4\">{heading}[^<]*</th>(.*?)</tr>", page, re.S)
    return [_strip(cell) for cell in re.findall(r"<td>(.*?)</td>", row[1])]


# --- Filters


FILTERS = {
    "nothing": (lambda o: {}, ["Adams", "Brown", "Clark", "Dunn", "Manager"], "CFH"),
    "department with its sub-department": (
        lambda o: {"department": o.operations.pk},
        ["Adams", "Brown", "Manager"],
        "CFH",
    ),
    "sub-department alone": (lambda o: {"department": o.assembly.pk}, ["Brown"], "CFH"),
    "job role": (lambda o: {"job_role": o.inspector.pk}, ["Clark", "Dunn"], "CFH"),
    "management level": (lambda o: {"management_level": FRONTLINE}, ["Dunn", "Manager"], "CFH"),
    "standard, directly or through a clause": (
        lambda o: {"standard": o.iso9001.pk},
        ["Adams", "Brown", "Clark", "Dunn", "Manager"],
        "CH",
    ),
    "another standard": (
        lambda o: {"standard": o.iso45001.pk},
        ["Adams", "Brown", "Clark", "Dunn", "Manager"],
        "FH",
    ),
    "clause": (
        lambda o: {"clause": o.clause_7_2.pk},
        ["Adams", "Brown", "Clark", "Dunn", "Manager"],
        "C",
    ),
    "status missing": (lambda o: {"status": S.MISSING}, ["Brown", "Manager"], "CFH"),
    "status expired": (lambda o: {"status": S.EXPIRED}, ["Clark"], "CFH"),
    "status revoked": (lambda o: {"status": S.REVOKED}, ["Dunn"], "CFH"),
    "status below": (lambda o: {"status": S.BELOW}, ["Brown"], "CFH"),
    "status expiring": (lambda o: {"status": S.EXPIRING}, ["Adams"], "CFH"),
    "status expiring within 60 days": (
        lambda o: {"status": S.EXPIRING, "within": 60},
        ["Adams", "Dunn"],
        "CFH",
    ),
    "status expiring within 5 days": (
        lambda o: {"status": S.EXPIRING, "within": 5},
        [],
        "CFH",
    ),
    "status among the columns of a clause only": (
        lambda o: {"status": S.MISSING, "clause": o.clause_7_2.pk},
        [],
        "C",
    ),
}
COLUMN_NAMES = {"C": "Calibration", "F": "Forklift", "H": "Hazard awareness"}


@pytest.mark.parametrize(("params", "people", "columns"), FILTERS.values(), ids=FILTERS.keys())
def test_each_filter_changes_the_rows_or_columns(client, org, params, people, columns):
    matrix = shown(client, org.hr, **params(org))

    assert [row.person.last_name for row in matrix.rows] == people
    assert matrix.row_count == len(people)
    assert [column.name for column in matrix.columns] == [COLUMN_NAMES[c] for c in columns]


def test_totals_follow_the_filters(client, org):
    assert totals_of(shown(client, org.hr, department=org.operations.pk)) == {
        "columns": [
            ("Calibration", 0, 0, None),
            ("Forklift", 2, 1, 50.0),
            ("Hazard awareness", 3, 1, 33.3),
        ],
        "departments": [("Assembly", 1, 2, 0, 0.0), ("Operations", 2, 3, 2, 66.7)],
        "overall": (5, 2, 40.0),
    }
    assert totals_of(shown(client, org.hr, standard=org.iso9001.pk))["overall"] == (6, 2, 33.3)


def test_a_shorter_expiry_window_turns_expiring_into_competent_without_changing_coverage(
    client, org
):
    matrix = shown(client, org.hr, within=5)

    assert cells_of(matrix)["Adams"] == [(S.NOT_REQUIRED, 2), (S.COMPETENT, 3), (S.COMPETENT, 2)]
    assert totals_of(matrix)["overall"] == (9, 4, 44.4)


def test_a_longer_expiry_window_turns_competent_into_expiring(client, org):
    assert cells_of(shown(client, org.hr, within=60))["Dunn"][2] == (S.EXPIRING, 3)


# --- Who sees whom


def test_a_manager_sees_only_the_people_below_them_direct_and_indirect(client, org):
    matrix = shown(client, org.mia)

    assert cells_of(matrix) == {name: EXPECTED_CELLS[name] for name in ["Adams", "Clark", "Dunn"]}
    assert totals_of(matrix) == {
        "columns": [
            ("Calibration", 2, 0, 0.0),
            ("Forklift", 2, 2, 100.0),
            ("Hazard awareness", 2, 2, 100.0),
        ],
        "departments": [("Operations", 1, 2, 2, 100.0), ("Quality", 2, 4, 2, 50.0)],
        "overall": (6, 4, 66.7),
    }


def test_a_manager_lower_down_sees_only_their_own_team(client, org):
    assert list(cells_of(shown(client, org.dan))) == ["Clark"]


def test_a_department_filter_never_widens_a_managers_scope(client, org):
    assert list(cells_of(shown(client, org.mia, department=org.operations.pk))) == ["Adams"]


def test_a_managers_export_holds_only_their_team(client, org):
    client.force_login(org.mia)
    header, rows = _csv(client.get(matrix_url(export="csv")))

    assert [row[1] for row in rows] == ["Ada Adams", "Cara Clark", "Dan Dunn"]


@pytest.mark.parametrize("params", [{}, {"export": "csv"}, {"export": "xlsx"}])
def test_someone_who_is_neither_hr_nor_a_manager_gets_403(client, org, params):
    client.force_login(org.ben)
    assert client.get(matrix_url(**params)).status_code == 403
    assert client.get(reverse("reports_index")).status_code == 403


# --- Exports


def _csv(response):
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    return header, rows


def _xlsx(response):
    assert response.status_code == 200
    assert response.streaming
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, *rows = [
        ["" if value is None else value for value in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]
    return header, rows


PERSON_COLUMNS = ["Employee id", "Name", "E-mail", "Department", "Job role", "Management level"]


def test_the_csv_holds_exactly_the_rows_on_the_page_under_the_same_filters(client, org):
    client.force_login(org.hr)
    params = {"department": org.operations.pk, "standard": org.iso45001.pk}
    page = client.get(matrix_url(**params)).context["matrix"]

    response = client.get(matrix_url(**params, export="csv"))
    header, rows = _csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="competence-matrix-')
    assert header == [*PERSON_COLUMNS, "Forklift", "Hazard awareness"]
    assert rows == [
        [
            row.person.employee_id,
            row.person.name,
            row.person.email,
            row.department,
            row.job_role,
            row.management_level,
            *(cell.text for cell in row.cells),
        ]
        for row in page.rows
    ]
    ada = [org.ada.employee_id, "Ada Adams", "ada@example.com", "Operations", "Operator"]
    ben = [org.ben.employee_id, "Ben Brown", "ben@example.com", "Assembly", "Operator"]
    mia = [org.mia.employee_id, "Mia Manager", "mia@example.com", "Operations", ""]
    assert rows == [
        [*ada, "Staff", "Competent (level 3)", "Expiring (level 2)"],
        [*ben, "Staff", "Below required level", "Missing"],
        [*mia, "Frontline management", "Not required", "Missing"],
    ]


def test_the_xlsx_holds_the_same_cells_as_the_csv(client, org):
    client.force_login(org.hr)
    params = {"status": S.MISSING}

    csv_header, csv_rows = _csv(client.get(matrix_url(**params, export="csv")))
    response = client.get(matrix_url(**params, export="xlsx"))
    xlsx_header, xlsx_rows = _xlsx(response)

    assert response["Content-Disposition"].endswith('.xlsx"')
    assert (xlsx_header, xlsx_rows) == (csv_header, csv_rows)
    assert [row[1] for row in xlsx_rows] == ["Ben Brown", "Mia Manager"]


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, org):
    org.ada.first_name = '=HYPERLINK("http://evil.example","Click")'
    org.ada.save()
    client.force_login(org.hr)
    name = '\'=HYPERLINK("http://evil.example","Click") Adams'

    _, csv_rows = _csv(client.get(matrix_url(export="csv")))
    _, xlsx_rows = _xlsx(client.get(matrix_url(export="xlsx")))

    assert csv_rows[0][1] == name
    assert xlsx_rows[0][1] == name


def test_export_links_keep_the_filters_and_page_links_keep_them_too(client, org):
    _more_staff(org, 52)
    client.force_login(org.hr)

    response = client.get(matrix_url(department=org.quality.pk, within=10))
    matrix = response.context["matrix"]

    assert (matrix.row_count, len(matrix.rows), matrix.page_count) == (54, 50, 2)
    assert dict(response.context["export_links"]) == {
        "CSV": f"?department={org.quality.pk}&within=10&export=csv",
        "XLSX": f"?department={org.quality.pk}&within=10&export=xlsx",
    }
    assert response.context["previous_page"] is None
    next_page = response.context["next_page"]
    assert next_page == f"?department={org.quality.pk}&within=10&page=2"

    second = client.get(reverse("report_competence_matrix") + next_page)
    assert len(second.context["matrix"].rows) == 4
    assert second.context["matrix"].row_count == 54
    assert second.context["previous_page"] == f"?department={org.quality.pk}&within=10&page=1"
    # An export from page 2 still holds every filtered row, not the page.
    export = second.context["export_links"][0][1]
    assert "page" not in export
    _, rows = _csv(client.get(reverse("report_competence_matrix") + export))
    assert len(rows) == 54


def test_a_page_past_the_end_shows_the_last_page(client, org):
    _more_staff(org, 52)
    matrix = shown(client, org.hr, page=9)

    assert (matrix.page_number, len(matrix.rows)) == (2, 7)


def _more_staff(org, how_many):
    """`how_many` more Inspectors in Quality, with nothing recorded."""
    User.objects.bulk_create(
        User(
            email=f"inspector{n}@example.com",
            employee_id=f"Q{n:04d}",
            first_name="Inspector",
            last_name=f"Quality{n:04d}",
            department=org.quality,
            job_role=org.inspector,
            management_level=STAFF,
        )
        for n in range(how_many)
    )


# --- Bad input


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"department": 999999}, "Select a valid choice"),
        ({"status": "splendid"}, "Select a valid choice"),
        ({"within": -1}, "greater than or equal to 0"),
        ({"within": "soon"}, "Enter a whole number"),
        ({"export": "pdf"}, "Unknown export format “pdf”: choose CSV or XLSX."),
        ({"export": "pdf", "department": 999999}, "Unknown export format"),
    ],
)
def test_bad_input_is_a_400_with_the_reason_and_no_matrix(client, org, params, message):
    client.force_login(org.hr)

    response = client.get(matrix_url(**params))

    assert response.status_code == 400
    assert not response.streaming
    assert response.context["matrix"] is None
    page = response.content.decode()
    assert message in page
    assert "Nothing is shown" in page
    assert "<table" not in page


def test_a_clause_of_another_standard_is_a_400(client, org):
    client.force_login(org.hr)

    response = client.get(matrix_url(standard=org.iso45001.pk, clause=org.clause_7_2.pk))

    assert response.status_code == 400
    assert "is not part of ISO 45001:2018" in response.content.decode()


def test_a_bad_filter_on_an_export_is_a_400_not_a_download(client, org):
    client.force_login(org.hr)

    response = client.get(matrix_url(export="csv", within=-3))

    assert response.status_code == 400
    assert not response.streaming


# --- Queries


def _organisation_of(size):
    """`size` people in one department, each needing three competences and holding two."""
    department = DepartmentFactory(name="Logistics")
    role = JobRoleFactory(name="Driver")
    competences = [make_competence(name=f"Skill {n}") for n in range(3)]
    for competence in competences:
        require(competence, job_role=role, min_level=2)
    people = User.objects.bulk_create(
        User(
            email=f"driver{n}@example.com",
            employee_id=f"D{n:05d}",
            last_name=f"Driver{n:05d}",
            department=department,
            job_role=role,
            management_level=STAFF,
        )
        for n in range(size)
    )
    now = timezone.now()
    CompetenceRecord.objects.bulk_create(
        CompetenceRecord(
            user=person,
            competence=competence,
            level=2,
            source=SOURCE.ASSESSMENT,
            recorded_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        for person in people
        for competence, days in zip(competences[:2], (10, 400), strict=True)
    )
    return UserFactory(email="hr.count@example.com", employee_id=None, groups=["HR"])


# Session, viewer, permissions, notifications, the form's choices, then the matrix itself:
# columns, departments below the one chosen, requirements, names, and one walk.
PAGE_QUERIES = 17
# A manager's scope is read down the org chart: one query per level, the same for any team size.
MANAGER_PAGE_QUERIES = PAGE_QUERIES + 1
# Session, viewer, permissions, then columns, requirements, names and one walk; no page parts.
EXPORT_QUERIES = 9


@pytest.mark.parametrize("size", [3, 30])
def test_the_page_costs_the_same_queries_whatever_the_size(
    client, size, django_assert_max_num_queries
):
    hr = _organisation_of(size)
    client.force_login(hr)
    params = {"department": DepartmentFactory(name="Logistics").pk, "within": 30}

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(matrix_url(**params))

    assert response.context["matrix"].row_count == size
    assert totals_of(response.context["matrix"])["overall"] == (3 * size, 2 * size, 66.7)


@pytest.mark.parametrize("size", [3, 30])
def test_the_csv_costs_the_same_queries_whatever_the_size(
    client, size, django_assert_max_num_queries
):
    hr = _organisation_of(size)
    client.force_login(hr)

    with django_assert_max_num_queries(EXPORT_QUERIES):
        _, rows = _csv(client.get(matrix_url(export="csv")))

    assert len(rows) == size
    assert rows[0][6:] == ["Expiring (level 2)", "Competent (level 2)", "Missing"]


@pytest.mark.parametrize("size", [3, 30])
def test_a_managers_page_costs_the_same_queries_whatever_the_size(
    client, size, django_assert_max_num_queries
):
    _organisation_of(size)
    boss = UserFactory(email="boss@example.com")
    User.objects.exclude(pk=boss.pk).filter(employee_id__startswith="D").update(manager=boss)
    client.force_login(boss)

    with django_assert_max_num_queries(MANAGER_PAGE_QUERIES):
        response = client.get(matrix_url())

    assert response.context["matrix"].row_count == size


# --- The selector, for callers other than the page


def test_a_viewer_who_manages_nobody_gets_an_empty_matrix_not_an_error(org):
    matrix = competence_matrix(viewer=org.ben, filters=MatrixFilters())

    assert (matrix.row_count, matrix.rows, matrix.overall.required) == (0, [], 0)


def test_with_no_competence_to_show_the_people_are_still_listed(org):
    empty = make_standard(name="ISO 14001:2015")

    matrix = competence_matrix(viewer=org.hr, filters=MatrixFilters(standard=empty))

    assert matrix.columns == []
    assert [row.person.last_name for row in matrix.rows] == list(EXPECTED_CELLS)
    assert matrix.overall.percent is None


# --- Where the reports start


def test_hr_gets_a_link_to_every_report_installed(client, org):
    client.force_login(org.hr)

    response = client.get(reverse("reports_index"))

    titles = [link.title for link in response.context["reports"]]
    assert "Competence matrix" in titles
    for name, title, _summary, _hr_only in REPORTS:
        assert (title in titles) == _is_installed(name)
    assert reverse("report_competence_matrix") in response.content.decode()


def test_a_manager_gets_the_reports_but_not_the_audit_pack_or_the_api(client, org):
    client.force_login(org.mia)

    response = client.get(reverse("reports_index"))

    titles = [link.title for link in response.context["reports"]]
    assert "Competence matrix" in titles
    assert "Audit evidence pack" not in titles
    assert "API for HR systems" not in titles


def _is_installed(name):
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


@pytest.mark.parametrize(("who", "has_reports"), [("mia", True), ("hr", True), ("ben", False)])
def test_the_navigation_links_to_the_reports_after_assigning_training(
    client, org, who, has_reports
):
    client.force_login(getattr(org, who))

    links = [key for key, _label, _href in client.get(reverse("my_learning")).context["nav_links"]]

    assert ("reports" in links) == has_reports
    if has_reports:
        assert links[links.index("assign") + 1] == "reports"
