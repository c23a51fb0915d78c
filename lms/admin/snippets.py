"""Snippets kept in the CMS: departments and job roles under "People" (kept by HR), and the ISO
standards, their clauses and competences under "ISO standards"."""

from django import forms
from django.db.models import Count
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.admin.competence import CompetenceForm, RequirementsPanel
from lms.models import Competence, Department, IsoClause, IsoStandard, JobRole
from lms.widgets import DeferredSnippetChooserViewSet


class DepartmentViewSet(SnippetViewSet):
    chooser_viewset_class = DeferredSnippetChooserViewSet
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
    chooser_viewset_class = DeferredSnippetChooserViewSet
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
    chooser_viewset_class = DeferredSnippetChooserViewSet
    model = IsoStandard
    icon = "doc-full"
    menu_label = "Standards"
    list_display = ["name", "title"]
    search_fields = ["name", "title"]
    ordering = ["name"]
    # The model's panels: name, title, and its clauses inline.


class IsoClauseChooserViewSet(DeferredSnippetChooserViewSet):
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
    chooser_viewset_class = DeferredSnippetChooserViewSet
    """The competence framework: each competence, the clauses it answers, how long it lasts,
    whether the line manager is asked about it later, and who needs it at what level."""

    model = Competence
    icon = "success"
    menu_label = "Competences"
    list_display = [
        "name",
        "standard",
        Column("validity_months", label="Valid for (months)"),
        Column("effectiveness_check_days", label="Check after (days)"),
        Column("requirement_count", label="Requirements", accessor="requirement_count"),
    ]
    list_filter = ["standard"]
    search_fields = ["name", "description"]
    # The ORM's icontains: the search index would only match whole words here.
    search_backend_name = None
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("standard"),
            FieldPanel("clauses", widget=forms.CheckboxSelectMultiple),
            FieldPanel("validity_months"),
            FieldPanel("effectiveness_check_days"),
            RequirementsPanel(
                "requirements",
                label="Requirement",
                heading="Who needs it",
                help_text="A job role, a management level, or both (then only people with both "
                "need it), and the minimum level they need.",
            ),
        ],
        base_form_class=CompetenceForm,
    )

    def get_queryset(self, request):
        return Competence.objects.select_related("standard").annotate(
            requirement_count=Count("requirements")
        )


class IsoStandardsViewSetGroup(SnippetViewSetGroup):
    menu_label = "ISO standards"
    menu_icon = "doc-full"
    menu_order = 860
    items = (IsoStandardViewSet, IsoClauseViewSet, CompetenceViewSet)
