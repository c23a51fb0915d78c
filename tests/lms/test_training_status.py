"""The training status report: overdue mandatory assignments by department and by line manager,
and how many were overdue at each of the last twelve month-ends.

The organisation (Assembly sits under Operations), on 15 July 2025:

    Operations  sup (no manager), a1 and a2 (report to sup), a leaver (inactive, reports to sup)
    Assembly    b1 (reports to sup)
    Quality     qlead (no manager), q1 (reports to qlead)
    HR          hr

Assignments (mandatory unless said otherwise; created on 1 January 2024 unless said otherwise):

    a1  due 1 Jul 2025 open · due 14 Jul 2025 open · due 15 Jul 2025 open (due today) ·
        due 31 Jan 2025, completed late on 10 Mar 2025
    a2  due 10 Jun 2025 open, advised only · due 1 Mar 2025, withdrawn 20 Apr 2025 ·
        due 1 Dec 2024 open, advised only
    b1  due 15 May 2025 open (created 1 Apr 2025) · due 15 Oct 2024, completed 31 Oct 2024 23:30
    q1  due 1 Jul 2025, completed 5 Jul 2025 · due 10 Sep 2024 but only assigned on
        5 Nov 2024, completed 2 Dec 2024
    sup due 1 Jun 2025 open
    leaver due 1 Feb 2025 open
"""

import csv
import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import Assignment, ManagementLevel
from lms.selectors.matrix import MatrixFilters
from lms.selectors.training_reports import (
    DepartmentOverdue,
    ManagerOverdue,
    month_ends,
    training_status,
    training_status_table,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.lms.factories_training import make_module

TODAY = datetime.date(2025, 7, 15)
OPEN = Assignment.Status.OPEN
COMPLETED = Assignment.Status.COMPLETED
WITHDRAWN = Assignment.Status.WITHDRAWN

# Overdue at the end of each month from July 2024 to June 2025.
TREND = [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 2]
SUP_TREND = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1]
QLEAD_TREND = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]


