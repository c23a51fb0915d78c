"""Leaderboards of a month or a quarter: the viewer's department and team, departments by
points per person, and line managers by their team's training done on time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from recognition.periods import MONTH, QUARTER
from recognition.selectors import leaderboards as boards
from recognition.services.preferences import preferences_of


@login_required
@require_GET
def leaderboards(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        period = boards.period_from(
            kind=request.GET.get("period"), at=request.GET.get("at"), today=today
        )
    except boards.BadPeriod as error:
        context = {"error": str(error), "current": boards.period_from(kind=None, at=None)}
        return render(request, "recognition/leaderboards.html", context, status=400)
    viewer = request.user
    team_title, team = boards.team_board(viewer=viewer, period=period)
    managers, viewer_as_manager = boards.manager_ranking(viewer=viewer, period=period, today=today)
    following = period.following()
    context = {
        "period": period,
        "other_kind": QUARTER if period.kind == MONTH else MONTH,
        "previous": period.previous(),
        "following": following if following.first_day <= today else None,
        "department": boards.department_board(viewer=viewer, period=period),
        "team_title": team_title,
        "team": team,
        "departments": boards.department_ranking(viewer=viewer, period=period),
        "managers": managers,
        "viewer_as_manager": viewer_as_manager,
        "min_due": boards.MIN_ASSIGNMENTS_DUE,
        "top": boards.TOP,
        "shown": preferences_of(user=viewer).show_on_leaderboards,
    }
    return render(request, "recognition/leaderboards.html", context)
