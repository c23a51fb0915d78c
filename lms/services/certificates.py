"""Certificates of completion: issued once per completion, checked by anyone holding the code at
/verify/<code>/, revoked by HR with a reason, and printed as a one-page PDF.

The code is the only secret: 16 characters from a 32-letter alphabet (80 bits), so guessing one
is hopeless and the public check needs no throttle.
"""

from __future__ import annotations

import datetime
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from fpdf import FPDF
from wagtail.models import Site

from lms.models import Certificate, Completion, User
from lms.models.content import add_months

# No 0/O or 1/I: a code read aloud or copied from paper has one spelling.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16
VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"
SWEEP_BATCH = 500
CLAUSES_MAX = 400
DEFAULT_ORGANISATION = "ISO learning"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """A stored code in groups of four, as printed and read aloud: ABCD-EFGH-JKLM-NPQR."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """A code as typed (any case, with or without dashes or spaces) as it is stored."""
    return "".join(text.split()).replace("-", "").upper()


def valid_until_for(*, completion: Completion) -> datetime.date | None:
    """Until when a completion's certificate holds: the module's refresher interval after the
    completion date, else the shortest validity among the module's competences, else for ever."""
    day = timezone.localdate(completion.completed_at)
    module = completion.module
    if module.refresher_months:
        return add_months(day, module.refresher_months)
    months = [m for m in module.competences.values_list("validity_months", flat=True) if m]
    return add_months(day, min(months)) if months else None


def issue_certificate(*, completion: Completion) -> Certificate:
    """The certificate of `completion`, issued now with a fresh code unless it has one already."""
    existing = Certificate.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    valid_until = valid_until_for(completion=completion)
    for _ in range(3):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    completion=completion, code=new_code(), valid_until=valid_until
                )
        except IntegrityError:
            # Another worker issued it first, or (once in 2^80) the code was taken: look again.
            existing = Certificate.objects.filter(completion=completion).first()
            if existing is not None:
                return existing
    raise RuntimeError(f"Could not issue a certificate for completion {completion.pk}.")


def issue_missing_certificates() -> int:
    """Issue the certificate of every completion still without one (those whose task was lost);
    returns how many were issued."""
    issued = 0
    while True:
        batch = list(
            Completion.objects.filter(certificate__isnull=True)
            .select_related("module")
            .order_by("pk")[:SWEEP_BATCH]
        )
        for completion in batch:
            issue_certificate(completion=completion)
        issued += len(batch)
        if len(batch) < SWEEP_BATCH:
            return issued


def certificate_status(certificate: Certificate, *, today: datetime.date | None = None) -> str:
    """REVOKED, EXPIRED (after its last valid day) or VALID."""
    if certificate.revoked_at is not None:
        return REVOKED
    today = today or timezone.localdate()
    if certificate.valid_until is not None and certificate.valid_until < today:
        return EXPIRED
    return VALID


def expired_on(certificate: Certificate) -> datetime.date | None:
    """The first day a certificate no longer holds."""
    if certificate.valid_until is None:
        return None
    return certificate.valid_until + datetime.timedelta(days=1)


def revoke_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Revoke `certificate` now, saying who and why; its public check says so from then on.

    Raises PermissionDenied unless `by` may record competence evidence (HR), and ValueError with
    a message for a missing reason or a certificate revoked already.
    """
    if not by.has_perm("lms.record_competence"):
        raise PermissionDenied("Only HR may revoke a certificate.")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Say why the certificate is revoked: the reason is kept with it.")
    limit = Certificate._meta.get_field("revoked_reason").max_length
    if len(reason) > limit:
        raise ValueError(f"Keep the reason within {limit} characters.")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            day = format_date(timezone.localtime(locked.revoked_at), "j F Y")
            raise ValueError(f"This certificate was already revoked on {day}.")
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return locked


def verify_url(certificate: Certificate) -> str:
    """The public address that checks `certificate`, as printed on it."""
    path = reverse("verify_certificate", args=[format_code(certificate.code)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def organisation_name() -> str:
    """`LMS_ORGANISATION_NAME`, else the default site's name, else a plain default."""
    name = settings.LMS_ORGANISATION_NAME
    if not name:
        name = Site.objects.filter(is_default_site=True).values_list("site_name", flat=True).first()
    return name or DEFAULT_ORGANISATION