def moment(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def give(person, module, due, *, created="2024-01-01", completed=None, withdrawn=None, **fields):
    status = COMPLETED if completed else WITHDRAWN if withdrawn else OPEN
    return Assignment.objects.create(
        user=person,
        module=module,
        due_on=datetime.date.fromisoformat(due),
        status=status,
        created_at=moment(created),
        completed_at=moment(completed) if completed else None,
        withdrawn_at=moment(withdrawn) if withdrawn else None,
        **fields,
    )


def person(name, department, **fields):
    return UserFactory(
        email=f"{name}@example.com",
        first_name=name.capitalize(),
        last_name="Tester",
        department=department,
        **fields,
    )


@pytest.fixture
def modules(db):
    return [make_module(title=f"Module {n}") for n in range(4)]


@pytest.fixture
def org(modules):
    operations = DepartmentFactory(name="Operations")
    assembly = DepartmentFactory(name="Assembly", parent=operations)
    quality = DepartmentFactory(name="Quality")
    sup = person("sup", operations, management_level=ManagementLevel.FRONTLINE)
    a1 = person("a1", operations, manager=sup)
    a2 = person("a2", operations, manager=sup)
    leaver = person("leaver", operations, manager=sup, is_active=False)
    b1 = person("b1", assembly, manager=sup)
    qlead = person("qlead", quality, management_level=ManagementLevel.FRONTLINE)
    q1 = person("q1", quality, manager=qlead)
    hr = person("hr", DepartmentFactory(name="HR"), groups=["HR"])
    return SimpleNamespace(
        operations=operations,
        assembly=assembly,
        quality=quality,
        sup=sup,
        a1=a1,
        a2=a2,
        leaver=leaver,
        b1=b1,
        qlead=qlead,
        q1=q1,
        hr=hr,
    )


@pytest.fixture
def history(org, modules):
    m0, m1, m2, m3 = modules
    give(org.a1, m0, "2025-07-01")
    give(org.a1, m1, "2025-07-14")
    give(org.a1, m2, "2025-07-15")
    give(org.a1, m3, "2025-01-31", completed="2025-03-10T09:00")
    give(org.a2, m0, "2025-06-10", mandatory=False)
    give(org.a2, m1, "2025-03-01", withdrawn="2025-04-20T10:00", withdrawn_reason="Moved.")
    give(org.a2, m2, "2024-12-01", mandatory=False)
    give(org.b1, m0, "2025-05-15", created="2025-04-01")
    give(org.b1, m1, "2024-10-15", completed="2024-10-31T23:30")
    give(org.q1, m0, "2025-07-01", completed="2025-07-05T08:00")
    give(org.q1, m1, "2024-09-10", created="2024-11-05", completed="2024-12-02T08:00")
    give(org.sup, m0, "2025-06-01")
    give(org.leaver, m0, "2025-02-01")
    return org


# --- Figures


def test_overdue_by_department_counts_open_mandatory_assignments_past_their_due_date(history):
    status = training_status(viewer=history.hr, filters=MatrixFilters(), today=TODAY)

    assert status.departments == [
        DepartmentOverdue(department="Operations", people=3, people_overdue=2, overdue=3),
        DepartmentOverdue(department="Assembly", people=1, people_overdue=1, overdue=1),
        DepartmentOverdue(department="HR", people=1, people_overdue=0, overdue=0),
        DepartmentOverdue(department="Quality", people=2, people_overdue=0, overdue=0),
    ]
    assert (status.people, status.people_overdue, status.overdue) == (7, 3, 4)


def test_overdue_by_line_manager_lists_only_managers_with_an_overdue_team(history):
    status = training_status(viewer=history.hr, filters=MatrixFilters(), today=TODAY)

    # sup's own overdue assignment counts for Operations, not for a manager: sup has none.
    assert status.managers == [
        ManagerOverdue(
            manager_id=history.sup.pk,
            manager="Sup Tester",
            team_size=3,
            people_overdue=2,
            overdue=3,
        )
    ]


def test_trend_counts_what_was_overdue_at_each_of_the_last_twelve_month_ends(history):
    status = training_status(viewer=history.hr, filters=MatrixFilters(), today=TODAY)

    assert [month.month_end for month in status.trend] == month_ends(today=TODAY)
    assert status.trend[0].month_end == datetime.date(2024, 7, 31)
    assert status.trend[-1].month_end == datetime.date(2025, 6, 30)
    assert [month.overdue for month in status.trend] == TREND


@pytest.mark.parametrize(
    ("month_end", "overdue", "why"),
    [
        ("2024-10-31", 0, "completed at 23:30 on the month's last day: not overdue at its end"),
        ("2024-11-30", 1, "assigned after its due date: overdue from the month it was assigned"),
        ("2025-01-31", 1, "due on the month's last day and not done: overdue at its end"),
        ("2025-02-28", 1, "completed late in March: still overdue at the end of February"),
        ("2025-03-31", 1, "withdrawn in April: overdue at the end of March"),
        ("2025-04-30", 0, "withdrawn and completed ones no longer count; advised ones never"),
        ("2025-06-30", 2, "two open ones past due; the leaver's is not counted"),
    ],
)
def test_trend_values_for_specific_months(history, month_end, overdue, why):
    trend = training_status(viewer=history.hr, filters=MatrixFilters(), today=TODAY).trend
    by_month = {month.month_end.isoformat(): month.overdue for month in trend}

    assert by_month[month_end] == overdue, why


def test_department_filter_includes_sub_departments(history):
    status = training_status(
        viewer=history.hr, filters=MatrixFilters(department=history.operations), today=TODAY
    )

    assert [row.department for row in status.departments] == ["Operations", "Assembly"]
    assert status.overdue == 4
    assert [month.overdue for month in status.trend] == TREND[:4] + [0] + TREND[5:]


def test_a_manager_sees_the_people_below_them_only(history):
    mine = training_status(viewer=history.sup, filters=MatrixFilters(), today=TODAY)
    theirs = training_status(viewer=history.qlead, filters=MatrixFilters(), today=TODAY)

    assert mine.departments == [
        DepartmentOverdue(department="Operations", people=2, people_overdue=1, overdue=2),
        DepartmentOverdue(department="Assembly", people=1, people_overdue=1, overdue=1),
    ]
    assert [(row.manager, row.team_size, row.overdue) for row in mine.managers] == [
        ("Sup Tester", 3, 3)
    ]
    assert [month.overdue for month in mine.trend] == SUP_TREND
    assert theirs.departments == [
        DepartmentOverdue(department="Quality", people=1, people_overdue=0, overdue=0)
    ]
    assert theirs.managers == []
    assert [month.overdue for month in theirs.trend] == QLEAD_TREND


# --- The page and its downloads, on today's date


@pytest.fixture
def recent(org, modules):
    """Two assignments still open: one due in the last month, one in the month before."""
    ends = month_ends(today=timezone.localdate())
    give(org.a1, modules[0], ends[-1].replace(day=1).isoformat(), created="2020-01-01")
    give(org.b1, modules[1], ends[-2].replace(day=1).isoformat(), created="2020-01-01")
    return org


def test_page_shows_the_tables_and_the_trend_with_a_bar_per_month(client, recent):
    client.force_login(recent.hr)

    response = client.get(reverse("report_training_status"))

    assert response.status_code == 200
    report = response.context["report"]
    assert [(row.department, row.overdue) for row in report.departments][:2] == [
        ("Assembly", 1),
        ("Operations", 1),
    ]
    assert [row.overdue for row in report.trend][-2:] == [1, 2]
    html = response.content.decode()
    assert html.count('class="trend-bar__value"') == 12
    assert 'class="trend-bar__value" x="0" y="0" width="100.0"' in html
    assert 'class="trend-bar__value" x="0" y="0" width="50.0"' in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "Sup Tester" in html


def test_page_for_a_manager_shows_their_reports_only(client, recent):
    client.force_login(recent.qlead)

    response = client.get(reverse("report_training_status"))

    assert response.status_code == 200
    assert [row.department for row in response.context["report"].departments] == ["Quality"]
    assert response.context["report"].overdue == 0


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize("table", ["departments", "managers", "trend"])
def test_csv_export_of_each_table_equals_the_screen(client, recent, table):
    client.force_login(recent.hr)
    query = f"?department={recent.operations.pk}"
    screen = client.get(reverse("report_training_status") + query)

    response, body = _download(
        client, reverse("report_training_status") + query + f"&export=csv&table={table}"
    )

    assert f'filename="overdue-training-{table}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, expected = training_status_table(screen.context["report"], table=table)
    assert rows[0] == header
    assert rows[1:] == [[_as_text(cell) for cell in row] for row in expected]
    assert len(rows) > 1


def _as_text(cell):
    return cell.isoformat() if isinstance(cell, datetime.date) else str(cell)


def test_xlsx_export_of_the_trend_equals_the_screen(client, recent):
    client.force_login(recent.hr)
    screen = client.get(reverse("report_training_status"))

    _, body = _download(client, reverse("report_training_status") + "?export=xlsx&table=trend")

    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.values)
    assert rows[0] == ("Month", "Month end", "Overdue assignments")
    assert [(label, end.date(), count) for label, end, count in rows[1:]] == [
        (month.label, month.month_end, month.overdue) for month in screen.context["report"].trend
    ]


