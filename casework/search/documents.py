"""What the search index holds for a case and an assessment, read in a fixed number of queries.

Plain Document values, no writes: casework/search/services.py compares them with the stored
entries. `apps` is a migration's historical registry, or None for the live models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps

from casework.indicators import indicator_met, latest_value

KIND_CASE = "case"
KIND_ANSWER = "answer"
KIND_FINDING = "finding"
KIND_RISK = "risk"
KIND_INDICATOR = "indicator"
KIND_CONCLUSION = "conclusion"
KIND_LESSONS = "lessons"
KIND_ACTION = "action"
PROBLEM = "problem"


@dataclass(frozen=True)
class Document:
    kind: str
    object_id: int
    case_id: int
    assessment_id: int | None = None
    item_code: str = ""
    dimension_code: str = ""
    category: str = ""
    outcome: str = ""
    body: str = ""
    # Searched but not shown in the snippet (the case's title, body, region, sector, tags).
    extra: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.object_id)


def _model(app: str, name: str, apps=None):
    return (apps or global_apps).get_model(app, name)


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def case_documents(case_ids: Iterable[int], apps=None) -> list[Document]:
    """One document per case: summary and context shown, its facts searched too (1 query)."""
    Case = _model("casework", "Case", apps)
    names = ["pk", "title", "body", "region", "sector", "tags", "summary", "context"]
    # The listed sector's names are searched too (once the model has them: not in migrations
    # that run before sectors existed).
    listed = any(f.name == "sector_ref" for f in Case._meta.get_fields())
    names += ["sector_ref__name_zh", "sector_ref__name_en"] if listed else []
    rows = Case.objects.filter(pk__in=list(case_ids)).values_list(*names)
    return [
        Document(
            kind=KIND_CASE,
            object_id=row[0],
            case_id=row[0],
            body=_join(row[6], row[7]),
            extra="\n".join(
                [*row[1:5], *[str(t) for t in row[5] or ()], *[n or "" for n in row[8:]]]
            ),
        )
        for row in rows
    ]


def _register_homes(version_ids, apps) -> dict[tuple[int, str], str]:
    """{(version id, register name): code of the dimension whose step edits that register}."""
    Dimension = _model("frameworks", "Dimension", apps)
    homes: dict[tuple[int, str], str] = {}
    rows = Dimension.objects.filter(version_id__in=version_ids).order_by("order")
    for version_id, code, registers in rows.values_list("version_id", "code", "registers"):
        for name in registers or ():
            homes.setdefault((version_id, name), code)
    return homes


def assessment_documents(assessment_ids: Iterable[int], apps=None) -> list[Document]:
    """Every searchable text of some assessments (8 queries, whatever their number)."""
    Assessment = _model("casework", "Assessment", apps)
    ids = list(assessment_ids)
    heads = {
        pk: (case_id, version_id)
        for pk, case_id, version_id in Assessment.objects.filter(pk__in=ids).values_list(
            "pk", "case_id", "version_id"
        )
    }
    if not heads:
        return []
    homes = _register_homes({version_id for _c, version_id in heads.values()}, apps)
    docs = _judgement(ids, heads, apps)
    docs += _answers(ids, heads, apps)
    docs += _findings(ids, heads, apps)
    docs += _risks(ids, heads, homes, apps)
    docs += _indicators(ids, heads, homes, apps)
    docs += _actions(ids, heads, apps)
    return docs


def _judgement(ids, heads, apps) -> list[Document]:
    Assessment = _model("casework", "Assessment", apps)
    docs = []
    for pk, conclusion, lessons in Assessment.objects.filter(pk__in=ids).values_list(
        "pk", "conclusion", "lessons"
    ):
        for kind, text in ((KIND_CONCLUSION, conclusion), (KIND_LESSONS, lessons)):
            if text.strip():
                docs.append(
                    Document(kind, pk, heads[pk][0], pk, body=text.strip())  # object: assessment
                )
    return docs


def _answers(ids, heads, apps) -> list[Document]:
    Answer = _model("casework", "Answer", apps)
    rows = (
        Answer.objects.filter(assessment_id__in=ids)
        .exclude(evidence="", note="", na_reason="")
        .values_list(
            "pk",
            "assessment_id",
            "criterion__code",
            "criterion__dimension__code",
            "criterion__kind",
            "criterion__polarity",
            "observation",
            "evidence",
            "note",
            "na_reason",
        )
    )
    return [
        _answer_document(pk, heads[aid][0], aid, code, dimension, kind, polarity, *texts)
        for pk, aid, code, dimension, kind, polarity, *texts in rows
    ]


def _answer_document(
    pk, case_id, aid, code, dimension, kind, polarity, observation, evidence, note, na
) -> Document:
    problem = kind == "observation" and polarity == "negative" and observation == "present"
    return Document(
        KIND_ANSWER,
        pk,
        case_id,
        aid,
        item_code=code,
        dimension_code=dimension,
        outcome=PROBLEM if problem else "",
        body=_join(evidence, note, na),
    )


def answer_documents(answer, case_id: int) -> list[Document]:
    """The document of one answer in hand (its criterion and dimension loaded), as
    `assessment_documents` makes it: none when it holds no text. No query."""
    if answer.evidence == "" and answer.note == "" and answer.na_reason == "":
        return []
    criterion = answer.criterion
    return [
        _answer_document(
            answer.pk,
            case_id,
            answer.assessment_id,
            criterion.code,
            criterion.dimension.code,
            criterion.kind,
            criterion.polarity,
            answer.observation,
            answer.evidence,
            answer.note,
            answer.na_reason,
        )
    ]


def _findings(ids, heads, apps) -> list[Document]:
    DimensionFinding = _model("casework", "DimensionFinding", apps)
    rows = (
        DimensionFinding.objects.filter(assessment_id__in=ids)
        .exclude(text="")
        .values_list("pk", "assessment_id", "dimension_code", "text")
    )
    return [
        Document(KIND_FINDING, pk, heads[aid][0], aid, dimension_code=code, body=text.strip())
        for pk, aid, code, text in rows
    ]


def _risks(ids, heads, homes, apps) -> list[Document]:
    Risk = _model("casework", "Risk", apps)
    rows = Risk.objects.filter(assessment_id__in=ids).values_list(
        "pk", "assessment_id", "category", "status", "description", "response", "outcome"
    )
    return [
        Document(
            KIND_RISK,
            pk,
            heads[aid][0],
            aid,
            dimension_code=homes.get((heads[aid][1], "risks"), ""),
            category=category,
            outcome=status,
            body=_join(description, response, outcome),
        )
        for pk, aid, category, status, description, response, outcome in rows
    ]


def _indicators(ids, heads, homes, apps) -> list[Document]:
    Indicator = _model("casework", "Indicator", apps)
    Measurement = _model("casework", "Measurement", apps)
    latest: dict[int, list] = {}
    for indicator_id, value in (
        Measurement.objects.filter(indicator__assessment_id__in=ids)
        .order_by("measured_on", "pk")
        .values_list("indicator_id", "value")
    ):
        latest.setdefault(indicator_id, []).append(value)
    docs = []
    for pk, aid, family, name, unit, target, actual, higher in Indicator.objects.filter(
        assessment_id__in=ids
    ).values_list(
        "pk", "assessment_id", "family", "name", "unit", "target", "actual", "higher_is_better"
    ):
        met = indicator_met(
            target=target,
            actual=latest_value(actual=actual, measurements=latest.get(pk, [])),
            higher_is_better=higher,
        )
        docs.append(
            Document(
                KIND_INDICATOR,
                pk,
                heads[aid][0],
                aid,
                dimension_code=homes.get((heads[aid][1], "indicators"), ""),
                category=family,
                outcome="" if met is None else ("met" if met else "missed"),
                body=name,
                extra=unit,
            )
        )
    return docs


def _actions(ids, heads, apps) -> list[Document]:
    Action = _model("casework", "Action", apps)
    rows = Action.objects.filter(assessment_id__in=ids).values_list(
        "pk",
        "assessment_id",
        "criterion__code",
        "criterion__dimension__code",
        "status",
        "text",
        "owner",
    )
    return [
        Document(
            KIND_ACTION,
            pk,
            heads[aid][0],
            aid,
            item_code=code or "",
            dimension_code=dimension or "",
            outcome=status,
            body=text.strip(),
            extra=owner,
        )
        for pk, aid, code, dimension, status, text, owner in rows
    ]
