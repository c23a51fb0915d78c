"""One definition of an audience, used by modules, their sections, assignment rules and campaigns.

An audience names management levels, departments and job roles; each list that is empty does not
narrow it, so an empty audience means everyone. A department includes its sub-departments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import QuerySet
from modelcluster.fields import ParentalManyToManyField

from lms.models.people import Department, JobRole, ManagementLevel, User


@dataclass(frozen=True)
class Audience:
    levels: frozenset[str] = frozenset()
    department_ids: frozenset[int] = frozenset()
    job_role_ids: frozenset[int] = frozenset()

    @property
    def is_everyone(self) -> bool:
        return not (self.levels or self.department_ids or self.job_role_ids)

    def includes(self, user: User, *, department_tree: dict[int, int | None] | None = None) -> bool:
        """Whether `user` is in the audience; pass `department_tree` (see `department_parents`)
        when checking many people, to save a query each."""
        if self.levels and user.management_level not in self.levels:
            return False
        if self.job_role_ids and user.job_role_id not in self.job_role_ids:
            return False
        if self.department_ids:
            tree = department_tree if department_tree is not None else department_parents()
            return bool(self.department_ids & _with_ancestors(user.department_id, tree))
        return True

    def people(self) -> QuerySet[User]:
        """The active people on the roster (those with an employee id: administrator and
        service accounts are nobody's audience) in the audience, as one query."""
        people = User.objects.filter(is_active=True, employee_id__isnull=False)
        if self.levels:
            people = people.filter(management_level__in=self.levels)
        if self.job_role_ids:
            people = people.filter(job_role_id__in=self.job_role_ids)
        if self.department_ids:
            people = people.filter(department_id__in=_with_descendants(self.department_ids))
        return people

    def describe(self) -> str:
        if self.is_everyone:
            return "Everyone"
        parts = []
        if self.levels:
            labels = dict(ManagementLevel.choices)
            parts.append(", ".join(labels[level] for level in sorted(self.levels)))
        if self.department_ids:
            names = Department.objects.filter(pk__in=self.department_ids).values_list(
                "name", flat=True
            )
            parts.append(", ".join(sorted(names)))
        if self.job_role_ids:
            names = JobRole.objects.filter(pk__in=self.job_role_ids).values_list("name", flat=True)
            parts.append(", ".join(sorted(names)))
        return " · ".join(parts)


def department_parents() -> dict[int, int | None]:
    return dict(Department.objects.values_list("pk", "parent_id"))


def _with_ancestors(department_id: int | None, tree: dict[int, int | None]) -> set[int]:
    found: set[int] = set()
    while department_id is not None and department_id not in found:
        found.add(department_id)
        department_id = tree.get(department_id)
    return found


def _with_descendants(department_ids: Iterable[int]) -> set[int]:
    tree = department_parents()
    return {pk for pk in tree if set(department_ids) & _with_ancestors(pk, tree)}


class ManagementLevelsField(models.JSONField):
    """A list of management levels, edited as checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=ManagementLevel.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )


class AudienceFields(models.Model):
    """The audience as fields of a page or a clusterable model (rules, campaigns)."""

    audience_levels = ManagementLevelsField(
        "management levels", help_text="Leave all unticked for every level."
    )
    audience_departments = ParentalManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name="departments",
        help_text="Includes their sub-departments. Leave empty for every department.",
    )
    audience_job_roles = ParentalManyToManyField(
        JobRole,
        blank=True,
        related_name="+",
        verbose_name="job roles",
        help_text="Leave empty for every job role.",
    )

    class Meta:
        abstract = True

    @property
    def audience(self) -> Audience:
        return Audience(
            levels=frozenset(self.audience_levels or ()),
            department_ids=frozenset(d.pk for d in self.audience_departments.all()),
            job_role_ids=frozenset(r.pk for r in self.audience_job_roles.all()),
        )
