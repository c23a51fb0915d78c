"""The reach of a campaign: delivered, opened, acknowledged and awareness-check figures by
department, management level and day, for the version asked about; names of who has not
acknowledged for HR and managers only; downloads; a fixed number of queries."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.selectors.reach import (
    ReachScope,
    asked_versions,
    campaign_reach,
    reach_index,
    reach_scope,
)
from lms.models import ManagementLevel
from quizzes.models import Attempt
from tests.campaigns.factories import (
    acknowledge,
    asked_revision,
    deliver_to,
    make_campaign,
    publish_change,
)
from tests.factories import DepartmentFactory, UserFactory
from tests.quizzes.factories import make_quiz, submitted_attempt

pytestmark = pytest.mark.django_db

EVERYONE = ReachScope(people_ids=None, shows_names=True, description="everyone")


def days_ago(days: int, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def organisation(employee, manager, other_manager):
    """Five people delivered to. Below the manager: the employee (Operations, staff), an
    assembler (Assembly, staff) and an assembly lead (Assembly, frontline). Elsewhere: two
    warehouse operatives (Warehouse, staff).

    Opened: employee, assembler, first operative. Acknowledged: employee, first operative.
    Awareness check, latest submitted attempt: employee 100 (after a failed 50), assembler 60,
    first operative 90; an outsider's attempt does not count, they were not delivered to."""
    assembly = DepartmentFactory(name="Assembly")
    warehouse = DepartmentFactory(name="Warehouse")
    assembler = UserFactory(
        first_name="Assembler", last_name="AS01", department=assembly, manager=manager
    )
    lead = UserFactory(
        first_name="Assembly",
        last_name="Lead AL01",
        department=assembly,
        manager=manager,
        management_level=ManagementLevel.FRONTLINE,
    )
    operative = UserFactory(
        first_name="Operative", last_name="WH01", department=warehouse, manager=other_manager
    )
    second_operative = UserFactory(first_name="Operative", last_name="WH02", department=warehouse)
    quiz = make_quiz(title="Quality policy: are you aware?")
    campaign = make_campaign(
        title="Our quality policy",
        needs_acknowledgement=True,
        awareness_check=quiz,
        released_at=days_ago(3, hour=9),
    )
    deliver_to(campaign, [employee, assembler, lead], at=days_ago(3, hour=9))
    deliver_to(campaign, [operative, second_operative], at=days_ago(3, hour=9))
    _open(campaign, employee, days_ago(3))
    _open(campaign, assembler, days_ago(2))
    _open(campaign, operative, days_ago(2))
    acknowledge(campaign, employee, at=days_ago(2))
    acknowledge(campaign, operative, at=days_ago(1))
    submitted_attempt(quiz=quiz, user=employee, number=1, score="50.00", passed=False)
    latest = submitted_attempt(quiz=quiz, user=employee, number=2, score="100.00", passed=True)
    Attempt.objects.filter(pk=latest.pk).update(submitted_at=timezone.now())
    submitted_attempt(quiz=quiz, user=assembler, score="60.00", passed=False)
    submitted_attempt(quiz=quiz, user=operative, score="90.00", passed=True)
    outsider = UserFactory()
    submitted_attempt(quiz=quiz, user=outsider, score="0.00", passed=False)
    return {
        "campaign": campaign,
        "assembler": assembler,
        "lead": lead,
        "operative": operative,
        "second_operative": second_operative,
    }


def _open(campaign, person, at):
    from campaigns.models import Delivery

    Delivery.objects.filter(campaign=campaign, user=person).update(opened_at=at)


def figures_of(figures):
    return (
        figures.delivered,
        figures.opened,
        figures.acknowledged,
        figures.checked,
        figures.average_score,
        figures.pass_rate,
    )


def reach_of(campaign, scope=EVERYONE, **kwargs):
    return campaign_reach(
        campaign=campaign, scope=scope, versions=asked_versions(campaign=campaign), **kwargs
    )


# --- Figures


def test_totals_count_the_people_delivered_to_and_their_latest_awareness_attempt(organisation):
    reach = reach_of(organisation["campaign"])
    assert figures_of(reach.total) == (5, 3, 2, 3, 83.3, 66.7)
    assert reach.total.open_rate == 60.0
    assert reach.total.acknowledgement_rate == 40.0
    assert reach.not_acknowledged_count == 3


