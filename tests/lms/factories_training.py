"""Training data for tests: standards, clauses and competences, the catalogue and its modules (with
StreamField bodies), case studies, assignment rules, assignments, progress and completions.

Plain functions with keyword arguments, made straight with the ORM so that tests do not lean on
the assignment or progress services: `make_module(title="Forklift safety", sections=3)`,
`make_module(body=[section("Intro", md("Hello"))])`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from lms.blocks import audience_section_value, markdown_value, section_value
from lms.models import (
    Assignment,
    AssignmentRule,
    CaseStudy,
    CaseStudyIndex,
    CaseStudyMetric,
    Competence,
    Completion,
    Department,
    IsoClause,
    IsoStandard,
    JobRole,
    ModuleStart,
    SectionDone,
    TrainingCatalogue,
    TrainingModule,
    User,
)

_numbers = count(1)


def days_from_today(days: int, *, as_datetime: bool = False) -> datetime.date | datetime.datetime:
    """Today moved by `days` (negative for the past); with `as_datetime`, this moment moved."""
    if as_datetime:
        return timezone.now() + datetime.timedelta(days=days)
    return timezone.localdate() + datetime.timedelta(days=days)


# --- StreamField bodies, in their stored form


md = markdown_value


def section(title: str, *content: dict) -> dict:
    """A section block holding `content`, or a Markdown paragraph of its title."""
    return section_value(title, *(content or [md(title)]))


def for_audience(
    *content: dict,
    levels: tuple[str, ...] = (),
    departments: tuple[Department, ...] = (),
    job_roles: tuple[JobRole, ...] = (),
) -> dict:
    """An audience section: `content` shown only to the levels, departments and job roles given."""
    return audience_section_value(
        *content,
        levels=levels,
        department_ids=tuple(d.pk for d in departments),
        job_role_ids=tuple(r.pk for r in job_roles),
    )


# --- Standards and competences


def make_standard(*, name: str = "ISO 9001:2015", **fields) -> IsoStandard:
    """The standard called `name`, made the first time it is asked for."""
    standard, _ = IsoStandard.objects.get_or_create(name=name, defaults=fields)
    return standard


def make_clause(
    *, standard: IsoStandard | None = None, number: str | None = None, title: str = "Awareness"
) -> IsoClause:
    """A clause of `standard` (ISO 9001 by default) with a fresh number unless one is given."""
    return IsoClause.objects.create(
        standard=standard or make_standard(),
        number=number or f"7.{next(_numbers)}",
        title=title,
    )


def make_competence(**fields) -> Competence:
    """A competence with a fresh name unless one is given."""
    fields.setdefault("name", f"Competence {next(_numbers)}")
    return Competence.objects.create(**fields)


# --- Pages


def site_root() -> Page:
    """The default site's root page, or the tree's root where there is no site."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else Page.objects.get(depth=1)


def _add(parent: Page, page: Page, *, live: bool = True) -> Page:
    """Add `page` under `parent` with a saved revision, published unless `live=False`."""
    page.live = live
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def make_catalogue() -> TrainingCatalogue:
    """The one catalogue (its page type allows only one), under the site's root page."""
    existing = TrainingCatalogue.objects.first()
    if existing is not None:
        return existing
    return _add(site_root(), TrainingCatalogue(title="Training", slug="training"))


def make_module(
    *,
    title: str | None = None,
    sections: int = 2,
    body: list[dict] | None = None,
    audience_levels: list[str] | None = None,
    audience_departments: list[Department] = (),
    audience_job_roles: list[JobRole] = (),
    clauses: list[IsoClause] = (),
    competences: list[Competence] = (),
    refresher_months: int | None = None,
    live: bool = True,
    **fields,
) -> TrainingModule:
    """A module in the catalogue whose body is `body` or `sections` sections; published with a
    revision unless `live=False` (then it is a draft nobody can be assigned)."""
    title = title or f"Module {next(_numbers)}"
    fields.setdefault("summary", f"What {title} teaches.")
    module = TrainingModule(
        title=title,
        slug=f"{slugify(title)}-{next(_numbers)}",
        body=body
        if body is not None
        else [section(f"Part {n}", md(f"Text of part {n}.")) for n in range(1, sections + 1)],
        audience_levels=list(audience_levels or []),
        refresher_months=refresher_months,
        **fields,
    )
    module.audience_departments = list(audience_departments)
    module.audience_job_roles = list(audience_job_roles)
    module.clauses = list(clauses)
    module.competences = list(competences)
    return _add(make_catalogue(), module, live=live)


