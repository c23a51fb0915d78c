from lms.models.append_only import AppendOnly
from recognition.models.appraisals import AppraisalPeriod, AppraisalSummary
from recognition.models.badges import Badge, BadgeAward, BadgeCriterion
from recognition.models.kudos import Kudos, KudosValue, RecognitionPreference
from recognition.models.points import (
    Category,
    PointsEntry,
    PointsRule,
    TeamMilestone,
)

__all__ = [
    "AppendOnly",
    "AppraisalPeriod",
    "AppraisalSummary",
    "Badge",
    "BadgeAward",
    "BadgeCriterion",
    "Category",
    "Kudos",
    "KudosValue",
    "PointsEntry",
    "PointsRule",
    "RecognitionPreference",
    "TeamMilestone",
]
