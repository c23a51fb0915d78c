"""ISO standards and their clauses, which training, competences and quizzes refer to."""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index


class IsoStandard(index.Indexed, ClusterableModel):
    name = models.CharField(max_length=60, unique=True, help_text='For example "ISO 9001:2015".')
    title = models.CharField(max_length=200, blank=True, help_text='"Quality management systems".')

    panels = [FieldPanel("name"), FieldPanel("title"), InlinePanel("clauses", label="Clauses")]
    search_fields = [index.SearchField("name"), index.SearchField("title")]

    class Meta:
        ordering = ["name"]
        verbose_name = "ISO standard"

    def __str__(self) -> str:
        return self.name


class IsoClause(Orderable):
    standard = ParentalKey(IsoStandard, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(max_length=20, help_text='For example "7.2".')
    title = models.CharField(max_length=200, help_text='For example "Competence".')

    panels = [FieldPanel("number"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "ISO clause"
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "number"], name="clause_number_per_standard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard.name} {self.number} {self.title}"
