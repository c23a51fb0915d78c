from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from lms.forms import PeopleFilterForm
from lms.models import User
from lms.selectors.people import can_view_person, people_with_org, team_of

PEOPLE_PER_PAGE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    me = people_with_org(User.objects.filter(pk=request.user.pk)).get()
    direct_reports = people_with_org(me.reports.filter(is_active=True))
    return render(request, "lms/home.html", {"me": me, "direct_reports": direct_reports})


@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    team = team_of(manager=request.user).filter(is_active=True)
    if not team.exists():
        raise PermissionDenied("Only managers have a team page.")
    return render(request, "lms/my_team.html", {"team": team})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(people_with_org(), pk=pk)
    if not can_view_person(viewer=request.user, person=person):
        raise PermissionDenied("You can see your own record and those of people you manage.")
    direct_reports = people_with_org(person.reports.filter(is_active=True))
    return render(
        request, "lms/person_detail.html", {"person": person, "direct_reports": direct_reports}
    )


@login_required
@permission_required("lms.view_all_people", raise_exception=True)
def hr_people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    people = form.filter(people_with_org())
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "lms/hr_people.html", {"form": form, "page": page})
