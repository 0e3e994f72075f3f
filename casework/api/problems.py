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


def install(api) -> None:
    """Register the problem+json handlers on a NinjaAPI."""

    def handle(exc_class):
        def register(func):
            api.add_exception_handler(exc_class, func)
            return func

        return register

    @handle(ApiProblem)
    def _api_problem(request, exc: ApiProblem):
        return problem_response(
            request,
            status=exc.status,
            kind=exc.kind,
            title=exc.title,
            detail=exc.detail,
            errors=exc.errors,
            **exc.extra,
        )

    @handle(Http404)
    def _not_found(request, exc):
        return problem_response(
            request,
            status=404,
            kind="not-found",
            title=_("Not found"),
            detail=_("There is nothing here, or you may not see it."),
        )

    @handle(PermissionDenied)
    def _forbidden(request, exc):
        return problem_response(
            request,
            status=403,
            kind="forbidden",
            title=_("Not allowed"),
            detail=_("Your role may see this but not do that."),
        )

    @handle(AuthenticationError)
    def _unauthenticated(request, exc):
        response = problem_response(
            request,
            status=401,
            kind="unauthenticated",
            title=_("Authentication required"),
            detail=_(
                "Send a valid API token as 'Authorization: Bearer <token>', or log in. "
                "The token may be unknown, expired or revoked."
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="casework"'
        return response

    @handle(Throttled)
    def _throttled(request, exc):
        return problem_response(
            request,
            status=429,
            kind="throttled",
            title=_("Too many requests"),
            detail=_("This token has made too many requests. Wait a little and try again."),
        )

    @handle(HttpError)
    def _http_error(request, exc: HttpError):
        # ninja's own HttpErrors: the CSRF check of session requests, bad request bodies.
        if exc.status_code == 403:
            return problem_response(
                request,
                status=403,
                kind="csrf",
                title=_("CSRF check failed"),
                detail=_(
                    "Requests made with the browser session must send the CSRF token in the "
                    "X-CSRFToken header."
                ),
            )
        return problem_response(
            request,
            status=exc.status_code,
            kind="bad-request",
            title=_("Bad request"),
            detail=_("The request could not be read."),
        )

    @handle(ValidationError)
    def _invalid(request, exc: ValidationError):
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": _pydantic_message(e)}
            for e in exc.errors
        ]
        problem = invalid(errors)
        return _api_problem(request, problem)

    @handle(DjangoValidationError)
    def _django_invalid(request, exc: DjangoValidationError):
        return _api_problem(request, invalid(field_errors_of(exc)))

    @handle(AssessmentLocked)
    def _locked(request, exc: AssessmentLocked):
        return problem_response(
            request, status=HTTP_LOCKED, kind="locked", title=_("Locked"), detail=exc.message
        )

    @handle(EditConflict)
    def _conflict(request, exc: EditConflict):
        # Endpoints that can conflict catch EditConflict themselves to add the current record.
        return problem_response(
            request, status=409, kind="edit-conflict", title=_("Edit conflict"), detail=exc.message
        )

    @handle(WorkflowError)
    def _workflow(request, exc: WorkflowError):
        return problem_response(
            request,
            status=409,
            kind="workflow",
            title=_("Not possible in this state"),
            detail=exc.message,
        )

    @handle(ServiceError)
    def _service(request, exc: ServiceError):
        return problem_response(
            request, status=400, kind="refused", title=_("Refused"), detail=exc.message
        )
