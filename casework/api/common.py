"""Small helpers the routes share: error responses for the schema, absolute links."""

from django.urls import reverse

from casework.api.schemas import Problem

# Documented on every operation: unreadable or invalid request, who may not, what is not
# there, too many requests.
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS = {**ERRORS, 409: Problem}


def api_url(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def username(user) -> str | None:
    return user.get_username() if user is not None else None
