"""Training content in the CMS: the catalogue, its modules, and case studies.

Every page here is for signed-in people only: `serve` sends anyone else to the login page. Reads
that several pages share live in `lms.selectors.content`, progress in `lms.services.progress`.
"""

import calendar
import datetime
from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.audience import AudienceFields
from lms.blocks import SectionBlock
from lms.models.competence import ProficiencyLevel
from lms.models.people import Department, ManagementLevel
from lms.models.standards import IsoClause, IsoStandard
from lms.widgets import DeferredSnippetChooser
from quizzes.models import Quiz

CASE_STUDIES_PER_PAGE = 20
EVERY_AUDIENCE_MODE = "every-audience"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved on by `months`, kept within the month (31 January + 1 month is 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def _to_login(request):
    # Imported here: django.contrib.auth.views needs the user model, which this module defines.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def _signed_in_only(page: Page, request, *args, **kwargs):
    if not request.user.is_authenticated:
        return _to_login(request)
    return Page.serve(page, request, *args, **kwargs)


class TrainingCatalogue(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lms.TrainingModule"]
    max_count = 1
    template = "lms/pages/training_catalogue.html"

    class Meta:
        verbose_name = "training catalogue"

    def serve(self, request, *args, **kwargs):
        return _signed_in_only(self, request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from lms.selectors.content import case_studies_for, modules_for

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = modules_for(user=request.user, catalogue=self)
        context["case_studies"] = case_studies_for(user=request.user)
        context["case_study_index"] = CaseStudyIndex.objects.live().first()
        return context


class TrainingModuleForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each clause's label names its standard: load them together, grouped by standard.
        self.fields["clauses"].queryset = IsoClause.objects.select_related("standard").order_by(
            "standard__name", "sort_order", "number"
        )


class TrainingModule(AudienceFields, Page):
    summary = models.TextField(
        help_text="One or two sentences: what the learner will be able to do."
    )
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    clauses = ParentalManyToManyField(
        IsoClause, blank=True, related_name="modules", verbose_name="ISO clauses"
    )
    competences = ParentalManyToManyField(
        "lms.Competence",
        blank=True,
        related_name="modules",
        help_text="Competences completing it evidences.",
    )
    competence_level = models.PositiveSmallIntegerField(
        choices=ProficiencyLevel.choices,
        default=ProficiencyLevel.COMPETENT,
        help_text="The level at which completing it records its competences.",
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modules",
        help_text="Passing it becomes part of completing the module.",
    )
    refresher_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Assign it again this many months after completion; empty for never.",
    )
    body = StreamField([("section", SectionBlock())], min_num=1)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        FieldPanel("quiz", widget=DeferredSnippetChooser(Quiz)),
    ]
    audience_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audience_levels"),
                FieldPanel("audience_departments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_job_roles", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Audience",
            help_text="Who this module is for. Leave everything empty for everyone.",
        ),
        FieldPanel("clauses", widget=forms.CheckboxSelectMultiple),
        FieldPanel("competences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("competence_level"),
        FieldPanel("refresher_months"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    base_form_class = TrainingModuleForm
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(audience_panels, heading="Audience and standards"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    parent_page_types = ["lms.TrainingCatalogue"]
    subpage_types: list[str] = []
    template = "lms/pages/training_module.html"

    class Meta:
        verbose_name = "training module"

    @property
    def preview_modes(self):
        # Editors see the page as each management level sees it, audience sections included.
        return (
            [("", "As yourself")]
            + [(level, f"As {label.lower()}") for level, label in ManagementLevel.choices]
            + [(EVERY_AUDIENCE_MODE, "With every audience section")]
        )

    def section_ids(self) -> list[str]:
        return [block.id for block in self.body if block.block_type == "section"]

    def refresher_due_on(self, completed_at: datetime.datetime) -> datetime.date | None:
        """When someone who completed it at `completed_at` should take it again, if ever."""
        if not self.refresher_months:
            return None
        return add_months(timezone.localdate(completed_at), self.refresher_months)

    def _clauses_in_order(self, *, in_memory: bool) -> list[IsoClause]:
        if in_memory:
            # A preview shows the editor's unsaved choice, which only the in-memory list holds.
            clauses = list(self.clauses.all())
        else:
            clauses = list(self.clauses.select_related("standard"))
        return sorted(clauses, key=lambda c: (c.standard.name, c.sort_order or 0, c.number))

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _to_login(request)
        from lms.services.progress import start_module

        start_module(user=request.user, module=self)
        return super().serve(request, *args, **kwargs)

    def serve_preview(self, request, mode_name):
        """The page as a learner of the chosen management level sees it (audience sections by
        level), as the editor themself, or with every audience section; no progress is kept."""
        context = self._learner_context(request, preview_mode=mode_name or "")
        return TemplateResponse(request, self.get_template(request), context)

    def get_context(self, request, *args, **kwargs):
        return self._learner_context(request, *args, preview_mode=None, **kwargs)

    def _learner_context(self, request, *args, preview_mode: str | None, **kwargs):
        from lms.audience import department_parents
        from lms.selectors.content import ModuleQuiz, module_progress, module_quiz

        context = super().get_context(request, *args, **kwargs)
        levels = dict(ManagementLevel.choices)
        context.update(
            module=self,
            viewer=request.user,
            department_tree=department_parents(),
            clauses=self._clauses_in_order(in_memory=preview_mode is not None),
            competences=self.competences.all(),
            sections=[block for block in self.body if block.block_type == "section"],
            is_preview=preview_mode is not None,
            progress_enabled=preview_mode is None and request.user.is_authenticated,
            today=timezone.localdate(),
        )
        if preview_mode in levels:
            context["viewer_level"] = preview_mode
            context["preview_label"] = f"as {levels[preview_mode].lower()}"
        elif preview_mode == EVERY_AUDIENCE_MODE:
            context["show_every_audience"] = True
            context["preview_label"] = "with every audience section"
        elif preview_mode is not None:
            context["preview_label"] = "as yourself"
        if context["progress_enabled"]:
            progress = module_progress(user=request.user, module=self)
            context["progress"] = progress
            context["done_section_ids"] = progress.done
            context["module_quiz"] = module_quiz(user=request.user, module=self, progress=progress)
            if progress.completion is not None:
                context["refresher_due_on"] = self.refresher_due_on(
                    progress.completion.completed_at
                )
        elif self.quiz_id is not None:
            # A preview shows what the quiz asks, without anyone's attempts or buttons.
            context["module_quiz"] = ModuleQuiz(quiz=self.quiz)
        return context


class CaseStudyIndex(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lms.CaseStudy"]
    max_count = 1
    template = "lms/pages/case_study_index.html"

    class Meta:
        verbose_name = "case study index"

    def serve(self, request, *args, **kwargs):
        return _signed_in_only(self, request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from lms.selectors.content import live_case_studies

        context = super().get_context(request, *args, **kwargs)
        studies = live_case_studies().child_of(self)
        context["case_studies"] = Paginator(studies, CASE_STUDIES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class CaseStudy(Page):
    standard = models.ForeignKey(
        IsoStandard, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    summary = models.TextField()
    challenge = RichTextField(features=["bold", "italic", "ol", "ul", "link"])
    what_changed = RichTextField(features=["bold", "italic", "ol", "ul", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("standard"),
        FieldPanel("department"),
        FieldPanel("summary"),
        FieldPanel("challenge"),
        FieldPanel("what_changed"),
        InlinePanel("metrics", label="Result metrics", min_num=1),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("challenge"),
        index.SearchField("what_changed"),
        index.FilterField("standard_id"),
        index.FilterField("department_id"),
    ]
    parent_page_types = ["lms.CaseStudyIndex"]
    subpage_types: list[str] = []
    template = "lms/pages/case_study.html"

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"

    def serve(self, request, *args, **kwargs):
        return _signed_in_only(self, request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["metrics"] = self.metrics.all()
        return context


def _plain_number(value: Decimal) -> str:
    """4.80 as "4.8" and 1200.00 as "1,200": no trailing zeros, no exponent."""
    return f"{value.normalize():,f}"


class CaseStudyMetric(Orderable):
    page = ParentalKey(CaseStudy, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(
        max_length=120, help_text='For example "Customer complaints per month".'
    )
    before = models.DecimalField(max_digits=12, decimal_places=2)
    after = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=30, blank=True)
    higher_is_better = models.BooleanField(default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("before"),
        FieldPanel("after"),
        FieldPanel("unit"),
        FieldPanel("higher_is_better"),
    ]

    def __str__(self) -> str:
        return self.name

    @property
    def improvement_percent(self) -> Decimal | None:
        """How much better `after` is than `before`, in percent; negative when it got worse."""
        if not self.before:
            return None
        change = (self.after - self.before) / abs(self.before) * 100
        return (change if self.higher_is_better else -change).quantize(Decimal("0.1"))

    @property
    def before_text(self) -> str:
        return _plain_number(self.before)

    @property
    def after_text(self) -> str:
        return _plain_number(self.after)

    @property
    def improvement_in_words(self) -> str:
        """The change said in words, so that it does not rest on colour: "25.0% better"."""
        percent = self.improvement_percent
        if percent is None:
            return "Better" if self._got_better() else "Worse" if self._got_worse() else "No change"
        if percent > 0:
            return f"{percent}% better"
        if percent < 0:
            return f"{-percent}% worse"
        return "No change"

    @property
    def direction(self) -> str:
        """The change as a CSS modifier ("better", "worse" or "same") that repeats the words."""
        percent = self.improvement_percent
        if percent is None:
            better, worse = self._got_better(), self._got_worse()
        else:
            better, worse = percent > 0, percent < 0
        return "better" if better else "worse" if worse else "same"

    def _got_better(self) -> bool:
        return self.after > self.before if self.higher_is_better else self.after < self.before

    def _got_worse(self) -> bool:
        return self.after < self.before if self.higher_is_better else self.after > self.before
