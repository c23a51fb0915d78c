"""The reach of campaigns, for Communications (counts only), HR (everyone, by name) and managers
(the people below them, by name). Everyone else gets 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns.forms.reach import ReachVersionForm
from campaigns.selectors import reach as reach_selectors
from campaigns.selectors.reach import (
    BREAKDOWN,
    BREAKDOWN_HEADER,
    DAYS,
    DAYS_HEADER,
    NOT_ACKNOWLEDGED,
    NOT_ACKNOWLEDGED_HEADER,
    TABLES,
    CampaignReach,
    ReachScope,
    asked_versions,
    breakdown_rows,
    campaign_for_reach,
    days_rows,
    not_acknowledged_rows,
    reach_index,
    reach_scope,
)
from lms.exports import FORMATS, streaming_download
from lms.models import User

DOWNLOADS = {
    BREAKDOWN: (BREAKDOWN_HEADER, breakdown_rows, "reach"),
    DAYS: (DAYS_HEADER, days_rows, "reach-by-day"),
    NOT_ACKNOWLEDGED: (NOT_ACKNOWLEDGED_HEADER, not_acknowledged_rows, "not-acknowledged"),
}


def _require_scope(user: User) -> ReachScope:
    scope = reach_scope(viewer=user)
    if scope is None:
        raise PermissionDenied(
            "The reach of campaigns is for Communications, HR and managers of a team."
        )
    return scope


@login_required
@require_GET
def campaign_reach_index(request: HttpRequest) -> HttpResponse:
    scope = _require_scope(request.user)
    context = {"rows": reach_index(scope=scope), "scope": scope}
    return render(request, "campaigns/reach_index.html", context)


@login_required
@require_GET
def campaign_reach(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _require_scope(request.user)
    campaign = campaign_for_reach(pk=pk)
    if campaign is None:
        raise Http404("No such campaign.")
    versions = asked_versions(campaign=campaign)
    form = ReachVersionForm(request.GET, versions=versions)
    export_format = request.GET.get("export", "")
    table = request.GET.get("table", BREAKDOWN)
    page = {"campaign": campaign, "form": form, "scope": scope}
    if not form.is_valid():
        return _page(request, **page, status=400)
    if export_format and export_format not in FORMATS:
        error = f"Unknown export format '{export_format[:20]}': choose csv or xlsx."
        return _page(request, **page, error=error, status=400)
    if export_format and table not in TABLES:
        error = f"Unknown table '{table[:30]}': choose {', '.join(TABLES)}."
        return _page(request, **page, error=error, status=400)
    if export_format and table == NOT_ACKNOWLEDGED and not scope.shows_names:
        raise PermissionDenied("Communications sees how many have not acknowledged, not who.")
    reach = reach_selectors.campaign_reach(
        campaign=campaign,
        scope=scope,
        versions=versions,
        revision_id=form.cleaned_data["revision"],
    )
    if export_format:
        if reach is None:
            error = "The campaign has not been released yet: there is nothing to download."
            return _page(request, **page, error=error, status=400)
        return _download(reach, export_format=export_format, table=table)
    return _page(request, **page, reach=reach)


def _download(reach: CampaignReach, *, export_format: str, table: str) -> HttpResponse:
    header, rows, name = DOWNLOADS[table]
    released = timezone.localtime(reach.version.released_at)
    return streaming_download(
        export_format=export_format,
        filename=f"{reach.campaign.slug}-v{reach.version.number}-{name}-{released:%Y-%m-%d}",
        header=header,
        rows=rows(reach),
        title="Reach",
    )


def _page(
    request: HttpRequest,
    *,
    campaign,
    form: ReachVersionForm,
    scope: ReachScope,
    reach: CampaignReach | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    query = request.GET.copy()
    for name in ("export", "table"):
        query.pop(name, None)
    context = {
        "campaign": campaign,
        "form": form,
        "scope": scope,
        "reach": reach,
        "error": error,
        "query": query.urlencode(),
    }
    return render(request, "campaigns/reach.html", context, status=status)
