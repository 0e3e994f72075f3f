"""The view side of "No lost edits": run one versioned service write and say how it went.

Services raise (`casework/services/versioning.py` does the conditional UPDATE); views answer.
`versioned_write` is the one place that turns a write into the status a page or fragment earns:
200 with what the service returned, 409 with the stored record and "your value / their value"
rows, 422 with the errors on the form, 423 when the assessment is locked. The views then only
choose what to draw for each status.
"""

from dataclasses import dataclass, field
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404

from casework.services.errors import AssessmentLocked, EditConflict

HTTP_LOCKED = HTTPStatus.LOCKED


@dataclass
class Outcome:
    """How a write went: its status and what the page needs to show for it."""

    status: int
    saved: object = None  # 200: what the service returned
    theirs: object = None  # 409: the record as someone else saved it
    conflict: list = field(default_factory=list)  # 409: rows of both values, field by field
    message: str = ""  # 409 and 423: why the write was refused

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK


def apply_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it, else form-wide."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def rebase_version(form, theirs, version_field: str) -> None:
    """Keep what the user typed at the version now stored, so that saving again replaces it."""
    form.data = form.data.copy()
    form.data[form.add_prefix(version_field)] = getattr(theirs, "version", 0)


def versioned_write(write, form=None, *, editable=True, compare=None, rebase=None) -> Outcome:
    """Validate `form`, run `write()` (one service call) and return the Outcome it earned.

    `compare(theirs)` gives the conflict rows of both values; `rebase` names the form field that
    carries the version, moved on to the stored one on a conflict. A row deleted between the
    view's lookup and the service's lock is a 404, as if the view had not found it.
    """
    if not editable:
        return Outcome(HTTP_LOCKED, message=AssessmentLocked.default_message)
    if form is not None and not form.is_valid():
        return Outcome(HTTPStatus.UNPROCESSABLE_ENTITY)
    try:
        saved = write()
    except ValidationError as error:
        if form is None:
            raise
        apply_errors(form, error)
        return Outcome(HTTPStatus.UNPROCESSABLE_ENTITY)
    except EditConflict as conflict:
        theirs = conflict.current
        rows = compare(theirs) if compare is not None else []
        if rebase:
            rebase_version(form, theirs, rebase)
        return Outcome(HTTPStatus.CONFLICT, theirs=theirs, conflict=rows, message=conflict.message)
    except AssessmentLocked as locked:
        return Outcome(HTTP_LOCKED, message=locked.message)
    except ObjectDoesNotExist as gone:
        raise Http404 from gone
    return Outcome(HTTPStatus.OK, saved=saved)


def posted_int(value, default=None):
    """A posted whole number (a version), or `default` when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
