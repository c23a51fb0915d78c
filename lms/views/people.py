from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from lms.forms import PeopleFilterForm
from lms.selectors.certificates import completions_with_certificates
from lms.selectors.content import quizzes_out_of_attempts
from lms.selectors.people import (
    can_view_person,
    is_manager,
    manages,
    people_with_org,
    sees_everyone,
)
from lms.views import learning

PEOPLE_PER_PAGE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Where people land after signing in: their learning, which also shows their place in the
    # organisation. Served here rather than redirected, so "/" stays a page of its own.
    return learning.my_learning(request)


@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    # The old team page, kept so bookmarks still work: the team's training page replaced it.
    if not is_manager(request.user):
        raise PermissionDenied("Only managers have a team page.")
    return redirect("my_team_learning")


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(people_with_org(), pk=pk)
    if not can_view_person(viewer=request.user, person=person):
        raise PermissionDenied("You can see your own record and those of people you manage.")
    direct_reports = people_with_org(person.reports.filter(is_active=True))
    viewer_is_hr = sees_everyone(request.user)
    # Only those who may grant one more attempt see the quizzes someone is stuck at.
    may_grant = viewer_is_hr or manages(manager=request.user, person=person)
    context = {
        "person": person,
        "direct_reports": direct_reports,
        "completions": completions_with_certificates(user=person),
        "may_revoke": request.user.has_perm("lms.record_competence"),
        "stuck_quizzes": quizzes_out_of_attempts(user=person) if may_grant else [],
    }
    return render(request, "lms/person_detail.html", context)


@login_required
@permission_required("lms.view_all_people", raise_exception=True)
def hr_people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    people = form.filter(people_with_org())
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "lms/hr_people.html", {"form": form, "page": page})
