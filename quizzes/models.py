"""Quizzes, the attempts people make at them and their answers.

A quiz is a snippet with revisions. An attempt freezes what the person was given (the questions
drawn, the order of their choices, the wording, which choices were correct) in `paper`, and names
the quiz revision it came from: an edit to the quiz never changes an attempt already taken, and an
auditor can see exactly what was asked, answered and scored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, RevisionMixin
from wagtail.search import index

from quizzes.blocks import QUESTION_BLOCKS


class Quiz(PreviewableMixin, RevisionMixin, index.Indexed, models.Model):
    class PartialCredit(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", "All or nothing: every correct choice and no other"
        PROPORTIONAL = (
            "proportional",
            (
                "Proportional: correct choices picked minus wrong ones picked, over the number of "
                "correct choices, never below zero"
            ),
        )

    title = models.CharField(max_length=200)
    instructions = models.TextField(
        blank=True, help_text="Shown before the first question; Markdown."
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Empty for unlimited attempts.",
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Empty for no time limit. The server decides when time is up.",
    )
    questions_to_draw = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Draw this many questions at random for each attempt; empty for all of them.",
    )
    shuffle_choices = models.BooleanField(default=True)
    partial_credit = models.CharField(
        max_length=20,
        choices=PartialCredit.choices,
        default=PartialCredit.ALL_OR_NOTHING,
        help_text="How a multiple-choice question scores when only some of it is right.",
    )
    show_feedback = models.BooleanField(
        default=True, help_text="After submission, show per question whether it was right."
    )
    show_correct_answers = models.BooleanField(
        default=False, help_text="After submission, show the correct choices and explanations."
    )
    questions = StreamField(QUESTION_BLOCKS, min_num=1)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark_percent"),
                FieldPanel("max_attempts"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("questions_to_draw"),
                FieldPanel("shuffle_choices"),
                FieldPanel("partial_credit"),
                FieldPanel("show_feedback"),
                FieldPanel("show_correct_answers"),
            ],
            heading="Rules",
        ),
        FieldPanel("questions"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        permissions = [("view_quiz_statistics", "Can view quiz item statistics")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        count = len(self.questions)
        if self.questions_to_draw and self.questions_to_draw > count:
            plural = "s" if count != 1 else ""
            raise ValidationError(
                {
                    "questions_to_draw": f"The bank has {count} question{plural}; it cannot "
                    f"draw {self.questions_to_draw}."
                }
            )

    def get_preview_template(self, request, mode_name):
        return "quizzes/preview.html"

    def get_preview_context(self, request, mode_name):
        from quizzes.services.papers import preview_paper

        return {**super().get_preview_context(request, mode_name), "paper": preview_paper(self)}


class Attempt(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", "In progress"
        SUBMITTED = "submitted", "Submitted"
        EXPIRED = "expired", "Time ran out"

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(help_text="1 for a person's first attempt.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The quiz as it stood when the attempt started.",
    )
    paper = models.JSONField(help_text="The questions drawn, in order, with their choices.")
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    pass_mark_percent = models.PositiveSmallIntegerField(
        help_text="The pass mark when the attempt started."
    )
    return_url = models.CharField(
        max_length=300, blank=True, help_text="Where the person started it from, such as a module."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="attempt_number_per_person_and_quiz"
            ),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="started"),
                name="one_open_attempt_per_person_and_quiz",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "status"])]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.user} at {self.quiz}"


class Answer(models.Model):
    """What was chosen for one question of a submitted attempt, and the credit it earned."""

    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT, related_name="answers")
    question_key = models.CharField(max_length=64, help_text="The question block's id.")
    position = models.PositiveSmallIntegerField()
    selected = models.JSONField(default=list, help_text="The ids of the choices picked.")
    credit = models.DecimalField(max_digits=4, decimal_places=3)
    is_correct = models.BooleanField()

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_key"], name="one_answer_per_question"
            )
        ]
        indexes = [models.Index(fields=["question_key"])]

    def __str__(self) -> str:
        return f"Answer to {self.question_key} in {self.attempt}"


class ExtraAttempt(models.Model):
    """One more attempt than the quiz allows, granted to one person (by their manager)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="extra_attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["granted_at"]

    def __str__(self) -> str:
        return f"Extra attempt at {self.quiz} for {self.user}"
