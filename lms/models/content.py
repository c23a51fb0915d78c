"""Training content in the CMS: the catalogue, its modules, and case studies."""

from decimal import Decimal

from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
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
from lms.models.people import Department, ManagementLevel
from lms.models.standards import Competence, IsoClause, IsoStandard


class TrainingCatalogue(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lms.TrainingModule"]
    max_count = 1

    class Meta:
        verbose_name = "training catalogue"


class TrainingModule(AudienceFields, Page):
    summary = models.TextField(
        help_text="One or two sentences: what the learner will be able to do."
    )
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    clauses = ParentalManyToManyField(
        IsoClause, blank=True, related_name="modules", verbose_name="ISO clauses"
    )
    competences = ParentalManyToManyField(
        Competence,
        blank=True,
        related_name="modules",
        help_text="Competences completing it evidences.",
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
    ]
    audience_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audience_levels"),
                FieldPanel("audience_departments"),
                FieldPanel("audience_job_roles"),
            ],
            heading="Audience",
            help_text="Who this module is for. Leave everything empty for everyone.",
        ),
        FieldPanel("clauses"),
        FieldPanel("competences"),
        FieldPanel("refresher_months"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
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

    class Meta:
        verbose_name = "training module"

    @property
    def preview_modes(self):
        # Editors see the page as each management level sees it, audience sections included.
        return [("", "As yourself")] + [
            (level, f"As {label.lower()}") for level, label in ManagementLevel.choices
        ]

    def section_ids(self) -> list[str]:
        return [block.id for block in self.body if block.block_type == "section"]


class CaseStudyIndex(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lms.CaseStudy"]
    max_count = 1

    class Meta:
        verbose_name = "case study index"


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

    class Meta:
        verbose_name = "case study"
        verbose_name_plural = "case studies"


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
