"""Cases, their assessments against a framework version, and the registers analysts keep."""

from casework.models.assessments import Answer, Assessment, Comment
from casework.models.cases import Case, CaseEvent, CaseSource, Sector
from casework.models.double import Adjudication
from casework.models.narrative import Action, DimensionFinding
from casework.models.org import Membership, OrgUnit, Role
from casework.models.registers import (
    REGISTER_MODELS,
    Goal,
    Indicator,
    Measurement,
    Phase,
    Risk,
    Stakeholder,
)
from casework.models.scores import ScoreSnapshot, SnapshotScore

__all__ = [
    "Adjudication",
    "REGISTER_MODELS",
    "Action",
    "Answer",
    "Assessment",
    "Case",
    "CaseEvent",
    "CaseSource",
    "Comment",
    "DimensionFinding",
    "Goal",
    "Indicator",
    "Measurement",
    "Membership",
    "OrgUnit",
    "Phase",
    "Risk",
    "Sector",
    "Role",
    "ScoreSnapshot",
    "SnapshotScore",
    "Stakeholder",
]
