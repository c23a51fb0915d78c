"""The Communications team's inbox of feedback on campaigns, and their answers. Everyone else
gets 403, whatever feedback they ask for."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from campaigns.forms.feedback_answers import FeedbackAnswerForm
from campaigns.models import CampaignFeedback
from campaigns.selectors.feedback_inbox import (
    SHOW_CHOICES,
    feedback_counts,
    feedback_for_answer,
    feedback_inbox,
)
from campaigns.services.feedback_answers import answer_feedback
from lms.markdown import render_markdown
from lms.models import User


def _require_answerer(user: User) -> None:
    if not user.has_perm("campaigns.change_campaignfeedback"):
        raise PermissionDenied("Only the Communications team reads and answers feedback.")


@dataclass(frozen=True)
class InboxItem:
    feedback: CampaignFeedback
    text_html: SafeString
    answer_html: SafeString
    form: FeedbackAnswerForm


def _item(feedback: CampaignFeedback, form: FeedbackAnswerForm | None = None) -> InboxItem:
    return InboxItem(
        feedback=feedback,
        text_html=render_markdown(feedback.text),
        answer_html=render_markdown(feedback.answer),
        form=form or FeedbackAnswerForm(feedback=feedback),
    )


@login_required
@require_GET
def campaign_feedback_inbox(request: HttpRequest) -> HttpResponse:
    _require_answerer(request.user)
    return _inbox(request)


@login_required
@require_POST
def campaign_feedback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _require_answerer(request.user)
    feedback = feedback_for_answer(pk=pk)
    if feedback is None:
        raise Http404("No such feedback.")
    form = FeedbackAnswerForm(request.POST, feedback=feedback)
    if form.is_valid():
        try:
            answer_feedback(
                feedback=feedback,
                answer=form.cleaned_data["answer"],
                is_public=form.cleaned_data["answer_is_public"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("answer", error)
        else:
            published = "published to everyone" if form.cleaned_data["answer_is_public"] else ""
            messages.success(
                request,
                f"Your answer on “{feedback.campaign.title}” is saved"
                + (f" and {published}." if published else "; only Communications sees it."),
            )
            return redirect(f"{_inbox_url(request)}#feedback-{feedback.pk}")
    return _inbox(request, failed=_item(feedback, form), status=400)


def _inbox_url(request: HttpRequest) -> str:
    """The inbox as the answer was written from: the same filter and page."""
    kept = {
        name: value
        for name in ("show", "page")
        if (value := request.POST.get(name, "")) and value.isalnum()
    }
    return reverse("campaign_feedback_inbox") + (f"?{urlencode(kept)}" if kept else "")


def _inbox(
    request: HttpRequest, *, failed: InboxItem | None = None, status: int = 200
) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    show = params.get("show", "")
    if show not in dict(SHOW_CHOICES):
        show = ""
    page = feedback_inbox(show=show, page_number=params.get("page", 1))
    items = [
        failed if failed is not None and failed.feedback.pk == feedback.pk else _item(feedback)
        for feedback in page.object_list
    ]
    if failed is not None and all(item.feedback.pk != failed.feedback.pk for item in items):
        items.insert(0, failed)
    context = {
        "page": page,
        "items": items,
        "failed": failed,
        "show": show,
        "show_choices": SHOW_CHOICES,
        "counts": feedback_counts(),
    }
    return render(request, "campaigns/feedback_inbox.html", context, status=status)
