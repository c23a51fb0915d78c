"""Assignment rules in the CMS: HR says which audience must take which module, by when.

Saving a rule applies it (lms.wagtail_hooks enqueues the work once the save has committed).
"""

from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.models import AssignmentRule, ManagementLevel


def describe_audience(rule: AssignmentRule) -> str:
    """The rule's audience in words, from prefetched departments and job roles: no query."""
    labels = dict(ManagementLevel.choices)
    parts = [
        ", ".join(labels[level] for level in sorted(rule.audience_levels or ())),
        ", ".join(sorted(d.name for d in rule.audience_departments.all())),
        ", ".join(sorted(r.name for r in rule.audience_job_roles.all())),
    ]
    return " · ".join(part for part in parts if part) or "Everyone"


def describe_recurrence(rule: AssignmentRule) -> str:
    months = rule.recur_every_months or rule.module.refresher_months
    if not months:
        return "Once"
    source = "" if rule.recur_every_months else " (the module's refresher)"
    return f"Every {months} month{'' if months == 1 else 's'}{source}"


class AssignmentRuleViewSet(SnippetViewSet):
    model = AssignmentRule
    icon = "calendar-check"
    menu_label = "Assignment rules"
    menu_name = "assignment-rules"
    menu_order = 860
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("module", label="Module", accessor="module.title"),
        Column("audience", label="Audience", accessor=describe_audience),
        Column("due_in_days", label="Due in (days)"),
        BooleanColumn("mandatory"),
        Column("recurring", label="Recurring", accessor=describe_recurrence),
        BooleanColumn("is_active", label="Active"),
    ]
    list_filter = ["is_active", "mandatory"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request):
        return AssignmentRule.objects.select_related("module").prefetch_related(
            "audience_departments", "audience_job_roles"
        )
