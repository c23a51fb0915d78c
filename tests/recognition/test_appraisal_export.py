"""Downloading a period's summaries: HR everyone, a manager their people; one row a person with
a column for every figure; nothing a spreadsheet would run as a formula."""

import csv
import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse

from recognition.models import Category
from recognition.services.appraisals import close_period
from recognition.views.appraisals import EXPORT_HEADER
from tests.factories import UserFactory
from tests.recognition.factories import KudosFactory
from tests.recognition.test_appraisal_figures import local, march, points

AFTER_MARCH = datetime.date(2025, 4, 1)


def _download(client, period, export_format="csv", **query):
    response = client.get(reverse("appraisal_export", args=[period.pk, export_format]), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_texts(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    return re.findall(r'<t xml:space="preserve">([^<]*)</t>', sheet)


@pytest.fixture
def trickster(operations, manager, hr):
    person = UserFactory(
        first_name='=HYPERLINK("http://evil.example","Click")',
        last_name="",
        email="trick@example.com",
        department=operations,
        manager=manager,
    )
    KudosFactory(
        sender=hr,
        receiver=person,
        message="+1 for the audit =SUM(A1)",
        created_at=local(datetime.datetime(2025, 3, 5, 10)),
    )
    return person


def test_the_csv_has_a_column_for_every_figure(client, employee, manager, hr):
    points(employee, 7, at=local(datetime.datetime(2025, 3, 4)), by=hr)
    points(
        employee,
        3,
        at=local(datetime.datetime(2025, 3, 5)),
        by=hr,
        category=Category.QUIZ_PASSED,
    )
    KudosFactory(
        sender=manager,
        receiver=employee,
        message="Kept the floor tidy.",
        created_at=local(datetime.datetime(2025, 3, 6)),
    )
    client.force_login(hr)

    rows = {row["E-mail"]: row for row in _csv_rows(_download(client, march()))}

    assert list(rows["employee@example.com"]) == EXPORT_HEADER
    mine = rows["employee@example.com"]
    assert mine["Name"] == "Team Member"
    assert mine["Department"] == "Operations"
    assert mine["Points: Adjustment by HR"] == "7"
    assert mine["Points: Quiz passed"] == "3"
    assert mine["Points in total"] == "10"
    assert mine["Kudos received"] == "1"
    assert mine["Kudos messages"] == "Kept the floor tidy. (Line Manager, Quality first)"
    assert mine["Team size"] == ""
    assert rows["manager@example.com"]["Team size"] == "1"
    assert rows["manager@example.com"]["Team on time (%)"] == ""


def test_a_formula_in_a_name_or_a_kudos_message_is_written_as_text(client, hr, trickster):
    period = march()
    client.force_login(hr)

    csv_rows = {row["E-mail"]: row for row in _csv_rows(_download(client, period))}
    texts = _xlsx_texts(_download(client, period, "xlsx"))

    row = csv_rows["trick@example.com"]
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["Kudos messages"].startswith("'+1 for the audit")
    assert '\'=HYPERLINK("http://evil.example","Click")' in texts
    assert any(text.startswith("'+1 for the audit") for text in texts)
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)


def test_a_manager_downloads_only_the_people_below_them(client, employee, manager, trickster):
    client.force_login(manager)

    emails = {row["E-mail"] for row in _csv_rows(_download(client, march()))}

    assert emails == {"employee@example.com", "trick@example.com"}


def test_a_closed_period_downloads_its_frozen_figures(client, employee, hr):
    points(employee, 7, at=local(datetime.datetime(2025, 3, 4)), by=hr)
    period = march()
    close_period(period=period, by=hr, today=AFTER_MARCH)
    period.refresh_from_db()
    points(employee, 100, at=local(datetime.datetime(2025, 3, 4)), by=hr)
    client.force_login(hr)

    rows = {row["E-mail"]: row for row in _csv_rows(_download(client, period))}

    assert rows["employee@example.com"]["Points in total"] == "7"
    assert rows["employee@example.com"]["Frozen at"]


def test_hr_downloads_one_department(client, personas, operations):
    client.force_login(personas["hr"])

    rows = _csv_rows(_download(client, march(), department=operations.pk))

    assert {row["E-mail"] for row in rows} == {"employee@example.com", "manager@example.com"}


def test_a_bad_department_in_a_download_is_refused_with_a_message(client, hr):
    client.force_login(hr)

    response = client.get(
        reverse("appraisal_export", args=[march().pk, "csv"]), {"department": "nope"}
    )

    assert response.status_code == 400
    assert "Choose one of the departments listed." in response.content.decode()


def test_an_unknown_format_is_not_found(client, hr):
    client.force_login(hr)

    assert client.get(reverse("appraisal_export", args=[march().pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_a_download_runs_a_fixed_number_of_queries(
    client, hr, employee, django_assert_num_queries, size
):
    for person in UserFactory.create_batch(size):
        KudosFactory(sender=hr, receiver=person, created_at=local(datetime.datetime(2025, 3, 4)))
    period = march()
    client.force_login(hr)

    # Session, user, HR's permissions (2), the period, the people (one batch and the empty
    # one that ends it) and the eight figures.
    with django_assert_num_queries(15):
        rows = _csv_rows(_download(client, period))

    assert len(rows) == size + 3
