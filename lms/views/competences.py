"""Competence profiles, recording competence by hand, certificate downloads, and the line
manager's effectiveness checks.

A person sees their own profile, a manager their reports', HR everyone's; an id in a URL that
points at someone else gives 404. Recording by hand is for HR and the person's managers, never
for the person themself (the services check it again).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lms.forms import AssessmentForm, CertificateForm, EffectivenessAnswerForm, RevokeRecordForm
from lms.models import CompetenceRecord, EffectivenessCheck, User
from lms.selectors import competence as selectors
from lms.selectors.people import can_view_person, is_manager, people_with_org
from lms.services import competence as services

CHECKS_PER_PAGE = 50


def _visible_person(request: HttpRequest, pk: int) -> User:
    person = people_with_org().filter(pk=pk).first()
    if person is None or not can_view_person(viewer=request.user, person=person):
        raise Http404("No such person.")
    return person


def _visible_record(request: HttpRequest, pk: int) -> CompetenceRecord:
    record = CompetenceRecord.objects.select_related("user", "competence").filter(pk=pk).first()
    if record is None or not can_view_person(viewer=request.user, person=record.user):
        raise Http404("No such record.")
    return record


def _require_recorder(request: HttpRequest, person: User) -> None:
    if not selectors.can_record_competence(recorder=request.user, person=person):
        raise PermissionDenied("Only HR or the person's manager can record their competence.")


@login_required
def my_competences(request: HttpRequest) -> HttpResponse:
    me = people_with_org(User.objects.filter(pk=request.user.pk)).get()
    return _profile_page(request, person=me)


@login_required
def person_competences(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_page(request, person=_visible_person(request, pk))


def _profile_page(
    request: HttpRequest,
    *,
    person: User,
    assessment_form: AssessmentForm | None = None,
    certificate_form: CertificateForm | None = None,
    revoke: tuple[int, RevokeRecordForm] | None = None,
) -> HttpResponse:
    may_record = selectors.can_record_competence(recorder=request.user, person=person)
    context = {
        "person": person,
        "mine": person.pk == request.user.pk,
        "profile": selectors.competence_profile(user=person),
        "may_record": may_record,
    }
    if may_record:
        context.update(
            assessment_form=assessment_form or AssessmentForm(prefix="assessment"),
            certificate_form=certificate_form or CertificateForm(prefix="certificate"),
            revoke_record_pk=revoke[0] if revoke else None,
            revoke_form=revoke[1] if revoke else RevokeRecordForm(),
        )
    return render(request, "lms/competences/profile.html", context)


@login_required
@require_POST
def record_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    _require_recorder(request, person)
    form = AssessmentForm(request.POST, prefix="assessment")
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_assessment(
                person=person,
                competence=data["competence"],
                level=data["level"],
                assessor=request.user,
                notes=data["notes"],
                achieved_at=services.start_of(data["achieved_on"]) if data["achieved_on"] else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Recorded “{record.competence}” for {person}.")
            return redirect("person_competences", pk=person.pk)
    return _profile_page(request, person=person, assessment_form=form)


@login_required
@require_POST
def record_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    _require_recorder(request, person)
    form = CertificateForm(request.POST, request.FILES, prefix="certificate")
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_certificate(
                person=person,
                competence=data["competence"],
                level=data["level"],
                file=data["file"],
                issuer=data["issuer"],
                achieved_at=data["achieved_on"],
                recorded_by=request.user,
                expires_at=data["expires_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Recorded the certificate of “{record.competence}” for {person}."
            )
            return redirect("person_competences", pk=person.pk)
    return _profile_page(request, person=person, certificate_form=form)


@login_required
@require_POST
def revoke_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    person = people_with_org().get(pk=record.user_id)
    _require_recorder(request, person)
    form = RevokeRecordForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_record(
                record=record, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Revoked the record of “{record.competence}”.")
            return redirect("person_competences", pk=person.pk)
    return _profile_page(request, person=person, revoke=(record.pk, form))


@login_required
def competence_evidence(request: HttpRequest, pk: int) -> FileResponse:
    record = _visible_record(request, pk)
    if not record.certificate_file:
        raise Http404("This record has no certificate file.")
    extension = record.certificate_file.name.rsplit(".", 1)[-1]
    return FileResponse(
        record.certificate_file.open("rb"),
        as_attachment=True,
        filename=f"certificate-{record.pk}.{extension}",
    )


# --- Effectiveness checks


def _require_check_answerer(request: HttpRequest) -> None:
    if not (is_manager(request.user) or request.user.has_perm(selectors.RECORD_PERMISSION)):
        raise PermissionDenied("Effectiveness checks are for line managers and HR.")


@login_required
def effectiveness_checks(request: HttpRequest) -> HttpResponse:
    _require_check_answerer(request)
    return _checks_page(request)


def _checks_page(
    request: HttpRequest, *, bound: tuple[int, EffectivenessAnswerForm] | None = None
) -> HttpResponse:
    pending = Paginator(selectors.pending_checks_for(user=request.user), CHECKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    for check in pending:
        form = bound[1] if bound and bound[0] == check.pk else None
        rows.append((check, form or EffectivenessAnswerForm(auto_id=f"id_check{check.pk}_%s")))
    context = {
        "pending": pending,
        "rows": rows,
        "answered": selectors.answered_checks_for(user=request.user),
        "sees_all": request.user.has_perm(selectors.RECORD_PERMISSION),
    }
    return render(request, "lms/competences/checks.html", context)


@login_required
@require_POST
def answer_effectiveness_check(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(
        EffectivenessCheck.objects.select_related("record__user", "record__competence"), pk=pk
    )
    if not can_view_person(viewer=request.user, person=check.record.user):
        raise Http404("No such check.")
    if not selectors.can_answer_check(user=request.user, person=check.record.user):
        raise PermissionDenied("Only the person's line manager or HR can answer this check.")
    form = EffectivenessAnswerForm(request.POST, auto_id=f"id_check{check.pk}_%s")
    if form.is_valid():
        try:
            services.answer_effectiveness_check(
                check=check,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Thank you: your answer about {check.record.user} is recorded."
            )
            return redirect("effectiveness_checks")
    problems = " ".join(message for errors in form.errors.values() for message in errors)
    messages.error(request, f"Your answer about {check.record.user} was not recorded. {problems}")
    return _checks_page(request, bound=(check.pk, form))
