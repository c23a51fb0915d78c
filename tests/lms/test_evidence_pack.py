"""The audit evidence pack: a ZIP of the requirement matrix, the records, the training content
revisions and the person files of one clause, with a manifest whose hashes prove it unaltered.

The organisation: ISO 9001 clause 7.2 has two competences, forklift driving (required of
drivers) and spill response (required of storekeepers); clause 7.3 has one. Operations has a
driver (Ada), a clerk (Dan) and, in its sub-department Warehouse, a storekeeper (Ben); Finance
has a driver (Cy). The pack asks for 7.2 in Operations, records from 1 January to 30 June 2025.
"""

import csv
import datetime
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.models import (
    CompetenceRecord,
    CompetenceRequirement,
    Completion,
    Department,
    EffectivenessCheck,
    ProficiencyLevel,
)
from quizzes.models import Attempt
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory
from tests.lms.factories_training import make_clause, make_competence, make_module, make_standard
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db
Kind, Source = CompetenceRecord.Kind, CompetenceRecord.Source
COMPETENT = ProficiencyLevel.COMPETENT


def at(year, month, day):
    return datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC)


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def record(user, competence, moment, *, recorded=None, **fields):
    fields.setdefault("level", COMPETENT)
    fields.setdefault("source", Source.ASSESSMENT)
    return CompetenceRecord.objects.create(
        user=user,
        competence=competence,
        achieved_at=moment,
        recorded_at=recorded or moment,
        **fields,
    )


def clause_competence(name, clause):
    competence = make_competence(name=name)
    competence.clauses = [clause]
    competence.save()
    return competence


@pytest.fixture
def org(hr):
    standard = make_standard(name="ISO 9001:2015")
    competence_clause = make_clause(standard=standard, number="7.2", title="Competence")
    awareness = make_clause(standard=standard, number="7.3", title="Awareness")
    forklift = clause_competence("Forklift driving", competence_clause)
    spill = clause_competence("Spill response", competence_clause)
    policy = clause_competence("Quality policy", awareness)
    operations = DepartmentFactory(name="Operations")
    warehouse = Department.objects.create(name="Warehouse", parent=operations)
    finance = DepartmentFactory(name="Finance")
    driver, keeper, clerk = (JobRoleFactory(name=n) for n in ("Driver", "Storekeeper", "Clerk"))
    CompetenceRequirement.objects.create(competence=forklift, job_role=driver, min_level=COMPETENT)
    CompetenceRequirement.objects.create(competence=spill, job_role=keeper, min_level=COMPETENT)

    def person(first, last, employee_id, department, role):
        return UserFactory(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.com",
            employee_id=employee_id,
            department=department,
            job_role=role,
        )

    ada = person("Ada", "Driver", "E001", operations, driver)
    ben = person("Ben", "Keeper", "E002", warehouse, keeper)
    cy = person("Cy", "Counter", "E003", finance, driver)
    person("Dan", "Idle", "E004", operations, clerk)

    assessed = record(
        ada,
        forklift,
        at(2025, 3, 3),
        assessor=hr,
        recorded_by=hr,
        notes='=HYPERLINK("http://example.com","open")',
    )
    revocation = record(
        ada,
        forklift,
        at(2025, 4, 1),
        kind=Kind.REVOKED,
        level=ProficiencyLevel.NOT_YET_COMPETENT,
        source=Source.REVOCATION,
        supersedes=assessed,
        reason="Licence lapsed.",
        recorded_by=hr,
    )
    module = make_module(title="Spill drill")
    completion = Completion.objects.create(
        user=ada, module=module, revision=module.live_revision, completed_at=at(2025, 3, 5)
    )
    attempt = Attempt.objects.create(
        quiz=make_quiz(title="Spill quiz"),
        user=ada,
        number=1,
        status=Attempt.Status.SUBMITTED,
        paper={"questions": []},
        submitted_at=at(2025, 3, 5),
        score_percent=Decimal("90.00"),
        passed=True,
        pass_mark_percent=80,
    )
    trained = record(
        ada,
        spill,
        at(2025, 3, 5),
        source=Source.QUIZ_ATTEMPT,
        completion=completion,
        revision=module.live_revision,
        attempt=attempt,
    )
    # Achieved before the range but recorded within it: in the pack.
    certificate = record(
        ben,
        spill,
        at(2024, 11, 1),
        recorded=at(2025, 3, 10),
        source=Source.CERTIFICATE,
        certificate_file="competence-evidence/ben.pdf",
        certificate_issuer="Red Cross",
        recorded_by=hr,
        expires_at=at(2099, 3, 10),
    )
    EffectivenessCheck.objects.create(
        record=certificate,
        due_on=datetime.date(2025, 4, 10),
        outcome=EffectivenessCheck.Outcome.CONFIRMED,
        answered_by=hr,
        answered_at=at(2025, 4, 11),
        note="Led the spill drill.",
    )
    outside = {
        "before the range": record(ada, forklift, at(2024, 12, 1), assessor=hr, notes="Old."),
        "after the range": record(ben, spill, at(2025, 7, 15), assessor=hr, notes="Later."),
        "another clause": record(ada, policy, at(2025, 3, 3), assessor=hr, notes="Policy."),
        "another department": record(cy, forklift, at(2025, 3, 3), assessor=hr, notes="Cy."),
    }
    return {
        "standard": standard,
        "clause": competence_clause,
        "awareness": awareness,
        "operations": operations,
        "module": module,
        "attempt": attempt,
        "records": [assessed, revocation, trained, certificate],
        "outside": outside,
    }


