"""Certificates: the PDF for the person, their managers and HR (404 for anyone else), the public
check of a code, and HR's revocation."""

from lms.services.certificates import format_code, issue_certificate
from tests.lms.factories_training import make_completion, make_module
from tests.permission_rows import everyone, signed_in


def _completion(p):
    return [p["certificate_completion"].pk]


MATRIX = {
    "certificate_pdf": (
        _completion,
        signed_in(404, employee=200, manager=200, hr=200),
    ),
    "verify_certificate": (lambda p: [format_code(p["certificate"].code)], everyone(200)),
    "revoke_certificate": (_completion, signed_in(405)),
}

POST_MATRIX = {
    # Seeing the certificate is not enough to revoke it: that is HR's.
    "revoke_certificate": (
        _completion,
        signed_in(404, employee=403, manager=403, hr=302),
    ),
}


def things(personas):
    completion = make_completion(user=personas["employee"], module=make_module())
    return {
        "certificate_completion": completion,
        "certificate": issue_certificate(completion=completion),
    }
