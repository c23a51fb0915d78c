"""Snippets kept in the CMS: departments and job roles under "People" (kept by HR), and the ISO
standards, their clauses and competences under "ISO standards"."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.models import Competence, Department, IsoClause, IsoStandard, JobRole


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


# --- ISO standards, their clauses and competences: what training modules refer to.


class IsoStandardViewSet(SnippetViewSet):
    model = IsoStandard
    icon = "doc-full"
    menu_label = "Standards"
    list_display = ["name", "title"]
    search_fields = ["name", "title"]
    ordering = ["name"]
    # The model's panels: name, title, and its clauses inline.


class IsoClauseChooserViewSet(SnippetChooserViewSet):
    def get_object_list(self):
        # Grouped by standard; each label names its standard, so load them together.
        return IsoClause.objects.select_related("standard").order_by(
            "standard__name", "sort_order", "number"
        )


class IsoClauseViewSet(SnippetViewSet):
    """Registered for `SnippetChooserBlock("lms.IsoClause")`; clauses are usually edited inline
    on their standard."""

    model = IsoClause
    icon = "tag"
    menu_label = "Clauses"
    list_display = ["standard", "number", "title"]
    list_filter = ["standard"]
    search_fields = ["number", "title"]
    ordering = ["standard__name", "sort_order", "number"]
    panels = [FieldPanel("standard"), FieldPanel("number"), FieldPanel("title")]
    chooser_viewset_class = IsoClauseChooserViewSet
    chooser_per_page = 50

    def get_queryset(self, request):
        return IsoClause.objects.select_related("standard")


class CompetenceViewSet(SnippetViewSet):
    model = Competence
    icon = "success"
    menu_label = "Competences"
    list_display = ["name", "standard", "validity_months"]
    list_filter = ["standard"]
    search_fields = ["name", "description"]
    ordering = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("standard"),
        FieldPanel("validity_months"),
    ]

    def get_queryset(self, request):
        return Competence.objects.select_related("standard")


class IsoStandardsViewSetGroup(SnippetViewSetGroup):
    menu_label = "ISO standards"
    menu_icon = "doc-full"
    menu_order = 860
    items = (IsoStandardViewSet, IsoClauseViewSet, CompetenceViewSet)
