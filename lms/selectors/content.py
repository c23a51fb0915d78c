"""Reads of training content shared by the catalogue, the module page, search and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class LearnerProgress:
    """Where one person stands in one module."""

    section_ids: list[str]
    done: frozenset[str]
    completion: Completion | None = None
    assignment: Assignment | None = None
    round_started_at: datetime | None = None

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
    def is_completed(self) -> bool:
        """Completed, and nothing asks for it again (a refresher opens a new assignment)."""
        return self.completion is not None and self.assignment is None


def module_progress(*, user: User, module: TrainingModule) -> LearnerProgress:
    """The sections `user` has done in their current pass through `module`; three queries.

    A completion closes a pass. When an assignment asks for the module again (a refresher), the
    sections done before that completion no longer count, so the learner reads them again.
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
    return LearnerProgress(
        section_ids=section_ids,
        done=frozenset(rows.values_list("section_id", flat=True)),
        completion=completion,
        assignment=assignment,
        round_started_at=round_started_at,
    )


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