def pack_query(org, **changes):
    query = {
        "standard": org["standard"].pk,
        "clause": org["clause"].pk,
        "department": org["operations"].pk,
        "date_from": "2025-01-01",
        "date_to": "2025-06-30",
        "download": "1",
    }
    query.update(changes)
    return {key: value for key, value in query.items() if value is not None}


def download(client, org, **changes):
    response = client.get(reverse("report_evidence_pack"), pack_query(org, **changes))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(archive, name):
    text = archive.read(name).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def pack(client, hr, org):
    client.force_login(hr)
    return download(client, org)


def test_the_pack_holds_the_expected_files_in_order(pack, org):
    revision = org["module"].live_revision

    assert pack.namelist() == [
        "requirement-matrix.csv",
        "records.csv",
        f"training-content/{org['module'].slug}-rev{revision.pk}.json",
        "people/E001-ada-driver.pdf",
        "people/E002-ben-keeper.pdf",
        "README.txt",
        "manifest.json",
        "SHA256SUMS",
    ]
    assert pack.read("people/E001-ada-driver.pdf").startswith(b"%PDF")


def test_the_requirement_matrix_covers_the_clause_and_the_department_with_its_sub_departments(
    pack,
):
    assert csv_rows(pack, "requirement-matrix.csv") == [
        ["Employee id", "Name", "E-mail", "Department", "Job role", "Management level"]
        + ["Forklift driving", "Spill response"],
        ["E001", "Ada Driver", "ada@example.com", "Operations", "Driver", "Staff"]
        + ["Revoked", "Not required (level 2)"],
        ["E004", "Dan Idle", "dan@example.com", "Operations", "Clerk", "Staff"]
        + ["Not required", "Not required"],
        ["E002", "Ben Keeper", "ben@example.com", "Warehouse", "Storekeeper", "Staff"]
        + ["Not required", "Competent (level 2)"],
    ]


def test_the_records_file_holds_each_record_in_scope_with_its_evidence(pack, org, hr):
    assessed, revocation, trained, certificate = org["records"]
    revision = org["module"].live_revision
    hr_name = hr.get_full_name()
    no_evidence = [""] * 17
    rows = csv_rows(pack, "records.csv")

    assert len(rows[0]) == 34
    assert rows[1:] == [
        [str(assessed.pk), "E001", "Ada Driver", "Operations", "Forklift driving", "Awarded"]
        + ["Revoked", "Competent", "Assessment", iso(at(2025, 3, 3)), iso(at(2025, 3, 3))]
        + [hr_name, "", "no", "", "", "", "", "", "", "", "", "", hr_name]
        + ['\'=HYPERLINK("http://example.com","open")', "", "", "", "", "", ""]
        + ["", str(revocation.pk), ""],
        [str(revocation.pk), "E001", "Ada Driver", "Operations", "Forklift driving"]
        + ["Revoked", "Revocation", "Not yet competent", "Revocation", iso(at(2025, 4, 1))]
        + [iso(at(2025, 4, 1)), hr_name, "", "no"]
        + no_evidence
        + [str(assessed.pk), "", "Licence lapsed."],
        [str(trained.pk), "E001", "Ada Driver", "Operations", "Spill response", "Awarded"]
        + ["Current", "Competent", "Quiz passed", iso(at(2025, 3, 5)), iso(at(2025, 3, 5))]
        + ["the platform", "", "no", "Spill drill", iso(at(2025, 3, 5)), str(revision.pk)]
        + [iso(revision.created_at), "Spill quiz", "1", "90.00", "yes", "80", "", ""]
        + ["", "", "", "", "", "", "", "", ""],
        [str(certificate.pk), "E002", "Ben Keeper", "Warehouse", "Spill response", "Awarded"]
        + ["Superseded by a later record", "Competent", "External certificate"]
        + [iso(at(2024, 11, 1)), iso(at(2025, 3, 10)), hr_name, iso(at(2099, 3, 10)), "no"]
        + ["", "", "", "", "", "", "", "", "", "", "", "ben.pdf", "Red Cross"]
        + ["Applies it at work", hr_name, iso(at(2025, 4, 11)), "Led the spill drill."]
        + ["", "", ""],
    ]


@pytest.mark.parametrize(
    "reason", ["before the range", "after the range", "another clause", "another department"]
)
def test_a_record_outside_the_filters_is_not_in_the_pack(pack, org, reason):
    left_out = org["outside"][reason]

    record_ids = [row[0] for row in csv_rows(pack, "records.csv")[1:]]

    assert str(left_out.pk) not in record_ids


