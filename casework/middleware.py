"""Response headers every page gets, and the retry of a view that found SQLite locked."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils.cache import patch_cache_control

from casework import errors

# What downloads are: reports and exports (PDF, DOCX, XLSX, CSV) must never sit in a shared
# cache or on disk after the user leaves, whatever their Content-Disposition says.
DOWNLOAD_TYPES = (
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.ms-excel",
    "application/msword",
    "application/octet-stream",
)


def is_download(response) -> bool:
    if response.get("Content-Disposition", "").lower().startswith("attachment"):
        return True
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(DOWNLOAD_TYPES)


class SecurityHeadersMiddleware:
    """Permissions-Policy on everything; no shared caching of downloads or signed-in pages."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(f"{name}=()" for name in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        if is_download(response):
            response["Cache-Control"] = "private, no-store"
        else:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True)
        return response


@contextmanager
def short_busy_timeout():
    """While retrying, wait for SQLite's lock for a short while only (a second by default)."""
    if connection.vendor != "sqlite":
        yield
        return
    normal_ms = int(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(settings.DATABASE_LOCKED_RETRY_WAIT_MS)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {normal_ms}")


class DatabaseLockedMiddleware:
    """When SQLite stays locked past its busy timeout, run the view again a few times, briefly.

    A lock error means the write did not happen (the transaction never began, or was rolled
    back), so trying again is safe. If the lock outlasts the retries, the user gets a 503 with
    Retry-After in their language (errors.database_busy) instead of a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not errors.is_database_locked(exception):
            return None
        match = request.resolver_match
        for _attempt in range(settings.DATABASE_LOCKED_RETRIES):
            try:
                with short_busy_timeout():
                    return match.func(request, *match.args, **match.kwargs)
            except Exception as error:
                if not errors.is_database_locked(error):
                    raise
        return errors.database_busy(request)
