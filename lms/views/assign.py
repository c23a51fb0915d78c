"""Assigning a module by hand: a manager to their team, HR to anyone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from lms.forms import AssignModuleForm
from lms.models import User
from lms.selectors.people import is_manager, report_ids, sees_everyone
from lms.services import assignments

# Checkboxes shown at once; a search finds anyone else allowed.
PEOPLE_SHOWN = 50


@login_required
def assign_module(request: HttpRequest) -> HttpResponse:
    user = request.user
    anyone = sees_everyone(user)
    manages = is_manager(user)
    if not (anyone or manages):
        raise PermissionDenied("Only managers and HR can assign training.")
    allowed = User.objects.filter(is_active=True)
    if not anyone:
        allowed = allowed.filter(pk__in=report_ids(manager=user))
    query = request.GET.get("q", "").strip()[:100]
    form = AssignModuleForm(
        request.POST or None,
        allowed_people=allowed,
        shown_people=_people_to_show(request, allowed, query=query, manages=manages),
        may_pick_team=manages,
        today=timezone.localdate(),
        not_allowed_message=(
            "Someone ticked is not an active person; search again."
            if anyone
            else "You can assign training only to people in your team."
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = _assign(user=user, anyone=anyone, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _summary(form.cleaned_data["module"].title, outcome))
            return redirect("assign_module")
    context = {"form": form, "query": query, "anyone": anyone, "shown": PEOPLE_SHOWN}
    return render(request, "lms/assign.html", context)


def _people_to_show(request: HttpRequest, allowed, *, query: str, manages: bool) -> list[User]:
    """The checkboxes: people matching the search, else the manager's team (HR searches), plus
    whoever was ticked before a form error, so no choice silently disappears."""
    ticked = [value for value in request.POST.getlist("people") if value.isdigit()]
    if query:
        shown = allowed.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(employee_id__iexact=query)
        )
    elif manages:
        shown = allowed.filter(manager=request.user)
    else:
        shown = allowed.none()
    people = list(shown.order_by("last_name", "first_name", "pk")[:PEOPLE_SHOWN])
    missing = set(map(int, ticked)) - {person.pk for person in people}
    if missing:
        people += list(allowed.filter(pk__in=missing))
    return people


def _assign(*, user: User, anyone: bool, data: dict) -> assignments.Assigned:
    common = {"module": data["module"], "due_on": data["due_on"], "mandatory": data["mandatory"]}
    if data.get("whole_team"):
        return assignments.assign_to_team(
            manager=user, include_indirect=data["include_indirect"], **common
        )
    user_ids = [person.pk for person in data["people"]]
    if anyone:
        return assignments.assign_to_people(assigned_by=user, user_ids=user_ids, **common)
    return assignments.assign_to_team(manager=user, user_ids=user_ids, **common)


def _summary(title: str, outcome: assignments.Assigned) -> str:
    new = f"{outcome.new} {'person' if outcome.new == 1 else 'people'}"
    message = f"Assigned '{title}' to {new}"
    if outcome.already:
        message += f"; {outcome.already} already had it"
    return message + "."
