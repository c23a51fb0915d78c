"""The suggestion report: counts by category, department and month that never break a count down
into a group of fewer than five, on the page and in its downloads alike."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Suggestion, SuggestionEvent
from campaigns.selectors.suggestion_report import FEWER, WITHHELD, Table, suggestion_report
from lms.models.content import add_months
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Suggestion.Status
Category = Suggestion.Category
F, W = FEWER, WITHHELD


def make(count, *, status=Status.NEW, category=Category.SAFETY, department=None, on=None):
    """`count` suggestions alike, with what their status needs."""
    fields = {}
    if status in (Status.ACCEPTED, Status.DONE):
        fields = {"owner": UserFactory(), "action": "Fix it."}
    if status == Status.DECLINED:
        fields = {"decline_reason": "Not this year."}
    if status == Status.DONE:
        fields["outcome"] = "Fixed."
    return Suggestion.objects.bulk_create(
        Suggestion(
            category=category,
            text=f"Suggestion {n}",
            status=status,
            department=department,
            submitted_on=on or timezone.localdate(),
            **fields,
        )
        for n in range(count)
    )


@pytest.fixture
def small_organisation(db):
    """Assembly: 5 new (safety) and 2 declined (quality); Warehouse: 6 done (process);
    Laboratory: 4 new (safety), too few to be named."""
    assembly = DepartmentFactory(name="Assembly")
    warehouse = DepartmentFactory(name="Warehouse")
    laboratory = DepartmentFactory(name="Laboratory")
    make(5, department=assembly)
    make(2, status=Status.DECLINED, category=Category.QUALITY, department=assembly)
    make(6, status=Status.DONE, category=Category.PROCESS, department=warehouse)
    make(4, department=laboratory)


def figures(table: Table) -> dict[str, list]:
    def shown(row):
        return [figure.shown for figure in row.cells] + (
            [row.total.shown] if table.row_totals else []
        )

    return {row.label: shown(row) for row in [*table.rows, table.totals]}


def test_departments_by_status_hide_small_groups_and_fold_small_departments(small_organisation):
    table = suggestion_report().by_department
    assert table.columns == ["New", "Under review", "Accepted", "Declined", "Done"]
    assert figures(table) == {
        "Assembly": [5, F, F, F, F, 7],
        # Its total with the other two would give away Other departments' 4: withheld.
        "Warehouse": [F, F, F, F, 6, W],
        "Other departments": [F, F, F, F, F, F],
        "All suggestions": [9, F, F, F, 6, 17],
    }


def test_categories_by_status_hide_counts_under_five(small_organisation):
    assert figures(suggestion_report().by_category) == {
        "Safety": [9, F, F, F, F, 9],
        "Quality": [F, F, F, F, F, F],
        "Environment": [F, F, F, F, F, F],
        "Process": [F, F, F, F, 6, 6],
        "Other": [F, F, F, F, F, F],
        "All suggestions": [9, F, F, F, 6, 17],
    }


def test_suggestions_naming_no_department_have_a_row_when_there_are_five(db):
    make(5)
    make(2, department=DepartmentFactory(name="Laboratory"))
    make(3, department=DepartmentFactory(name="Kitchen"))
    rows = figures(suggestion_report().by_department)
    assert list(rows) == ["No department given", "Other departments", "All suggestions"]
    assert rows["No department given"] == [5, F, F, F, F, 5]
    assert rows["Other departments"] == [5, F, F, F, F, 5]


def test_months_count_submitted_accepted_and_done_over_the_last_twelve(db):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month, three_ago = add_months(this_month, -1), add_months(this_month, -3)
    comms = UserFactory()
    earlier = make(7, status=Status.ACCEPTED, on=three_ago)
    for n, suggestion in enumerate(earlier):
        steps = [(Status.NEW, Status.UNDER_REVIEW, three_ago)]
        steps.append((Status.UNDER_REVIEW, Status.ACCEPTED, last_month))
        if n < 2:
            steps.append((Status.ACCEPTED, Status.DONE, this_month))
        for start, to, on in steps:
            SuggestionEvent.objects.create(
                suggestion=suggestion, from_status=start, to_status=to, by=comms, on=on
            )
    make(5, on=today)
    make(3, on=last_month)
    make(2, on=add_months(this_month, -12))  # a month too old to count

    report = suggestion_report(today=today)
    assert report.first_month == add_months(this_month, -11)
    rows = figures(report.by_month)
    assert list(rows)[0] == f"{report.first_month:%B %Y}"
    assert rows[f"{three_ago:%B %Y}"] == [7, F, F]
    assert rows[f"{last_month:%B %Y}"] == [F, 7, F]
    assert rows[f"{this_month:%B %Y}"] == [5, F, F]
    assert rows["Last 12 months"] == [15, 7, F]
    assert len(rows) == 13


def test_a_single_hidden_count_beside_its_total_takes_the_next_smallest_with_it():
    table = Table.of(
        title="Test", columns=["A", "B", "C"], counts=[("Row", [10, 7, 3])], totals_label="All"
    )
    assert figures(table) == {"Row": [10, W, F, 20], "All": [10, W, F, 20]}


def test_hidden_counts_that_can_only_be_four_each_are_protected_too():
    table = Table.of(
        title="Test", columns=["A", "B", "C"], counts=[("Row", [4, 4, 9])], totals_label="All"
    )
    assert figures(table) == {"Row": [F, F, W, 17], "All": [F, F, W, 17]}


def test_two_hidden_counts_that_could_be_several_values_need_nothing_more():
    table = Table.of(
        title="Test", columns=["A", "B", "C"], counts=[("Row", [1, 2, 9])], totals_label="All"
    )
    assert figures(table) == {"Row": [F, F, 9, 12], "All": [F, F, 9, 12]}


# --- The page and its downloads


def report_page(client, person, **params):
    client.force_login(person)
    return client.get(reverse("suggestion_report"), params)


def download(client, person, export_format):
    response = report_page(client, person, export=export_format)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_page_shows_the_figures_and_the_rules(client, comms, small_organisation):
    page = report_page(client, comms).content.decode()
    assert '<th scope="row">Assembly</th>' in page
    assert '<th scope="row">Other departments</th>' in page
    assert "fewer than 5" in page
    assert "withheld" in page


def test_a_department_with_four_suggestions_never_appears_by_name(
    client, comms, small_organisation
):
    assert "Laboratory" not in report_page(client, comms).content.decode()
    assert b"Laboratory" not in download(client, comms, "csv")
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, comms, "xlsx")))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "Laboratory" not in cells
    assert "Assembly" in cells


def test_the_csv_has_every_figure_with_the_same_suppression(client, comms, small_organisation):
    text = download(client, comms, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Breakdown", "Group", "Status or measure", "Suggestions"]
    assert ["By department", "Assembly", "New", "5"] in rows
    assert ["By department", "Assembly", "Declined", F] in rows
    assert ["By department", "Warehouse", "All statuses", W] in rows
    assert ["By department", "Other departments", "New", F] in rows
    assert ["By category", "All suggestions", "All statuses", "17"] in rows
    assert ["By month", "Last 12 months", "Submitted", "17"] in rows
    # 6 category rows and 4 department rows of 6 figures; 13 month rows of 3.
    assert len(rows) == 1 + 6 * 6 + 4 * 6 + 13 * 3


def test_an_unknown_export_format_is_a_400_with_a_message(client, comms):
    response = report_page(client, comms, export="pdf")
    assert response.status_code == 400
    assert "Unknown export format &#x27;pdf&#x27;: choose csv or xlsx." in response.content.decode()


@pytest.mark.parametrize("size", [5, 120])
def test_the_report_costs_the_same_queries_whatever_the_size(
    client, comms, size, django_assert_max_num_queries
):
    departments = [DepartmentFactory() for _ in range(4)]
    owner = UserFactory()
    today = timezone.localdate()
    for n in range(size):
        suggestion = Suggestion.objects.create(
            category=Category.values[n % 5],
            text=f"Idea {n}",
            department=departments[n % 4],
            status=Status.ACCEPTED,
            owner=owner,
            action="Do it.",
            submitted_on=today - datetime.timedelta(days=n * 3),
        )
        SuggestionEvent.objects.create(
            suggestion=suggestion,
            from_status=Status.UNDER_REVIEW,
            to_status=Status.ACCEPTED,
            by=comms,
            on=suggestion.submitted_on,
        )
    client.force_login(comms)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("suggestion_report"))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        csv_response = client.get(reverse("suggestion_report"), {"export": "csv"})
        b"".join(csv_response.streaming_content)
