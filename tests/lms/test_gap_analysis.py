"""The gap analysis: per department and job role, what each competence requires, how many hold
it, the modules that would close the gap, and the button that assigns them.

The organisation, by department / job role (sub-department Assembly sits under Operations):

    Operations / Operator   sup (frontline, manages op1-op4), op1, op2, op3
    Assembly   / Operator   op4 (reports to sup)
    Quality    / Inspector  qlead (frontline, manages insp1 and insp2), insp1, insp2
    HR         / no role    hr (nothing required)

Requirements: Operator needs Forklift at Competent (2) and Hazard at Under supervision (1);
Inspector needs Hazard at Can train others (3); frontline managers need Audit at Competent (2);
Unused is required of nobody.

Records: op1 Forklift 2, Hazard 1 · op2 Forklift 1 (below), Hazard 2 expiring in 10 days ·
op3 Forklift 3 expired, Hazard revoked · sup Forklift 2, Audit 2 · op4 nothing ·
insp1 Hazard 3 · insp2 Hazard 2 (below) · qlead Hazard 3.

Modules: Forklift basics (Forklift, level 1), Forklift driving (Forklift and Hazard, level 2),
Hazard master class (Hazard, level 3), Internal audit (Audit, level 2), and a draft at level 3
recording Forklift.
"""

import csv
import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import (
    Assignment,
    CompetenceRecord,
    CompetenceRequirement,
    JobRole,
    ManagementLevel,
    ProficiencyLevel,
)
from lms.selectors.matrix import MatrixFilters
from lms.selectors.training_reports import gap_analysis, gap_table
from tests.factories import DepartmentFactory, UserFactory
from tests.lms.factories_training import make_competence, make_module, make_standard

ASSESSMENT = CompetenceRecord.Source.ASSESSMENT
LEVEL = ProficiencyLevel

# (department, job role, competence, level required, required, covered, gap, closing modules)
EVERY_ROW = [
    ("Assembly", "Operator", "Forklift", "Competent", 1, 0, 1, "Forklift driving"),
    (
        "Assembly",
        "Operator",
        "Hazard",
        "Competent under supervision",
        1,
        0,
        1,
        "Forklift driving; Hazard master class",
    ),
    ("Operations", "Operator", "Audit", "Competent", 1, 1, 0, ""),
    ("Operations", "Operator", "Forklift", "Competent", 4, 2, 2, "Forklift driving"),
    (
        "Operations",
        "Operator",
        "Hazard",
        "Competent under supervision",
        4,
        2,
        2,
        "Forklift driving; Hazard master class",
    ),
    ("Quality", "Inspector", "Audit", "Competent", 1, 0, 1, "Internal audit"),
    ("Quality", "Inspector", "Hazard", "Can train others", 3, 2, 1, "Hazard master class"),
]


def award(person, competence, level, *, expires_in_days=None):
    expires_at = None
    if expires_in_days is not None:
        expires_at = timezone.now() + datetime.timedelta(days=expires_in_days)
    return CompetenceRecord.objects.create(
        user=person, competence=competence, level=level, source=ASSESSMENT, expires_at=expires_at
    )


def revoke(record):
    return CompetenceRecord.objects.create(
        user=record.user,
        competence=record.competence,
        kind=CompetenceRecord.Kind.REVOKED,
        level=record.level,
        source=CompetenceRecord.Source.REVOCATION,
        supersedes=record,
        reason="Failed an observation.",
        recorded_at=record.recorded_at + datetime.timedelta(seconds=1),
    )


def person(name, department, job_role, **fields):
    return UserFactory(
        email=f"{name}@example.com",
        first_name=name.capitalize(),
        last_name="Tester",
        department=department,
        job_role=job_role,
        **fields,
    )


