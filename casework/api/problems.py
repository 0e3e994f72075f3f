"""Errors as RFC 9457 problem details (application/problem+json), in the request's language.

Every error the API returns goes through `problem_response`: the access helpers' 404 and 403,
failed authentication, throttling, validation (with one entry per field) and the services'
errors. The `type` is a URN naming the kind of problem; docs/api.md lists them.
"""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from casework.services.errors import AssessmentLocked, EditConflict, ServiceError, WorkflowError

CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:casework:problem:"
# The wizard answers a save to a submitted or approved assessment with 423 Locked; so do we.
HTTP_LOCKED = 423


class ApiProblem(Exception):
    """Raised by an endpoint to answer with a problem; `extra` adds members (e.g. `current`)."""

    def __init__(self, status: int, kind: str, title, detail="", *, errors=None, **extra):
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.extra = extra
        super().__init__(str(detail or title))


def problem_response(
    request, *, status: int, kind: str, title, detail="", errors=None, **extra
) -> HttpResponse:
    body = {
        "type": TYPE_PREFIX + kind,
        "title": str(title),
        "status": status,
        "detail": str(detail or title),
        "instance": request.path,
    }
    if errors:
        body["errors"] = [{"field": e["field"], "message": str(e["message"])} for e in errors]
    body.update(extra)
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )


def _field(prefix: str, name: str) -> str:
    """`sources.1.` + `title`; a form-wide error (`__all__`) belongs to the prefix itself."""
    return prefix.rstrip(".") if name == "__all__" else prefix + name


def field_errors_of(error: DjangoValidationError, prefix: str = "") -> list[dict]:
    """A Django ValidationError as [{field, message}] rows."""
    if hasattr(error, "error_dict"):
        return [
            {"field": _field(prefix, name), "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": _field(prefix, "__all__"), "message": m} for m in error.messages]


def form_errors(form, prefix: str = "") -> list[dict]:
    """A bound form's errors as [{field, message}] rows."""
    return [
        {"field": _field(prefix, name), "message": message}
        for name, messages in form.errors.items()
        for message in messages
    ]


def invalid(errors: list[dict]) -> ApiProblem:
    return ApiProblem(
        422,
        "invalid",
        _("The request has errors."),
        _("Correct the fields listed in errors and send it again."),
        errors=errors,
    )


# --- pydantic's messages, in the user's language -------------------------------------------------
# Pydantic speaks English only. The common cases get Django's own wording (which Django ships
# translated); the rest keep pydantic's message.


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    # The only pattern in the schema asks for text that is more than blanks.
    if kind in ("missing", "string_pattern_mismatch"):
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in (
        "date_parsing",
        "date_type",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    ):
        return _("Enter a valid date.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("string_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        return _("Enter a valid value.")
    if kind == "string_too_long":
        return _("Ensure this value has at most %(limit_value)d characters.") % {
            "limit_value": ctx.get("max_length", 0)
        }
    if kind in ("literal_error", "enum"):
        return _("Select a valid choice: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in ("json_invalid", "json_type"):
        return _("The request body is not valid JSON.")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _("The number is out of range.")
    return error.get("msg", "")


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    # ninja puts the source first ("body", "query", "path") and, for a body, the parameter name.
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "payload":
        parts = parts[2:]
    elif parts and parts[0] in ("body", "query", "path"):
        parts = parts[1:]
    return ".".join(parts)


# --- handlers -------------------------------------------------------------------------------
# One named handler per kind of error; `install` registers them all on the API.


def _answer(request, status: int, kind: str, title, detail) -> HttpResponse:
    return problem_response(request, status=status, kind=kind, title=title, detail=detail)


def api_problem(request, exc: ApiProblem):
    return problem_response(
        request,
        status=exc.status,
        kind=exc.kind,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        **exc.extra,
    )


def not_found(request, exc):
    detail = _("There is nothing here, or you may not see it.")
    return _answer(request, 404, "not-found", _("Not found"), detail)


def forbidden(request, exc):
    detail = _("Your role may see this but not do that.")
    return _answer(request, 403, "forbidden", _("Not allowed"), detail)


def unauthenticated(request, exc):
    detail = _(
        "Send a valid API token as 'Authorization: Bearer <token>', or log in. "
        "The token may be unknown, expired or revoked."
    )
    response = _answer(request, 401, "unauthenticated", _("Authentication required"), detail)
    response["WWW-Authenticate"] = 'Bearer realm="casework"'
    return response


def throttled(request, exc):
    detail = _("This token has made too many requests. Wait a little and try again.")
    return _answer(request, 429, "throttled", _("Too many requests"), detail)


def http_error(request, exc: HttpError):
    """ninja's own HttpErrors: the CSRF check of session requests, bad request bodies."""
    if exc.status_code == 403:
        detail = _(
            "Requests made with the browser session must send the CSRF token in the "
            "X-CSRFToken header."
        )
        return _answer(request, 403, "csrf", _("CSRF check failed"), detail)
    detail = _("The request could not be read.")
    return _answer(request, exc.status_code, "bad-request", _("Bad request"), detail)


def schema_invalid(request, exc: ValidationError):
    errors = [
        {"field": _field_name(e.get("loc", ())), "message": _pydantic_message(e)}
        for e in exc.errors
    ]
    return api_problem(request, invalid(errors))


def django_invalid(request, exc: DjangoValidationError):
    return api_problem(request, invalid(field_errors_of(exc)))


def locked(request, exc: AssessmentLocked):
    return _answer(request, HTTP_LOCKED, "locked", _("Locked"), exc.message)


def edit_conflict(request, exc: EditConflict):
    # Endpoints that can conflict catch EditConflict themselves to add the current record.
    return _answer(request, 409, "edit-conflict", _("Edit conflict"), exc.message)


def workflow(request, exc: WorkflowError):
    return _answer(request, 409, "workflow", _("Not possible in this state"), exc.message)


def refused(request, exc: ServiceError):
    return _answer(request, 400, "refused", _("Refused"), exc.message)


# The API answers an exception with the handler of its nearest class in this list.
HANDLERS = (
    (ApiProblem, api_problem),
    (Http404, not_found),
    (PermissionDenied, forbidden),
    (AuthenticationError, unauthenticated),
    (Throttled, throttled),
    (HttpError, http_error),
    (ValidationError, schema_invalid),
    (DjangoValidationError, django_invalid),
    (AssessmentLocked, locked),
    (EditConflict, edit_conflict),
    (WorkflowError, workflow),
    (ServiceError, refused),
)


def install(api) -> None:
    """Register the problem+json handlers on a NinjaAPI."""
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)
