"""Points pages: a person's own points, and a person's ledger for HR and their managers, where
HR corrects an entry or adjusts the total."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lms.models import User
from lms.selectors.people import manages
from recognition.forms.points import PointsAdjustmentForm, PointsCorrectionForm
from recognition.selectors.points import earning_rules, ledger_page, points_summary
from recognition.services.ledger import adjust_points, correct_entry

CORRECTS = "recognition.correct_points"


@login_required
@require_GET
def recognition_home(request: HttpRequest) -> HttpResponse:
    page, lines = ledger_page(user_id=request.user.pk, page_number=request.GET.get("page", 1))
    context = {
        "summary": points_summary(user_id=request.user.pk),
        "page": page,
        "lines": lines,
        "rules": earning_rules(),
        "ledger_url": reverse("recognition_home"),
    }
    return TemplateResponse(request, "recognition/home.html", context)


def _person_for(viewer: User, pk: int) -> User:
    """The person whose points `viewer` may read: anyone for HR, the people below a manager,
    oneself. 404 for no such person, 403 for anyone else's."""
    person = get_object_or_404(User.objects.select_related("department"), pk=pk)
    if (
        viewer.pk == person.pk
        or viewer.has_perm("recognition.view_pointsentry")
        or manages(manager=viewer, person=person)
    ):
        return person
    raise PermissionDenied("A person's points are for HR and the managers above them.")


@login_required
@require_GET
def person_points(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request.user, pk)
    return _person_page(request, person)


def _person_page(
    request: HttpRequest,
    person: User,
    *,
    correction: PointsCorrectionForm | None = None,
    adjustment: PointsAdjustmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    page, lines = ledger_page(user_id=person.pk, page_number=params.get("page", 1))
    can_correct = request.user.has_perm(CORRECTS)
    if can_correct:
        entries = [line.entry for line in lines]
        correction = correction or PointsCorrectionForm(person_id=person.pk, entries=entries)
        if correction.is_bound:
            # The failed form shows the page's entries to choose from, as a fresh one would.
            correction.fields["entry"].choices = (
                PointsCorrectionForm(person_id=person.pk, entries=entries).fields["entry"].choices
            )
        adjustment = adjustment or PointsAdjustmentForm()
    context = {
        "person": person,
        "ledger_caption": f"Points of {person}",
        # Absolute: the page is also shown, with errors, at the correcting URLs.
        "ledger_url": reverse("person_points", args=[person.pk]),
        "summary": points_summary(user_id=person.pk),
        "page": page,
        "lines": lines,
        "can_correct": can_correct,
        "correction": correction,
        "adjustment": adjustment,
    }
    return TemplateResponse(request, "recognition/points_person.html", context, status=status)


def _require_corrector(request: HttpRequest) -> None:
    if not request.user.has_perm(CORRECTS):
        raise PermissionDenied("Only HR corrects or adjusts points.")


def _done(request: HttpRequest, person: User, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("person_points", args=[person.pk]))


@login_required
@require_POST
def points_correct(request: HttpRequest, pk: int) -> HttpResponse:
    _require_corrector(request)
    person = _person_for(request.user, pk)
    form = PointsCorrectionForm(request.POST, person_id=person.pk, entries=[])
    return _write_from_form(
        request,
        person,
        form=form,
        form_name="correction",
        write=correct_entry,
        done=lambda data: f"Entry no. {data['entry'].pk} corrected by {data['points']:+d} points.",
    )


@login_required
@require_POST
def points_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    _require_corrector(request)
    person = _person_for(request.user, pk)
    return _write_from_form(
        request,
        person,
        form=PointsAdjustmentForm(request.POST),
        form_name="adjustment",
        write=partial(adjust_points, user=person),
        done=lambda data: f"{person}'s points adjusted by {data['points']:+d}.",
    )


def _write_from_form(request, person, *, form, form_name: str, write, done) -> HttpResponse:
    """Call `write` with the form's fields and the HR person; on bad input, the person's page
    again with the form's messages and a 400."""
    if form.is_valid():
        try:
            write(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, person, done(form.cleaned_data))
    return _person_page(request, person, **{form_name: form}, status=400)
