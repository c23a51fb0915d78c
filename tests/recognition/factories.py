"""Factories for recognition's rows, shared by its tests."""

import factory
from django.utils import timezone

from recognition.models import (
    AppraisalPeriod,
    Badge,
    BadgeAward,
    BadgeCriterion,
    Kudos,
    KudosValue,
    PointsRule,
)
from tests.factories import UserFactory


def rule(event: str, **changes) -> PointsRule:
    """The migration's rule for `event`, changed as asked (points, bonus_points, weekly_cap,
    is_active)."""
    found = PointsRule.objects.get(event=event)
    for field, value in changes.items():
        setattr(found, field, value)
    if changes:
        found.save()
    return found


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    name = factory.Sequence(lambda n: f"Badge {n}")
    slug = factory.Sequence(lambda n: f"badge-{n}")
    description = "Earned by doing the right thing."
    criterion = BadgeCriterion.SUGGESTIONS_ACCEPTED
    threshold = 1
    criteria_narrative = "Have a suggestion accepted."


class BadgeAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgeAward

    badge = factory.SubFactory(BadgeFactory)
    user = factory.SubFactory(UserFactory)


class KudosFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kudos

    sender = factory.SubFactory(UserFactory)
    receiver = factory.SubFactory(UserFactory)
    value = KudosValue.QUALITY
    message = "Caught a labelling error before it reached the customer."


class AppraisalPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppraisalPeriod

    name = factory.Sequence(lambda n: f"Period {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on.replace(day=28))