# Letters with no Latin-1 form and no accent to strip, spelt as a reader would.
_SPELLINGS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "ŀ": "l",
        "Ŀ": "L",
        "ŋ": "n",
        "Ŋ": "N",
        "œ": "oe",
        "Œ": "OE",
        "ŧ": "t",
        "Ŧ": "T",
        "‘": "'",
        "’": "'",
        "‚": ",",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "•": "-",
        "€": "EUR",
    }
)


def latin1(text: str) -> str:
    """`text` in the PDF core fonts' Latin-1: accents outside it stripped ("ő" as "o"), a few
    letters spelt out ("ł" as "l"), symbols such as emoji dropped, anything else as "?"."""
    out = []
    for char in str(text).translate(_SPELLINGS):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base and all(ord(c) < 256 for c in base):
            out.append(base)
        elif not unicodedata.category(char).startswith(("S", "C", "M")):
            out.append("?")
    return " ".join("".join(out).split())


def _clauses_text(module) -> str:
    clauses = sorted(
        module.clauses.select_related("standard"),
        key=lambda c: (c.standard.name, c.sort_order or 0, c.number),
    )
    text = "; ".join(f"{c.standard.name} {c.number} {c.title}" for c in clauses)
    # A long list would run into the code at the foot of the page.
    return text if len(text) <= CLAUSES_MAX else text[: CLAUSES_MAX - 3].rstrip() + "..."


def render_certificate_pdf(*, certificate: Certificate, compress: bool = True) -> bytes:
    """The certificate as a one-page A4 landscape PDF in the core fonts. `compress=False` keeps
    the page text readable in the file, for tests."""
    completion = certificate.completion
    module = completion.module
    name = completion.user.get_full_name() or "Name not recorded"
    completed_on = format_date(timezone.localtime(completion.completed_at), "j F Y")
    if certificate.valid_until is not None:
        validity = f"Valid until {format_date(certificate.valid_until, 'j F Y')}"
    else:
        validity = "No expiry date"
    if completion.revision_id is not None:
        revision_day = format_date(timezone.localtime(completion.revision.created_at), "j F Y")
        version = f"Module version trained on: revision {completion.revision_id} of {revision_day}"
    else:
        version = "Module version trained on: not recorded"

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_title(latin1(f"Certificate: {module.title}"))
    pdf.set_creator(latin1(organisation_name()))
    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin
    pdf.set_draw_color(40, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    def line(text: str, size: float, *, style: str = "", height: float | None = None) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.multi_cell(
            width, height or size * 0.5, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT"
        )

    pdf.set_y(24)
    line(organisation_name(), 14)
    pdf.ln(4)
    line("Certificate of completion", 30, style="B")
    pdf.ln(6)
    line("This certifies that", 12)
    pdf.ln(2)
    line(name, 24, style="B")
    pdf.ln(2)
    line("has completed the training module", 12)
    pdf.ln(2)
    line(module.title, 18, style="B")
    pdf.ln(2)
    line(f"on {completed_on}. {validity}.", 12)
    clauses = _clauses_text(module)
    if clauses:
        pdf.ln(3)
        line(f"ISO clauses: {clauses}", 10)
    pdf.ln(2)
    line(version, 9)
    if certificate.revoked_at is not None:
        pdf.ln(3)
        pdf.set_text_color(170, 20, 20)
        revoked_on = format_date(timezone.localtime(certificate.revoked_at), "j F Y")
        line(f"Revoked on {revoked_on}", 14, style="B")
        pdf.set_text_color(0, 0, 0)
    pdf.set_y(pdf.h - 44)
    line(f"Verification code: {format_code(certificate.code)}", 13, style="B")
    pdf.ln(1)
    line(f"Check it at {verify_url(certificate)}", 10)
    return bytes(pdf.output())
