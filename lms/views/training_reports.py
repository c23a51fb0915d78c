"""Gap analysis and training status: reports for HR and for managers (limited to the people below
them), each with a filter form and CSV or XLSX downloads of exactly what the page shows. The gap
analysis also assigns the modules that close a gap to the people who have it."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.exports import FORMATS, streaming_download
from lms.forms import MatrixFilterForm
from lms.models import Competence, Department, JobRole, ManagementLevel, TrainingModule, User
from lms.selectors import training_reports as reports
from lms.selectors.matrix import MatrixFilters
from lms.selectors.people import is_manager, sees_everyone
from lms.services import assignments

DUE_IN_DAYS = 30


class GapFilterForm(MatrixFilterForm):
    # Where people stand is what the report counts, so it cannot also be a filter.
    status = None
    within = None


class TrainingStatusFilterForm(MatrixFilterForm):
    standard = None
    clause = None
    status = None
    within = None


class AssignGapForm(forms.Form):
    """The button of one gap row: its group, competence, the module chosen and a due date. An
    empty department or job role means the people without one."""

    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False)
    job_role = forms.ModelChoiceField(queryset=JobRole.objects.all(), required=False)
    management_level = forms.ChoiceField(
        choices=[("", "Every level"), *ManagementLevel.choices], required=False
    )
    competence = forms.ModelChoiceField(queryset=Competence.objects.all())
    module = forms.ModelChoiceField(
        queryset=TrainingModule.objects.live(),
        error_messages={"invalid_choice": "That module is not published; choose another one."},
    )
    due_on = forms.DateField(label="Due date")
    return_query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_due_on(self) -> date:
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError("The due date is in the past; choose today or a later day.")
        return due_on


def _require_reporter(user: User) -> None:
    if not (sees_everyone(user) or is_manager(user)):
        raise PermissionDenied("Only HR and managers can see training reports.")


def _bad_export(request: HttpRequest) -> str:
    export_format = request.GET.get("export", "")
    if export_format and export_format not in FORMATS:
        return f"Unknown export format '{export_format[:20]}': choose csv or xlsx."
    return ""


def _query_without_export(query: QueryDict) -> str:
    query = query.copy()
    query.pop("export", None)
    query.pop("table", None)
    return query.urlencode()


# --- Gap analysis


@login_required
def gap_analysis(request: HttpRequest) -> HttpResponse:
    _require_reporter(request.user)
    form = GapFilterForm(request.GET)
    if not form.is_valid():
        return _gap_page(request, form=form, status=400)
    if error := _bad_export(request):
        return _gap_page(request, form=form, error=error, status=400)
    if export_format := request.GET.get("export"):
        analysis = reports.gap_analysis(viewer=request.user, filters=form.filters())
        header, rows = reports.gap_table(analysis)
        return streaming_download(
            export_format=export_format,
            filename="competence-gaps",
            header=header,
            rows=rows,
            title="Competence gaps",
        )
    return _gap_page(request, form=form)


@login_required
@require_POST
def assign_gap_modules(request: HttpRequest) -> HttpResponse:
    _require_reporter(request.user)
    today = timezone.localdate()
    form = AssignGapForm(request.POST, today=today)
    if form.is_valid():
        data = form.cleaned_data
        gap = reports.group_gap(
            viewer=request.user,
            department=data["department"],
            job_role=data["job_role"],
            management_level=data["management_level"],
            competence=data["competence"],
            today=today,
        )
        try:
            outcome = _assign_closing_module(user=request.user, gap=gap, data=data, today=today)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _summary(data["module"], gap, outcome))
            return redirect(_gap_url(data["return_query"]))
    filters_form = GapFilterForm(QueryDict(form.data.get("return_query", "")))
    if not filters_form.is_valid():
        filters_form = GapFilterForm(QueryDict())
    return _gap_page(request, form=filters_form, assign_form=form, status=400)


def _assign_closing_module(
    *, user: User, gap: reports.GapRow, data: dict, today: date
) -> assignments.Assigned:
    module = data["module"]
    if not gap.lacking_ids:
        raise ValidationError(
            f"Nobody you report on in {gap.department}, {gap.job_role} lacks "
            f"{gap.competence.name}; nothing was assigned."
        )
    if module not in gap.closing_modules:
        raise ValidationError(
            f"'{module.title}' does not close this gap: it must record {gap.competence.name} "
            f"at level '{gap.closing_level_label}' or above; nothing was assigned."
        )
    common = {"module": module, "due_on": data["due_on"], "user_ids": gap.lacking_ids}
    if sees_everyone(user):
        return assignments.assign_to_people(assigned_by=user, today=today, **common)
    return assignments.assign_to_team(manager=user, today=today, **common)


def _summary(module: TrainingModule, gap: reports.GapRow, outcome: assignments.Assigned) -> str:
    people = "person" if outcome.new == 1 else "people"
    return (
        f"Assigned '{module.title}' to {outcome.new} {people} lacking {gap.competence.name} in "
        f"{gap.department}, {gap.job_role}; {outcome.already} already had it."
    )


def _gap_url(return_query: str) -> str:
    query = _query_without_export(QueryDict(return_query))
    url = reverse("report_gaps")
    return f"{url}?{query}" if query else url


def _gap_page(
    request: HttpRequest,
    *,
    form: GapFilterForm,
    assign_form: AssignGapForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    analysis = None
    if form.is_valid():
        analysis = reports.gap_analysis(viewer=request.user, filters=form.filters(), today=today)
    query = _query_without_export(form.data)
    context = {
        "form": form,
        "analysis": analysis,
        "assign_form": assign_form,
        "error": error,
        "query": query,
        "management_level": form.cleaned_data.get("management_level", "") if analysis else "",
        "today": today,
        "due_default": today + timedelta(days=DUE_IN_DAYS),
    }
    return render(request, "lms/reports/gaps.html", context, status=status)


# --- Training status


@login_required
def training_status(request: HttpRequest) -> HttpResponse:
    _require_reporter(request.user)
    form = TrainingStatusFilterForm(request.GET)
    if not form.is_valid():
        return _training_page(request, form=form, status=400)
    error = _bad_export(request)
    table = request.GET.get("table", reports.TABLES[0])
    if request.GET.get("export") and table not in reports.TABLES:
        error = f"Unknown table '{table[:20]}': choose one of {', '.join(reports.TABLES)}."
    if error:
        return _training_page(request, form=form, error=error, status=400)
    if export_format := request.GET.get("export"):
        status = reports.training_status(viewer=request.user, filters=form.filters())
        header, rows = reports.training_status_table(status, table=table)
        return streaming_download(
            export_format=export_format,
            filename=f"overdue-training-{table}",
            header=header,
            rows=rows,
            title=f"Overdue training {table}",
        )
    return _training_page(request, form=form)


def _training_page(
    request: HttpRequest,
    *,
    form: TrainingStatusFilterForm,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    filters: MatrixFilters | None = form.filters() if form.is_valid() else None
    context = {
        "form": form,
        "report": (
            reports.training_status(viewer=request.user, filters=filters) if filters else None
        ),
        "error": error,
        "query": _query_without_export(form.data),
    }
    return render(request, "lms/reports/training.html", context, status=status)