def make_case_study_index() -> CaseStudyIndex:
    """The one case study index, under the site's root page."""
    existing = CaseStudyIndex.objects.first()
    if existing is not None:
        return existing
    return _add(site_root(), CaseStudyIndex(title="Case studies", slug="case-studies"))


def make_case_study(
    *,
    title: str | None = None,
    department: Department | None = None,
    standard: IsoStandard | None = None,
    metrics: list[tuple] = (("Scrap rate", "4.8", "2.4", "%", False),),
    summary: str = "What changed.",
    live: bool = True,
) -> CaseStudy:
    """A case study in the index; `metrics` are (name, before, after, unit, higher_is_better)."""
    title = title or f"Case study {next(_numbers)}"
    study = CaseStudy(
        title=title,
        slug=f"{slugify(title)}-{next(_numbers)}",
        department=department,
        standard=standard,
        summary=summary,
        challenge="<p>The challenge.</p>",
        what_changed="<p>What we did.</p>",
    )
    study.metrics = [
        CaseStudyMetric(
            name=name,
            before=Decimal(before),
            after=Decimal(after),
            unit=unit,
            higher_is_better=higher,
        )
        for name, before, after, unit, higher in metrics
    ]
    return _add(make_case_study_index(), study, live=live)


# --- Assignments and progress


def make_rule(
    *,
    module: TrainingModule | None = None,
    audience_departments: list[Department] = (),
    audience_job_roles: list[JobRole] = (),
    **fields,
) -> AssignmentRule:
    """An assignment rule for `module` (a new one by default) with a fresh name unless given."""
    fields.setdefault("name", f"Rule {next(_numbers)}")
    rule = AssignmentRule(module=module or make_module(), **fields)
    rule.audience_departments.set(audience_departments)
    rule.audience_job_roles.set(audience_job_roles)
    rule.save()
    return rule


def make_assignment(
    *,
    user: User,
    module: TrainingModule | None = None,
    due_on: datetime.date | None = None,
    **fields,
) -> Assignment:
    """An open assignment of `module` (a new one by default), due in 30 days unless `due_on`."""
    return Assignment.objects.create(
        user=user,
        module=module or make_module(),
        due_on=due_on or days_from_today(30),
        **fields,
    )


def done_sections(*, user: User, module: TrainingModule, how_many: int) -> None:
    """`user` opened `module` and finished its first `how_many` sections."""
    ModuleStart.objects.get_or_create(user=user, module=module)
    for section_id in module.section_ids()[:how_many]:
        SectionDone.objects.create(user=user, module=module, section_id=section_id)


def make_completion(
    *,
    assignment: Assignment | None = None,
    user: User | None = None,
    module: TrainingModule | None = None,
    completed_at: datetime.datetime | None = None,
    **fields,
) -> Completion:
    """A completion of the module's live revision, by default now. With an `assignment` (whose
    user and module it takes unless given), that assignment is marked completed too."""
    completed_at = completed_at or timezone.now()
    if assignment is not None:
        user = user or assignment.user
        module = module or assignment.module
        assignment.status = Assignment.Status.COMPLETED
        assignment.completed_at = completed_at
        assignment.save(update_fields=["status", "completed_at"])
        fields.setdefault("on_time", completed_at.date() <= assignment.due_on)
    return Completion.objects.create(
        user=user,
        module=module,
        completed_at=completed_at,
        assignment=assignment,
        revision=module.live_revision,
        **fields,
    )


def withdraw(*, assignment: Assignment, reason: str) -> Assignment:
    """Withdraw `assignment` now, for `reason`."""
    assignment.status = Assignment.Status.WITHDRAWN
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_reason = reason
    assignment.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    return assignment
