"""Cases, their assessments against a framework version, and the registers analysts keep."""

from casework.models.assessments import Answer, Assessment, Comment
from casework.models.cases import Case, CaseSource
from casework.models.org import Membership, OrgUnit, Role
from casework.models.registers import REGISTER_MODELS, Goal, Indicator, Phase, Risk, Stakeholder

__all__ = [
    "REGISTER_MODELS",
    "Answer",
    "Assessment",
    "Case",
    "CaseSource",
    "Comment",
    "Goal",
    "Indicator",
    "Membership",
    "OrgUnit",
    "Phase",
    "Risk",
    "Role",
    "Stakeholder",
]
