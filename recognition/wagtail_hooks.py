"""CMS wiring for recognition (the screens are in recognition/admin.py)."""

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from recognition.admin import (
    BadgeAwardViewSet,
    PointsEntryViewSet,
    RecognitionViewSetGroup,
    RulesAreNeverDeleted,
    refuse_deleting_closed_periods,
)
from recognition.models import PointsRule
from recognition.views.badges import BadgeAwardRevokeView

register_permission_policy(PointsRule, RulesAreNeverDeleted(PointsRule), exact_class=True)
register_snippet(RecognitionViewSetGroup)
hooks.register("before_delete_snippet", refuse_deleting_closed_periods)


@hooks.register("register_admin_viewset")
def register_points_ledger():
    return PointsEntryViewSet("points_ledger")


@hooks.register("register_admin_viewset")
def register_badge_awards():
    return BadgeAwardViewSet("badge_awards")


@hooks.register("register_admin_urls")
def register_badge_award_revoke_url():
    return [
        path(
            "badge-awards/<int:pk>/revoke/",
            BadgeAwardRevokeView.as_view(),
            name="badge_award_revoke",
        )
    ]
