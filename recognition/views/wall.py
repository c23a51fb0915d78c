"""The recognition wall, and each person's choice to appear on it and on the leaderboards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from recognition.forms.kudos import HideKudosForm, PreferencesForm
from recognition.selectors.wall import DAYS, wall
from recognition.services.preferences import preferences_of, save_preferences


@login_required
@require_GET
def recognition_wall(request: HttpRequest) -> HttpResponse:
    context = {
        "items": wall(),
        "days": DAYS,
        "can_hide": request.user.has_perm("recognition.moderate_kudos"),
        "hide_form": HideKudosForm(initial={"next": request.get_full_path()}),
    }
    return render(request, "recognition/wall.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recognition_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            save_preferences(user=request.user, **form.cleaned_data)
            messages.success(request, "Your recognition preferences are saved.")
            return redirect("recognition_preferences")
        status = 400
    else:
        current = preferences_of(user=request.user)
        form = PreferencesForm(
            initial={
                "show_on_wall": current.show_on_wall,
                "show_on_leaderboards": current.show_on_leaderboards,
            }
        )
        status = 200
    return render(request, "recognition/preferences.html", {"form": form}, status=status)
