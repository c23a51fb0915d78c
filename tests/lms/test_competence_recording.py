"""Recording competence by hand: assessments, external certificates and revocations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.models import CompetenceRecord, EffectivenessCheck, Notification, ProficiencyLevel
from lms.services import competence as service
from tests.factories import UserFactory
from tests.lms.factories_training import make_competence

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n% a certificate\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\0" * 32


def upload(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def assess(person, by, **overrides):
    fields = {
        "person": person,
        "level": ProficiencyLevel.COMPETENT,
        "assessor": by,
        "notes": "Led an audit of the stores process; findings well evidenced.",
    }
    if "competence" not in overrides:
        fields["competence"] = make_competence()
    return service.record_assessment(**{**fields, **overrides})


def certify(person, by, **overrides):
    fields = {
        "person": person,
        "competence": make_competence(),
        "level": ProficiencyLevel.COMPETENT,
        "file": upload(),
        "issuer": "Certification body",
        "achieved_at": timezone.localdate() - datetime.timedelta(days=30),
        "recorded_by": by,
    }
    return service.record_certificate(**{**fields, **overrides})


# --- Who may record


def test_a_manager_records_an_assessment_of_their_report(employee, manager):
    record = assess(employee, manager, competence=make_competence(name="Internal auditing"))

    assert record.source == CompetenceRecord.Source.ASSESSMENT
    assert record.assessor == manager
    assert record.recorded_by == manager
    assert record.notes.startswith("Led an audit")
    [note] = Notification.objects.filter(user=employee, kind="competence_recorded")
    assert "Internal auditing" in note.message


def test_a_manager_records_for_an_indirect_report_too(employee, manager):
    boss = UserFactory()
    manager.manager = boss
    manager.save()
    assert assess(employee, boss).assessor == boss


def test_hr_records_for_anyone(employee, hr):
    assert assess(employee, hr).recorded_by == hr


@pytest.mark.parametrize("who", ["other_manager", "outsider", "comms", "employee"])
def test_nobody_else_records_and_nobody_records_for_themself(request, employee, who):
    by = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        assess(employee, by)
    assert not CompetenceRecord.objects.exists()


def test_hr_cannot_record_for_themself(hr):
    with pytest.raises(PermissionDenied, match="their own"):
        assess(hr, hr)


# --- Assessments


def test_an_assessment_needs_notes(employee, manager):
    with pytest.raises(ValidationError, match="what you observed"):
        assess(employee, manager, notes="   ")
    assert not CompetenceRecord.objects.exists()


def test_an_assessment_cannot_be_dated_in_the_future(employee, manager):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        assess(employee, manager, achieved_at=tomorrow)
    assert not CompetenceRecord.objects.exists()


def test_an_assessment_needs_a_level_of_the_scale(employee, manager):
    with pytest.raises(ValidationError, match="proficiency scale"):
        assess(employee, manager, level=7)


def test_an_assessment_may_replace_an_earlier_record_of_the_same_competence(employee, manager):
    first = assess(employee, manager)
    second = assess(
        employee,
        manager,
        competence=first.competence,
        level=ProficiencyLevel.CAN_TRAIN_OTHERS,
        supersedes=first,
    )
    assert second.supersedes == first
    with pytest.raises(ValidationError, match="same person and competence"):
        assess(employee, manager, supersedes=first)


def test_an_assessment_expires_with_its_competence(employee, manager):
    competence = make_competence(validity_months=6)
    record = assess(employee, manager, competence=competence)
    assert record.expires_at == service.expiry_of(
        competence=competence, achieved_at=record.achieved_at
    )


# --- Certificates


@pytest.mark.parametrize(
    ("name", "content"), [("c.pdf", PDF), ("c.PNG", PNG), ("c.jpg", JPG), ("c.jpeg", JPG)]
)
def test_a_certificate_keeps_its_file(employee, hr, name, content):
    record = certify(employee, hr, file=upload(name, content))

    assert record.source == CompetenceRecord.Source.CERTIFICATE
    assert record.certificate_issuer == "Certification body"
    assert record.recorded_by == hr
    assert record.certificate_file.name.startswith("competence-evidence/")
    with record.certificate_file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("certificate.txt", b"plain text"), "PDF, PNG or JPG"),
        (upload("certificate.exe", b"MZ"), "PDF, PNG or JPG"),
        (upload("certificate.pdf", PNG), "not a real PDF"),
        (upload("certificate.pdf", b""), "empty"),
        (upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), "limit is 10 MB"),
    ],
)
def test_a_certificate_file_must_be_a_small_pdf_or_image(employee, hr, file, message):
    with pytest.raises(ValidationError, match=message):
        certify(employee, hr, file=file)
    assert not CompetenceRecord.objects.exists()


def test_a_certificate_cannot_be_dated_in_the_future_or_expire_before_it_was_awarded(employee, hr):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        certify(employee, hr, achieved_at=tomorrow)
    awarded = timezone.localdate() - datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="expiry date must come after"):
        certify(employee, hr, achieved_at=awarded, expires_at=awarded)
    with pytest.raises(ValidationError, match="issued"):
        certify(employee, hr, issuer=" ")
    assert not CompetenceRecord.objects.exists()


def test_a_certificate_stating_an_expiry_keeps_it(employee, manager):
    expires = timezone.localdate() + datetime.timedelta(days=300)
    record = certify(employee, manager, expires_at=expires)
    assert timezone.localdate(record.expires_at) == expires


def test_a_certificate_of_a_competence_asking_for_a_check_gets_one(employee, manager):
    record = certify(employee, manager, competence=make_competence(effectiveness_check_days=60))
    assert EffectivenessCheck.objects.get(record=record).manager == manager


# --- Revocation


def test_a_revocation_needs_a_reason(employee, manager):
    record = assess(employee, manager)
    with pytest.raises(ValidationError, match="Say why"):
        service.revoke_record(record=record, by=manager, reason=" ")
    assert CompetenceRecord.objects.count() == 1


def test_a_record_is_revoked_once(employee, manager, hr):
    record = assess(employee, manager)
    service.revoke_record(record=record, by=manager, reason="Certificate withdrawn.")
    with pytest.raises(ValidationError, match="revoked already"):
        service.revoke_record(record=record, by=hr, reason="Again.")
    assert CompetenceRecord.objects.count() == 2


def test_a_revocation_cannot_itself_be_revoked(employee, manager):
    revocation = service.revoke_record(
        record=assess(employee, manager), by=manager, reason="Wrong person."
    )
    with pytest.raises(ValidationError, match="revocation already"):
        service.revoke_record(record=revocation, by=manager, reason="Oops.")


def test_only_the_current_record_can_be_revoked(employee, manager):
    first = assess(employee, manager)
    assess(employee, manager, competence=first.competence)
    with pytest.raises(ValidationError, match="newer record"):
        service.revoke_record(record=first, by=manager, reason="Outdated.")


def test_a_revocation_needs_the_right_to_record(employee, manager, other_manager):
    record = assess(employee, manager)
    for person in (other_manager, employee):
        with pytest.raises(PermissionDenied):
            service.revoke_record(record=record, by=person, reason="Not mine to revoke.")
    assert CompetenceRecord.objects.count() == 1


def test_the_person_is_told_of_a_revocation(employee, manager):
    record = assess(employee, manager)
    service.revoke_record(record=record, by=manager, reason="Procedure not followed.")
    assert Notification.objects.filter(
        user=employee, message__contains="Procedure not followed."
    ).exists()
