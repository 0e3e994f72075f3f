from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


@login_required
def home(request):
    return redirect("case_list")


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    from django.core.cache import cache

    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not keep a value")


def check_queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.storage.queue_size()  # a round trip to the queue's Redis


def health_checks() -> dict:
    """What /healthz/ checks: the database always; the cache and the queue when configured."""
    checks = {"database": check_database}
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        checks["cache"] = check_cache
    if settings.QUEUE_URL:
        checks["queue"] = check_queue
    return checks


def healthz(request):
    """JSON with each check's result; 503 when any fails (for load balancers and probes)."""
    results = {}
    for name, check in health_checks().items():
        try:
            check()
        except Exception as error:
            results[name] = {"ok": False, "error": error.__class__.__name__}
        else:
            results[name] = {"ok": True}
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503
    )
