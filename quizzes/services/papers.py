"""Papers: the questions one attempt is given, frozen when it starts.

A paper is plain JSON kept on the attempt, with each question's wording, explanation, clause
references and choices (in the order shown), which choices are correct, and the quiz's rule for
partial credit, so an edit to the quiz
never changes what an attempt was asked or how it scores. Only `public_questions` reaches a form:
it leaves correctness out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils.safestring import SafeString

from quizzes.app_settings import render_markdown

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TRUE_FALSE = "true_false"
TRUE_FALSE_CHOICES = (("true", "True"), ("false", "False"))


@dataclass(frozen=True)
class PublicChoice:
    key: str
    text: str


@dataclass(frozen=True)
class PublicQuestion:
    """A question as a form may show it: wording and choices, nothing about which is right."""

    key: str
    number: int
    kind: str
    text: str
    choices: tuple[PublicChoice, ...]

    @property
    def multiple(self) -> bool:
        return self.kind == MULTIPLE_CHOICE

    @property
    def field_name(self) -> str:
        return f"q-{self.key}"

    @property
    def html(self) -> SafeString:
        return render_markdown(self.text)


def split_clauses(clauses: str) -> list[str]:
    return [clause.strip() for clause in (clauses or "").split(",") if clause.strip()]


def _frozen_question(block, index: int) -> dict:
    value = block.value
    # Blocks made in code before their first save may have no id yet; the position stands in.
    key = block.id or f"question-{index + 1}"
    if block.block_type == TRUE_FALSE:
        choices = [
            {"key": choice_key, "text": text, "correct": value["answer"] == choice_key}
            for choice_key, text in TRUE_FALSE_CHOICES
        ]
    else:
        choices = [
            {
                # A choice stored without an id would get a new one on every load.
                "key": child.original_id or f"{key}-{position + 1}",
                "text": child.value["text"],
                "correct": bool(child.value["correct"]),
            }
            for position, child in enumerate(value["choices"].bound_blocks)
        ]
    return {
        "key": key,
        "kind": block.block_type,
        "text": value["text"],
        "explanation": value["explanation"] or "",
        "clauses": split_clauses(value["clauses"]),
        "choices": choices,
    }


def bank(quiz) -> list[dict]:
    """Every question of the quiz as it stands, in bank order and in the frozen form."""
    return [_frozen_question(block, index) for index, block in enumerate(quiz.questions)]


def draw_paper(*, quiz, rng: random.Random | None = None) -> dict:
    """The questions for a new attempt: `questions_to_draw` of them at random (else all, in bank
    order), each multiple- or single-choice question's choices shuffled when the quiz says so.
    True/false keeps True before False: shuffling two fixed words only confuses."""
    rng = rng or random.SystemRandom()
    questions = bank(quiz)
    if quiz.questions_to_draw and quiz.questions_to_draw < len(questions):
        questions = rng.sample(questions, quiz.questions_to_draw)
    if quiz.shuffle_choices:
        for question in questions:
            if question["kind"] != TRUE_FALSE:
                rng.shuffle(question["choices"])
    # The scoring rule is frozen too: an edit between start and submit must not change the score.
    return {"questions": questions, "partial_credit": quiz.partial_credit}


def public_questions(paper: dict) -> list[PublicQuestion]:
    """What a form may show of a paper: no correctness, no explanation."""
    return [
        PublicQuestion(
            key=question["key"],
            number=number,
            kind=question["kind"],
            text=question["text"],
            choices=tuple(
                PublicChoice(key=choice["key"], text=choice["text"])
                for choice in question["choices"]
            ),
        )
        for number, question in enumerate(paper["questions"], start=1)
    ]


def preview_paper(quiz) -> list[PublicQuestion]:
    """The whole bank as a learner would see it (choices in bank order), for the CMS preview."""
    return public_questions({"questions": bank(quiz)})
