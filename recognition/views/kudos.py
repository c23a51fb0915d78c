"""Sending kudos, reading one's own, a manager's (or HR's) view of those their people received,
and HR hiding kudos from the wall."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recognition.forms.kudos import (
    CHOOSE_A_COLLEAGUE,
    ColleagueSearchForm,
    HideKudosForm,
    KudosForm,
    TeamKudosFilterForm,
)
from recognition.models import Kudos
from recognition.selectors import kudos as selectors
from recognition.services.kudos import display_name, hide_kudos, send_kudos, sent_this_week


@login_required
@require_http_methods(["GET", "POST"])
def send_kudos_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _send(request)
    search = ColleagueSearchForm(request.GET)
    chosen_id = request.GET.get("to", "")
    if chosen_id:
        receiver = selectors.receiver_for(pk=chosen_id, sender=request.user)
        if receiver is None:
            return _page(request, search=search, error=CHOOSE_A_COLLEAGUE, status=400)
        return _page(
            request, search=search, receiver=receiver, form=KudosForm(initial={"to": receiver.pk})
        )
    if not search.is_valid():
        return _page(request, search=search, status=400)
    query = search.cleaned_data["q"]
    found = selectors.colleagues_matching(query=query, sender=request.user)
    return _page(request, search=search, found=found, searched=bool(query))


def _send(request: HttpRequest) -> HttpResponse:
    form = KudosForm(request.POST)
    receiver = selectors.receiver_for(pk=request.POST.get("to"), sender=request.user)
    if form.is_valid():
        try:
            kudos = send_kudos(
                sender=request.user,
                receiver_id=form.cleaned_data["to"],
                value=form.cleaned_data["value"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, f"Your kudos are on their way to {display_name(kudos.receiver)}."
            )
            return redirect("my_kudos")
    if receiver is None and "to" not in form.errors and not form.non_field_errors():
        form.add_error(None, CHOOSE_A_COLLEAGUE)
    return _page(request, search=ColleagueSearchForm(), receiver=receiver, form=form, status=400)


def _add_service_errors(form: KudosForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.error_dict.items():
        # The receiver is not a field of the form: it is chosen before.
        form.add_error(field if field in form.fields else None, field_errors)


def _page(
    request: HttpRequest,
    *,
    search: ColleagueSearchForm,
    receiver=None,
    form: KudosForm | None = None,
    found: list | None = None,
    searched: bool = False,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "search": search,
        "receiver": receiver,
        "form": form,
        "found": found or [],
        "searched": searched,
        "error": error,
        "sent_this_week": sent_this_week(sender=request.user),
        "weekly_limit": settings.LMS_KUDOS_SENT_PER_WEEK,
    }
    return render(request, "recognition/kudos_send.html", context, status=status)


@login_required
@require_GET
def my_kudos(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_kudos(user=request.user, page_number=request.GET.get("page", 1))
    context = {
        "mine": mine,
        "sent_this_week": sent_this_week(sender=request.user),
        "weekly_limit": settings.LMS_KUDOS_SENT_PER_WEEK,
    }
    return render(request, "recognition/kudos_mine.html", context)


@login_required
@require_GET
def team_kudos(request: HttpRequest) -> HttpResponse:
    scope = selectors.team_scope(viewer=request.user)
    if scope is None:
        raise PermissionDenied("Kudos of a team are for its managers and HR.")
    form = TeamKudosFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "scope": scope, "page": None}
        return render(request, "recognition/kudos_team.html", context, status=400)
    page = selectors.team_kudos(
        scope=scope,
        department=form.cleaned_data["department"],
        page_number=request.GET.get("page", 1),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "scope": scope,
        "page": page,
        "query": query.urlencode(),
        "can_hide": request.user.has_perm("recognition.moderate_kudos"),
        "hide_form": HideKudosForm(),
    }
    return render(request, "recognition/kudos_team.html", context)


@login_required
@require_POST
def kudos_hide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("recognition.moderate_kudos"):
        raise PermissionDenied("Only HR can hide kudos from the wall.")
    kudos = Kudos.objects.select_related("sender", "receiver").filter(pk=pk).first()
    if kudos is None:
        raise Http404("No such kudos.")
    form = HideKudosForm(request.POST)
    if form.is_valid():
        try:
            hide_kudos(kudos=kudos, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(
                request,
                f"The kudos from {display_name(kudos.sender)} to {display_name(kudos.receiver)} "
                "are hidden from the wall; they still count.",
            )
            return redirect(_next(request, form.cleaned_data.get("next", "")))
    context = {"kudos": kudos, "form": form}
    return render(request, "recognition/kudos_hide.html", context, status=400)


def _next(request: HttpRequest, url: str) -> str:
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else reverse("team_kudos")