@pytest.fixture
def org(db):
    operations = DepartmentFactory(name="Operations")
    assembly = DepartmentFactory(name="Assembly", parent=operations)
    quality = DepartmentFactory(name="Quality")
    operator = JobRole.objects.create(name="Operator")
    inspector = JobRole.objects.create(name="Inspector")
    frontline = ManagementLevel.FRONTLINE

    forklift = make_competence(name="Forklift", standard=make_standard(name="ISO 45001:2018"))
    hazard = make_competence(name="Hazard")
    audit = make_competence(name="Audit")
    make_competence(name="Unused")
    for competence, role, level, min_level in [
        (forklift, operator, "", LEVEL.COMPETENT),
        (hazard, operator, "", LEVEL.UNDER_SUPERVISION),
        (hazard, inspector, "", LEVEL.CAN_TRAIN_OTHERS),
        (audit, None, frontline, LEVEL.COMPETENT),
    ]:
        CompetenceRequirement.objects.create(
            competence=competence, job_role=role, management_level=level, min_level=min_level
        )

    sup = person("sup", operations, operator, management_level=frontline)
    op1 = person("op1", operations, operator, manager=sup)
    op2 = person("op2", operations, operator, manager=sup)
    op3 = person("op3", operations, operator, manager=sup)
    op4 = person("op4", assembly, operator, manager=sup)
    qlead = person("qlead", quality, inspector, management_level=frontline)
    insp1 = person("insp1", quality, inspector, manager=qlead)
    insp2 = person("insp2", quality, inspector, manager=qlead)
    hr = UserFactory(
        email="hr@example.com",
        department=DepartmentFactory(name="HR"),
        job_role=None,
        groups=["HR"],
    )

    award(op1, forklift, LEVEL.COMPETENT)
    award(op1, hazard, LEVEL.UNDER_SUPERVISION)
    award(op2, forklift, LEVEL.UNDER_SUPERVISION)
    award(op2, hazard, LEVEL.COMPETENT, expires_in_days=10)
    award(op3, forklift, LEVEL.CAN_TRAIN_OTHERS, expires_in_days=-1)
    revoke(award(op3, hazard, LEVEL.COMPETENT))
    award(sup, forklift, LEVEL.COMPETENT)
    award(sup, audit, LEVEL.COMPETENT)
    award(insp1, hazard, LEVEL.CAN_TRAIN_OTHERS)
    award(insp2, hazard, LEVEL.COMPETENT)
    award(qlead, hazard, LEVEL.CAN_TRAIN_OTHERS)

    modules = SimpleNamespace(
        basics=make_module(
            title="Forklift basics",
            competences=[forklift],
            competence_level=LEVEL.UNDER_SUPERVISION,
        ),
        driving=make_module(
            title="Forklift driving", competences=[forklift, hazard], competence_level=2
        ),
        master=make_module(title="Hazard master class", competences=[hazard], competence_level=3),
        audit=make_module(title="Internal audit", competences=[audit], competence_level=2),
        draft=make_module(
            title="Forklift draft", competences=[forklift], competence_level=3, live=False
        ),
    )
    return SimpleNamespace(
        operations=operations,
        assembly=assembly,
        quality=quality,
        operator=operator,
        inspector=inspector,
        forklift=forklift,
        hazard=hazard,
        audit=audit,
        sup=sup,
        op1=op1,
        op2=op2,
        op3=op3,
        op4=op4,
        qlead=qlead,
        insp1=insp1,
        insp2=insp2,
        hr=hr,
        modules=modules,
    )


def figures(analysis):
    _, rows = gap_table(analysis)
    return [tuple(row) for row in rows]


