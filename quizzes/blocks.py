"""The question bank of a quiz: each question a StreamField block, so editors order and edit them
inline with the quiz, every revision keeps them, and each question and choice has a stable id that
attempts and item statistics refer to."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from quizzes.app_settings import render_markdown


class MarkdownTextBlock(blocks.TextBlock):
    def render_basic(self, value, context=None):
        return render_markdown(value)

    class Meta:
        icon = "code"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "tick"
        label = "Choice"


class QuestionBlock(blocks.StructBlock):
    """What every question has: its text, an explanation for feedback, and clause references."""

    text = MarkdownTextBlock(help_text="The question, in Markdown.")
    explanation = MarkdownTextBlock(
        required=False,
        help_text="Shown after submission when the quiz gives feedback: why the answer is "
        "right, and what to review.",
    )
    clauses = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text='ISO clause references, separated by commas: "ISO 9001 7.2, ISO 45001 8.2".',
    )


class SingleChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=10)
    single = True

    class Meta:
        icon = "radio-full"
        label = "Single choice"

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError("Mark at least one choice as correct.")}
            )
        if self.single and correct > 1:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        f"A single-choice question has exactly one correct choice; {correct} "
                        "are marked. Make it a multiple-choice question or unmark the others."
                    )
                }
            )
        return value


class MultipleChoiceQuestionBlock(SingleChoiceQuestionBlock):
    single = False

    class Meta:
        icon = "list-ul"
        label = "Multiple choice"


class TrueFalseQuestionBlock(QuestionBlock):
    answer = blocks.ChoiceBlock(choices=[("true", "True"), ("false", "False")])

    class Meta:
        icon = "help"
        label = "True or false"


QUESTION_BLOCKS = [
    ("single_choice", SingleChoiceQuestionBlock()),
    ("multiple_choice", MultipleChoiceQuestionBlock()),
    ("true_false", TrueFalseQuestionBlock()),
]
