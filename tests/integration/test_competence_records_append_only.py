"""On PostgreSQL the database refuses to rewrite evidence, whatever path the query takes."""

import pytest
from django.db import DatabaseError, transaction

from lms.models import CompetenceRecord, ProficiencyLevel
from tests.factories import UserFactory
from tests.lms.factories_training import make_competence

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def record(db):
    return CompetenceRecord.objects.create(
        user=UserFactory(),
        competence=make_competence(),
        level=ProficiencyLevel.COMPETENT,
        source=CompetenceRecord.Source.ASSESSMENT,
        notes="Observed a full changeover.",
    )


def test_a_queryset_update_of_a_record_is_refused_by_the_database(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CompetenceRecord.objects.filter(pk=record.pk).update(
            level=ProficiencyLevel.CAN_TRAIN_OTHERS
        )
    record.refresh_from_db()
    assert record.level == ProficiencyLevel.COMPETENT


def test_a_queryset_delete_of_a_record_is_refused_by_the_database(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CompetenceRecord.objects.filter(pk=record.pk).delete()
    assert CompetenceRecord.objects.filter(pk=record.pk).exists()