def test_without_a_department_or_dates_the_pack_covers_everyone_and_every_record(client, hr, org):
    client.force_login(hr)

    archive = download(client, org, department="", date_from="", date_to="")

    record_ids = {row[0] for row in csv_rows(archive, "records.csv")[1:]}
    expected = [*org["records"], *org["outside"].values()]
    expected.remove(org["outside"]["another clause"])
    assert record_ids == {str(r.pk) for r in expected}
    assert "people/E003-cy-counter.pdf" in archive.namelist()


def test_each_training_content_file_is_the_revision_as_stored(pack, org):
    revision = org["module"].live_revision

    document = json.loads(pack.read(f"training-content/{org['module'].slug}-rev{revision.pk}.json"))

    assert document["revision_id"] == revision.pk
    assert document["title"] == "Spill drill"
    assert document["created_at"] == timezone.localtime(revision.created_at).isoformat()
    assert document["content"] == revision.content


def test_the_manifest_lists_every_file_with_its_hash_and_size(pack, org, hr):
    manifest = json.loads(pack.read("manifest.json"))

    listed = [(f["path"], f["sha256"], f["bytes"]) for f in manifest["files"]]
    assert listed == [
        (name, hashlib.sha256(pack.read(name)).hexdigest(), len(pack.read(name)))
        for name in pack.namelist()[:-2]
    ]
    assert manifest["filters"] == {
        "standard": "ISO 9001:2015",
        "clause": "7.2 Competence",
        "department": "Operations",
        "includes_sub_departments": True,
        "records_from": "2025-01-01",
        "records_to": "2025-06-30",
        "dates_compared": "achieved_at or recorded_at",
    }
    assert manifest["generated_by"]["email"] == hr.email
    assert manifest["generated_at"].startswith(timezone.localdate().isoformat())


def test_sha256sums_verifies_every_file_but_itself(pack, tmp_path):
    lines = pack.read("SHA256SUMS").decode().splitlines()

    assert [line.split("  ", 1)[1] for line in lines] == pack.namelist()[:-1]
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256(pack.read(name)).hexdigest() == digest
    pack.extractall(tmp_path)
    # The auditor's own check, with the coreutils tool: a fixed command on files just written.
    checked = subprocess.run(  # noqa: S603
        [shutil.which("sha256sum"), "-c", "SHA256SUMS"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_readme_says_what_the_pack_holds_and_who_made_it(pack, hr):
    readme = pack.read("README.txt").decode()

    assert "ISO 9001:2015 clause 7.2 Competence" in readme
    assert f"by {hr.get_full_name()} <{hr.email}>" in readme
    assert "Department: Operations and its sub-departments" in readme
    assert "from 2025-01-01 to 2025-06-30" in readme
    assert "4 competence records" in readme
    assert "2 person competence files" in readme


def test_the_pack_adds_a_fixed_number_of_queries_per_person_file(client, hr, org):
    client.force_login(hr)
    url = reverse("report_evidence_pack")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, pack_query(org))
            b"".join(response.streaming_content)
        return len(captured)

    small = queries()
    driver = JobRoleFactory(name="Driver")
    spill = org["records"][2].competence
    for n in range(3):
        # Each holds spill response and misses forklift driving: a file with a gap to close.
        newcomer = UserFactory(department=org["operations"], job_role=driver)
        record(newcomer, spill, at(2025, 2, n + 1))
    large = queries()

    # Three per file: the person's requirements, records, and the modules closing the gap.
    assert large - small == 3 * 3
    assert small <= 30


def test_the_form_without_download_shows_the_page(client, hr, org):
    client.force_login(hr)

    response = client.get(reverse("report_evidence_pack"))

    assert response.status_code == 200
    assert "Download the evidence pack" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"clause": None}, "Choose the clause of the standard"),
        ({"standard": None}, "Choose the standard"),
        ({"clause": "awareness-of-another-standard"}, "is not part of ISO 9001:2015"),
        ({"clause": "999999"}, "That clause does not exist"),
        ({"department": "999999"}, "That department does not exist"),
        ({"date_from": "2025-07-01"}, "The end of the range comes before its start"),
        ({"date_to": "not a date"}, "Enter a valid date"),
    ],
)
def test_a_bad_choice_is_a_400_with_a_message_and_no_download(client, hr, org, changes, message):
    if changes.get("clause") == "awareness-of-another-standard":
        other = make_clause(standard=make_standard(name="ISO 14001:2015"), number="7.2")
        changes = {"clause": other.pk}
    client.force_login(hr)

    response = client.get(reverse("report_evidence_pack"), pack_query(org, **changes))

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


@pytest.mark.parametrize("persona", ["employee", "manager", "other_manager", "comms", "outsider"])
def test_anyone_but_hr_is_refused(client, request, org, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("report_evidence_pack"), pack_query(org))

    assert response.status_code == 403


def test_someone_signed_out_is_sent_to_log_in(client, org):
    response = client.get(reverse("report_evidence_pack"), pack_query(org))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
