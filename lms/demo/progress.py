"""Assignment rules for the demo, and learners at every stage: the demo employee has mandatory
modules with one overdue, and the demo manager's team shows mixed progress."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from lms.models import AssignmentRule, Department, TrainingModule, User
from lms.services.assignments import apply_rule
from lms.services.progress import mark_section_done, start_module

# (name, module slug, levels, departments, due in days, mandatory, assigned this many days ago)
RULES = [
    ("Everyone: ISO 9001 awareness", "iso-9001-awareness", [], [], 30, True, 45),
    ("Everyone: ISO 14001 environmental awareness", "iso-14001-environmental-awareness",
     [], [], 30, True, 10),
    ("Operations: ISO 45001 hazard reporting", "iso-45001-hazard-reporting", [],
     ["Production", "Logistics", "Health and Safety"], 30, True, 0),
    ("Middle managers: leading the management system", "leading-the-management-system",
     ["middle"], [], 45, True, 5),
    ("Frontline managers: the supervisor's daily toolkit", "frontline-supervisor-toolkit",
     ["frontline"], [], 30, True, 5),
    ("Managers: risk-based thinking", "risk-based-thinking", ["top", "middle", "frontline"],
     [], 60, True, 5),
    ("Operations and quality: document control", "document-control-in-practice", [],
     ["Production", "Quality Assurance", "Logistics"], 60, False, 5),
]  # fmt: skip

# e-mail → {module slug: how many of its sections are done (None: all, so it is completed)}
PROGRESS = {
    "employee@demo.example": {"iso-45001-hazard-reporting": 1},
    "manager@demo.example": {"iso-9001-awareness": None, "leading-the-management-system": 2},
    "fp01@demo.example": {"iso-9001-awareness": None, "frontline-supervisor-toolkit": 2},
    "fp02@demo.example": {"iso-9001-awareness": None, "iso-45001-hazard-reporting": None},
    "fp03@demo.example": {"iso-9001-awareness": 1},
    "po01@demo.example": {"iso-9001-awareness": None, "iso-14001-environmental-awareness": 1},
    "pa01@demo.example": {"iso-9001-awareness": None},
    "pa02@demo.example": {"iso-45001-hazard-reporting": None},
}


@transaction.atomic
def seed_assignments_and_progress(*, today: date | None = None) -> dict[str, int]:
    """Create the demo rules, apply them as if each had been saved some days ago, and record the
    demo learners' progress. Returns how many assignments each rule created this time."""
    today = today or timezone.localdate()
    modules = {module.slug: module for module in TrainingModule.objects.live()}
    departments = {department.name: department for department in Department.objects.all()}
    created = {}
    for name, slug, levels, department_names, due_in_days, mandatory, days_ago in RULES:
        rule, _ = AssignmentRule.objects.get_or_create(
            name=name,
            defaults={
                "module": modules[slug],
                "audience_levels": levels,
                "due_in_days": due_in_days,
                "mandatory": mandatory,
            },
        )
        # A clusterable model keeps its many-to-many changes in memory until it is saved.
        rule.audience_departments.set([departments[n] for n in department_names])
        rule.save()
        created[name] = apply_rule(rule=rule, today=today - timedelta(days=days_ago))
    people = User.objects.in_bulk(list(PROGRESS), field_name="email")
    for email, modules_done in PROGRESS.items():
        for slug, sections in modules_done.items():
            module = modules[slug]
            start_module(user=people[email], module=module)
            for section_id in module.section_ids()[:sections]:
                mark_section_done(user=people[email], module=module, section_id=section_id)
    return created
