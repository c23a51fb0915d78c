from .append_only import AppendOnly, AppendOnlyModel
from .competence import (
    Certificate,
    Competence,
    CompetenceRecord,
    CompetenceRequirement,
    EffectivenessCheck,
    ExpiryNotice,
    ProficiencyLevel,
)
from .content import CaseStudy, CaseStudyIndex, CaseStudyMetric, TrainingCatalogue, TrainingModule
from .notifications import Notification, ReminderDigest, TeamReminder
from .people import Department, Invitation, JobRole, ManagementLevel, User
from .progress import Assignment, AssignmentRule, Completion, ModuleStart, SectionDone
from .standards import IsoClause, IsoStandard
from .xapi import XapiStatement

__all__ = [
    "AppendOnly",
    "AppendOnlyModel",
    "Certificate",
    "CompetenceRecord",
    "CompetenceRequirement",
    "EffectivenessCheck",
    "ExpiryNotice",
    "ProficiencyLevel",
    "Assignment",
    "AssignmentRule",
    "CaseStudy",
    "CaseStudyIndex",
    "CaseStudyMetric",
    "Competence",
    "Completion",
    "Department",
    "Invitation",
    "IsoClause",
    "IsoStandard",
    "JobRole",
    "ManagementLevel",
    "ModuleStart",
    "Notification",
    "ReminderDigest",
    "SectionDone",
    "TeamReminder",
    "TrainingCatalogue",
    "TrainingModule",
    "User",
    "XapiStatement",
]