def test_figures_are_broken_down_by_department_and_by_management_level(organisation):
    reach = reach_of(organisation["campaign"])
    assert {f.label: figures_of(f) for f in reach.by_department} == {
        "Assembly": (2, 1, 0, 1, 60.0, 0.0),
        "Operations": (1, 1, 1, 1, 100.0, 100.0),
        "Warehouse": (2, 1, 1, 1, 90.0, 100.0),
    }
    assert [f.label for f in reach.by_department] == ["Assembly", "Operations", "Warehouse"]
    assert [(f.label, figures_of(f)) for f in reach.by_level] == [
        ("Frontline management", (1, 0, 0, 0, None, None)),
        ("Staff", (4, 3, 2, 3, 83.3, 66.7)),
    ]


def test_opens_and_acknowledgements_are_counted_per_day_since_the_release(organisation):
    reach = reach_of(organisation["campaign"])
    today = timezone.localdate()
    assert [(d.day, d.opened, d.acknowledged) for d in reach.days] == [
        (today - datetime.timedelta(days=3), 1, 0),
        (today - datetime.timedelta(days=2), 2, 1),
        (today - datetime.timedelta(days=1), 0, 1),
        (today, 0, 0),
    ]
    assert [(d.opened_to_date, d.acknowledged_to_date) for d in reach.days][-1] == (3, 2)
    chart = reach.opened_chart
    assert chart.peak == 2
    assert [bar.height for bar in chart.bars] == [50.0, 100.0, 0, 0]


def test_a_manager_sees_only_the_people_below_them(organisation, manager, employee):
    scope = reach_scope(viewer=manager)
    reach = reach_of(organisation["campaign"], scope=scope)
    assert figures_of(reach.total) == (3, 2, 1, 2, 80.0, 50.0)
    assert [f.label for f in reach.by_department] == ["Assembly", "Operations"]
    assert [fact.name for fact in reach.not_acknowledged] == [
        "Assembler AS01",
        "Assembly Lead AL01",
    ]


