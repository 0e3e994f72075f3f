"""The assessment page's Rounds box: the rounds of its case and framework that the viewer may see.

A second, blind scoring is not a round of its own, so the box lists the assessments of record,
plus the page's own assessment when it is a second scoring. Blindness is applied through
`access.hidden_by_blind_scoring`, the rule every other page uses: while a round is scored
twice, the second analyst's box shows their own scoring for that round and nothing of the
first one (no link, id or status), until both are submitted.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from casework import access
from casework.models import Assessment
from casework.readmodel import OF_RECORD


@dataclass
class RoundsBox:
    rows: list[Assessment] = field(default_factory=list)
    # Whether the page's assessment is the latest round of record (where a new round starts),
    # judged on every round, seen or not, so that an earlier round never offers one.
    is_latest: bool = False


def rounds_box(user, assessment: Assessment) -> RoundsBox:
    """The rows of the box, newest round first, a second scoring after its round's first; 1 query."""
    hidden = access.hidden_by_blind_scoring(user)
    rows = list(
        Assessment.objects.filter(case_id=assessment.case_id, framework_id=assessment.framework_id)
        .filter(OF_RECORD | Q(pk=assessment.pk))
        .annotate(hidden=ExpressionWrapper(hidden, output_field=BooleanField()))
        .select_related("version")
        .order_by("-round", F("second_of").asc(nulls_first=True), "pk")
    )
    of_record = [row for row in rows if row.second_of_id is None]
    latest = of_record[0] if of_record else None
    return RoundsBox(
        rows=[row for row in rows if not row.hidden],
        is_latest=latest is not None and latest.pk == assessment.pk,
    )
