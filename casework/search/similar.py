"""Similar cases for a case page: by score profile and by the risks and indicators they share.

Only cases the user may see (casework.access), compared on their latest rounds. A fixed number
of queries: one preselection per framework of the case, then four reads for all candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, FloatField, Q, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _

from casework import access
from casework.models import Case, Indicator, Risk
from casework.readmodel import latest_rounds, snapshot_of
from casework.search import similarity
from casework.search.documents import KIND_INDICATOR, KIND_RISK
from casework.search.models import SearchEntry

CANDIDATES = 20  # preselected per signal before the exact comparison
SHOW = 5
MAX_REASONS = 3
PROFILE_REASON = 0.75  # name the profile as a reason from this much alike


@dataclass
class SimilarCase:
    case: Case
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * min(self.score, 1.0))


def _gap(dimensions: dict):
    """SQL for the squared gaps of a snapshot's dimensions to `dimensions` (to order by)."""
    terms = []
    for code, value in dimensions.items():
        if value is None:
            continue
        score = Cast(KeyTextTransform(code, "score_snapshot__dimensions"), FloatField())
        diff = score - Value(float(value))
        terms.append(Coalesce(diff * diff, Value(similarity.MISSING_GAP**2)))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _by_profile(mine, others) -> set[int]:
    ids: set[int] = set()
    for assessment in mine:
        snapshot = snapshot_of(assessment)
        scored = {
            k: v for k, v in (snapshot.dimensions if snapshot else {}).items() if v is not None
        }
        if len(scored) < 2:
            continue
        nearest = (
            others.filter(version_id=assessment.version_id, score_snapshot__isnull=False)
            .annotate(gap=_gap(scored))
            .order_by("gap", "case_id")
            .values_list("case_id", flat=True)
        )
        ids.update(nearest[:CANDIDATES])
    return ids


def _by_categories(my_rows, others) -> set[int]:
    categories = {category for _kind, category, _outcome, _body in my_rows if category}
    if not categories:
        return set()
    weight = Count("pk") + Count("pk", filter=Q(outcome__in=["occurred", "missed"]))
    rows = (
        SearchEntry.objects.filter(
            kind__in=[KIND_RISK, KIND_INDICATOR],
            category__in=categories,
            assessment_id__in=others.values("pk"),
        )
        .values("case_id")
        .annotate(weight=weight)
        .order_by("-weight", "case_id")
        .values_list("case_id", flat=True)
    )
    return set(rows[:CANDIDATES])


def _register_rows(assessment_filter) -> dict[int, list]:
    rows: dict[int, list] = {}
    for case_id, kind, category, outcome, body in SearchEntry.objects.filter(
        assessment_filter, kind__in=[KIND_RISK, KIND_INDICATOR]
    ).values_list("case_id", "kind", "category", "outcome", "body"):
        rows.setdefault(case_id, []).append((kind, category, outcome, body))
    return rows


def similar_cases(*, case: Case, user, limit: int = SHOW) -> list[SimilarCase]:
    """The cases most like `case` that `user` may see, best first, each with its reasons."""
    # A blind second analyst gets no reasons drawn from the first scoring she may not see.
    hidden = access.hidden_by_blind_scoring(user)
    mine = list(
        latest_rounds()
        .filter(case=case)
        .exclude(hidden)
        .select_related("score_snapshot", "framework")
    )
    others = (
        latest_rounds()
        .filter(case_id__in=access.cases_visible_to(user).exclude(pk=case.pk).values("pk"))
        .exclude(hidden)
    )
    my_rows = _register_rows(Q(assessment_id__in=[a.pk for a in mine])).get(case.pk, [])
    ids = _by_profile(mine, others) | _by_categories(my_rows, others)
    if not ids:
        return []
    their_rows = _register_rows(Q(assessment_id__in=others.filter(case_id__in=ids).values("pk")))
    profiles: dict[int, dict[int, dict]] = {}
    for case_id, version_id, dimensions in others.filter(case_id__in=ids).values_list(
        "case_id", "version_id", "score_snapshot__dimensions"
    ):
        profiles.setdefault(case_id, {})[version_id] = dimensions or {}
    cases = access.cases_visible_to(user).in_bulk(ids)
    found = [
        _compare(mine, my_rows, cases[pk], profiles.get(pk, {}), their_rows.get(pk, []))
        for pk in ids
        if pk in cases
    ]
    found.sort(key=lambda s: (-s.score, s.case.title))
    return [s for s in found if s.score > 0][:limit]


def _compare(mine, my_rows, other: Case, their_profiles: dict, their_rows: list) -> SimilarCase:
    reasons = []
    best = None
    for assessment in mine:
        snapshot = snapshot_of(assessment)
        theirs = their_profiles.get(assessment.version_id)
        if snapshot is None or theirs is None:
            continue
        alike = similarity.profile_similarity(snapshot.dimensions or {}, theirs)
        if alike is not None and (best is None or alike > best[0]):
            best = (alike, assessment.framework.code)
    if best:
        message = (
            _("Similar score profile (%(framework)s, %(percent)s%% alike)")
            if best[0] >= PROFILE_REASON
            else _("Score profile %(percent)s%% alike (%(framework)s)")
        )
        reasons.append(message % {"framework": best[1], "percent": round(100 * best[0])})
    phrase = _shared_risk_phrase(my_rows, their_rows)
    if phrase:
        reasons.append(_("Shared risk: %(phrase)s") % {"phrase": phrase})
    mine_features = similarity.features((k, c, o) for k, c, o, _b in my_rows)
    their_features = similarity.features((k, c, o) for k, c, o, _b in their_rows)
    reasons += _category_reasons(mine_features, their_features)
    overlap = similarity.feature_overlap(mine_features, their_features)
    score = similarity.combined(best[0] if best else None, overlap, bool(phrase))
    return SimilarCase(case=other, score=score, reasons=reasons[:MAX_REASONS])


def _shared_risk_phrase(my_rows, their_rows) -> str:
    mine = [body.split("\n\n")[0] for kind, _c, _o, body in my_rows if kind == KIND_RISK]
    theirs = [body.split("\n\n")[0] for kind, _c, _o, body in their_rows if kind == KIND_RISK]
    phrases = [similarity.common_phrase(a, b) for a in mine for b in theirs]
    return max(phrases, key=len, default="")


def _category_reasons(mine: dict, theirs: dict) -> list[str]:
    risks, families = dict(Risk.Category.choices), dict(Indicator.Family.choices)
    shared = sorted(k for k in mine if k in theirs)
    reasons = []
    for key in shared:
        kind, code = key.split(":", 1)
        if kind == "risk_occurred":
            reasons.append(
                _("Both had a risk occur: %(category)s") % {"category": risks.get(code, code)}
            )
        elif kind == "indicator_missed":
            reasons.append(
                _("Both missed a target: %(family)s") % {"family": families.get(code, code)}
            )
    plain = [risks.get(k.split(":", 1)[1]) for k in shared if k.startswith("risk:")]
    if plain and not reasons:
        reasons.append(
            _("Shared risk categories: %(categories)s")
            % {"categories": ", ".join(str(p) for p in plain if p)}
        )
    return reasons
