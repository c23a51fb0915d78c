"""Person competence files and audit evidence packs.

A person's file is for the person, their managers and HR; anyone else gets 404, as for the
competence profile. The evidence pack is for HR; anyone else gets 403.
"""

from tests.permission_rows import signed_in


def _employee(p):
    return [p["employee"].pk]


SEES_THE_EMPLOYEE = {"employee": 200, "manager": 200, "hr": 200}

MATRIX = {
    "person_competence_file": (_employee, signed_in(404, **SEES_THE_EMPLOYEE)),
    "person_competence_file_pdf": (_employee, signed_in(404, **SEES_THE_EMPLOYEE)),
    "report_evidence_pack": (None, signed_in(403, hr=200)),
}

POST_MATRIX = {}


def things(personas):
    return {}