def test_the_earlier_version_keeps_its_own_figures_after_a_material_change(organisation, employee):
    campaign = organisation["campaign"]
    first = asked_revision(campaign)
    publish_change(campaign, material=True, change_summary="New objective for scrap.")
    deliver_to(campaign, [employee])
    versions = asked_versions(campaign=campaign)
    assert [(v.number, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[1].change_summary == "New objective for scrap."
    assert reach_of(campaign).total.delivered == 1
    assert reach_of(campaign).total.acknowledged == 0
    earlier = reach_of(campaign, revision_id=first.pk)
    assert figures_of(earlier.total)[:3] == (5, 3, 2)


def test_a_minor_change_keeps_asking_about_the_same_version(organisation):
    campaign = organisation["campaign"]
    publish_change(campaign, material=False)
    assert len(asked_versions(campaign=campaign)) == 1
    assert reach_of(campaign).total.delivered == 5


def test_a_campaign_without_acknowledgement_lists_nobody_as_not_acknowledged(employee):
    campaign = make_campaign(needs_acknowledgement=False)
    deliver_to(campaign, [employee])
    reach = reach_of(campaign)
    assert reach.not_acknowledged == []
    assert reach.not_acknowledged_count == 0
    assert reach.has_check is False


def test_the_index_has_one_row_per_released_campaign_with_its_current_version(
    organisation, manager, employee
):
    campaign = organisation["campaign"]
    other = make_campaign(title="Hazard reporting", released_at=days_ago(1))
    deliver_to(other, [employee, organisation["operative"]], opened_at=days_ago(0))
    rows = reach_index(scope=EVERYONE)
    assert [row.campaign.pk for row in rows] == [other.pk, campaign.pk]
    assert [(r.figures.delivered, r.figures.opened, r.figures.acknowledged) for r in rows] == [
        (2, 2, 0),
        (5, 3, 2),
    ]
    managed = reach_index(scope=reach_scope(viewer=manager))
    assert [(r.figures.delivered, r.figures.opened) for r in managed] == [(1, 1), (3, 2)]


def test_the_index_counts_the_new_version_after_a_material_change(organisation, employee):
    campaign = organisation["campaign"]
    publish_change(campaign, material=True)
    deliver_to(campaign, [employee], opened_at=timezone.now())
    [row] = reach_index(scope=EVERYONE)
    assert (row.figures.delivered, row.figures.opened, row.figures.acknowledged) == (1, 1, 0)


# --- Who sees what


def test_who_may_see_the_reach(employee, manager, hr, comms, outsider):
    assert reach_scope(viewer=hr).shows_names is True
    assert reach_scope(viewer=hr).people_ids is None
    assert reach_scope(viewer=comms).shows_names is False
    assert reach_scope(viewer=comms).people_ids is None
    assert reach_scope(viewer=manager).people_ids == {employee.pk}
    assert reach_scope(viewer=employee) is None
    assert reach_scope(viewer=outsider) is None


NAMES = ["Assembler AS01", "Assembly Lead AL01", "Operative WH02"]


def test_hr_sees_the_names_of_everyone_who_has_not_acknowledged(client, organisation, hr):
    client.force_login(hr)
    response = client.get(reverse("campaign_reach", args=[organisation["campaign"].pk]))
    assert response.status_code == 200
    for name in NAMES:
        assert name in response.text
    assert "3 people have not acknowledged" in response.text


def test_communications_sees_counts_but_never_names(client, organisation, comms):
    client.force_login(comms)
    url = reverse("campaign_reach", args=[organisation["campaign"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "3 people have not acknowledged" in response.text
    everyone = ["Team Member", "Operative WH01", *NAMES]
    for name in everyone:
        assert name not in response.text
    assert "table=not_acknowledged" not in response.text
    for table in ("breakdown", "days"):
        download = client.get(url, {"export": "csv", "table": table})
        text = b"".join(download.streaming_content).decode("utf-8-sig")
        assert not any(name in text for name in everyone)
        assert "@" not in text
    assert client.get(url, {"export": "csv", "table": "not_acknowledged"}).status_code == 403


def test_a_manager_sees_the_names_of_their_reports_only(client, organisation, manager):
    client.force_login(manager)
    url = reverse("campaign_reach", args=[organisation["campaign"].pk])
    response = client.get(url)
    assert "Assembler AS01" in response.text
    assert "Assembly Lead AL01" in response.text
    assert "Operative WH02" not in response.text
    assert "Warehouse" not in response.text
    download = client.get(url, {"export": "csv", "table": "not_acknowledged"})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Assembler AS01", "Assembly Lead AL01"]


def test_the_not_acknowledged_download_lists_everyone_for_hr(client, organisation, hr):
    client.force_login(hr)
    url = reverse("campaign_reach", args=[organisation["campaign"].pk])
    download = client.get(url, {"export": "xlsx", "table": "not_acknowledged"})
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Name", "E-mail", "Department", "Management level", "Delivered", "Opened"]
    assert [row[0] for row in rows[1:]] == [
        "Assembler AS01",
        "Assembly Lead AL01",
        "Operative WH02",
    ]


def test_the_breakdown_download_holds_the_figures_on_screen(client, organisation, comms):
    client.force_login(comms)
    url = reverse("campaign_reach", args=[organisation["campaign"].pk])
    download = client.get(url, {"export": "csv"})
    assert download["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[1] == ["Total", "Everyone delivered to", "5", "3", "60.0", "2", "40.0", "3"] + [
        "83.3",
        "66.7",
    ]
    assert ["Department", "Assembly", "2", "1", "50.0", "0", "0.0", "1", "60.0", "0.0"] in rows
    assert [
        "Management level",
        "Frontline management",
        "1",
        "0",
        "0.0",
        "0",
        "0.0",
        "0",
        "",
        "",
    ] in rows


def test_a_department_name_that_looks_like_a_formula_is_neutralised(client, comms, employee):
    employee.department = DepartmentFactory(name="=HYPERLINK(1)")
    employee.save()
    campaign = make_campaign()
    deliver_to(campaign, [employee])
    client.force_login(comms)
    download = client.get(reverse("campaign_reach", args=[campaign.pk]), {"export": "csv"})
    assert "'=HYPERLINK(1)" in b"".join(download.streaming_content).decode("utf-8-sig")


# --- Bad input and access


def test_an_unknown_version_is_refused_with_a_message(client, organisation, hr):
    client.force_login(hr)
    url = reverse("campaign_reach", args=[organisation["campaign"].pk])
    response = client.get(url, {"revision": "999999"})
    assert response.status_code == 400
    assert "Choose one of the versions listed." in response.text
    assert client.get(url, {"revision": "999999", "export": "csv"}).status_code == 400


def test_an_earlier_version_is_shown_when_chosen(client, organisation, hr, employee):
    campaign = organisation["campaign"]
    first = asked_revision(campaign)
    publish_change(campaign, material=True)
    client.force_login(hr)
    response = client.get(reverse("campaign_reach", args=[campaign.pk]), {"revision": first.pk})
    assert response.status_code == 200
    assert response.context["reach"].version.number == 1
    assert response.context["reach"].total.delivered == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"export": "pdf"}, "Unknown export format"),
        ({"export": "csv", "table": "everything"}, "Unknown table"),
    ],
)
def test_bad_download_requests_are_refused(client, organisation, hr, params, message):
    client.force_login(hr)
    response = client.get(reverse("campaign_reach", args=[organisation["campaign"].pk]), params)
    assert response.status_code == 400
    assert message in response.text


def test_a_campaign_never_released_has_nothing_to_measure(client, hr):
    campaign = make_campaign()
    campaign.releases.all().delete()
    client.force_login(hr)
    response = client.get(reverse("campaign_reach", args=[campaign.pk]))
    assert response.status_code == 200
    assert "has not been released yet" in response.text
    assert (
        client.get(reverse("campaign_reach", args=[campaign.pk]), {"export": "csv"}).status_code
        == 400
    )


def test_an_unknown_campaign_is_not_found(client, hr):
    client.force_login(hr)
    assert client.get(reverse("campaign_reach", args=[999999])).status_code == 404


def test_people_without_a_team_or_a_role_are_refused(client, organisation, employee, outsider):
    for person in (employee, outsider):
        client.force_login(person)
        assert client.get(reverse("campaign_reach_index")).status_code == 403
        url = reverse("campaign_reach", args=[organisation["campaign"].pk])
        assert client.get(url).status_code == 403


def test_the_page_draws_its_bars_without_inline_styles(client, organisation, hr):
    client.force_login(hr)
    response = client.get(reverse("campaign_reach", args=[organisation["campaign"].pk]))
    assert 'class="reach-chart__bar reach-chart__bar--opened"' in response.text
    assert 'class="reach-chart__bar reach-chart__bar--acknowledged"' in response.text
    assert "style=" not in response.text


# --- Fixed number of queries


def _grow(campaign, quiz, size):
    department = DepartmentFactory(name=f"Grown {size}")
    people = [UserFactory(department=department) for _ in range(size)]
    deliver_to(campaign, people, opened_at=timezone.now())
    for person in people[::2]:
        acknowledge(campaign, person)
        submitted_attempt(quiz=quiz, user=person, score="75.00")


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("persona", ["hr", "comms", "manager"])
def test_the_reach_page_runs_a_fixed_number_of_queries(
    client, organisation, personas, django_assert_max_num_queries, size, persona
):
    campaign = organisation["campaign"]
    _grow(campaign, campaign.awareness_check, size)
    client.force_login(personas[persona])
    # Measured: 10 for HR and Communications, 12 for the manager (one query per level below
    # them), 7 and 9 for the download; the bounds leave room for the header's own queries.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("campaign_reach", args=[campaign.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        download = client.get(reverse("campaign_reach", args=[campaign.pk]), {"export": "csv"})
        b"".join(download.streaming_content)


@pytest.mark.parametrize("size", [2, 12])
def test_the_reach_index_runs_a_fixed_number_of_queries(
    client, employee, hr, django_assert_max_num_queries, size
):
    for number in range(size):
        campaign = make_campaign(title=f"Campaign {number}", needs_acknowledgement=True)
        deliver_to(campaign, [employee], opened_at=timezone.now())
    client.force_login(hr)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("campaign_reach_index"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == size


def test_scores_are_averaged_over_people_not_attempts(organisation):
    reach = reach_of(organisation["campaign"])
    operations = next(f for f in reach.by_department if f.label == "Operations")
    assert operations.score_sum == Decimal("100.00")
