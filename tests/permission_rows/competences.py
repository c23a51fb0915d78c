"""Competence profiles, recording by hand, evidence downloads and effectiveness checks.

A person sees their own, their managers see theirs, HR sees everyone's; anyone else gets 404.
Recording is for the person's managers and HR, never for the person themself (403). An empty POST
from someone allowed is bad input: the page comes back with the form's errors (200).
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.models import EffectivenessCheck, ProficiencyLevel
from lms.services.competence import record_certificate
from tests.lms.factories_training import make_competence
from tests.permission_rows import signed_in


def _employee(p):
    return [p["employee"].pk]


def _record(p):
    return [p["competence_record"].pk]


def _check(p):
    return [p["effectiveness_check"].pk]


SEES_THE_EMPLOYEE = {"employee": 200, "manager": 200, "hr": 200}
MAY_RECORD = {"employee": 403, "manager": 200, "hr": 200}

MATRIX = {
    "my_competences": (None, signed_in(200)),
    "person_competences": (_employee, signed_in(404, **SEES_THE_EMPLOYEE)),
    "competence_evidence": (_record, signed_in(404, **SEES_THE_EMPLOYEE)),
    "effectiveness_checks": (
        None,
        signed_in(403, manager=200, other_manager=200, hr=200),
    ),
    # POST-only actions answer a GET with 405; their POST rows are in POST_MATRIX.
    "record_competence_assessment": (_employee, signed_in(405)),
    "record_competence_certificate": (_employee, signed_in(405)),
    "revoke_competence_record": (_record, signed_in(405)),
    "answer_effectiveness_check": (_check, signed_in(405)),
}

POST_MATRIX = {
    "record_competence_assessment": (_employee, signed_in(404, **MAY_RECORD)),
    "record_competence_certificate": (_employee, signed_in(404, **MAY_RECORD)),
    "revoke_competence_record": (_record, signed_in(404, **MAY_RECORD)),
    "answer_effectiveness_check": (_check, signed_in(404, **MAY_RECORD)),
}


def things(personas):
    employee = personas["employee"]
    record = record_certificate(
        person=employee,
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        file=SimpleUploadedFile("certificate.pdf", b"%PDF-1.7\n"),
        issuer="Certification body",
        achieved_at=timezone.localdate(),
        recorded_by=personas["hr"],
    )
    check = EffectivenessCheck.objects.create(
        record=record, manager=personas["manager"], due_on=timezone.localdate()
    )
    return {"competence_record": record, "effectiveness_check": check}
