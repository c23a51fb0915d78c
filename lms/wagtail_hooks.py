from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from lms import tasks
from lms.admin.rules import AssignmentRuleViewSet
from lms.admin.snippets import IsoStandardsViewSetGroup, PeopleViewSetGroup
from lms.models import AssignmentRule
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


@hooks.register("insert_global_admin_js")
def start_widgets_without_inline_scripts():
    return format_html('<script src="{}" defer></script>', static("js/cms-csp.js"))


register_snippet(PeopleViewSetGroup)


@hooks.register("before_bulk_action")
def keep_administrators_out_of_reach(request, action_type, objects, action_class_instance):
    # The user edit view refuses the same (lms.admin.users.EditView); bulk actions bypass it.
    touches_an_administrator = any(getattr(obj, "is_superuser", False) for obj in objects)
    if touches_an_administrator and not request.user.is_superuser:
        raise PermissionDenied


# --- Assignment rules (lms/admin/rules.py): saving one applies it once the save has committed.
register_snippet(AssignmentRuleViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def apply_saved_assignment_rule(request, instance):
    if isinstance(instance, AssignmentRule):
        tasks.enqueue_on_commit(tasks.apply_assignment_rule, instance.pk)


# --- ISO standards, clauses and competences (lms/admin/snippets.py); training modules choose
# clauses through SnippetChooserBlock("lms.IsoClause"), which needs the clause snippet.
register_snippet(IsoStandardsViewSetGroup)


# --- Competences: HR's read-only listing of competence records (lms/admin/competence.py)
@hooks.register("register_admin_viewset")
def register_competence_records():
    from lms.admin.competence import CompetenceRecordViewSet

    return CompetenceRecordViewSet("competence_records")


# --- xAPI: the outbox of statements for the LRS, read-only (lms/admin/xapi.py)
@hooks.register("register_admin_viewset")
def register_xapi_outbox():
    from lms.admin.xapi import XapiStatementViewSet

    return XapiStatementViewSet("xapi_outbox")
