"""The learner's way through a quiz (rules, start, the form, the result), a manager's grant of one
more attempt, and the editors' item statistics in the CMS. Each view checks who may see what
through the project's adapter (`quizzes.app_settings.adapter`) and calls one service."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from quizzes.app_settings import adapter, render_markdown
from quizzes.forms import ExtraAttemptForm, answers_from_post
from quizzes.models import Attempt, Quiz
from quizzes.selectors import (
    attempt_for_page,
    attempt_result,
    attempts_of,
    form_questions,
    quiz_state,
    time_left_seconds,
)
from quizzes.services.attempts import (
    NoAttemptsLeft,
    StaleForm,
    expire_attempt,
    grant_extra_attempt,
    is_overdue,
    start_attempt,
    submit_attempt,
)
from quizzes.services.statistics import item_statistics

ALREADY_SUBMITTED = "This attempt was already submitted; your first submission counts."
TIME_RAN_OUT = "Time ran out before your answers arrived, so they were not recorded."


def safe_next(request: HttpRequest, value: str | None) -> str:
    """`value` if it is a path on this site, else "": a `next` never sends anyone elsewhere."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts=None, require_https=request.is_secure()
        )
    ):
        return value
    return ""


def _detail_url(quiz: Quiz, next_url: str = "") -> str:
    url = reverse("quiz_detail", args=[quiz.pk])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _viewable_attempt(request: HttpRequest, pk: int) -> Attempt:
    attempt = attempt_for_page(pk)
    # Someone else's attempt is simply not there for whoever may not see it.
    if attempt is None or not adapter().can_view_attempt(viewer=request.user, attempt=attempt):
        raise Http404("No such attempt.")
    return attempt


@login_required
def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    return render(
        request,
        "quizzes/detail.html",
        {
            "quiz": quiz,
            "quiz_state": quiz_state(quiz=quiz, user=request.user),
            "attempts": list(attempts_of(quiz=quiz, user=request.user)),
            "instructions": render_markdown(quiz.instructions),
            "question_count": quiz.questions_to_draw or len(quiz.questions),
            "next": safe_next(request, request.GET.get("next")),
        },
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    next_url = safe_next(request, request.POST.get("next"))
    try:
        attempt = start_attempt(quiz=quiz, user=request.user, return_url=next_url)
    except NoAttemptsLeft as error:
        messages.error(request, str(error))
        return redirect(_detail_url(quiz, next_url))
    return redirect("quiz_attempt", pk=attempt.pk)


@login_required
def quiz_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _viewable_attempt(request, pk)
    is_owner = attempt.user_id == request.user.pk
    if attempt.status == Attempt.Status.STARTED and is_overdue(attempt):
        expire_attempt(attempt=attempt)
        attempt = attempt_for_page(pk)
    if attempt.status == Attempt.Status.STARTED:
        if not is_owner:
            # Someone following the person's progress sees that it is under way, never the
            # questions: a manager may have the same quiz to take.
            return render(request, "quizzes/attempt_status.html", {"attempt": attempt})
        return render(
            request,
            "quizzes/attempt_form.html",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "questions": form_questions(attempt=attempt),
                "seconds_left": time_left_seconds(attempt),
            },
        )
    rows = attempt_result(attempt=attempt)
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "rows": rows,
            "missed": [row for row in rows if not row.is_correct],
            "is_owner": is_owner,
            "quiz_state": quiz_state(quiz=attempt.quiz, user=request.user) if is_owner else None,
            "return_url": safe_next(request, attempt.return_url),
        },
    )


@login_required
@require_POST
def quiz_submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _viewable_attempt(request, pk)
    if attempt.user_id != request.user.pk:
        raise PermissionDenied("Only the person taking the quiz can submit their answers.")
    if attempt.status == Attempt.Status.SUBMITTED:
        messages.info(request, ALREADY_SUBMITTED)
        return redirect("quiz_attempt", pk=attempt.pk)
    if attempt.status == Attempt.Status.EXPIRED:
        return redirect("quiz_attempt", pk=attempt.pk)
    try:
        result = submit_attempt(attempt=attempt, answers=answers_from_post(request.POST))
    except StaleForm as error:
        return render(
            request,
            "quizzes/stale_form.html",
            {"attempt": attempt, "message": str(error)},
            status=400,
        )
    if result.status == Attempt.Status.EXPIRED:
        messages.warning(request, TIME_RAN_OUT)
    return redirect("quiz_attempt", pk=attempt.pk)


@login_required
@require_POST
def quiz_grant_extra_attempt(request: HttpRequest, quiz_id: int, user_id: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    person = get_object_or_404(get_user_model(), pk=user_id)
    quiz_adapter = adapter()
    if not quiz_adapter.can_grant_extra_attempt(granter=request.user, person=person):
        # The adapter answers "who may see whose attempts" for an attempt; an unsaved one asks
        # it about this person without needing them to have made one.
        if quiz_adapter.can_view_attempt(
            viewer=request.user, attempt=Attempt(quiz=quiz, user=person)
        ):
            raise PermissionDenied("Only a manager or HR can grant an extra attempt.")
        raise Http404("No such person.")
    next_url = safe_next(request, request.POST.get("next")) or _detail_url(quiz)
    form = ExtraAttemptForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(next_url)
    name = person.get_full_name() or person.email
    try:
        grant_extra_attempt(
            quiz=quiz, user=person, granted_by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{name} has one more attempt at “{quiz.title}”.")
    return redirect(next_url)


class ItemStatisticsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Per question of one quiz: answers, share right, and the wrong choices people picked."""

    permission_required = "quizzes.view_quiz_statistics"
    template_name = "quizzes/admin/item_statistics.html"
    header_icon = "table"

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()
        # Wagtail's admin would turn PermissionDenied into a redirect to its dashboard.
        return permission_denied(
            self.request, PermissionDenied("Only HR can read item statistics.")
        )

    @cached_property
    def quiz(self) -> Quiz:
        return get_object_or_404(Quiz, pk=self.kwargs["quiz_id"])

    def get_page_title(self):
        return f"Item statistics: {self.quiz.title}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_quizzes_quiz:list"), "label": "Quizzes"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quiz"] = self.quiz
        context["items"] = item_statistics(quiz=self.quiz)
        context["submitted"] = Attempt.objects.filter(
            quiz=self.quiz, status=Attempt.Status.SUBMITTED
        ).count()
        return context
