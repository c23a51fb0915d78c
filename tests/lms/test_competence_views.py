"""The competence pages: a person's profile, recording by hand, evidence, effectiveness checks."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.models import (
    CompetenceRecord,
    CompetenceRequirement,
    EffectivenessCheck,
    ProficiencyLevel,
)
from lms.services import competence as service
from quizzes.models import Attempt
from tests.factories import UserFactory
from tests.lms.factories_training import make_competence, make_completion, make_module
from tests.quizzes.factories import make_quiz, submitted_attempt

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% a certificate\n"


def award(user, competence=None, *, days_ago=10, expires_in=None, **fields):
    now = timezone.now()
    fields.setdefault("source", CompetenceRecord.Source.ASSESSMENT)
    return CompetenceRecord.objects.create(
        user=user,
        competence=competence or make_competence(),
        level=fields.pop("level", ProficiencyLevel.COMPETENT),
        achieved_at=now - datetime.timedelta(days=days_ago),
        recorded_at=now - datetime.timedelta(days=days_ago),
        expires_at=None if expires_in is None else now + datetime.timedelta(days=expires_in),
        **fields,
    )


def certificate_record(person, by):
    return service.record_certificate(
        person=person,
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        file=SimpleUploadedFile("scan.pdf", PDF),
        issuer="Certification body",
        achieved_at=timezone.localdate(),
        recorded_by=by,
    )


# --- My competences


def test_my_competences_shows_what_the_role_requires_and_the_module_closing_the_gap(
    client, employee
):
    competence = make_competence(name="Spill response")
    CompetenceRequirement.objects.create(competence=competence, job_role=employee.job_role)
    module = make_module(title="Spill response drill", competences=[competence])
    client.force_login(employee)

    response = client.get(reverse("my_competences"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Spill response" in html
    assert "Missing" in html
    assert f'href="{module.url}"' in html


def test_my_competences_shows_the_evidence_trail_of_each_record(client, employee, manager):
    quiz = make_quiz()
    competence = make_competence(name="Waste segregation", effectiveness_check_days=30)
    module = make_module(title="Waste basics", competences=[competence], quiz=quiz)
    attempt = submitted_attempt(quiz=quiz, user=employee, number=1)
    [from_quiz] = service.record_from_completion(
        completion=make_completion(user=employee, module=module)
    )
    EffectivenessCheck.objects.filter(record=from_quiz).update(
        outcome=EffectivenessCheck.Outcome.NEEDS_SUPPORT,
        note="Mixes up the bins.",
        answered_by=manager,
        answered_at=timezone.now(),
    )
    assessed = service.record_assessment(
        person=employee,
        competence=make_competence(name="Permit to work"),
        level=ProficiencyLevel.UNDER_SUPERVISION,
        assessor=manager,
        notes="Issued two permits <b>correctly</b>.",
    )
    service.revoke_record(record=assessed, by=manager, reason="Permit process changed.")
    certificate = certificate_record(employee, manager)
    client.force_login(employee)

    html = client.get(reverse("my_competences")).content.decode()

    assert "Waste basics" in html
    assert f"version of {module.live_revision.created_at:%-d %B %Y}" in html
    assert reverse("quiz_attempt", args=[attempt.pk]) in html
    assert "87.5%" in html
    assert "Mixes up the bins." in html and "Needs support" in html
    assert "Issued two permits &lt;b&gt;correctly&lt;/b&gt;." in html
    assert "Permit process changed." in html
    assert reverse("competence_evidence", args=[certificate.pk]) in html
    # Only those who may record see the forms.
    assert "Record the assessment" not in html
    assert reverse("revoke_competence_record", args=[certificate.pk]) not in html


# --- A person's competences


def test_a_manager_sees_their_reports_competences_with_the_forms(client, employee, manager):
    record = award(employee)
    client.force_login(manager)

    response = client.get(reverse("person_competences", args=[employee.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Record the assessment" in html and "Record the certificate" in html
    assert reverse("revoke_competence_record", args=[record.pk]) in html


@pytest.mark.parametrize("viewer", ["other_manager", "outsider", "comms"])
def test_someone_else_gets_404_for_a_persons_competences(client, request, employee, viewer):
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(reverse("person_competences", args=[employee.pk])).status_code == 404
    assert client.get(reverse("person_competences", args=[10**9])).status_code == 404


def test_a_person_sees_their_own_page_without_the_forms(client, employee):
    client.force_login(employee)
    response = client.get(reverse("person_competences", args=[employee.pk]))
    assert response.status_code == 200
    assert "Record the assessment" not in response.content.decode()


def test_a_manager_records_an_assessment_through_the_form(client, employee, manager):
    competence = make_competence(name="Stock rotation")
    client.force_login(manager)

    response = client.post(
        reverse("record_competence_assessment", args=[employee.pk]),
        {
            "assessment-competence": competence.pk,
            "assessment-level": ProficiencyLevel.CAN_TRAIN_OTHERS,
            "assessment-notes": "Trained two new starters.",
            "assessment-achieved_on": "",
        },
    )

    assert response.status_code == 302
    record = CompetenceRecord.objects.get(user=employee)
    assert (record.competence, record.level, record.assessor) == (
        competence,
        ProficiencyLevel.CAN_TRAIN_OTHERS,
        manager,
    )


def test_bad_input_in_the_assessment_form_says_why_and_records_nothing(client, employee, manager):
    client.force_login(manager)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("record_competence_assessment", args=[employee.pk]),
        {
            "assessment-competence": make_competence().pk,
            "assessment-level": ProficiencyLevel.COMPETENT,
            "assessment-notes": "",
            "assessment-achieved_on": tomorrow.isoformat(),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was recorded" in html
    assert "the notes are the evidence" in html
    assert "cannot be in the future" in html
    assert not CompetenceRecord.objects.exists()


def test_recording_is_refused_for_oneself_and_hidden_for_other_teams(
    client, employee, other_manager
):
    data = {
        "assessment-competence": make_competence().pk,
        "assessment-level": ProficiencyLevel.COMPETENT,
        "assessment-notes": "Fine.",
    }
    url = reverse("record_competence_assessment", args=[employee.pk])
    client.force_login(employee)
    assert client.post(url, data).status_code == 403
    client.force_login(other_manager)
    assert client.post(url, data).status_code == 404
    assert not CompetenceRecord.objects.exists()


def test_hr_uploads_a_certificate(client, employee, hr):
    client.force_login(hr)
    competence = make_competence()

    response = client.post(
        reverse("record_competence_certificate", args=[employee.pk]),
        {
            "certificate-competence": competence.pk,
            "certificate-level": ProficiencyLevel.COMPETENT,
            "certificate-file": SimpleUploadedFile("nebosh.pdf", PDF),
            "certificate-issuer": "Examining board",
            "certificate-achieved_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    record = CompetenceRecord.objects.get(user=employee)
    assert record.source == CompetenceRecord.Source.CERTIFICATE
    assert record.certificate_issuer == "Examining board"


def test_a_certificate_that_is_not_a_pdf_or_image_is_refused_with_a_message(client, employee, hr):
    client.force_login(hr)
    response = client.post(
        reverse("record_competence_certificate", args=[employee.pk]),
        {
            "certificate-competence": make_competence().pk,
            "certificate-level": ProficiencyLevel.COMPETENT,
            "certificate-file": SimpleUploadedFile("macro.docm", b"PK\x03\x04"),
            "certificate-issuer": "Examining board",
            "certificate-achieved_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Upload the certificate as a PDF, PNG or JPG file." in response.content.decode()
    assert not CompetenceRecord.objects.exists()


def test_revoking_through_the_form(client, employee, manager):
    record = award(employee)
    client.force_login(manager)
    url = reverse("revoke_competence_record", args=[record.pk])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Nothing was revoked" in refused.content.decode()
    assert CompetenceRecord.objects.count() == 1

    assert client.post(url, {"reason": "Left the team."}).status_code == 302
    again = client.post(url, {"reason": "Twice."})
    assert "revoked already" in again.content.decode()
    assert CompetenceRecord.objects.filter(kind="revoked").count() == 1


def test_revoking_someone_elses_record_is_404(client, employee, other_manager):
    record = award(employee)
    client.force_login(other_manager)
    url = reverse("revoke_competence_record", args=[record.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404


# --- Evidence


@pytest.mark.parametrize(("viewer", "status"), [("employee", 200), ("manager", 200), ("hr", 200)])
def test_the_certificate_downloads_for_those_who_may_see_the_person(
    client, request, employee, manager, viewer, status
):
    record = certificate_record(employee, manager)
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(reverse("competence_evidence", args=[record.pk]))

    assert response.status_code == status
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("viewer", ["other_manager", "outsider", "comms"])
def test_anyone_else_gets_404_for_the_certificate(client, request, employee, manager, viewer):
    record = certificate_record(employee, manager)
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(reverse("competence_evidence", args=[record.pk])).status_code == 404


def test_a_record_without_a_file_has_no_evidence_to_download(client, employee):
    client.force_login(employee)
    record = award(employee)
    assert client.get(reverse("competence_evidence", args=[record.pk])).status_code == 404


# --- Effectiveness checks


def due_check(person, *, competence=None):
    record = award(person, competence)
    return EffectivenessCheck.objects.create(
        record=record, manager=person.manager, due_on=timezone.localdate()
    )


def test_a_manager_answers_a_check_about_their_report(client, employee, manager):
    check = due_check(employee, competence=make_competence(name="Lockout tagout"))
    client.force_login(manager)

    page = client.get(reverse("effectiveness_checks"))
    assert "Lockout tagout" in page.content.decode()

    response = client.post(
        reverse("answer_effectiveness_check", args=[check.pk]),
        {"outcome": "needs_support", "note": "Needs a refresher on isolation points."},
    )

    assert response.status_code == 302
    check.refresh_from_db()
    assert check.outcome == "needs_support"
    assert check.answered_by == manager
    answered = client.get(reverse("effectiveness_checks")).content.decode()
    assert "Needs a refresher on isolation points." in answered


def test_a_bad_answer_changes_nothing_and_says_why(client, employee, manager):
    check = due_check(employee)
    client.force_login(manager)

    response = client.post(
        reverse("answer_effectiveness_check", args=[check.pk]), {"outcome": "needs_support"}
    )

    assert response.status_code == 200
    assert "Say what support the person needs." in response.content.decode()
    check.refresh_from_db()
    assert check.outcome == "pending"


def test_checks_are_for_managers_and_hr(client, employee, hr, other_manager):
    check = due_check(employee)
    client.force_login(employee)
    assert client.get(reverse("effectiveness_checks")).status_code == 403
    client.force_login(other_manager)
    assert client.get(reverse("effectiveness_checks")).status_code == 200
    url = reverse("answer_effectiveness_check", args=[check.pk])
    assert client.post(url, {"outcome": "confirmed"}).status_code == 404
    client.force_login(hr)
    assert "Team Member" in client.get(reverse("effectiveness_checks")).content.decode()
    assert client.post(url, {"outcome": "confirmed"}).status_code == 302


# --- A fixed number of queries


def _fill_profile(person, manager, size):
    quiz = make_quiz(title=f"Quiz for {size}")
    for number in range(size):
        competence = make_competence(effectiveness_check_days=30 if number % 2 else None)
        CompetenceRequirement.objects.create(competence=competence, job_role=person.job_role)
        module = make_module(competences=[competence], quiz=quiz if number % 3 == 1 else None)
        if number % 3 == 0:
            continue  # missing: the module closing the gap is listed
        if number % 3 == 1:
            Attempt.objects.create(
                quiz=quiz,
                user=person,
                number=number + 1,
                status=Attempt.Status.SUBMITTED,
                paper={"questions": []},
                submitted_at=timezone.now() - datetime.timedelta(minutes=1),
                score_percent=Decimal("90"),
                passed=True,
                pass_mark_percent=80,
            )
        [record] = service.record_from_completion(
            completion=make_completion(user=person, module=module)
        )
        if number % 4 == 0:
            service.revoke_record(record=record, by=manager, reason="Changed.")
    certificate_record(person, manager)
    service.record_assessment(
        person=person,
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        assessor=manager,
        notes="Seen at work.",
    )


@pytest.mark.parametrize("size", [2, 9])
def test_my_competences_has_a_fixed_number_of_queries(
    client, employee, manager, size, django_assert_max_num_queries
):
    _fill_profile(employee, manager, size)
    client.force_login(employee)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("my_competences"))
    assert len(response.context["profile"].required) == size


@pytest.mark.parametrize("size", [2, 9])
def test_a_persons_competences_has_a_fixed_number_of_queries(
    client, employee, manager, size, django_assert_max_num_queries
):
    _fill_profile(employee, manager, size)
    client.force_login(manager)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("person_competences", args=[employee.pk]))
    assert response.context["may_record"]
    assert len(response.context["profile"].history) >= size


@pytest.mark.parametrize("size", [2, 12])
def test_effectiveness_checks_has_a_fixed_number_of_queries(
    client, manager, size, django_assert_max_num_queries
):
    for number in range(size):
        person = UserFactory(manager=manager)
        check = due_check(person)
        if number % 2:
            service.answer_effectiveness_check(
                check=check, by=manager, outcome="confirmed", note="Fine."
            )
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("effectiveness_checks"))
    assert len(response.context["rows"]) + len(response.context["answered"]) == size
