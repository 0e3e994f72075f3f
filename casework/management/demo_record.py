"""The narrative half of the demo data, read from fixtures/demo/record.yaml.

`seed_demo` makes the cases and scores them; this module adds what turns a scored case into a
report of record: the case's context and timeline, where its sources come from, the analyst's
findings, conclusion and lessons, the action plan and dated indicator measurements. It also
turns the file's whole new cases into the seed's case specs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings

from casework import readmodel
from casework.models import Action, Assessment, Case, CaseEvent, Measurement
from casework.models.narrative import DimensionFinding
from casework.search.services import search_index_case
from casework.services.assessments import assessment_touch
from casework.services.rounds import carry_over_actions

DEMO_DIR = Path("fixtures") / "demo"
RECORD_FILE = DEMO_DIR / "record.yaml"
SEED_FILE = DEMO_DIR / "cases.yaml"
LIBRARY_FILE = DEMO_DIR / "library.yaml"


def _load(path: Path) -> dict:
    with open(Path(settings.BASE_DIR) / path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_record() -> dict:
    return _load(RECORD_FILE)


def load_seed() -> dict:
    """The people (units, users, stock phrases) and the seed cases: cases.yaml, then library.yaml."""
    seed = _load(SEED_FILE)
    seed["cases"] = seed["cases"] + _load(LIBRARY_FILE)["cases"]
    return seed


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _register_rows(registers: dict) -> tuple[dict, dict]:
    """The file's register rows as model fields, and each indicator's measurements by name."""
    rows: dict[str, list[dict]] = {}
    measurements: dict[str, list] = {}
    for name, entries in (registers or {}).items():
        rows[name] = []
        for entry in entries:
            entry = dict(entry)
            if name == "indicators":
                measurements[entry["name"]] = entry.pop("measurements", [])
                for key in ("baseline", "target", "actual"):
                    if entry.get(key) is not None:
                        entry[key] = Decimal(str(entry[key]))
            for key in ("deadline", "start", "end"):
                if key in entry:
                    entry[key] = _date(entry[key])
            rows[name].append(entry)
    return rows, measurements


def case_spec_fields(entry: dict) -> dict:
    """A new case of the file as keyword arguments for seed_demo's CaseSpec."""
    registers, measurements = _register_rows(entry.get("registers"))
    return {
        "key": entry["key"],
        "unit": entry["unit"],
        "owner": entry["owner"],
        "title": entry["title"],
        "body": entry["body"],
        "level": entry["level"],
        "region": entry["region"],
        "sector": entry["sector"],
        "period": tuple(_date(d) for d in entry["period"]),
        "summary": entry["summary"],
        "tags": list(entry["tags"]),
        "sources": [
            {
                "title": s["title"],
                "publisher": s.get("publisher", ""),
                "reference": s.get("reference", ""),
                "published_on": _date(s.get("date")),
                "accessed_on": _date(s.get("accessed")),
            }
            for s in entry["sources"]
        ],
        "facts": list(entry["facts"]),
        "mean_level": float(entry["mean_level"]),
        "stage": entry["stage"],
        "share_answered": float(entry.get("share_answered", 1.0)),
        "last_worked_on": _date(entry.get("last_worked_on")),
        "registers": registers,
        "measurements": measurements,
        "observations": {code: tuple(pair) for code, pair in entry.get("observations", {}).items()},
        "round_two": entry.get("round_two") or {},
        "double_scored": entry.get("double_scored", ""),
    }


def apply_record(case: Case, record: dict, *, analyst) -> None:
    """Write a case's narrative: context, timeline, sources' details, judgement, actions."""
    if record.get("context"):
        Case.objects.filter(pk=case.pk).update(context=record["context"])
        search_index_case(case_id=case.pk)
    for happened_on, title, description in record.get("events", []):
        CaseEvent.objects.create(
            case=case, happened_on=_date(happened_on), title=title, description=description
        )
    for title, details in (record.get("sources") or {}).items():
        case.sources.filter(title=title).update(
            publisher=details.get("publisher", ""), accessed_on=_date(details.get("accessed"))
        )
    for code, narrative in (record.get("assessments") or {}).items():
        rounds = list(Assessment.objects.filter(case=case, framework__code=code).order_by("round"))
        if rounds:
            _judgement(rounds, narrative, analyst)
    _measurements(case, record.get("measurements") or {})


def _judgement(rounds: list[Assessment], narrative: dict, analyst) -> None:
    latest = rounds[-1]
    Assessment.objects.filter(pk=latest.pk).update(
        perspective=narrative.get("perspective", Assessment.Perspective.ONGOING),
        conclusion=narrative.get("conclusion", ""),
        lessons=narrative.get("lessons", ""),
    )
    for code, text in (narrative.get("findings") or {}).items():
        DimensionFinding.objects.create(
            assessment=latest, dimension_code=code, text=text, updated_by=analyst
        )
    actions = narrative.get("actions") or {}
    earlier = actions.get("round1", []) if len(rounds) > 1 else []
    for order, entry in enumerate(earlier):
        _action(rounds[0], entry, order, analyst)
    if earlier:
        # Open actions go on as a new round takes them: same service, same item, same order.
        carry_over_actions(rounds[0], latest, analyst)
    for order, entry in enumerate(actions.get("current", []), start=len(earlier)):
        _action(latest, entry, order, analyst)
    for assessment in rounds:
        assessment_touch(assessment_id=assessment.pk)


def _action(assessment: Assessment, entry: dict, order: int, analyst) -> Action:
    return Action.objects.create(
        assessment=assessment,
        text=entry["text"],
        owner=entry.get("owner", ""),
        priority=entry.get("priority", Action.Priority.MEDIUM),
        due_on=_date(entry.get("due")),
        status=entry.get("status", Action.Status.PROPOSED),
        order=order,
        updated_by=analyst,
    )


def _measurements(case: Case, by_name: dict) -> None:
    """Dated values for the indicators of each framework's latest round, by indicator name."""
    for assessment in readmodel.latest_rounds().filter(case=case):
        for indicator in assessment.indicators.filter(name__in=list(by_name)):
            add_measurements(indicator, by_name[indicator.name])


def add_measurements(indicator, entries) -> None:
    for measured_on, value, note in entries:
        Measurement.objects.create(
            indicator=indicator,
            measured_on=_date(measured_on),
            value=Decimal(str(value)),
            note=note,
        )
