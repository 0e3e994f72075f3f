"""Who the caller is: handy for a script checking its token."""

from django.utils.translation import get_language
from ninja import Router

from casework import access
from casework.api.common import ERRORS
from casework.api.schemas import MeOut

router = Router(tags=["account"])


@router.get("", response={200: MeOut, **ERRORS}, url_name="me")
def me(request):
    """Your user name, role, unit and the language replies are written in."""
    membership = getattr(request.user, "membership", None)
    return {
        "username": request.user.get_username(),
        "role": access.role_of(request.user),
        "unit": membership.unit.code if membership else None,
        "language": get_language(),
    }
