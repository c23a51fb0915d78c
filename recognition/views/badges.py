"""Badges: a person's own badges and sharing them; the public pages and Open Badges documents.

The public side needs no login: an award's page only while its owner shares it (404 otherwise,
so nobody learns that it exists), the criteria of every badge, and the JSON-LD documents a
verifier fetches (an assertion names its recipient only by a salted hash).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin import messages as admin_messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from recognition import open_badges
from recognition.models import Badge, BadgeAward
from recognition.selectors import badges as selectors
from recognition.services.badges import (
    REASON_LENGTH,
    REVOKE_PERMISSION,
    revoke_award,
    set_sharing,
)

SHARE_CHOICES = {"1": True, "0": False}


@login_required
@require_GET
def my_badges(request: HttpRequest) -> HttpResponse:
    return _my_badges_page(request)


def _my_badges_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    page = selectors.my_badges(user=request.user)
    context = {
        "held": page.held,
        "available": page.available,
        "error": error,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "recognition/my_badges.html", context, status=status)


@login_required
@require_POST
def badge_award_share(request: HttpRequest, uid) -> HttpResponse:
    # Someone else's award is answered as missing: its id tells nothing.
    award = get_object_or_404(
        BadgeAward.objects.select_related("badge"), uid=uid, user=request.user
    )
    public = SHARE_CHOICES.get(request.POST.get("public", ""))
    if public is None:
        return _my_badges_page(
            request, error="Choose whether to share the badge or not.", status=400
        )
    try:
        set_sharing(award=award, user=request.user, public=public)
    except ValidationError as refusal:
        return _my_badges_page(request, error=refusal.messages[0], status=400)
    if public:
        messages.success(request, f"Anyone with the link can now see your badge “{award.badge}”.")
    else:
        messages.success(request, f"Your badge “{award.badge}” is private again.")
    return redirect(f"{reverse('my_badges')}#award-{award.uid}")


@require_GET
def badge_public(request: HttpRequest, uid) -> HttpResponse:
    award = selectors.public_award(uid)
    if award is None:
        raise Http404("No shared badge here.")
    badge = award.badge
    context = {
        "award": award,
        "badge": badge,
        "holder": _first_name_and_initial(award.user),
        "is_current": selectors.is_current(award),
        "clauses": selectors.badge_clauses(badge),
        "image_url": open_badges.image_url(badge),
        "issuer_name": settings.LMS_OPEN_BADGES_ISSUER_NAME,
    }
    return TemplateResponse(request, "recognition/badge_public.html", context)


@require_GET
def badge_criteria(request: HttpRequest, slug: str) -> HttpResponse:
    badge = get_object_or_404(Badge.objects.select_related("image"), slug=slug)
    context = {
        "badge": badge,
        "clauses": selectors.badge_clauses(badge),
        "image_url": open_badges.image_url(badge),
    }
    return TemplateResponse(request, "recognition/badge_criteria.html", context)


@require_GET
def badge_assertion(request: HttpRequest, uid) -> HttpResponse:
    award = get_object_or_404(BadgeAward.objects.select_related("badge", "user"), uid=uid)
    if award.revoked_at is not None:
        return _json_ld(open_badges.revoked_assertion(award), status=410)
    return _json_ld(open_badges.assertion(award))


@require_GET
def badge_class(request: HttpRequest, slug: str) -> HttpResponse:
    badge = get_object_or_404(Badge.objects.select_related("image"), slug=slug)
    return _json_ld(open_badges.badge_class(badge, clauses=selectors.badge_clauses(badge)))


@require_GET
def badge_issuer(request: HttpRequest) -> HttpResponse:
    return _json_ld(open_badges.issuer_profile())


def _json_ld(document: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        document,
        status=status,
        content_type=open_badges.CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    # Verifiers and backpacks fetch these from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _first_name_and_initial(user) -> str:
    """Only as much of the name as the public page needs: "Team M."."""
    initial = f" {user.last_name[:1]}." if user.last_name else ""
    return (user.first_name or "A colleague") + initial


# --- HR revokes an award in the CMS (wired in recognition/wagtail_hooks.py)


class BadgeAwardRevokeView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Revoke one award, saying why: its assertion then answers that it was revoked."""

    permission_required = REVOKE_PERMISSION
    template_name = "recognition/badge_revoke.html"
    header_icon = "pick"

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()
        # Wagtail's admin would turn PermissionDenied into a redirect to its dashboard.
        return permission_denied(self.request, PermissionDenied("Only HR can revoke a badge."))

    @cached_property
    def award(self) -> BadgeAward:
        return get_object_or_404(
            BadgeAward.objects.select_related("badge", "user"), pk=self.kwargs["pk"]
        )

    def get_page_title(self):
        return f"Revoke “{self.award.badge}” of {self.award.user}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("badge_awards:index"), "label": "Badge awards"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(award=self.award, reason_max=REASON_LENGTH)
        return context

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "")
        try:
            revoke_award(award=self.award, reason=reason, by=request.user)
        except ValidationError as refusal:
            context = self.get_context_data(error=refusal.messages[0], reason=reason)
            return self.render_to_response(context, status=400)
        admin_messages.success(request, f"“{self.award.badge}” of {self.award.user} is revoked.")
        return redirect("badge_awards:index")
