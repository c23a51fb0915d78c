"""Reads of training content shared by the catalogue, the module page, search and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import (
    Case,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)

from lms.audience import _with_ancestors, department_parents
from lms.models import (
    Assignment,
    CaseStudy,
    Completion,
    IsoClause,
    ModuleStart,
    SectionDone,
    TrainingModule,
    User,
)
from quizzes.models import Attempt, ExtraAttempt, Quiz
from quizzes.selectors import QuizState, quiz_state
from quizzes.services.attempts import passed_attempt


@dataclass(frozen=True)
class LearnerProgress:
    """Where one person stands in one module."""

    section_ids: list[str]
    done: frozenset[str]
    completion: Completion | None = None
    assignment: Assignment | None = None
    round_started_at: datetime | None = None
    quiz_id: int | None = None
    # The latest attempt at the module's quiz passed in this pass, if any.
    quiz_passed: Attempt | None = None

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def total(self) -> int:
        return len(self.section_ids)

    @property
    def all_sections_done(self) -> bool:
        return bool(self.section_ids) and self.done >= set(self.section_ids)

    @property
    def has_quiz(self) -> bool:
        return self.quiz_id is not None

    @property
    def requirements_met(self) -> bool:
        """Every section done and, when the module has a quiz, the quiz passed in this pass."""
        return self.all_sections_done and (not self.has_quiz or self.quiz_passed is not None)

    @property
    def steps_total(self) -> int:
        """The sections, and the quiz as one more step."""
        return self.total + self.has_quiz

    @property
    def steps_done(self) -> int:
        return self.done_count + (self.quiz_passed is not None)

    @property
    def is_completed(self) -> bool:
        """Completed, and nothing asks for it again (a refresher opens a new assignment)."""
        return self.completion is not None and self.assignment is None


def module_progress(*, user: User, module: TrainingModule) -> LearnerProgress:
    """The sections `user` has done in their current pass through `module`, and whether they
    passed its quiz in that pass; three queries, four with a quiz.

    A completion closes a pass. When an assignment asks for the module again (a refresher), the
    sections done before that completion no longer count, so the learner reads them again, and a
    quiz passed before it must be passed again.
    """
    section_ids = module.section_ids()
    completion = (
        Completion.objects.filter(user=user, module=module).order_by("-completed_at").first()
    )
    assignment = Assignment.objects.filter(
        user=user, module=module, status=Assignment.Status.OPEN
    ).first()
    round_started_at = completion.completed_at if completion and assignment else None
    rows = SectionDone.objects.filter(user=user, module=module, section_id__in=section_ids)
    if round_started_at is not None:
        rows = rows.filter(done_at__gt=round_started_at)
    quiz_passed = None
    if module.quiz_id is not None:
        quiz_passed = passed_attempt(quiz=module.quiz, user=user, since=round_started_at)
    return LearnerProgress(
        section_ids=section_ids,
        done=frozenset(rows.values_list("section_id", flat=True)),
        completion=completion,
        assignment=assignment,
        round_started_at=round_started_at,
        quiz_id=module.quiz_id,
        quiz_passed=quiz_passed,
    )


@dataclass(frozen=True)
class ModuleQuiz:
    """The quiz part of a module page: the quiz, where the learner stands, and what comes next.
    `state` is None in a preview, which shows the quiz alone."""

    quiz: Quiz
    state: QuizState | None = None
    passed: Attempt | None = None
    sections_done: bool = False
    review_clauses: tuple[str, ...] = ()

    @property
    def failed_last(self) -> bool:
        """The latest attempt failed (or ran out of time), and none passed in this pass."""
        latest = self.state.latest if self.state is not None else None
        return self.passed is None and latest is not None and latest.passed is False

    @property
    def out_of_attempts(self) -> bool:
        state = self.state
        return (
            state is not None
            and self.passed is None
            and state.open_attempt is None
            and state.left is not None
            and state.left <= 0
        )

    @property
    def action(self) -> str:
        """The button's words, or "" when there is nothing to press."""
        if self.state is None or self.passed is not None:
            return ""
        if self.state.open_attempt is not None:
            return "Resume"
        if not self.sections_done or self.out_of_attempts:
            return ""
        return "Try again" if self.failed_last else "Take the quiz"


