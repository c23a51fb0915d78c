"""The question bank of a quiz: each question a StreamField block, so editors order and edit them
inline with the quiz, every revision keeps them, and each question and choice has a stable id that
attempts and item statistics refer to.

`single_choice_value`, `multiple_choice_value` and `true_false_value` build questions in their
stored form (with ids) for code that makes quizzes: demo content and tests."""

import uuid

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from quizzes.app_settings import render_markdown


class MarkdownTextBlock(blocks.TextBlock):
    def render_basic(self, value, context=None):
        return render_markdown(value)

    class Meta:
        icon = "code"
        description = "Text in Markdown"


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
        description = "One correct choice; the learner picks one."
        preview_value = {
            "text": "Who decides whether a nonconforming product may be released?",
            "explanation": "ISO 9001 8.7: the release is authorised and the authority recorded.",
            "clauses": "ISO 9001 8.7",
            "choices": [
                {"text": "The person with the documented authority", "correct": True},
                {"text": "Whoever is on shift", "correct": False},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        texts = [" ".join(choice["text"].split()).casefold() for choice in value["choices"]]
        if len(set(texts)) != len(texts):
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        "Two choices have the same text; a learner could not tell them apart."
                    )
                }
            )
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
        description = "One or more correct choices; the learner picks all that apply."
        preview_value = {
            "text": "Which of these are documented information of competence?",
            "explanation": "ISO 9001 7.2 d: records that show education, training or experience.",
            "clauses": "ISO 9001 7.2",
            "choices": [
                {"text": "A training record", "correct": True},
                {"text": "An assessor's signed observation", "correct": True},
                {"text": "A verbal assurance", "correct": False},
            ],
        }


class TrueFalseQuestionBlock(QuestionBlock):
    answer = blocks.ChoiceBlock(choices=[("true", "True"), ("false", "False")])

    class Meta:
        icon = "help"
        label = "True or false"
        description = "A statement the learner marks true or false."
        preview_value = {
            "text": "An internal audit may be done by the person whose work is audited.",
            "explanation": "ISO 9001 9.2.2 c: auditors are chosen for objectivity and "
            "impartiality.",
            "clauses": "ISO 9001 9.2",
            "answer": "false",
        }


QUESTION_BLOCKS = [
    ("single_choice", SingleChoiceQuestionBlock()),
    ("multiple_choice", MultipleChoiceQuestionBlock()),
    ("true_false", TrueFalseQuestionBlock()),
]


# --- Questions in their stored form. Ids are given here, as the editor gives them, because
# attempts and item statistics refer to questions and choices by id.


def _new_id() -> str:
    return str(uuid.uuid4())


def choice_value(text: str, correct: bool = False) -> dict:
    return {"type": "item", "value": {"text": text, "correct": correct}, "id": _new_id()}


def _question(kind: str, text: str, explanation: str, clauses: str, **fields) -> dict:
    value = {"text": text, "explanation": explanation, "clauses": clauses, **fields}
    return {"type": kind, "value": value, "id": _new_id()}


def single_choice_value(
    text: str, choices: list[tuple[str, bool]], *, explanation: str = "", clauses: str = ""
) -> dict:
    """A single-choice question; `choices` as (text, correct) pairs."""
    items = [choice_value(choice, correct) for choice, correct in choices]
    return _question("single_choice", text, explanation, clauses, choices=items)


def multiple_choice_value(
    text: str, choices: list[tuple[str, bool]], *, explanation: str = "", clauses: str = ""
) -> dict:
    """A multiple-choice question; `choices` as (text, correct) pairs."""
    items = [choice_value(choice, correct) for choice, correct in choices]
    return _question("multiple_choice", text, explanation, clauses, choices=items)


def true_false_value(text: str, answer: bool, *, explanation: str = "", clauses: str = "") -> dict:
    return _question("true_false", text, explanation, clauses, answer="true" if answer else "false")
