"""Campaigns as their readers meet them: the campaign index and pages (served by the CMS pages,
which hand over here), acknowledging, what changed, my campaigns, and feedback.

Everything is for signed-in people. A live campaign may be read by anyone signed in; only the
people it is addressed to (its audience, or those it was delivered to) acknowledge it or see
what changed for them: anyone else gets 403, since the page itself is no secret.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_POST

from campaigns.forms.reading import CampaignFeedbackForm
from campaigns.models import CampaignIndexPage, CampaignPage
from campaigns.selectors import reading as selectors
from campaigns.selectors.changes import changes_for
from campaigns.services.reading import (
    NothingToAcknowledge,
    acknowledge,
    mark_opened,
    submit_feedback,
)
from quizzes.selectors import quiz_state

PER_PAGE = 20


def serve_campaign_index(request: HttpRequest, index: CampaignIndexPage) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    campaigns = (
        selectors.live_campaigns()
        .child_of(index)
        .defer("body")
        .order_by("-first_published_at", "-pk")
    )
    page = Paginator(campaigns, PER_PAGE).get_page(request.GET.get("page"))
    mine = {
        row.campaign_id: row
        for row in selectors.campaigns_of(user=request.user).filter(
            campaign_id__in=[campaign.pk for campaign in page]
        )
    }
    context = index.get_context(request)
    context["entries"] = [(campaign, mine.get(campaign.pk)) for campaign in page]
    context["campaigns_page"] = page
    return TemplateResponse(request, index.get_template(request), context)


def serve_campaign(
    request: HttpRequest,
    campaign: CampaignPage,
    *,
    feedback_form: CampaignFeedbackForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    """The campaign page for the person reading it; opening it marks their delivery opened."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    if request.method == "GET":
        mark_opened(campaign=campaign, user=user)
    quiz = campaign.awareness_check
    context = campaign.get_context(request)
    context.update(
        reader=selectors.reader_standing(campaign=campaign, user=user),
        clauses=selectors.clauses_of(campaign),
        standards=list(campaign.standards.all()),
        related_modules=list(selectors.related_modules_of(campaign)),
        awareness=quiz_state(quiz=quiz, user=user) if quiz else None,
        feedback_form=feedback_form or CampaignFeedbackForm(),
        answers=selectors.published_answers(campaign=campaign),
        refusal=refusal,
        # Where the awareness check's result page leads back to.
        page_path=campaign.get_url(request),
    )
    return TemplateResponse(request, campaign.get_template(request), context, status=status)


def _live_campaign(pk: int) -> CampaignPage:
    return get_object_or_404(selectors.live_campaigns(), pk=pk)


@login_required
@require_POST
def campaign_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _live_campaign(pk)
    try:
        acknowledgement = acknowledge(campaign=campaign, user=request.user)
    except NothingToAcknowledge as refusal:
        return serve_campaign(request, campaign, refusal=str(refusal), status=400)
    messages.success(
        request,
        f"Thank you: you acknowledged “{campaign.title}” on "
        f"{date_format(localtime(acknowledgement.acknowledged_at), 'j F Y')}.",
    )
    return redirect(f"{campaign.get_url(request)}#acknowledgement")


@login_required
@require_GET
def campaign_changes(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _live_campaign(pk)
    reader = selectors.reader_standing(campaign=campaign, user=request.user)
    if not reader.is_asked:
        raise PermissionDenied("This campaign is not addressed to you.")
    changes = changes_for(campaign=campaign, user=request.user, release=reader.release)
    context = {"campaign": campaign, "reader": reader, "changes": changes}
    return render(request, "campaigns/campaign_changes.html", context)


@login_required
@require_GET
def my_campaigns(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.campaigns_of(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "campaigns/my_campaigns.html", {"page": page})


@login_required
@require_POST
def campaign_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _live_campaign(pk)
    form = CampaignFeedbackForm(request.POST)
    if form.is_valid():
        try:
            submit_feedback(
                campaign=campaign,
                text=form.cleaned_data["text"],
                author=request.user if form.is_signed() else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return serve_campaign(request, campaign, feedback_form=form, status=400)
    messages.success(
        request,
        "Thank you: the communications team will read it. "
        + (
            "They can see that it came from you."
            if form.is_signed()
            else "It was stored without your name, account or the time of day."
        ),
    )
    return redirect(f"{campaign.get_url(request)}#feedback")