def module_quiz(
    *, user: User, module: TrainingModule, progress: LearnerProgress
) -> ModuleQuiz | None:
    """The quiz part of `module`'s page for `user`, None when it has no quiz; the quiz engine's
    state of the person plus, after a failed attempt, one query for what to review."""
    if module.quiz_id is None:
        return None
    state = quiz_state(quiz=module.quiz, user=user)
    module_quiz = ModuleQuiz(
        quiz=module.quiz,
        state=state,
        passed=progress.quiz_passed,
        sections_done=progress.all_sections_done,
    )
    if module_quiz.failed_last:
        module_quiz = replace(
            module_quiz, review_clauses=tuple(missed_clauses(attempt=state.latest))
        )
    return module_quiz


def _clause_references(clauses) -> list[str]:
    # An editor types them comma-separated; a paper may keep that text or a list of it.
    if isinstance(clauses, str):
        clauses = clauses.split(",")
    return [str(clause).strip() for clause in clauses or () if str(clause).strip()]


def missed_clauses(*, attempt: Attempt) -> list[str]:
    """The clause references of the questions `attempt` did not get right, in the paper's order
    and each once: what to review before trying again. One query."""
    right = set(attempt.answers.filter(is_correct=True).values_list("question_key", flat=True))
    found: list[str] = []
    for question in (attempt.paper or {}).get("questions", []):
        if question.get("key") in right:
            continue
        found.extend(c for c in _clause_references(question.get("clauses")) if c not in found)
    return found


@dataclass(frozen=True)
class QuizOutOfAttempts:
    quiz: Quiz
    used: int
    allowed: int


def quizzes_out_of_attempts(*, user: User) -> list[QuizOutOfAttempts]:
    """The quizzes of live modules at which `user` has used every attempt since they last passed
    (if ever), with none in progress and the latest not passed: those a manager may grant one
    more attempt at, by title. Three queries, counting as the quiz engine's `current_round` does.
    """
    module_quizzes = TrainingModule.objects.live().filter(quiz__isnull=False).values("quiz_id")
    attempts: dict[int, list[tuple]] = {}
    for quiz_id, *row in (
        Attempt.objects.filter(user=user, quiz_id__in=module_quizzes)
        .order_by("number")
        .values_list("quiz_id", "number", "status", "passed", "submitted_at")
    ):
        attempts.setdefault(quiz_id, []).append(row)
    # Per quiz still worth a grant: attempts used since the last pass, and when that pass was.
    rounds: dict[int, tuple[int, datetime | None]] = {}
    for quiz_id, rows in attempts.items():
        _number, status, passed, _submitted_at = rows[-1]
        if status == Attempt.Status.STARTED or passed:
            continue
        passes = [
            (number, submitted_at)
            for number, status, passed, submitted_at in rows
            if status == Attempt.Status.SUBMITTED and passed
        ]
        passed_number, passed_at = passes[-1] if passes else (0, None)
        used = sum(1 for number, *_rest in rows if number > passed_number)
        rounds[quiz_id] = (used, passed_at)
    if not rounds:
        return []
    extra: dict[int, int] = {}
    for quiz_id, granted_at in ExtraAttempt.objects.filter(
        user=user, quiz_id__in=rounds
    ).values_list("quiz_id", "granted_at"):
        passed_at = rounds[quiz_id][1]
        if passed_at is None or granted_at > passed_at:
            extra[quiz_id] = extra.get(quiz_id, 0) + 1
    found = []
    for quiz in Quiz.objects.filter(pk__in=rounds, max_attempts__isnull=False).only(
        "pk", "title", "max_attempts"
    ):
        used = rounds[quiz.pk][0]
        allowed = quiz.max_attempts + extra.get(quiz.pk, 0)
        if used >= allowed:
            found.append(QuizOutOfAttempts(quiz=quiz, used=used, allowed=allowed))
    return found


def modules_with_listing_data(queryset: QuerySet[TrainingModule]) -> QuerySet[TrainingModule]:
    """Modules with what a listing shows and an audience check needs, in a fixed few queries."""
    return queryset.prefetch_related(
        "audience_departments",
        "audience_job_roles",
        Prefetch("clauses", queryset=IsoClause.objects.select_related("standard")),
    )


