"""The shapes the API reads and writes (pydantic, through ninja's Schema)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from casework.models import Answer, Assessment, Case

PK = Annotated[int, Field(ge=1, le=2**53)]
VERSION = Annotated[int, Field(ge=0, le=2**31 - 1)]


def _storable(value: str) -> str:
    """Databases refuse NUL characters and lone surrogates: refuse them here, not with a 500."""
    if "\x00" in value:
        raise ValueError("null characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("invalid characters") from error
    return value


Text = Annotated[str, AfterValidator(_storable)]


def limited(length: int, *, required: bool = False):
    """Text up to `length` characters; `required` text must hold more than blanks."""
    if required:
        return Annotated[str, Field(max_length=length, pattern=r"\S"), AfterValidator(_storable)]
    return Annotated[str, Field(max_length=length), AfterValidator(_storable)]


CaseLevel = Literal[tuple(Case.Level.values)]  # type: ignore[valid-type]
AssessmentStatus = Literal[tuple(Assessment.Status.values)]  # type: ignore[valid-type]
Observation = Literal[("",) + tuple(Answer.Observation.values)]  # type: ignore[valid-type]
Confidence = Literal[("",) + tuple(Answer.Confidence.values)]  # type: ignore[valid-type]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- problems --------------------------------------------------------------------------------


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """RFC 9457 problem details; `errors` lists field errors, `current` the record that won."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None
    current: dict[str, Any] | None = None


# --- who am I --------------------------------------------------------------------------------


class MeOut(Schema):
    username: str
    role: str | None
    unit: str | None
    language: str


# --- frameworks ------------------------------------------------------------------------------


class VersionSummary(Schema):
    number: int
    label: str
    status: str
    published_at: datetime | None
    url: str


class FrameworkOut(Schema):
    code: str
    name: str
    versions: list[VersionSummary]


# --- cases -----------------------------------------------------------------------------------


class SourceIn(Input):
    id: PK | None = None
    title: limited(300) = ""
    publisher: limited(200) = ""
    reference: limited(500) = ""
    published_on: date | None = None
    accessed_on: date | None = None
    delete: bool = False


class EventIn(Input):
    id: PK | None = None
    happened_on: date | None = None
    title: limited(200) = ""
    description: limited(2000) = ""
    delete: bool = False


SECTOR_IN = (
    "The case's sector as the case form takes it: the key of a sector of the managed list "
    '(GET /api/v1/sectors/), or "other" with the sector typed in `sector_other`; empty for none. '
    "Plain sector text, as older clients sent, is still read: a listed name (Chinese or English, "
    'any case) becomes that sector, anything else the "other" text.'
)
SECTOR_OTHER_IN = (
    'The sector in your own words, when `sector` is "other" (or empty); text naming a listed '
    "sector becomes that sector."
)


class CaseFields(Input):
    title: limited(200, required=True)
    body: limited(200, required=True)
    level: CaseLevel
    region: limited(120) = ""
    sector: limited(120) = Field("", description=SECTOR_IN, examples=["transport", "other", ""])
    sector_other: limited(120) = Field("", description=SECTOR_OTHER_IN, examples=["Ports"])
    period_start: date | None = None
    period_end: date | None = None
    summary: limited(4000) = ""
    context: limited(20000) = ""
    tags: Annotated[list[limited(40)], Field(max_length=50)] = []


class CaseIn(CaseFields):
    # Administrators choose the unit by code; everyone else creates cases in their own unit.
    unit: limited(40) | None = None
    sources: Annotated[list[SourceIn], Field(max_length=50)] = []
    events: Annotated[list[EventIn], Field(max_length=100)] = []


class CasePatch(Input):
    version: VERSION = Field(description="The case's version as the client read it.")
    title: limited(200, required=True) | None = None
    body: limited(200, required=True) | None = None
    level: CaseLevel | None = None
    region: limited(120) | None = None
    sector: limited(120) | None = Field(
        None, description=SECTOR_IN + " Not sent: the sector stays as it is."
    )
    sector_other: limited(120) | None = Field(
        None, description=SECTOR_OTHER_IN + ' Sent without `sector`, it means "other".'
    )
    period_start: date | None = None
    period_end: date | None = None
    summary: limited(4000) | None = None
    context: limited(20000) | None = None
    tags: Annotated[list[limited(40)], Field(max_length=50)] | None = None
    sources: Annotated[list[SourceIn], Field(max_length=50)] | None = None
    events: Annotated[list[EventIn], Field(max_length=100)] | None = None


