from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.views import roster


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [path("roster/import/", roster.RosterImportView.as_view(), name="lms_roster_import")]


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lms.import_roster")


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(
        "Import roster", reverse("lms_roster_import"), icon_name="group", order=900
    )
