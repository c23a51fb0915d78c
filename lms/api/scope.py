"""Whom the API shows to whom, and the reads its endpoints share.

One rule for every endpoint: whoever holds `lms.view_all_people` (HR, and the service accounts of
HR systems) sees everyone on the roster; anyone else sees the people below them in the org chart
and themself. People who have left stay in scope, since their records stay as evidence
(`is_active=false` finds them); the matrix, like its page, covers the people still active.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from lms.models import User
from lms.selectors.matrix import (
    PERSON_ORDER,
    CompetenceMatrix,
    Coverage,
    MatrixFilters,
    competence_matrix,
    matrix_columns,
    matrix_rows,
)
from lms.selectors.people import report_ids, sees_everyone


def people_visible_to(viewer: User) -> QuerySet[User]:
    """The roster people `viewer` may read through the API, leavers included."""
    roster = User.objects.filter(employee_id__isnull=False)
    if sees_everyone(viewer):
        return roster
    return roster.filter(pk__in={viewer.pk, *report_ids(manager=viewer)})


def competence_summaries(*, people: Iterable[User]) -> dict[int, Coverage]:
    """How each of `people` stands with every competence their job role and management level
    require, counted by status, keyed by person id. The matrix's own walk, so the figures match
    it; five queries, whatever the number of people."""
    ids = [person.pk for person in people]
    if not ids:
        return {}
    filters = MatrixFilters()
    rows = matrix_rows(
        people=User.objects.filter(pk__in=ids).order_by(*PERSON_ORDER),
        columns=matrix_columns(filters=filters),
        filters=filters,
    )
    summaries: dict[int, Coverage] = {}
    for row in rows:
        summary = summaries[row.person.pk] = Coverage()
        for cell in row.cells:
            summary.count(cell)
    return summaries


def matrix_for(
    *, viewer: User, filters: MatrixFilters, page_number: int, per_page: int
) -> CompetenceMatrix:
    """The competence matrix of the active people `viewer` may read through the API: the matrix
    page's own walk, with the API's scope, which also shows a person their own row."""
    return competence_matrix(
        viewer=viewer,
        filters=filters,
        page_number=page_number,
        per_page=per_page,
        scope=people_visible_to(viewer).filter(is_active=True),
    )
