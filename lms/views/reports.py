"""Reports for HR and managers: where they start, and the competence matrix.

HR sees everyone on the roster; a manager sees the same reports limited to the people below
them; anyone else gets 403. The matrix page, its CSV and its XLSX read the same filters, so an
export holds exactly the rows the page counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lms.exports import FORMATS, streaming_download
from lms.forms import MatrixFilterForm
from lms.models import ProficiencyLevel, User
from lms.selectors import matrix
from lms.selectors.people import is_manager, sees_everyone


def _require_report_viewer(user: User) -> bool:
    """Whether `user` is HR; raises PermissionDenied unless they are HR or a manager."""
    hr = sees_everyone(user)
    if not (hr or is_manager(user)):
        raise PermissionDenied("Reports are for HR and for managers.")
    return hr


# --- The index


@dataclass(frozen=True)
class ReportLink:
    title: str
    href: str
    summary: str


# (url name, title, summary, HR only)
REPORTS = [
    (
        "report_competence_matrix",
        "Competence matrix",
        "Who holds which competence at what level, with coverage per competence and per "
        "department; CSV and XLSX.",
        False,
    ),
    (
        "report_gaps",
        "Gap analysis",
        "Required against held competences for each department and job role, and the modules "
        "that close the gaps.",
        False,
    ),
    (
        "report_training_status",
        "Training status",
        "Overdue training by department and by manager, with the trend over the last 12 months.",
        False,
    ),
    (
        "campaign_reach_index",
        "Campaign reach",
        "Who each awareness campaign reached, opened and acknowledged, by department and level, "
        "and who has not acknowledged yet.",
        False,
    ),
    (
        "appraisal_periods",
        "Appraisal summaries",
        "Points, training on time and late, competences gained, badges, kudos and suggestions "
        "accepted for each person in an appraisal period; CSV and XLSX.",
        False,
    ),
    (
        "report_evidence_pack",
        "Audit evidence pack",
        "A ZIP for an auditor: requirements, records, training content and person files for a "
        "clause, with a SHA-256 manifest.",
        True,
    ),
]


def _report_links(*, hr: bool) -> list[ReportLink]:
    links = [
        ReportLink(title=title, href=reverse(name), summary=summary)
        for name, title, summary, hr_only in REPORTS
        if hr or not hr_only
    ]
    if hr:
        links.append(
            ReportLink(
                title="API for HR systems",
                href=reverse("api_schema"),
                summary="The OpenAPI 3 schema of the read-only JSON API, for service accounts.",
            )
        )
    return links


@login_required
def reports_index(request: HttpRequest) -> HttpResponse:
    hr = _require_report_viewer(request.user)
    context = {"reports": _report_links(hr=hr), "hr": hr}
    return render(request, "lms/reports/index.html", context)


# --- The competence matrix


@login_required
def competence_matrix(request: HttpRequest) -> HttpResponse:
    hr = _require_report_viewer(request.user)
    form = MatrixFilterForm(request.GET)
    export_format = request.GET.get("export", "")
    valid = form.is_valid()
    if export_format and export_format not in FORMATS:
        form.add_error(None, f"Unknown export format “{export_format}”: choose CSV or XLSX.")
        valid = False
    if not valid:
        context = {"form": form, "hr": hr, "matrix": None}
        return render(request, "lms/reports/matrix.html", context, status=400)
    filters = form.filters()
    if export_format:
        header, rows = matrix.matrix_table(viewer=request.user, filters=filters)
        return streaming_download(
            export_format=export_format,
            filename=f"competence-matrix-{timezone.localdate():%Y-%m-%d}",
            header=header,
            rows=rows,
            title="Competence matrix",
        )
    page = request.GET.get("page", "")
    shown = matrix.competence_matrix(
        viewer=request.user, filters=filters, page_number=int(page) if page.isdigit() else 1
    )
    filters_query = request.GET.copy()
    for key in ("page", "export"):
        filters_query.pop(key, None)
    context = {
        "form": form,
        "hr": hr,
        "matrix": shown,
        "totals": list(zip(shown.columns, shown.column_totals, strict=True)),
        "expiring_within": filters.expiring_within,
        "export_links": [
            (label, _link(filters_query, export=export))
            for export, label in (("csv", "CSV"), ("xlsx", "XLSX"))
        ],
        "previous_page": _page_link(filters_query, shown, shown.page_number - 1),
        "next_page": _page_link(filters_query, shown, shown.page_number + 1),
        "levels": ProficiencyLevel.choices,
    }
    return render(request, "lms/reports/matrix.html", context)


def _link(query: QueryDict, **params) -> str:
    """`query` with `params` set, as a link to the same page."""
    query = query.copy()
    for key, value in params.items():
        query[key] = value
    return f"?{query.urlencode()}"


def _page_link(query: QueryDict, shown: matrix.CompetenceMatrix, page_number: int) -> str | None:
    if not 1 <= page_number <= shown.page_count:
        return None
    return _link(query, page=str(page_number))