def test_exports_neutralise_text_a_spreadsheet_would_run_as_a_formula(client, recent):
    recent.operations.name = "=Operations"
    recent.operations.save()
    recent.sup.first_name = "@Sup"
    recent.sup.save()
    client.force_login(recent.hr)

    _, departments = _download(client, reverse("report_training_status") + "?export=csv")
    _, managers = _download(
        client, reverse("report_training_status") + "?export=xlsx&table=managers"
    )

    assert "'=Operations," in departments.decode("utf-8-sig")
    cells = [
        cell for row in openpyxl.load_workbook(io.BytesIO(managers)).active.values for cell in row
    ]
    assert "'@Sup Tester" in cells


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?department=nope", "Select a valid choice"),
        ("?job_role=999999", "Select a valid choice"),
        ("?export=pdf", "Unknown export format"),
        ("?export=csv&table=people", "Unknown table"),
    ],
)
def test_bad_filter_or_export_is_a_400_with_a_message(client, recent, query, message):
    client.force_login(recent.hr)

    response = client.get(reverse("report_training_status") + query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def _grow(org, modules, extra):
    """`extra` more people under sup and qlead, each with an overdue and a completed assignment."""
    last = month_ends(today=timezone.localdate())[-1]
    for n in range(extra):
        boss = org.sup if n % 2 else org.qlead
        someone = person(f"extra{extra}-{n}", boss.department, manager=boss)
        give(someone, modules[0], last.isoformat(), created="2020-01-01")
        give(someone, modules[1], last.isoformat(), completed=f"{last.isoformat()}T10:00")


# Session, user, permissions, header links and the form's choices included. A manager takes
# three more: one to be recognised as a manager, one per level of the org chart below them and
# one to find its end.
QUERIES = {("hr", "page"): 15, ("sup", "page"): 18, ("hr", "csv"): 11, ("sup", "csv"): 14}


@pytest.mark.parametrize("viewer", ["hr", "sup"])
@pytest.mark.parametrize("what", ["page", "csv"])
def test_page_and_export_take_a_fixed_number_of_queries(
    client, recent, modules, django_assert_max_num_queries, viewer, what
):
    client.force_login(getattr(recent, viewer))
    url = reverse("report_training_status") + (
        "?export=csv&table=managers" if what == "csv" else ""
    )
    counts = []
    for extra in (2, 40):
        _grow(recent, modules, extra)
        with django_assert_max_num_queries(QUERIES[viewer, what]) as captured:
            response = client.get(url)
            if what == "csv":
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