@dataclass
class ModuleListing:
    for_you: list[TrainingModule] = field(default_factory=list)
    others: list[TrainingModule] = field(default_factory=list)
    completed_ids: set[int] = field(default_factory=set)
    started_ids: set[int] = field(default_factory=set)


def modules_for(*, user: User, catalogue=None) -> ModuleListing:
    """The live modules (of `catalogue`, if given) split into those whose audience includes `user`
    and the others, with the ids `user` completed and started; a fixed number of queries."""
    modules = TrainingModule.objects.live().order_by("title")
    if catalogue is not None:
        modules = modules.child_of(catalogue)
    listing = ModuleListing()
    tree = department_parents()
    for module in modules_with_listing_data(modules):
        if module.audience.includes(user, department_tree=tree):
            listing.for_you.append(module)
        else:
            listing.others.append(module)
    listing.completed_ids = set(
        Completion.objects.filter(user=user).values_list("module_id", flat=True)
    )
    listing.started_ids = set(
        ModuleStart.objects.filter(user=user).values_list("module_id", flat=True)
    )
    return listing


def standards_of(module: TrainingModule) -> list:
    """The standards a module's clauses belong to, in name order (uses prefetched clauses)."""
    standards = {clause.standard_id: clause.standard for clause in module.clauses.all()}
    return sorted(standards.values(), key=lambda standard: standard.name)


def case_studies_for(*, user: User, limit: int = 3) -> list[CaseStudy]:
    """Live case studies for `user`: first those of their department (or a department above it),
    then those about a standard of a module assigned to them, then the rest; newest first within
    each. Two queries."""
    department_ids = _with_ancestors(user.department_id, department_parents())
    assigned_standards = IsoClause.objects.filter(
        modules__assignments__user=user,
        modules__assignments__status=Assignment.Status.OPEN,
    ).values("standard_id")
    ranked = CaseStudy.objects.live().annotate(
        relevance=Case(
            When(department_id__in=department_ids, then=Value(0)),
            When(standard_id__in=assigned_standards, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return list(
        ranked.select_related("department", "standard").order_by(
            "relevance", "-first_published_at", "-pk"
        )[:limit]
    )


def live_case_studies() -> QuerySet[CaseStudy]:
    return (
        CaseStudy.objects.live()
        .select_related("department", "standard")
        .order_by("-first_published_at", "-pk")
    )


@dataclass
class SearchOutcome:
    modules: list[TrainingModule] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)
    more_modules: bool = False
    more_case_studies: bool = False


def search_content(
    *, query: str, standard_id: int | None = None, level: str | None = None, limit: int = 30
) -> SearchOutcome:
    """Live modules and case studies matching `query` (Wagtail search; every one when the query
    is empty), narrowed to a standard and to modules for a management level; a fixed number of
    queries. Case studies have no audience, so the level does not narrow them.

    The database search backend filters only on declared filter fields, and a module's standards
    sit behind its clauses, so the filters pick the ids first and the search runs within them.
    """
    modules = TrainingModule.objects.live()
    if standard_id is not None:
        modules = modules.filter(clauses__standard_id=standard_id)
    module_ids = [
        pk
        for pk, levels in modules.distinct().values_list("pk", "audience_levels")
        if not level or not levels or level in levels
    ]
    modules = TrainingModule.objects.live().filter(id__in=module_ids)
    studies = CaseStudy.objects.live()
    if standard_id is not None:
        studies = studies.filter(standard_id=standard_id)
    if query:
        found_modules = list(modules.search(query)[: limit + 1])
        found_studies = list(studies.search(query)[: limit + 1])
    else:
        found_modules = list(modules.order_by("title")[: limit + 1])
        found_studies = list(studies.order_by("-first_published_at", "-pk")[: limit + 1])
    prefetch_related_objects(
        found_modules[:limit],
        Prefetch("clauses", queryset=IsoClause.objects.select_related("standard")),
    )
    prefetch_related_objects(found_studies[:limit], "department", "standard")
    return SearchOutcome(
        modules=found_modules[:limit],
        case_studies=found_studies[:limit],
        more_modules=len(found_modules) > limit,
        more_case_studies=len(found_studies) > limit,
    )
