"""Who may see and do what. Every view reaches a case or an assessment through these helpers.

Rules: an admin (superuser, or role admin) may do everything. Analysts and managers see the
cases of their own unit only; anything else is a 404, so that ids of other units' cases give
nothing away. Analysts edit; managers review (submit is the analyst's, return/approve the
manager's). Seeing but not being allowed to act is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from casework import statements
from casework.models import Assessment, Case, CaseSource, Role


def role_of(user) -> str | None:
    """The user's role, or None for an anonymous user or one without a membership."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def unit_id_of(user) -> int | None:
    membership = getattr(user, "membership", None)
    return membership.unit_id if membership else None


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def is_manager(user) -> bool:
    return role_of(user) in (Role.MANAGER, Role.ADMIN)


def can_edit_cases(user) -> bool:
    return role_of(user) in (Role.ANALYST, Role.ADMIN)


def unit_visible_to(user, unit_id: int) -> bool:
    """`cases_visible_to`'s rule for one row in hand: an admin sees every unit, others their own."""
    role = role_of(user)
    return role == Role.ADMIN or (role is not None and unit_id == unit_id_of(user))


def cases_visible_to(user) -> QuerySet[Case]:
    role = role_of(user)
    if role == Role.ADMIN:
        return Case.objects.all()
    if role is None:
        return Case.objects.none()
    return Case.objects.filter(unit_id=unit_id_of(user))


# A double-scored round is "both submitted" once the second rating is submitted and the
# first is submitted or approved; until then each rater is blind to the other's work.
_PAIR_DONE_AS_SECOND = Q(status=Assessment.Status.SUBMITTED) & Q(
    second_of__status__in=(Assessment.Status.SUBMITTED, Assessment.Status.APPROVED)
)
_PAIR_DONE_AS_FIRST = Q(status__in=(Assessment.Status.SUBMITTED, Assessment.Status.APPROVED)) & Q(
    second_rating__status=Assessment.Status.SUBMITTED
)


def hidden_by_blind_scoring(user) -> Q:
    """Assessments `user` may not see while a double scoring is under way (a filter to exclude).

    The second analyst sees neither the first assessment nor anything hanging off it, and no
    one but the second analyst sees the second rating, until both are submitted. Managers
    and admins, who request and adjudicate, see both.
    """
    if is_manager(user) or not user.is_authenticated:
        return Q(pk__in=[])
    second = Q(second_of__isnull=False) & ~Q(created_by=user) & ~_PAIR_DONE_AS_SECOND
    first = Q(second_rating__created_by=user) & ~_PAIR_DONE_AS_FIRST
    return second | first


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(case__in=cases_visible_to(user).values("pk")).exclude(
        hidden_by_blind_scoring(user)
    )


def get_case_for_user(user, pk, *, edit: bool = False, whole: bool = False) -> Case:
    """The case if the user may see it (404 otherwise); with edit=True also require edit rights.

    whole=True is for what shows every assessment of the case at once (the case report): a
    403 while the user is blind to one of them.
    """
    case = (
        cases_visible_to(user).select_related("unit", "owner", "sector_ref").filter(pk=pk).first()
    )
    if case is None:
        raise Http404
    if edit and not can_edit_cases(user):
        raise PermissionDenied
    if whole and case.assessments.filter(hidden_by_blind_scoring(user)).exists():
        raise PermissionDenied
    return case


def get_source_for_user(user, case_pk, source_pk, *, edit: bool = False) -> CaseSource:
    """A source of a case the user may see (404 otherwise, a removed source too)."""
    case = get_case_for_user(user, case_pk, edit=edit)
    source = CaseSource.objects.filter(case=case, pk=source_pk).first()
    if source is None:
        raise Http404
    source.case = case
    return source


def _visible_assessment(user, pk, related) -> Assessment | None:
    """`assessments_visible_to(user).select_related(*related).get(pk=pk)`, or None, the short way.

    The unit check is made on the row in hand; the blind double scoring's rule
    (`hidden_by_blind_scoring`) can only hide one of a pair, so only a paired assessment is
    checked by it, in a query of its own. Everything else is one simple query by id: the full
    queryset's subquery and four more joins cost more to build and to plan than to run. That
    query is `Assessment.objects.select_related(*related).filter(pk=pk)` written once per
    process (statements.joined): building it anew with the ORM cost more than running it.
    """
    if role_of(user) is None:
        return None
    found = statements.joined(Assessment, tuple(related), {"id": pk})
    assessment = found[0] if found else None
    if assessment is None or not unit_visible_to(user, assessment.case.unit_id):
        return None
    try:
        paired = assessment.second_of_id is not None or assessment.second_rating is not None
    except Assessment.DoesNotExist:  # no second rating
        paired = False
    if paired and (
        Assessment.objects.filter(pk=assessment.pk).filter(hidden_by_blind_scoring(user)).exists()
    ):
        return None
    return assessment


def get_assessment_for_user(
    user, pk, *, action: str = "view", people: bool = True, lean: bool = False
) -> Assessment:
    """The assessment if the user may `view`, `edit`, `submit`, `review`, `comment` or `adjudicate`.

    An assessment hidden by a blind double scoring is a 404, like another unit's.

    Whether the assessment's status allows the action is the services' business: this
    helper only answers who the user is to this assessment.

    people=False loads the case, unit, framework and version only, not the people around the
    assessment (owner, analyst, reviewer, second rating): for the wizard's hot paths, which
    show none of them. Every join costs PostgreSQL planning time (about 3 ms for all nine,
    1 ms for four), which on an autosave is most of the request.

    lean=True loads the case and version only (and the second rating, which the blind
    scoring's check needs): for the wizard's step and autosave, which show neither the unit
    nor the framework: two joins fewer for PostgreSQL to plan. The access rules are the same
    whatever is loaded.
    """
    related = ["case", "version", "second_rating"]
    if not lean:
        related += ["case__unit", "framework"]
    if people and not lean:
        related += [
            "case__owner",
            "case__sector_ref",
            "created_by",
            "reviewed_by",
            "second_rating__created_by",
        ]
    assessment = _visible_assessment(user, pk, related)
    if assessment is None:
        raise Http404
    allowed = {
        "view": True,
        "comment": True,
        "edit": can_edit_cases(user),
        "submit": can_edit_cases(user),
        "review": is_manager(user),
        "adjudicate": is_manager(user),
    }
    if action not in allowed:
        raise ValueError(f"unknown action {action!r}")
    if not allowed[action]:
        raise PermissionDenied
    return assessment