def assign_data(org, *, module, competence=None, department=None, job_role=None, **extra):
    data = {
        "department": (department or org.operations).pk,
        "job_role": (job_role or org.operator).pk,
        "competence": (competence or org.forklift).pk,
        "module": module.pk,
        "due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(extra)
    return data


def assigned(module):
    return set(
        Assignment.objects.filter(module=module, status=Assignment.Status.OPEN).values_list(
            "user__email", flat=True
        )
    )


# --- Figures


def test_hr_sees_required_covered_and_gap_for_each_department_job_role_and_competence(org):
    analysis = gap_analysis(viewer=org.hr, filters=MatrixFilters())

    assert figures(analysis) == EVERY_ROW
    assert analysis.people == 9
    assert (analysis.required, analysis.covered, analysis.gap) == (15, 7, 8)


def test_closing_modules_record_the_competence_at_the_level_the_people_lacking_it_need(org):
    rows = {
        (row.department, row.competence.name): row
        for row in gap_analysis(viewer=org.hr, filters=MatrixFilters()).rows
    }

    forklift = rows["Operations", "Forklift"]
    # Basics records Forklift below the Competent level required; the draft is not published.
    assert [module.title for module in forklift.closing_modules] == ["Forklift driving"]
    assert forklift.closing_level == LEVEL.COMPETENT
    # Inspectors need Hazard at the top level: only the master class records it that high.
    assert [m.title for m in rows["Quality", "Hazard"].closing_modules] == ["Hazard master class"]
    # A row without a gap needs nothing.
    assert rows["Operations", "Audit"].closing_modules == []


def test_department_filter_includes_its_sub_departments(org):
    analysis = gap_analysis(viewer=org.hr, filters=MatrixFilters(department=org.operations))

    assert figures(analysis) == EVERY_ROW[:5]
    assert analysis.people == 5


def test_job_role_and_standard_filters_narrow_the_groups_and_the_competences(org):
    by_role = gap_analysis(viewer=org.hr, filters=MatrixFilters(job_role=org.inspector))
    by_standard = gap_analysis(viewer=org.hr, filters=MatrixFilters(standard=org.forklift.standard))

    assert figures(by_role) == EVERY_ROW[5:]
    assert figures(by_standard) == [EVERY_ROW[0], EVERY_ROW[3]]


def test_a_manager_sees_the_gaps_of_the_people_below_them_only(org):
    sup_rows = figures(gap_analysis(viewer=org.sup, filters=MatrixFilters()))
    qlead_rows = figures(gap_analysis(viewer=org.qlead, filters=MatrixFilters()))

    # The manager is not among their own reports: no Audit row, and three operators at Operations.
    assert sup_rows == [
        EVERY_ROW[0],
        EVERY_ROW[1],
        ("Operations", "Operator", "Forklift", "Competent", 3, 1, 2, "Forklift driving"),
        (
            "Operations",
            "Operator",
            "Hazard",
            "Competent under supervision",
            3,
            2,
            1,
            "Forklift driving; Hazard master class",
        ),
    ]
    assert qlead_rows == [
        ("Quality", "Inspector", "Hazard", "Can train others", 2, 1, 1, "Hazard master class")
    ]


# --- The page and its downloads


def test_page_shows_each_gap_with_a_button_per_closing_module_due_in_30_days(client, org):
    client.force_login(org.hr)

    response = client.get(reverse("report_gaps"))

    assert response.status_code == 200
    assert figures(response.context["analysis"]) == EVERY_ROW
    html = response.content.decode()
    assert html.count(">Assign Forklift driving<") == 4
    assert html.count(">Assign Hazard master class<") == 3
    assert html.count(">Assign Internal audit<") == 1
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert html.count(f'name="due_on" value="{due}"') == 6
    assert "<caption>" in html


def test_page_for_a_manager_shows_their_reports_only(client, org):
    client.force_login(org.qlead)

    response = client.get(reverse("report_gaps"))

    assert response.status_code == 200
    assert figures(response.context["analysis"]) == [
        ("Quality", "Inspector", "Hazard", "Can train others", 2, 1, 1, "Hazard master class")
    ]
    assert "Operations" not in response.content.decode().split("<table", 1)[1]


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_csv_export_has_exactly_the_rows_and_filters_on_screen(client, org):
    client.force_login(org.hr)
    query = f"?department={org.operations.pk}"
    screen = client.get(reverse("report_gaps") + query)

    response, body = _download(client, reverse("report_gaps") + query + "&export=csv")

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="competence-gaps.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [
        "Department",
        "Job role",
        "Competence",
        "Level required",
        "People required",
        "People covered",
        "Gap",
        "Modules that close the gap",
    ]
    on_screen = [[str(cell) for cell in row] for row in figures(screen.context["analysis"])]
    assert rows[1:] == on_screen
    assert rows[1:] == [[str(cell) for cell in row] for row in EVERY_ROW[:5]]


