"""Who is calling: a personal API token (Bearer) or the browser session (with CSRF)."""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from casework.api.tokens import token_for_key


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cw_…`. A token that is sent but not valid is refused outright,
    rather than falling back to the session, so that a script never acts as someone else."""

    def authenticate(self, request, token):
        api_token = token_for_key(token.strip())
        if api_token is None:
            raise AuthenticationError()
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


def _no_view(request):
    return None


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token, as the pages do."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        request.csrf_processing_done = False
        middleware = CsrfViewMiddleware(lambda r: None)
        middleware.process_request(request)
        if middleware.process_view(request, _no_view, (), {}) is not None:
            raise HttpError(403, "CSRF check failed")
        return user
