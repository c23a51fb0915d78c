"""My learning, my team's learning, and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from lms.models import User
from lms.selectors import learning
from lms.selectors.people import is_manager, manages, people_with_org
from lms.services import notifications as notification_service
from lms.services.reminders import NothingToRemind, remind_team_member


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    me = people_with_org(User.objects.filter(pk=request.user.pk)).get()
    context = {"me": me, "learning": learning.my_learning(user=me)}
    return render(request, "lms/learning/my_learning.html", context)


@login_required
def my_team_learning(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers have a team page.")
    include_indirect = request.GET.get("indirect") == "1"
    grid = learning.team_grid(
        manager=request.user,
        include_indirect=include_indirect,
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "lms/learning/my_team.html",
        {"grid": grid, "include_indirect": include_indirect},
    )


@login_required
@require_POST
def send_team_reminder(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk, is_active=True)
    if not manages(manager=request.user, person=person):
        raise PermissionDenied("You can remind only the people in your team.")
    try:
        reminder = remind_team_member(manager=request.user, person=person)
    except NothingToRemind:
        messages.info(request, f"{person} has no open training: no reminder was sent.")
    else:
        if reminder is None:
            messages.warning(
                request, f"{person} has already been reminded today: nothing more was sent."
            )
        else:
            messages.success(request, f"Reminder sent to {person}.")
    # Back to the same view of the team the button was pressed on.
    query = {}
    if request.POST.get("indirect") == "1":
        query["indirect"] = "1"
    if request.POST.get("page", "").isdigit():
        query["page"] = request.POST["page"]
    url = reverse("my_team_learning")
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        count = notification_service.mark_all_read(user=request.user)
        if count:
            messages.success(request, f"Marked {count} notification{'s'[: count != 1]} as read.")
        else:
            messages.info(request, "There was nothing unread.")
        return redirect("notifications")
    return render(
        request,
        "lms/learning/notifications.html",
        {"notifications": learning.notifications_of(user=request.user)},
    )
