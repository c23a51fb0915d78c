from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from lms.models import Notification, User
from lms.selectors.people import is_manager, sees_everyone


def navigation(request: HttpRequest) -> dict:
    """The header's links, which depend on who is looking, their unread notifications and the
    campaigns they have not opened."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_links": [],
            "nav_current": None,
            "unread_notifications": 0,
            "campaigns_unread": 0,
            "viewer_is_manager": False,
        }
    links = [("learning", "My learning", reverse("my_learning"))]
    links.append(("competences", "Competences", reverse("my_competences")))
    links.append(("campaigns", "Campaigns", reverse("my_campaigns")))
    links.append(("training", "Training", reverse("training_catalogue")))
    links.append(("search", "Search", reverse("search")))
    links.append(("suggest", "Suggest", reverse("suggest")))
    links.append(("recognition", "Recognition", reverse("recognition_home")))
    manages_people = is_manager(user)
    hr = sees_everyone(user)
    if manages_people:
        links.append(("team", "My team", reverse("my_team_learning")))
    if manages_people or hr:
        links.append(("assign", "Assign training", reverse("assign_module")))
        links.append(("reports", "Reports", reverse("reports_index")))
    if hr:
        links.append(("hr", "HR", reverse("hr_people")))
    if user.has_perm("campaigns.view_delivery") and not (manages_people or hr):
        # HR and managers find it under Reports.
        links.append(("reach", "Campaign reach", reverse("campaign_reach_index")))
    if user.has_perm("campaigns.triage_suggestion"):
        links.append(("suggestions", "Suggestions", reverse("suggestion_triage")))
    if user.has_perm("wagtailadmin.access_admin"):
        links.append(("cms", "CMS", reverse("wagtailadmin_home")))
    return {
        "nav_links": links,
        # "/" shows My learning too, so the link is current there as well.
        "nav_current": _current_href(request),
        **_unread_counts(user),
        # Pages use it too, so the question is asked once per request.
        "viewer_is_manager": manages_people,
    }


def _unread_counts(user) -> dict:
    """Unread notifications and campaigns not opened, asked together: the header costs every
    page one query for both."""
    # The project package wires the campaigns app's count in; lms itself does not depend on it.
    from campaigns.selectors.reading import unread_campaigns

    unread_notifications = Coalesce(
        Subquery(
            Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(unread=Count("pk"))
            .values("unread")
        ),
        0,
    )
    notifications, campaigns = (
        User.objects.filter(pk=user.pk)
        .values_list(unread_notifications, unread_campaigns(OuterRef("pk")))
        .get()
    )
    return {"unread_notifications": notifications, "campaigns_unread": campaigns}


def _current_href(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "home":
        return reverse("my_learning")
    return request.path