def test_xlsx_export_has_the_same_rows_as_the_screen(client, org):
    client.force_login(org.hr)
    screen = client.get(reverse("report_gaps"))

    _, body = _download(client, reverse("report_gaps") + "?export=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [tuple("" if cell is None else cell for cell in row) for row in sheet.values]
    assert rows[1:] == figures(screen.context["analysis"])


def test_exports_neutralise_text_a_spreadsheet_would_run_as_a_formula(client, org):
    org.operations.name = '=HYPERLINK("http://bad.example")'
    org.operations.save()
    org.forklift.name = "+Forklift"
    org.forklift.save()
    client.force_login(org.hr)

    _, body = _download(client, reverse("report_gaps") + "?export=csv")
    _, book = _download(client, reverse("report_gaps") + "?export=xlsx")

    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'+Forklift" in text
    cells = [cell for row in openpyxl.load_workbook(io.BytesIO(book)).active.values for cell in row]
    assert "'+Forklift" in cells
    assert not any(isinstance(cell, str) and cell.startswith(("=", "+")) for cell in cells)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?department=999999", "Select a valid choice"),
        ("?management_level=emperor", "Select a valid choice"),
        ("?export=pdf", "Unknown export format"),
    ],
)
def test_bad_filter_or_export_is_a_400_with_a_message(client, org, query, message):
    client.force_login(org.hr)

    response = client.get(reverse("report_gaps") + query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def _grow(org, extra):
    """`extra` more operators at Operations with a Forklift record each, and one more group."""
    role = JobRole.objects.create(name=f"Role for {extra}")
    for n in range(extra):
        someone = person(f"extra{extra}-{n}", org.operations, org.operator, manager=org.sup)
        award(someone, org.forklift, LEVEL.COMPETENT if n % 2 else LEVEL.UNDER_SUPERVISION)
        person(f"extra-role{extra}-{n}", org.quality, role, manager=org.qlead)
    CompetenceRequirement.objects.create(competence=org.audit, job_role=role)


# Session, user, permissions, header links and the form's choices included. A manager takes
# three more: one to be recognised as a manager, one per level of the org chart below them and
# one to find its end.
QUERIES = {("hr", "page"): 16, ("sup", "page"): 19, ("hr", "csv"): 10, ("sup", "csv"): 13}


@pytest.mark.parametrize("viewer", ["hr", "sup"])
@pytest.mark.parametrize("what", ["page", "csv"])
def test_page_and_export_take_a_fixed_number_of_queries(
    client, org, django_assert_max_num_queries, viewer, what
):
    client.force_login(getattr(org, viewer))
    url = reverse("report_gaps") + ("?export=csv" if what == "csv" else "")
    counts = []
    for extra in (2, 40):
        _grow(org, extra)
        with django_assert_max_num_queries(QUERIES[viewer, what]) as captured:
            response = client.get(url)
            if what == "csv":
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- Assigning the modules that close a gap


def test_assign_button_assigns_the_module_to_exactly_the_people_with_the_gap(client, org):
    client.force_login(org.hr)
    query = f"department={org.operations.pk}"

    response = client.post(
        reverse("report_gaps_assign"),
        assign_data(org, module=org.modules.driving, return_query=query),
        follow=True,
    )

    assert response.redirect_chain == [(reverse("report_gaps") + "?" + query, 302)]
    assert assigned(org.modules.driving) == {"op2@example.com", "op3@example.com"}
    message = str(list(response.context["messages"])[0])
    assert message == (
        "Assigned 'Forklift driving' to 2 people lacking Forklift in Operations, Operator; "
        "0 already had it."
    )
    assignment = Assignment.objects.filter(module=org.modules.driving).first()
    assert assignment.assigned_by == org.hr
    assert assignment.due_on == timezone.localdate() + datetime.timedelta(days=30)


def test_assigning_again_assigns_nobody_twice(client, org):
    client.force_login(org.hr)
    data = assign_data(org, module=org.modules.driving)
    client.post(reverse("report_gaps_assign"), data, follow=True)

    response = client.post(reverse("report_gaps_assign"), data, follow=True)

    assert Assignment.objects.filter(module=org.modules.driving).count() == 2
    assert str(list(response.context["messages"])[0]).endswith(
        "to 0 people lacking Forklift in Operations, Operator; 2 already had it."
    )


def test_the_management_level_filter_of_the_report_narrows_who_is_assigned(client, org):
    client.force_login(org.hr)

    client.post(
        reverse("report_gaps_assign"),
        assign_data(
            org, module=org.modules.master, competence=org.hazard, management_level="staff"
        ),
    )

    # sup lacks Hazard too, but is a frontline manager.
    assert assigned(org.modules.master) == {"op3@example.com"}


def test_a_manager_assigns_to_the_people_below_them_who_have_the_gap(client, org):
    client.force_login(org.sup)

    response = client.post(
        reverse("report_gaps_assign"),
        assign_data(org, module=org.modules.master, competence=org.hazard),
    )

    assert response.status_code == 302
    # sup lacks Hazard as well, but is not their own report.
    assert assigned(org.modules.master) == {"op3@example.com"}
    assert Assignment.objects.get(module=org.modules.master).assigned_by == org.sup


def test_a_manager_cannot_assign_outside_their_team(client, org):
    client.force_login(org.qlead)

    response = client.post(
        reverse("report_gaps_assign"), assign_data(org, module=org.modules.driving)
    )

    assert response.status_code == 400
    assert "Nobody you report on in Operations, Operator lacks Forklift" in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("module", "competence", "message"),
    [
        ("basics", "forklift", "does not close this gap"),
        ("master", "forklift", "does not close this gap"),
        ("audit", "hazard", "does not close this gap"),
        ("draft", "forklift", "That module is not published"),
    ],
)
def test_a_module_that_does_not_close_the_gap_is_refused(client, org, module, competence, message):
    client.force_login(org.hr)

    response = client.post(
        reverse("report_gaps_assign"),
        assign_data(org, module=getattr(org.modules, module), competence=getattr(org, competence)),
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"competence": ""}, "This field is required"),
        ({"due_on": "2000-01-01"}, "The due date is in the past"),
        ({"due_on": "soon"}, "Enter a valid date"),
        ({"department": "999999"}, "Select a valid choice"),
        ({"job_role": "x"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_assigns_nothing(client, org, change, message):
    client.force_login(org.hr)

    response = client.post(
        reverse("report_gaps_assign"), {**assign_data(org, module=org.modules.driving), **change}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was assigned" in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_error_shows_the_report_again_with_the_filters_it_came_from(client, org):
    client.force_login(org.hr)

    response = client.post(
        reverse("report_gaps_assign"),
        assign_data(
            org,
            module=org.modules.basics,
            return_query=f"department={org.operations.pk}&export=csv",
        ),
    )

    assert response.status_code == 400
    assert figures(response.context["analysis"]) == EVERY_ROW[:5]


def test_people_who_are_neither_hr_nor_managers_cannot_assign(client, org):
    client.force_login(org.op1)

    response = client.post(
        reverse("report_gaps_assign"), assign_data(org, module=org.modules.driving)
    )

    assert response.status_code == 403
    assert not Assignment.objects.exists()
