"""Appraisal periods and summaries: the person sees their own, a manager the people below them,
HR everyone (and closes periods and downloads them). Also the periods' CMS snippet for HR."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from lms.exports import FORMATS, Cell, streaming_download
from lms.models import Department, User
from lms.selectors.people import PeopleScope, is_manager
from recognition.models import AppraisalPeriod, Category
from recognition.selectors.appraisals import (
    VIEW_ALL,
    Summary,
    appraisal_scope,
    can_see_summary,
    people_in_period,
    summaries_for,
    summary_of,
)
from recognition.services.appraisals import CLOSE_PERMISSION, close_period

PEOPLE_PER_PAGE = 50
# People read and counted together while a download streams.
EXPORT_BATCH = 500


class DepartmentFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        required=False,
        empty_label="Every department",
        error_messages={"invalid_choice": "Choose one of the departments listed."},
    )


def _require_scope(request: HttpRequest) -> PeopleScope:
    scope = appraisal_scope(viewer=request.user, team_only=request.GET.get("scope") == "team")
    if scope is None:
        raise PermissionDenied(
            "The summaries of a period are for HR and for managers (their people). "
            "Your own summary is linked from the list of periods."
        )
    return scope


@login_required
@require_GET
def appraisal_periods(request: HttpRequest) -> HttpResponse:
    context = {
        "periods": AppraisalPeriod.objects.order_by("-starts_on", "name"),
        "manages": is_manager(request.user),
        "sees_all": request.user.has_perm(VIEW_ALL),
    }
    return render(request, "recognition/appraisal_periods.html", context)


@login_required
@require_GET
def appraisal_period(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _require_scope(request)
    period = get_object_or_404(AppraisalPeriod, pk=pk)
    return _period_page(request, period=period, scope=scope)


@login_required
@require_POST
def appraisal_close(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(CLOSE_PERMISSION):
        raise PermissionDenied("Only HR can close an appraisal period.")
    period = get_object_or_404(AppraisalPeriod, pk=pk)
    try:
        written = close_period(period=period, by=request.user)
    except ValidationError as error:
        period.refresh_from_db()
        scope = _require_scope(request)
        return _period_page(
            request, period=period, scope=scope, error=" ".join(error.messages), status=400
        )
    messages.success(
        request, f"“{period}” is closed: {written} summaries are frozen and will not change."
    )
    return redirect("appraisal_period", pk=period.pk)


def _period_page(
    request: HttpRequest,
    *,
    period: AppraisalPeriod,
    scope: PeopleScope,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    form = DepartmentFilterForm(request.GET) if scope.is_everyone else None
    department = None
    if form is not None:
        if form.is_valid():
            department = form.cleaned_data["department"]
        else:
            status = 400
    people = people_in_period(period=period, scope=scope, department=department)
    if status == 400 and not error:
        people = people.none()
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "period": period,
        "scope": scope,
        "form": form,
        "page": page,
        "summaries": summaries_for(period=period, people=page.object_list),
        "may_close": request.user.has_perm(CLOSE_PERMISSION) and not period.is_closed,
        "error": error,
        "query": query.urlencode(),
    }
    return render(request, "recognition/appraisal_period.html", context, status=status)


@login_required
@require_GET
def appraisal_summary(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    period = get_object_or_404(AppraisalPeriod, pk=pk)
    person = get_object_or_404(User.objects.select_related("department"), pk=user_pk)
    if not can_see_summary(viewer=request.user, person=person):
        raise PermissionDenied(
            "You can see your own appraisal summary and those of the people below you."
        )
    context = {
        "period": period,
        "person": person,
        "summary": summary_of(period=period, person=person),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "recognition/appraisal_summary.html", context)


# --- Downloads

EXPORT_HEADER = [
    "Name",
    "E-mail",
    "Employee id",
    "Department",
    *(f"Points: {label}" for _value, label in Category.choices),
    "Points in total",
    "Modules on time",
    "Modules late",
    "Modules self-directed",
    "Competences gained",
    "Competences",
    "Badges",
    "Badge names",
    "Kudos received",
    "Kudos messages",
    "Suggestions accepted",
    "Team size",
    "Team on time (%)",
    "Frozen at",
]


def export_row(summary: Summary) -> list[Cell]:
    """One download row; lms.exports neutralises any text a spreadsheet would run."""
    person, figures = summary.person, summary.figures
    team = figures["team"]
    return [
        person.get_full_name() or person.email,
        person.email,
        person.employee_id or "",
        person.department.name if person.department else "",
        *(points for _label, points in summary.points),
        figures["points_total"],
        figures["modules"]["on_time"],
        figures["modules"]["late"],
        figures["modules"]["self_directed"],
        len(figures["competences"]),
        "; ".join(f"{c['name']} ({c['level_label']})" for c in figures["competences"]),
        len(figures["badges"]),
        "; ".join(badge["name"] for badge in figures["badges"]),
        len(figures["kudos"]),
        "; ".join(f"{k['message']} ({k['sender']}, {k['value_label']})" for k in figures["kudos"]),
        len(figures["suggestions_accepted"]),
        team["size"] if team else None,
        team["rate"] if team else None,
        summary.frozen_at,
    ]


def _export_rows(period: AppraisalPeriod, people):
    # In batches: the first rows leave while the next people are counted.
    offset = 0
    while True:
        batch = list(people[offset : offset + EXPORT_BATCH])
        if not batch:
            return
        for summary in summaries_for(period=period, people=batch):
            yield export_row(summary)
        offset += EXPORT_BATCH


@login_required
@require_GET
def appraisal_export(request: HttpRequest, pk: int, export_format: str) -> HttpResponse:
    scope = _require_scope(request)
    if export_format not in FORMATS:
        raise Http404("Downloads are in CSV or XLSX.")
    period = get_object_or_404(AppraisalPeriod, pk=pk)
    department = None
    if scope.is_everyone:
        form = DepartmentFilterForm(request.GET)
        if not form.is_valid():
            return _period_page(request, period=period, scope=scope, status=400)
        department = form.cleaned_data["department"]
    people = people_in_period(period=period, scope=scope, department=department)
    stamp = "frozen" if period.is_closed else f"so-far-{timezone.localdate():%Y-%m-%d}"
    return streaming_download(
        export_format=export_format,
        filename=f"appraisals-{slugify(period.name) or period.pk}-{stamp}",
        header=EXPORT_HEADER,
        rows=_export_rows(period, people),
        title="Appraisals",
    )
