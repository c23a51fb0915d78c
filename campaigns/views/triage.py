"""The triage of the suggestion box and its report, for those who may triage suggestions (the
Communications team). Everyone else gets 403, whatever suggestion they ask for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.forms.triage import STEP_FORMS, StepForm, TriageFilterForm
from campaigns.models import Suggestion
from campaigns.selectors.suggestion_report import (
    FEWER,
    REPORT_HEADER,
    SMALLEST_GROUP,
    WITHHELD,
    report_records,
    suggestion_report,
)
from campaigns.selectors.triage import suggestion_for_triage, suggestion_history, triage_list
from campaigns.services import triage
from lms.exports import FORMATS, streaming_download
from lms.markdown import render_markdown
from lms.models import User


def _require_triager(user: User) -> None:
    if not user.has_perm("campaigns.triage_suggestion"):
        raise PermissionDenied("Only the Communications team can triage suggestions.")


@login_required
@require_GET
def suggestion_triage(request: HttpRequest) -> HttpResponse:
    _require_triager(request.user)
    form = TriageFilterForm(request.GET)
    listing = None
    if form.is_valid():
        listing = triage_list(
            status=form.cleaned_data["status"],
            category=form.cleaned_data["category"],
            page_number=request.GET.get("page", 1),
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "listing": listing, "query": query.urlencode()}
    return render(request, "campaigns/triage_list.html", context, status=200 if listing else 400)


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_triage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_triager(request.user)
    suggestion = suggestion_for_triage(pk=pk)
    if suggestion is None:
        raise Http404("No such suggestion.")
    if request.method == "GET":
        return _detail_page(request, suggestion=suggestion)
    to_status = request.POST.get("to_status", "")
    if to_status not in STEP_FORMS:
        return _detail_page(
            request,
            suggestion=suggestion,
            error="Choose one of the steps offered on this page; nothing was changed.",
            status=400,
        )
    form = STEP_FORMS[to_status](request.POST)
    if form.is_valid():
        try:
            move = triage.move_suggestion(
                suggestion=suggestion, to_status=to_status, by=request.user, **form.step_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            label = Suggestion.Status(to_status).label.lower()
            if move.moved:
                messages.success(request, f"The suggestion is now {label}.")
            else:
                messages.info(request, f"The suggestion was already {label}; nothing changed.")
            return redirect("suggestion_triage_detail", pk=suggestion.pk)
    return _detail_page(request, suggestion=suggestion, failed_form=form, status=400)


def _detail_page(
    request: HttpRequest,
    *,
    suggestion: Suggestion,
    failed_form: StepForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    step_forms = [
        failed_form
        if failed_form is not None and failed_form.to_status == step
        else STEP_FORMS[step]()
        for step in triage.next_steps(suggestion=suggestion)
    ]
    context = {
        "suggestion": suggestion,
        "text_html": render_markdown(suggestion.text),
        "history": suggestion_history(suggestion=suggestion),
        "step_forms": step_forms,
        "failed_form": failed_form,
        "error": error,
    }
    return render(request, "campaigns/triage_detail.html", context, status=status)


@login_required
@require_GET
def suggestion_report_page(request: HttpRequest) -> HttpResponse:
    _require_triager(request.user)
    export_format = request.GET.get("export", "")
    if export_format and export_format not in FORMATS:
        return _report_page(
            request,
            error=f"Unknown export format '{export_format[:20]}': choose csv or xlsx.",
            status=400,
        )
    if export_format:
        report = suggestion_report()
        return streaming_download(
            export_format=export_format,
            filename=f"suggestions-{report.today:%Y-%m-%d}",
            header=REPORT_HEADER,
            rows=report_records(report),
            title="Suggestions",
        )
    return _report_page(request)


def _report_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "report": suggestion_report(),
        "error": error,
        "fewer": FEWER,
        "withheld": WITHHELD,
        "smallest_group": SMALLEST_GROUP,
    }
    return render(request, "campaigns/suggestion_report.html", context, status=status)