class SourceOut(Schema):
    id: int
    title: str
    publisher: str
    reference: str
    published_on: date | None
    accessed_on: date | None
    document_type: str = Field(
        "", description="MIME type of the attached document, judged by content; empty if none"
    )
    document_size: int = Field(0, description="Size of the attached document in bytes")
    document_sha256: str = Field("", description="SHA-256 of the attached document, hex")


class EventOut(Schema):
    id: int
    happened_on: date
    title: str
    description: str


class AssessmentSummary(Schema):
    id: int
    framework: str
    version_number: int
    version_label: str
    round: int
    status: str
    url: str


class CaseSummary(Schema):
    id: int
    title: str
    body: str
    level: str
    region: str
    sector: str = Field(
        description='The managed sector\'s key, "other" for a sector typed in, or empty for none.'
    )
    sector_other: str = Field(description='The typed sector when `sector` is "other", else empty.')
    sector_name: str = Field(
        description="What the sector reads as, in the reply's language: the managed sector's "
        "name or the typed text."
    )
    unit: str
    owner: str
    tags: list[str]
    archived: bool
    version: int
    updated_at: datetime
    url: str


class CaseOut(CaseSummary):
    period_start: date | None
    period_end: date | None
    summary: str
    context: str
    created_at: datetime
    sources: list[SourceOut]
    events: list[EventOut]
    assessments: list[AssessmentSummary]


class SectorOut(Schema):
    key: str = Field(description="What a case's `sector` takes.")
    name: str = Field(description="The name in the reply's language.")
    name_zh: str
    name_en: str
    active: bool = Field(
        description="An inactive sector is no longer offered for new choices; cases keep it."
    )


class CasePage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[CaseSummary]


# --- assessments -----------------------------------------------------------------------------


class Citation(Schema):
    """A cited source of the case, with the page or section and a quote where given."""

    source: int
    locator: str = ""
    quote: str = ""


class CitationIn(Input):
    source: PK
    locator: limited(200) = ""
    quote: limited(2000) = ""


class AnswerOut(Schema):
    item: str
    kind: str
    dimension: str
    level: int | None
    not_applicable: bool
    na_reason: str
    observation: str
    evidence: str
    citations: list[Citation]
    confidence: str
    note: str
    version: int
    updated_by: str | None
    updated_at: datetime


class AnswerPatch(Input):
    version: VERSION = Field(description="The answer's version as the client read it.")
    level: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    not_applicable: bool | None = None
    na_reason: limited(4000) | None = None
    observation: Observation | None = None
    evidence: Text | None = None
    # Source ids, or {source, locator, quote} where the answer service stores citations so.
    citations: Annotated[list[PK | CitationIn], Field(max_length=100)] | None = None
    confidence: Confidence | None = None
    note: limited(8000) | None = None


class AssessmentOut(AssessmentSummary):
    case: int
    case_title: str
    perspective: str
    revision: int
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    answered: int
    total: int
    answers: list[AnswerOut]


class WorkflowIn(Input):
    comment: limited(5000) = ""


class ScoreDimension(Schema):
    code: str
    title: str
    weight: float
    score: float | None
    percent: float | None
    band: int | None
    band_label: str
    answered: int
    not_applicable: int
    unanswered: int
    scored_total: int
    completeness_percent: float | None


class ScoreOverall(Schema):
    score: float | None
    percent: float | None
    band: int | None
    band_label: str


class ScoreCounts(Schema):
    scored_total: int
    answered: int
    not_applicable: int
    unanswered: int
    completeness_percent: float | None


class ScoresOut(Schema):
    """The numbers of the assessment's report (casework.reports.context.assessment_context)."""

    assessment: int
    framework: str
    version_number: int
    version_label: str
    scale_min: int
    scale_max: int
    overall: ScoreOverall
    counts: ScoreCounts
    confidence: dict[str, int]
    observations: dict[str, int]
    dimensions: list[ScoreDimension]


# --- reports ---------------------------------------------------------------------------------


class RenderIn(Input):
    format: Literal["pdf", "docx"] = "pdf"


class RenderOut(Schema):
    id: str
    status: Literal["pending", "ready", "failed"]
    format: str
    status_url: str
    file_url: str | None
    detail: str = ""
