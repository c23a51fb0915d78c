from django.http import HttpRequest
from django.urls import reverse

from lms.selectors.learning import unread_count
from lms.selectors.people import is_manager, sees_everyone


def navigation(request: HttpRequest) -> dict:
    """The header's links, which depend on who is looking, and their unread notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_links": [],
            "nav_current": None,
            "unread_notifications": 0,
            "viewer_is_manager": False,
        }
    links = [("learning", "My learning", reverse("my_learning"))]
    links.append(("competences", "Competences", reverse("my_competences")))
    links.append(("training", "Training", reverse("training_catalogue")))
    links.append(("search", "Search", reverse("search")))
    links.append(("suggest", "Suggest", reverse("suggest")))
    manages_people = is_manager(user)
    hr = sees_everyone(user)
    if manages_people:
        links.append(("team", "My team", reverse("my_team_learning")))
    if manages_people or hr:
        links.append(("assign", "Assign training", reverse("assign_module")))
        links.append(("reports", "Reports", reverse("reports_index")))
    if hr:
        links.append(("hr", "HR", reverse("hr_people")))
    if user.has_perm("campaigns.triage_suggestion"):
        links.append(("suggestions", "Suggestions", reverse("suggestion_triage")))
    if user.has_perm("wagtailadmin.access_admin"):
        links.append(("cms", "CMS", reverse("wagtailadmin_home")))
    return {
        "nav_links": links,
        # "/" shows My learning too, so the link is current there as well.
        "nav_current": _current_href(request),
        "unread_notifications": unread_count(user=user),
        # Pages use it too, so the question is asked once per request.
        "viewer_is_manager": manages_people,
    }


def _current_href(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "home":
        return reverse("my_learning")
    return request.path
