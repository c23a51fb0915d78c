"""Item statistics: per question, how many answered it, the share right, and how often each wrong
choice was picked, so editors see weak questions (or weak training) at a glance.

Figures come from submitted attempts only (an expired attempt recorded no answers). A question
or choice no longer in the bank is named by its wording frozen in the papers that asked it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from quizzes.models import Answer, Attempt, Quiz
from quizzes.services.papers import bank

# Answers are read in chunks so a quiz with a long history does not sit in memory at once.
CHUNK = 2000


@dataclass(frozen=True)
class ChoiceFigure:
    key: str
    text: str
    picks: int
    share: float | None  # of the question's answers


@dataclass
class ItemStatistic:
    key: str
    number: int | None  # its place in the bank now; None once removed
    kind: str
    text: str
    answers: int = 0
    correct: int = 0
    unanswered: int = 0
    wrong_choices: list[ChoiceFigure] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        return self.number is None

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.answers if self.answers else None


def item_statistics(*, quiz: Quiz) -> list[ItemStatistic]:
    """One row per question ever asked, the bank's questions first in bank order: two queries,
    three when some answered question or picked choice has since left the bank."""
    questions = {question["key"]: question for question in bank(quiz)}
    stats = {
        key: ItemStatistic(key=key, number=number, kind=question["kind"], text=question["text"])
        for number, (key, question) in enumerate(questions.items(), start=1)
    }
    picks: dict[str, Counter] = {}
    answers = Answer.objects.filter(
        attempt__quiz=quiz, attempt__status=Attempt.Status.SUBMITTED
    ).values_list("question_key", "selected", "is_correct")
    for key, selected, is_correct in answers.iterator(chunk_size=CHUNK):
        stat = stats.get(key) or stats.setdefault(
            key, ItemStatistic(key=key, number=None, kind="", text="")
        )
        stat.answers += 1
        stat.correct += is_correct
        stat.unanswered += not selected
        picks.setdefault(key, Counter()).update(selected)

    missing = {key for key in stats if key not in questions} | {
        key
        for key, counter in picks.items()
        if key in questions
        and set(counter) - {choice["key"] for choice in questions[key]["choices"]}
    }
    frozen = _frozen_questions(quiz=quiz, keys=missing) if missing else {}

    for key, stat in stats.items():
        current = questions.get(key)
        old = frozen.get(key)
        if current is None and old is not None:
            stat.kind, stat.text = old["kind"], old["text"]
        choices = {c["key"]: c for c in (old or {}).get("choices", [])}
        choices.update({c["key"]: c for c in (current or {}).get("choices", [])})
        counter = picks.get(key, Counter())
        wrong = [c for c in choices.values() if not c["correct"]]
        stat.wrong_choices = [
            ChoiceFigure(
                key=choice["key"],
                text=choice["text"],
                picks=counter[choice["key"]],
                share=counter[choice["key"]] / stat.answers if stat.answers else None,
            )
            for choice in wrong
        ]
    return list(stats.values())


def _frozen_questions(*, quiz: Quiz, keys: set[str]) -> dict[str, dict]:
    """The newest frozen wording of each question in `keys`, with every choice it ever had."""
    found: dict[str, dict] = {}
    seen_choices: dict[str, set[str]] = {}
    asked = Answer.objects.filter(attempt__quiz=quiz, question_key__in=keys).values("attempt_id")
    papers = Attempt.objects.filter(pk__in=asked).order_by("-pk").values_list("paper", flat=True)
    for paper in papers.iterator(chunk_size=200):
        for question in paper["questions"]:
            key = question["key"]
            if key not in keys:
                continue
            if key not in found:
                found[key] = {**question, "choices": list(question["choices"])}
                seen_choices[key] = {c["key"] for c in question["choices"]}
                continue
            # An older paper may hold a choice removed since the newer ones were drawn.
            for choice in question["choices"]:
                if choice["key"] not in seen_choices[key]:
                    found[key]["choices"].append(choice)
                    seen_choices[key].add(choice["key"])
    return found
