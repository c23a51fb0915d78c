"""Certificates: the PDF for the person, their managers and HR; the public check of a code; HR's
revocation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lms.models import Completion
from lms.selectors.certificates import certificate_by_code
from lms.selectors.people import can_view_person
from lms.services import certificates


def _visible_completion(request: HttpRequest, pk: int) -> Completion:
    completion = get_object_or_404(
        Completion.objects.select_related("user", "module", "revision").defer(
            "module__body", "revision__content"
        ),
        pk=pk,
    )
    if not can_view_person(viewer=request.user, person=completion.user):
        # Someone else's: as if it did not exist.
        raise Http404("No such completion.")
    return completion


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    completion = _visible_completion(request, pk)
    # Normally issued by a task once the module is completed; the first download may beat it.
    certificate = certificates.issue_certificate(completion=completion)
    certificate.completion = completion
    response = HttpResponse(
        certificates.render_certificate_pdf(certificate=certificate),
        content_type="application/pdf",
    )
    filename = f"certificate-{certificates.format_code(certificate.code)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return render(
            request,
            "lms/certificates/unknown_code.html",
            {"code": code[:40]},
            status=404,
        )
    status = certificates.certificate_status(certificate)
    context = {
        "certificate": certificate,
        "name": certificate.completion.user.get_full_name() or "Name not recorded",
        "module_title": certificate.completion.module.title,
        "completed_at": certificate.completion.completed_at,
        "status": status,
        "expired_on": certificates.expired_on(certificate),
    }
    return render(request, "lms/certificates/verify.html", context)


@login_required
@require_POST
def revoke_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    completion = _visible_completion(request, pk)
    if not request.user.has_perm("lms.record_competence"):
        raise PermissionDenied("Only HR may revoke a certificate.")
    # A certificate not issued yet is issued to be revoked: a copy printed later must say so.
    certificate = certificates.issue_certificate(completion=completion)
    try:
        certificates.revoke_certificate(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The certificate of “{completion.module.title}” is revoked.")
    person_page = reverse("person_detail", args=[completion.user_id])
    return redirect(_next_url(request, default=person_page))


def _next_url(request: HttpRequest, *, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
