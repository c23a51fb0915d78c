"""A person's competence file: every record in the order recorded, with its evidence trail, on a
page and as a PDF printed from the same lines."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lms.models import CompetenceRequirement, EffectivenessCheck, ProficiencyLevel
from lms.selectors.people import people_with_org
from lms.selectors.person_file import EntryState, person_file
from lms.services import competence as service
from lms.services.certificates import latin1
from lms.services.person_file import render_person_file_pdf
from tests.factories import UserFactory
from tests.lms.factories_training import make_competence, make_completion, make_module
from tests.quizzes.factories import make_quiz, submitted_attempt

pytestmark = pytest.mark.django_db


def today_minus(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def pdf_text(pdf: bytes) -> str:
    """The text an uncompressed fpdf2 PDF shows, its lines joined by spaces."""
    strings = re.findall(rb"\((.*?)(?<!\\)\) Tj", pdf)
    return " ".join(re.sub(r"\\([()\\])", r"\1", string.decode("latin-1")) for string in strings)


@pytest.fixture
def history(employee, manager, hr):
    """Every kind of record for the employee, in this order: a record from a passed quiz with a
    manager's answer (later superseded), an assessment revoked with a reason (and the
    revocation), the assessment that superseded the quiz record, and an expired certificate."""
    quiz = make_quiz(title="Quality basics")
    waste = make_competence(name="Waste segregation", effectiveness_check_days=30)
    module = make_module(title="Waste basics", competences=[waste], quiz=quiz)
    attempt = submitted_attempt(quiz=quiz, user=employee, number=2)
    [from_quiz] = service.record_from_completion(
        completion=make_completion(user=employee, module=module)
    )
    EffectivenessCheck.objects.filter(record=from_quiz).update(
        outcome=EffectivenessCheck.Outcome.NEEDS_SUPPORT,
        note="Mixes up the bins.",
        answered_by=manager,
        answered_at=timezone.now(),
    )
    permit = service.record_assessment(
        person=employee,
        competence=make_competence(name="Permit to work"),
        level=ProficiencyLevel.UNDER_SUPERVISION,
        assessor=manager,
        notes="Issued two permits <b>correctly</b>.",
    )
    revocation = service.revoke_record(record=permit, by=manager, reason="Permit process changed.")
    reassessed = service.record_assessment(
        person=employee,
        competence=waste,
        level=ProficiencyLevel.CAN_TRAIN_OTHERS,
        assessor=manager,
        notes="Now trains the new starters.",
    )
    first_aid = make_competence(name="First aid")
    CompetenceRequirement.objects.create(competence=first_aid, job_role=employee.job_role)
    certificate = service.record_certificate(
        person=employee,
        competence=first_aid,
        level=ProficiencyLevel.COMPETENT,
        file=SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n"),
        issuer="Red Cross",
        achieved_at=today_minus(730),
        expires_at=today_minus(365),
        recorded_by=hr,
    )
    return {
        "module": module,
        "attempt": attempt,
        "records": [from_quiz, permit, revocation, reassessed, certificate],
    }


def file_of(person):
    return person_file(person=people_with_org().get(pk=person.pk))


def test_the_file_lists_every_record_oldest_first_with_its_state(employee, history):
    entries = file_of(employee).entries

    assert [entry.record for entry in entries] == history["records"]
    assert [entry.state for entry in entries] == [
        EntryState.SUPERSEDED,
        EntryState.REVOKED,
        EntryState.REVOCATION,
        EntryState.CURRENT,
        EntryState.EXPIRED,
    ]


def test_each_record_carries_its_evidence_trail(employee, manager, hr, history):
    from_quiz, permit, revocation, reassessed, certificate = history["records"]
    revision = history["module"].live_revision
    recorded = f"{timezone.localdate():%-d %B %Y}"
    trails = [dict(entry.trail) for entry in file_of(employee).entries]

    assert trails[0]["Training"] == f"completed “Waste basics” on {recorded}"
    assert trails[0]["Module revision"] == f"revision {revision.pk} of {recorded}"
    assert trails[0]["Quiz attempt"] == "“Quality basics”, attempt 2: 87.5%, passed (pass mark 80%)"
    assert trails[0]["Manager confirmation"] == (
        f"Needs support: answered by Line Manager on {recorded}. Note: Mixes up the bins."
    )
    assert trails[0]["Recorded by"] == "the platform"
    assert trails[0]["Superseded"] == f"by record {reassessed.pk} of {recorded}"
    assert trails[1]["Assessor"] == "Line Manager"
    assert trails[1]["Assessor's notes"] == "Issued two permits <b>correctly</b>."
    assert trails[1]["Revoked"] == (
        f"on {recorded} by Line Manager (record {revocation.pk}): Permit process changed."
    )
    assert trails[2]["Revokes"] == f"record {permit.pk}"
    assert trails[2]["Reason"] == "Permit process changed."
    assert trails[3]["Level"] == "Can train others"
    assert trails[3]["Expiry"] == "no expiry"
    file_name = certificate.certificate_file.name.rsplit("/", 1)[-1]
    assert trails[4]["Certificate"] == f"file {file_name}, issued by Red Cross"
    assert trails[4]["Recorded by"] == hr.get_full_name()
    assert trails[4]["Expiry"] == f"expired on {today_minus(365):%-d %B %Y}"


def test_the_header_says_who_and_where_they_stand_against_requirements(employee, history):
    file = file_of(employee)

    header = dict(file.header)
    assert header["Person"] == "Team Member"
    assert header["Employee id"] == employee.employee_id
    assert header["Department"] == "Operations"
    assert header["Job role"] == employee.job_role.name
    assert header["Management level"] == "Staff"
    assert header["Line manager"] == "Line Manager"
    assert header["Generated"].startswith(f"{timezone.localdate():%-d %B %Y}")
    expired_on = f"{today_minus(365):%-d %B %Y}"
    assert ("First aid", f"Expired: requires competent; held competent until {expired_on}") in (
        file.standing
    )
    assert ("Waste segregation", "Held: not required; holds can train others, no expiry") in (
        file.standing
    )


def test_the_page_shows_each_record_with_its_trail_in_date_order(
    client, employee, manager, history
):
    client.force_login(manager)

    response = client.get(reverse("person_competence_file", args=[employee.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(f'id="record-{record.pk}"') for record in history["records"]]
    assert positions == sorted(positions)
    for entry in file_of(employee).entries:
        assert escape(entry.state_text) in html
        for label, text in entry.trail:
            assert f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" in html
    assert "Issued two permits &lt;b&gt;correctly&lt;/b&gt;." in html
    assert reverse("person_competence_file_pdf", args=[employee.pk]) in html


def test_the_pdf_prints_the_same_lines_as_the_page(employee, history):
    file = file_of(employee)

    pdf = render_person_file_pdf(person_file=file, compress=False)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Team Member" in text
    for label, value in file.header + file.standing:
        assert latin1(label) in text and latin1(value) in text
    for entry in file.entries:
        assert latin1(entry.heading) in text
        assert latin1(entry.state_text) in text
        for label, value in entry.trail:
            assert f"{latin1(label)} {latin1(value)}" in text


def test_the_pdf_download_is_named_after_the_person(client, employee, history):
    client.force_login(employee)

    response = client.get(reverse("person_competence_file_pdf", args=[employee.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="competence-file-{employee.employee_id}-team-member.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


def test_a_person_with_no_record_gets_an_empty_file(client, employee):
    client.force_login(employee)

    response = client.get(reverse("person_competence_file", args=[employee.pk]))

    assert response.status_code == 200
    assert "No competence has been recorded yet." in response.content.decode()
    assert "no competence has been recorded" in pdf_text(
        render_person_file_pdf(person_file=file_of(employee), compress=False)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["person_competence_file", "person_competence_file_pdf"])
def test_the_file_takes_the_same_queries_whatever_the_number_of_records(
    client, employee, manager, name
):
    url = reverse(name, args=[employee.pk])
    client.force_login(manager)
    # A gap, so the modules that would close it are read too.
    CompetenceRequirement.objects.create(competence=make_competence(), job_role=employee.job_role)
    for _ in range(2):
        service.record_assessment(
            person=employee, competence=make_competence(), level=2, assessor=manager, notes="Ok."
        )
    few = _queries(client, url)
    for _ in range(20):
        record = service.record_assessment(
            person=employee, competence=make_competence(), level=2, assessor=manager, notes="Ok."
        )
        service.revoke_record(record=record, by=manager, reason="Changed.")

    assert _queries(client, url) == few
    assert few <= 10


def test_a_manager_above_the_line_manager_sees_the_file(client, employee, manager):
    director = UserFactory()
    manager.manager = director
    manager.save()
    client.force_login(director)

    assert client.get(reverse("person_competence_file", args=[employee.pk])).status_code == 200
    assert client.get(reverse("person_competence_file_pdf", args=[employee.pk])).status_code == 200


@pytest.mark.parametrize("viewer", ["other_manager", "outsider", "comms"])
def test_anyone_else_gets_404_as_if_the_person_did_not_exist(client, request, employee, viewer):
    client.force_login(request.getfixturevalue(viewer))

    for name in ("person_competence_file", "person_competence_file_pdf"):
        assert client.get(reverse(name, args=[employee.pk])).status_code == 404
        assert client.get(reverse(name, args=[10**9])).status_code == 404


def test_the_competences_page_links_to_the_file(client, employee):
    client.force_login(employee)

    html = client.get(reverse("my_competences")).content.decode()

    assert reverse("person_competence_file", args=[employee.pk]) in html
