"""The CMS screens of recognition: HR edits the points rules, badges and appraisal periods, and
reads the ledger and the badge awards (wired in recognition/wagtail_hooks.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.admin.competence import ReadOnlyViewSet
from recognition.models import AppraisalPeriod, Badge, BadgeAward, PointsEntry, PointsRule
from recognition.services.badges import REVOKE_PERMISSION

# --- Points


class RulesAreNeverDeleted(ModelPermissionPolicy):
    """Not even by a superuser: the ledger's entries keep pointing at the rule that paid them.
    Clearing "active" stops a rule paying."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


class PointsRuleViewSet(SnippetViewSet):
    model = PointsRule
    icon = "pick"
    menu_label = "Points rules"
    menu_name = "points-rules"
    copy_view_enabled = False
    list_display = [
        Column("event", label="Event", accessor="get_event_display"),
        Column("points", label="Points"),
        Column("bonus_points", label="Bonus"),
        Column("weekly_cap", label="Weekly cap"),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["is_active"]
    ordering = ["event"]


def _corrects(entry: PointsEntry) -> str:
    return f"No. {entry.corrects_id}" if entry.corrects_id else ""


class PointsEntryViewSet(ReadOnlyViewSet):
    model = PointsEntry
    icon = "list-ul"
    menu_label = "Points ledger"
    menu_order = 881
    list_display = [
        Column("pk", label="No."),
        Column("user", label="Person", accessor="user"),
        Column("points", label="Points"),
        Column("category", label="Category", accessor="get_category_display"),
        Column("reason", label="Why"),
        Column("corrects", label="Corrects", accessor=_corrects),
        Column("awarded_by", label="By", accessor="awarded_by"),
        DateColumn("awarded_at", label="When"),
    ]
    list_filter = ["category"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "user__employee_id"]
    ordering = ["-awarded_at", "-pk"]
    inspect_view_fields = [
        "user",
        "points",
        "category",
        "reason",
        "rule",
        "source_type",
        "source_id",
        "awarded_at",
        "awarded_by",
        "corrects",
    ]

    def get_queryset(self, request):
        return PointsEntry.objects.select_related("user", "awarded_by")


# --- Badges: HR defines them (Communications sees them); awards are listed read-only and
# revoked, with a reason, from their own admin page (recognition/views/badges.py).


class BadgeViewSet(SnippetViewSet):
    model = Badge
    icon = "pick"
    menu_label = "Badges"
    list_display = ["name", "criterion", "threshold", "valid_for_days", "is_active"]
    list_filter = ["criterion", "is_active"]
    search_fields = ["name", "description"]


def _award_state(award: BadgeAward) -> str:
    if award.revoked_at is not None:
        return f"Revoked: {award.revocation_reason}"
    return "Shared" if award.is_public else "Private"


class BadgeAwardIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and self.request.user.has_perm(REVOKE_PERMISSION):
            buttons.append(
                MenuItem(
                    "Revoke",
                    url=reverse("badge_award_revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=50,
                )
            )
        return buttons


class BadgeAwardViewSet(ReadOnlyViewSet):
    model = BadgeAward
    index_view_class = BadgeAwardIndexView
    icon = "pick"
    menu_label = "Badge awards"
    menu_order = 882
    list_display = [
        Column("user", label="Person", accessor="user"),
        Column("badge", label="Badge", accessor="badge"),
        Column("sequence", label="Award"),
        DateColumn("awarded_at", label="Awarded"),
        DateColumn("expires_at", label="Expires"),
        Column("state", label="State", accessor=_award_state),
    ]
    list_filter = ["badge"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "badge__name"]
    ordering = ["-awarded_at", "-pk"]
    inspect_view_fields = [
        "user",
        "badge",
        "sequence",
        "uid",
        "awarded_at",
        "expires_at",
        "evidence_narrative",
        "evidence_path",
        "is_public",
        "revoked_at",
        "revocation_reason",
    ]

    def get_queryset(self, request):
        return BadgeAward.objects.select_related("user", "badge")


# --- Appraisal periods
class AppraisalPeriodForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The period must end on or after the day it starts.")
        period = self.instance
        if period.pk is not None and period.is_closed:
            for field in ("starts_on", "ends_on"):
                if field in self.changed_data:
                    self.add_error(
                        field,
                        "The period is closed and its summaries are frozen: its dates "
                        "cannot change.",
                    )
        return cleaned


def describe_status(period: AppraisalPeriod) -> str:
    if period.is_closed:
        return f"Closed on {timezone.localtime(period.closed_at):%d %b %Y}"
    return "Open"


class AppraisalPeriodViewSet(SnippetViewSet):
    model = AppraisalPeriod
    icon = "date"
    menu_label = "Appraisal periods"
    menu_name = "appraisal-periods"
    list_display = [
        "name",
        "starts_on",
        "ends_on",
        Column("status", label="Status", accessor=describe_status),
    ]
    search_fields = ["name"]
    ordering = ["-starts_on"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("starts_on"), FieldPanel("ends_on")],
        base_form_class=AppraisalPeriodForm,
    )


def refuse_deleting_closed_periods(request: HttpRequest, instances) -> HttpResponse | None:
    """A `before_delete_snippet` hook: a closed period holds frozen summaries; it stays."""
    closed = [obj for obj in instances if isinstance(obj, AppraisalPeriod) and obj.is_closed]
    if not closed:
        return None
    names = ", ".join(f"“{period}”" for period in closed)
    messages.error(request, f"{names}: a closed period keeps its frozen summaries for good.")
    return redirect(reverse("wagtailsnippets_recognition_appraisalperiod:list"))


class RecognitionViewSetGroup(SnippetViewSetGroup):
    menu_label = "Recognition"
    menu_icon = "pick"
    menu_order = 880
    items = (PointsRuleViewSet, BadgeViewSet, AppraisalPeriodViewSet)
