"""The read-only API under /api/v1/: who may call it, whom each caller sees, the figures it
answers checked against a small organisation worked out by hand, its filters, its pages, its
refusals of bad queries, and a query count that does not grow with the organisation.

The organisation: the shared personas, plus two people below the manager and a leaver.

    Line Manager (middle)  ─ Team Member (the employee, staff)
                           ─ Dee Deputy (staff) ─ Rob Report (staff)
                           ─ Lee Leaver (staff, deactivated)
    Other Manager (frontline) ─ other report (staff)
    HR, Communications, outsider (staff); a service account (HR group, not on the roster)

Requirements: Forklift of staff at level 2; Hazard awareness of staff at level 1 and of middle
managers at level 2; Calibration of nobody. Current records:

                   Calibration     Forklift              Hazard awareness
    Dee Deputy     not required    missing               missing
    Line Manager   not required    not required          below: level 1 of 2
    Team Member    held, level 3   competent, level 2    expiring, level 1 (10 days)
    Rob Report     not required    expired               missing
    Lee Leaver     not required    competent, level 2    missing

The manager's matrix (active people: Deputy, Manager, Member, Report): Calibration 0 required;
Forklift 3 required, 1 covered (33.3 %); Hazard awareness 4 required, 1 covered (25 %); overall
7 required, 2 covered (28.6 %).
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle

from lms.models import (
    CompetenceRecord,
    CompetenceRequirement,
    Completion,
    ManagementLevel,
    User,
)
from lms.selectors.matrix import CellStatus
from tests.factories import DepartmentFactory, UserFactory
from tests.lms.factories_training import (
    make_assignment,
    make_clause,
    make_competence,
    make_completion,
    make_module,
    make_standard,
)

pytestmark = pytest.mark.django_db
SOURCE = CompetenceRecord.Source
STAFF, MIDDLE = ManagementLevel.STAFF, ManagementLevel.MIDDLE
PEOPLE = reverse("api-people-list")
RECORDS = reverse("api-competence-records-list")
COMPLETIONS = reverse("api-completions-list")
MATRIX = reverse("api-matrix")
LISTS = [PEOPLE, RECORDS, COMPLETIONS, MATRIX]


def days(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


def record(person, competence, *, level, days_ago, expires_in=None, **fields):
    return CompetenceRecord.objects.create(
        user=person,
        competence=competence,
        level=level,
        achieved_at=days(-days_ago),
        recorded_at=fields.pop("recorded_at", days(-days_ago)),
        expires_at=None if expires_in is None else days(expires_in),
        source=fields.pop("source", SOURCE.ASSESSMENT),
        **fields,
    )


@pytest.fixture
def org(personas, manager, employee, other_manager, hr, outsider):
    operations = employee.department
    deputy = UserFactory(
        first_name="Dee", last_name="Deputy", department=operations, manager=manager
    )
    report = UserFactory(first_name="Rob", last_name="Report", department=operations)
    report.manager = deputy
    report.save()
    leaver = UserFactory(
        first_name="Lee", last_name="Leaver", department=operations, manager=manager
    )
    leaver.is_active = False
    leaver.save()
    service = UserFactory(email="hr.system@example.com", employee_id=None, groups=["HR"])
    other_report = User.objects.get(email="other.report@example.com")

    calibration = make_competence(name="Calibration")
    forklift = make_competence(name="Forklift")
    hazard = make_competence(name="Hazard awareness")
    for competence, level, min_level in [
        (forklift, STAFF, 2),
        (hazard, STAFF, 1),
        (hazard, MIDDLE, 2),
    ]:
        CompetenceRequirement.objects.create(
            competence=competence, management_level=level, min_level=min_level
        )

    held = record(employee, calibration, level=3, days_ago=50)
    assessed = record(employee, forklift, level=3, days_ago=40, assessor=manager, notes="Seen.")
    revoked = record(
        employee,
        forklift,
        level=0,
        days_ago=20,
        kind=CompetenceRecord.Kind.REVOKED,
        source=SOURCE.REVOCATION,
        supersedes=assessed,
        reason="Licence lapsed.",
        recorded_by=hr,
    )
    expiring = record(employee, hazard, level=1, days_ago=10, expires_in=10)
    certified = record(
        employee, forklift, level=2, days_ago=5, source=SOURCE.CERTIFICATE, recorded_by=hr
    )
    record(manager, hazard, level=1, days_ago=15)
    record(report, forklift, level=2, days_ago=400, expires_in=-1)
    record(leaver, forklift, level=2, days_ago=60)
    record(other_report, forklift, level=2, days_ago=7)

    module = make_module(title="Safety induction")
    on_time = make_completion(
        assignment=make_assignment(user=employee, module=module, due_on=days(10).date()),
        completed_at=days(-3),
    )
    late = make_completion(
        assignment=make_assignment(user=report, module=module, due_on=days(-10).date()),
        completed_at=days(-2),
    )
    unassigned = make_completion(user=other_report, module=module, completed_at=days(-1))

    return {
        **personas,
        "deputy": deputy,
        "report": report,
        "leaver": leaver,
        "service": service,
        "other_report": other_report,
        "calibration": calibration,
        "forklift": forklift,
        "hazard": hazard,
        "records": [held, assessed, revoked, expiring, certified],
        "module": module,
        "completions": {"on_time": on_time, "late": late, "unassigned": unassigned},
    }


def get(client, caller, url, **params):
    """`url` with `params`, as `caller` signed in with their session."""
    client.force_login(caller)
    return client.get(url, params)


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def people_of(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["person"] for row in response.json()["results"]}


def roster() -> set[int]:
    return set(User.objects.filter(employee_id__isnull=False).values_list("pk", flat=True))


def scope_of(org, name: str) -> set[int]:
    """Whom each persona may read, worked out by hand."""
    people = {
        "employee": [org["employee"]],
        "manager": [org[n] for n in ("manager", "employee", "deputy", "report", "leaver")],
        "other_manager": [org["other_manager"], org["other_report"]],
        "comms": [org["comms"]],
        "outsider": [org["outsider"]],
    }[name]
    return {person.pk for person in people}


# --- Who may call


@pytest.mark.parametrize("url", [*LISTS, reverse("api_schema")])
def test_a_caller_without_credentials_is_told_to_authenticate(client, url):
    response = client.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"] == "application/json"


def test_a_service_account_reads_everyone_on_the_roster_with_its_token(client, org):
    token = Token.objects.create(user=org["service"])

    response = client.get(PEOPLE, HTTP_AUTHORIZATION=f"Token {token.key}")

    # The service account is not on the roster, so it is not among the people it reads.
    assert set(ids_of(response)) == roster()
    assert org["service"].pk not in ids_of(response)


def test_a_wrong_token_is_refused(client, org):
    Token.objects.create(user=org["service"])

    response = client.get(PEOPLE, HTTP_AUTHORIZATION="Token not-the-token")

    assert response.status_code == 401


def test_a_deactivated_accounts_token_stops_working(client, org):
    token = Token.objects.create(user=org["service"])
    User.objects.filter(pk=org["service"].pk).update(is_active=False)

    response = client.get(PEOPLE, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 401


def test_a_person_reads_with_their_session(client, org):
    assert ids_of(get(client, org["employee"], PEOPLE)) == [org["employee"].pk]


def test_nothing_can_be_written(client, org):
    client.force_login(org["hr"])

    for url in LISTS:
        assert client.post(url, {}).status_code == 405
    assert client.delete(reverse("api-people-detail", args=[org["employee"].pk])).status_code == 405


def test_each_caller_is_held_to_the_rate_limit(client, org, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    client.force_login(org["hr"])

    statuses = [client.get(PEOPLE).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


# --- Whom each caller sees


def test_hr_sees_everyone_on_the_roster_leavers_included(client, org):
    people = set(ids_of(get(client, org["hr"], PEOPLE, page_size=1000)))

    assert people == roster()
    assert org["leaver"].pk in people


@pytest.mark.parametrize("persona", ["employee", "manager", "other_manager", "comms", "outsider"])
def test_anyone_else_sees_themself_and_the_people_below_them(client, org, persona):
    assert set(ids_of(get(client, org[persona], PEOPLE))) == scope_of(org, persona)


@pytest.mark.parametrize(
    ("persona", "person", "status"),
    [
        ("employee", "employee", 200),
        ("manager", "employee", 200),
        ("manager", "report", 200),
        ("hr", "leaver", 200),
        ("employee", "manager", 404),
        ("other_manager", "employee", 404),
        ("manager", "other_report", 404),
        ("outsider", "employee", 404),
        ("comms", "employee", 404),
        ("hr", "service", 404),
    ],
)
def test_a_person_outside_the_callers_scope_is_not_found(client, org, persona, person, status):
    url = reverse("api-people-detail", args=[org[person].pk])

    response = get(client, org[persona], url)

    assert response.status_code == status
    if status == 404:
        assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("persona", ["employee", "manager", "other_manager", "comms", "outsider"])
def test_no_endpoint_answers_with_a_person_outside_the_callers_scope(client, org, persona):
    scope = scope_of(org, persona)
    caller = org[persona]

    people = set(ids_of(get(client, caller, PEOPLE)))
    records = people_of(get(client, caller, RECORDS, page_size=1000))
    completions = people_of(get(client, caller, COMPLETIONS, page_size=1000))
    matrix = set(ids_of(get(client, caller, MATRIX, page_size=1000)))

    assert people == scope
    assert records <= scope
    assert completions <= scope
    # The matrix, like its page, covers the people still active.
    assert matrix == scope - {org["leaver"].pk}
    outside = roster() - scope
    for person in outside:
        assert get(client, caller, reverse("api-people-detail", args=[person])).status_code == 404


def test_hr_sees_every_record_and_completion(client, org):
    records = get(client, org["hr"], RECORDS, page_size=1000).json()
    completions = get(client, org["hr"], COMPLETIONS, page_size=1000).json()

    assert records["count"] == CompetenceRecord.objects.count() == 9
    assert completions["count"] == Completion.objects.count() == 3


# --- People and their competence status


def status(required, covered, percent, **by_status):
    counts = dict.fromkeys(["competent", "expiring", "expired", "revoked", "below", "missing"], 0)
    return {
        "required": required,
        "covered": covered,
        "percent": percent,
        "by_status": {**counts, **by_status},
    }


def test_each_person_comes_with_their_required_competences_counted_by_status(client, org):
    people = {row["id"]: row for row in get(client, org["manager"], PEOPLE).json()["results"]}

    assert people[org["employee"].pk]["competence_status"] == status(
        2, 2, 100.0, competent=1, expiring=1
    )
    assert people[org["manager"].pk]["competence_status"] == status(1, 0, 0.0, below=1)
    assert people[org["deputy"].pk]["competence_status"] == status(2, 0, 0.0, missing=2)
    assert people[org["report"].pk]["competence_status"] == status(2, 0, 0.0, expired=1, missing=1)
    assert people[org["leaver"].pk]["competence_status"] == status(
        2, 1, 50.0, competent=1, missing=1
    )


def test_a_person_with_nothing_required_has_no_coverage_percent(client, org):
    person = get(client, org["other_manager"], PEOPLE, management_level="frontline").json()

    assert person["results"][0]["competence_status"] == status(0, 0, None)


def test_a_person_is_listed_with_where_they_sit(client, org):
    employee, manager = org["employee"], org["manager"]

    row = get(client, employee, PEOPLE).json()["results"][0]

    assert row == {
        "id": employee.pk,
        "employee_id": employee.employee_id,
        "email": "employee@example.com",
        "first_name": "Team",
        "last_name": "Member",
        "department": employee.department_id,
        "department_name": "Operations",
        "job_role": employee.job_role_id,
        "job_role_name": employee.job_role.name,
        "management_level": "staff",
        "manager": manager.pk,
        "is_active": True,
        "competence_status": status(2, 2, 100.0, competent=1, expiring=1),
    }


def test_a_persons_detail_lists_each_competence_with_its_status(client, org):
    employee = org["employee"]
    held, _, _, expiring, certified = org["records"]

    detail = get(client, org["manager"], reverse("api-people-detail", args=[employee.pk])).json()

    assert detail["competence_status"] == status(2, 2, 100.0, competent=1, expiring=1)
    by_name = {row["competence_name"]: row for row in detail["competences"]}
    assert list(by_name) == ["Forklift", "Hazard awareness", "Calibration"]
    assert by_name["Forklift"] == {
        "competence": org["forklift"].pk,
        "competence_name": "Forklift",
        "required": True,
        "required_level": 2,
        "status": "competent",
        "level": 2,
        "expires_at": None,
        "record": certified.pk,
    }
    assert by_name["Hazard awareness"]["status"] == "expiring"
    assert by_name["Hazard awareness"]["record"] == expiring.pk
    assert by_name["Hazard awareness"]["expires_at"] is not None
    assert by_name["Calibration"] == {
        "competence": org["calibration"].pk,
        "competence_name": "Calibration",
        "required": False,
        "required_level": None,
        "status": "competent",
        "level": 3,
        "expires_at": None,
        "record": held.pk,
    }


def test_a_missing_competence_has_no_record_and_no_level(client, org):
    deputy = org["deputy"]

    detail = get(client, deputy, reverse("api-people-detail", args=[deputy.pk])).json()

    assert [
        (row["competence_name"], row["status"], row["level"], row["record"])
        for row in detail["competences"]
    ] == [
        ("Forklift", "missing", None, None),
        ("Hazard awareness", "missing", None, None),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"department": "operations"}, ["employee", "manager", "deputy", "report", "leaver"]),
        ({"department": "assembly"}, ["deputy"]),
        ({"management_level": "middle"}, ["manager"]),
        ({"job_role": "employee"}, ["employee"]),
        ({"is_active": "false"}, ["leaver"]),
        ({"is_active": "true", "department": "assembly"}, ["deputy"]),
    ],
)
def test_the_people_filters_narrow_the_list(client, org, params, expected):
    assembly = DepartmentFactory(name="Assembly", parent=org["employee"].department)
    User.objects.filter(pk=org["deputy"].pk).update(department=assembly)
    values = {
        "operations": org["employee"].department_id,
        "assembly": assembly.pk,
        "employee": org["employee"].job_role_id,
    }
    params = {key: values.get(value, value) for key, value in params.items()}

    found = ids_of(get(client, org["hr"], PEOPLE, page_size=1000, **params))

    assert set(found) == {org[name].pk for name in expected}


# --- Competence records


def test_records_come_oldest_first_with_the_ids_of_their_evidence(client, org):
    employee = org["employee"]
    held, assessed, revoked, expiring, certified = org["records"]

    rows = get(client, org["manager"], RECORDS, person=employee.pk).json()["results"]

    assert [row["id"] for row in rows] == [r.pk for r in org["records"]]
    assert rows[1] | {"achieved_at": None, "recorded_at": None} == {
        "id": assessed.pk,
        "person": employee.pk,
        "employee_id": employee.employee_id,
        "competence": org["forklift"].pk,
        "competence_name": "Forklift",
        "kind": "awarded",
        "level": 3,
        "achieved_at": None,
        "expires_at": None,
        "source": "assessment",
        "completion": None,
        "revision": None,
        "attempt": None,
        "assessor": org["manager"].pk,
        "certificate_issuer": "",
        "notes": "Seen.",
        "supersedes": None,
        "reason": "",
        "recorded_by": None,
        "recorded_at": None,
    }
    assert rows[2]["kind"] == "revoked"
    assert rows[2]["supersedes"] == assessed.pk
    assert rows[2]["reason"] == "Licence lapsed."
    assert rows[2]["recorded_by"] == org["hr"].pk


def test_records_at_the_same_moment_come_in_id_order(client, org):
    # Records cannot be updated (PostgreSQL refuses it): three written at one moment.
    moment = days(-1)
    same = [
        record(org["deputy"], org["forklift"], level=1, days_ago=0, recorded_at=moment)
        for _ in range(3)
    ]

    rows = get(client, org["hr"], RECORDS, person=org["deputy"].pk).json()["results"]

    assert [row["id"] for row in rows] == sorted(r.pk for r in same)


def test_a_record_of_a_module_completion_names_the_completion_and_revision(client, org):
    completion = org["completions"]["on_time"]
    made = record(
        org["employee"],
        org["calibration"],
        level=2,
        days_ago=0,
        source=SOURCE.MODULE_COMPLETION,
        completion=completion,
        revision=completion.revision,
    )

    rows = get(client, org["employee"], RECORDS, source="module_completion").json()["results"]

    assert [(row["id"], row["completion"], row["revision"]) for row in rows] == [
        (made.pk, completion.pk, completion.revision_id)
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"competence": "forklift", "person": "employee"}, [1, 2, 4]),
        ({"kind": "revoked"}, [2]),
        ({"source": "certificate"}, [4]),
        ({"updated_since": "12 days ago"}, [3, 4]),
    ],
)
def test_the_record_filters_narrow_the_list(client, org, params, expected):
    values = {
        "forklift": org["forklift"].pk,
        "employee": org["employee"].pk,
        "12 days ago": days(-12).isoformat(),
    }
    params = {key: values.get(value, value) for key, value in params.items()}

    rows = get(client, org["employee"], RECORDS, **params).json()["results"]

    assert [row["id"] for row in rows] == [org["records"][i].pk for i in expected]


def test_updated_since_counts_a_record_at_that_very_moment(client, org):
    certified = org["records"][4]
    moment = certified.recorded_at.isoformat()

    rows = get(client, org["employee"], RECORDS, updated_since=moment).json()["results"]

    assert [row["id"] for row in rows] == [certified.pk]


def test_updated_since_accepts_utc_written_with_a_z(client, org):
    certified = org["records"][4]
    text = certified.recorded_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    rows = get(client, org["employee"], RECORDS, updated_since=text).json()["results"]

    assert [row["id"] for row in rows] == [certified.pk]


@pytest.mark.parametrize("url", [RECORDS, COMPLETIONS])
def test_naming_a_person_outside_the_scope_finds_nothing_rather_than_an_error(client, org, url):
    for person in [org["other_report"].pk, 999999]:
        response = get(client, org["manager"], url, person=person)

        assert response.status_code == 200
        assert response.json()["count"] == 0


# --- Completions


def test_completions_come_oldest_first_with_the_revision_trained_on(client, org):
    on_time, late, unassigned = org["completions"].values()

    rows = get(client, org["hr"], COMPLETIONS).json()["results"]

    assert [row["id"] for row in rows] == [on_time.pk, late.pk, unassigned.pk]
    assert rows[0] | {"completed_at": None} == {
        "id": on_time.pk,
        "person": org["employee"].pk,
        "employee_id": org["employee"].employee_id,
        "module": org["module"].pk,
        "module_title": "Safety induction",
        "revision": on_time.revision_id,
        "completed_at": None,
        "assignment": on_time.assignment_id,
        "on_time": True,
    }
    assert on_time.revision_id is not None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"on_time": "true"}, ["on_time"]),
        ({"on_time": "false"}, ["late"]),
        ({"person": "report"}, ["late"]),
        ({"module": "module"}, ["on_time", "late", "unassigned"]),
        ({"module": "other module"}, []),
        ({"completed_since": "the late one's moment"}, ["late", "unassigned"]),
    ],
)
def test_the_completion_filters_narrow_the_list(client, org, params, expected):
    values = {
        "report": org["report"].pk,
        "module": org["module"].pk,
        "other module": make_module(title="Other").pk,
        "the late one's moment": org["completions"]["late"].completed_at.isoformat(),
    }
    params = {key: values.get(value, value) for key, value in params.items()}

    rows = get(client, org["hr"], COMPLETIONS, **params).json()["results"]

    assert [row["id"] for row in rows] == [org["completions"][name].pk for name in expected]


# --- The matrix


def cells_of(row) -> list[tuple]:
    return [(cell["status"], cell["level"], cell["required_level"]) for cell in row["cells"]]


def test_the_matrix_has_every_cell_and_total_worked_out_by_hand(client, org):
    matrix = get(client, org["manager"], MATRIX).json()

    assert [column["name"] for column in matrix["columns"]] == [
        "Calibration",
        "Forklift",
        "Hazard awareness",
    ]
    rows = matrix["results"]
    assert [row["name"] for row in rows] == [
        "Dee Deputy",
        "Line Manager",
        "Team Member",
        "Rob Report",
    ]
    NR, S = "not_required", CellStatus
    assert cells_of(rows[0]) == [(NR, None, None), (S.MISSING, None, 2), (S.MISSING, None, 1)]
    assert cells_of(rows[1]) == [(NR, None, None), (NR, None, None), (S.BELOW, 1, 2)]
    assert cells_of(rows[2]) == [(NR, 3, None), (S.COMPETENT, 2, 2), (S.EXPIRING, 1, 1)]
    assert cells_of(rows[3]) == [(NR, None, None), (S.EXPIRED, None, 2), (S.MISSING, None, 1)]
    assert rows[2]["cells"][2]["expires_at"] is not None
    assert rows[2] | {"cells": None} == {
        "id": org["employee"].pk,
        "employee_id": org["employee"].employee_id,
        "name": "Team Member",
        "email": "employee@example.com",
        "department": org["employee"].department_id,
        "department_name": "Operations",
        "job_role": org["employee"].job_role_id,
        "job_role_name": org["employee"].job_role.name,
        "management_level": "staff",
        "cells": None,
    }
    assert matrix["column_totals"] == [
        status(0, 0, None),
        status(3, 1, 33.3, competent=1, missing=1, expired=1),
        status(4, 1, 25.0, expiring=1, below=1, missing=2),
    ]
    assert matrix["overall"] == status(
        7, 2, 28.6, competent=1, expiring=1, expired=1, below=1, missing=3
    )
    assert (matrix["count"], matrix["next"], matrix["previous"]) == (4, None, None)


def test_the_matrix_filters_are_those_of_the_matrix_page(client, org):
    iso45001 = make_standard(name="ISO 45001:2018")
    org["hazard"].standard = iso45001
    org["hazard"].save()

    by_status = get(client, org["manager"], MATRIX, status="below").json()
    by_standard = get(client, org["manager"], MATRIX, standard=iso45001.pk).json()
    soon = get(client, org["manager"], MATRIX, status="expiring", within=5).json()

    assert [row["name"] for row in by_status["results"]] == ["Line Manager"]
    assert [column["name"] for column in by_standard["columns"]] == ["Hazard awareness"]
    assert by_standard["overall"]["required"] == 4
    # Expiring in 10 days is not expiring within 5.
    assert soon["count"] == 0


def query_of(url: str) -> dict:
    return parse_qs(urlsplit(url).query)


def test_the_matrix_pages_count_people_and_the_totals_count_every_page(client, org):
    first = get(client, org["manager"], MATRIX, page_size=3).json()
    second = get(client, org["manager"], MATRIX, page_size=3, page=2).json()

    assert [row["name"] for row in first["results"]] == [
        "Dee Deputy",
        "Line Manager",
        "Team Member",
    ]
    assert [row["name"] for row in second["results"]] == ["Rob Report"]
    assert first["count"] == second["count"] == 4
    assert first["overall"] == second["overall"]
    assert query_of(first["next"]) == {"page": ["2"], "page_size": ["3"]}
    assert first["previous"] is None
    assert second["next"] is None
    assert query_of(second["previous"]) == {"page_size": ["3"]}


def test_a_clause_of_another_standard_is_refused_naming_the_clause(client, org):
    clause = make_clause(standard=make_standard(name="ISO 9001:2015"), number="7.2")
    other = make_standard(name="ISO 14001:2015")

    response = get(client, org["hr"], MATRIX, standard=other.pk, clause=clause.pk)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["clause"]


# --- Pages


def test_lists_come_in_pages_of_the_size_asked_for(client, org):
    everyone = ids_of(get(client, org["hr"], PEOPLE, page_size=1000))

    first = get(client, org["hr"], PEOPLE, page_size=4).json()
    last_number = -(-len(everyone) // 4)
    last = get(client, org["hr"], PEOPLE, page_size=4, page=last_number).json()

    assert first["count"] == last["count"] == len(everyone)
    assert [row["id"] for row in first["results"]] == everyone[:4]
    assert [row["id"] for row in last["results"]] == everyone[(last_number - 1) * 4 :]
    assert query_of(first["next"]) == {"page": ["2"], "page_size": ["4"]}
    assert first["previous"] is None
    assert last["next"] is None


def test_a_list_has_a_hundred_results_per_page_unless_asked(client, org):
    UserFactory.create_batch(100)

    response = get(client, org["hr"], PEOPLE).json()

    assert len(response["results"]) == 100
    assert response["count"] == len(roster())


@pytest.mark.parametrize("url", [RECORDS, COMPLETIONS])
def test_an_empty_list_still_has_its_first_page(client, org, url):
    response = get(client, org["outsider"], url, page=1)

    assert response.status_code == 200
    assert response.json()["results"] == []


# --- Bad queries


def assert_refused(response, *names):
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert sorted(body["errors"]) == sorted(names)
    for name in names:
        assert name in body["detail"]
        assert all(isinstance(message, str) and message for message in body["errors"][name])


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        (PEOPLE, {"colour": "blue"}, "colour"),
        (PEOPLE, {"department": "abc"}, "department"),
        (PEOPLE, {"department": "999999"}, "department"),
        (PEOPLE, {"job_role": "999999"}, "job_role"),
        (PEOPLE, {"management_level": "boss"}, "management_level"),
        (PEOPLE, {"is_active": "yes"}, "is_active"),
        (PEOPLE, {"updated_since": "2025-01-01"}, "updated_since"),
        (RECORDS, {"person": "abc"}, "person"),
        (RECORDS, {"person": "0"}, "person"),
        (RECORDS, {"competence": "999999"}, "competence"),
        (RECORDS, {"updated_since": "yesterday"}, "updated_since"),
        (RECORDS, {"updated_since": "2025-01-31T08:00:00 02:00"}, "updated_since"),
        (RECORDS, {"kind": "lost"}, "kind"),
        (RECORDS, {"source": "rumour"}, "source"),
        (RECORDS, {"since": "2025-01-01"}, "since"),
        (COMPLETIONS, {"on_time": "1"}, "on_time"),
        (COMPLETIONS, {"module": "999999"}, "module"),
        (COMPLETIONS, {"completed_since": "31/01/2025 08:00"}, "completed_since"),
        (MATRIX, {"status": "fine"}, "status"),
        (MATRIX, {"within": "400"}, "within"),
        (MATRIX, {"standard": "999999"}, "standard"),
        (MATRIX, {"person": "1"}, "person"),
        (PEOPLE, {"page": "abc"}, "page"),
        (PEOPLE, {"page": "0"}, "page"),
        (PEOPLE, {"page": "last"}, "page"),
        (PEOPLE, {"page": "99"}, "page"),
        (RECORDS, {"page": "99"}, "page"),
        (MATRIX, {"page": "99"}, "page"),
        (COMPLETIONS, {"page_size": "0"}, "page_size"),
        (RECORDS, {"page_size": "1001"}, "page_size"),
        (MATRIX, {"page_size": "1001"}, "page_size"),
        (PEOPLE, {"format": "xml"}, "format"),
        (MATRIX, {"format": "csv"}, "format"),
    ],
)
def test_an_unknown_parameter_or_a_bad_value_is_refused_naming_it(client, org, url, params, name):
    assert_refused(get(client, org["hr"], url, **params), name)


def test_every_bad_parameter_is_named_at_once(client, org):
    response = get(client, org["hr"], RECORDS, kind="lost", colour="blue", page_size="0")

    assert_refused(response, "kind", "colour", "page_size")


def test_a_parameter_given_twice_is_refused(client, org):
    client.force_login(org["hr"])

    response = client.get(f"{RECORDS}?person={org['employee'].pk}&person={org['manager'].pk}")

    assert_refused(response, "person")


def test_a_persons_detail_takes_no_filters(client, org):
    url = reverse("api-people-detail", args=[org["employee"].pk])

    assert_refused(get(client, org["hr"], url, page="2"), "page")
    assert get(client, org["hr"], url, format="json").status_code == 200


def test_the_page_and_size_at_their_limits_are_accepted(client, org):
    assert get(client, org["hr"], PEOPLE, page_size=1000, page=1, format="json").status_code == 200


def test_a_stranger_is_told_to_authenticate_before_anything_about_the_query(client):
    assert client.get(PEOPLE, {"format": "xml", "colour": "blue"}).status_code == 401


def test_an_empty_filter_means_no_filter(client, org):
    everyone = ids_of(get(client, org["hr"], PEOPLE, page_size=1000))

    assert ids_of(get(client, org["hr"], PEOPLE, page_size=1000, department="")) == everyone


# --- Queries: the same number whatever the size


def _grow(org, size: int) -> None:
    """`size` more people below the manager, each with two records and a completion."""
    for n in range(size):
        person = UserFactory(
            department=org["employee"].department, manager=org["deputy"], last_name=f"Z{n:03d}"
        )
        record(person, org["forklift"], level=2, days_ago=3)
        record(person, org["hazard"], level=1, days_ago=2, expires_in=5)
        Completion.objects.create(user=person, module=org["module"], completed_at=days(-1))


# Measured: the session 2, the rate limit's counter in the database cache 6, permissions 2, the
# manager's reports one per level of the org chart (3 here), then the count and the page, and for
# people and the matrix the five of the matrix walk (with its columns).
QUERIES = {PEOPLE: 20, RECORDS: 15, COMPLETIONS: 15, MATRIX: 18}


@pytest.mark.parametrize("size", [3, 40])
@pytest.mark.parametrize("url", LISTS)
def test_each_list_costs_the_same_queries_whatever_the_size(
    client, org, url, size, django_assert_max_num_queries
):
    _grow(org, size)
    client.force_login(org["manager"])

    with django_assert_max_num_queries(QUERIES[url]):
        response = client.get(url, {"page_size": 1000})

    assert response.status_code == 200
    assert len(response.json()["results"]) >= size


@pytest.mark.parametrize("size", [3, 40])
def test_a_service_account_costs_the_same_queries_whatever_the_size(
    client, org, size, django_assert_max_num_queries
):
    _grow(org, size)
    token = Token.objects.create(user=org["service"])

    with django_assert_max_num_queries(QUERIES[PEOPLE]):
        response = client.get(PEOPLE, {"page_size": 1000}, HTTP_AUTHORIZATION=f"Token {token}")

    assert response.json()["count"] == len(roster())
