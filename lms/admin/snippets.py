"""Departments and job roles, kept by HR as snippets under one "People" menu."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.models import Department, JobRole


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "Departments"
    list_display = ["name", "parent"]
    search_fields = ["name"]
    ordering = ["name"]
    # Department.clean refuses a parent that would put the department under itself.
    panels = [FieldPanel("name"), FieldPanel("parent")]

    def get_queryset(self, request):
        return Department.objects.select_related("parent")


class JobRoleViewSet(SnippetViewSet):
    model = JobRole
    icon = "tag"
    menu_label = "Job roles"
    list_display = ["name"]
    search_fields = ["name"]
    ordering = ["name"]
    panels = [FieldPanel("name")]


class PeopleViewSetGroup(SnippetViewSetGroup):
    menu_label = "People"
    menu_icon = "group"
    menu_order = 850
    items = (DepartmentViewSet, JobRoleViewSet)
