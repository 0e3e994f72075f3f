"""Settings that must never reach production: the refusal at start-up and the deploy check."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MESSAGE = (
    "SECRET_KEY is not set (or is the development key written in casework/settings.py) "
    "while DEBUG is off. Set SECRET_KEY in the environment to a long random value, e.g. "
    "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'."
)


def uses_development_key() -> bool:
    return settings.SECRET_KEY in ("", settings.DEVELOPMENT_SECRET_KEY)


def refuse_insecure_start() -> None:
    """Called by the WSGI entry point: a server with DEBUG off needs a real secret key."""
    if not settings.DEBUG and uses_development_key():
        raise ImproperlyConfigured(SECRET_KEY_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    if uses_development_key():
        return [checks.Error(SECRET_KEY_MESSAGE, id="casework.E001")]
    return []
