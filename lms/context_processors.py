from django.http import HttpRequest
from django.urls import reverse

from lms.selectors.people import is_manager, sees_everyone


def navigation(request: HttpRequest) -> dict:
    """The header's links, which depend on who is looking."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [("home", "My learning", reverse("home"))]
    if is_manager(user):
        links.append(("team", "My team", reverse("my_team")))
    if sees_everyone(user):
        links.append(("hr", "HR", reverse("hr_people")))
    if user.has_perm("wagtailadmin.access_admin"):
        links.append(("cms", "CMS", reverse("wagtailadmin_home")))
    return {"nav_links": links}
