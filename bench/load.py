"""A bounded load test: N analysts autosaving at once against gunicorn + PostgreSQL on 127.0.0.1.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 3] [--threads 4]

Wipes and migrates the PostgreSQL database --pg-database, gives every analyst a case with an
SF assessment, starts gunicorn on 127.0.0.1:--port, then runs one thread per analyst that
autosaves the items of its own assessment in turn (--think seconds apart) with a fresh
evidence text each time, for --seconds. It reports throughput, latency percentiles and
errors, then checks that every acknowledged write (HTTP 200) is in the database: each answer
holds the last acknowledged evidence at the acknowledged version, its history has one entry
per acknowledged save, and every assessment's stored scores are current. Bounded in users,
time and requests per connection; loopback only; gunicorn is stopped by its own pid.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def seed(users: int) -> list[dict]:
    """Analysts with a signed-in session each, and the scored items of their assessment."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from casework.models import Answer, Case, Membership, OrgUnit, Role
    from casework.services.assessments import assessment_start
    from frameworks.models import Framework

    call_command("load_frameworks", verbosity=0)
    version = Framework.objects.get(code="SF").latest_published()
    unit = OrgUnit.objects.create(code="load", name_zh="压测单位", name_en="Load unit")
    analysts = []
    for n in range(users):
        user = get_user_model().objects.create_user(f"load-analyst-{n:02d}", password=None)
        Membership.objects.create(user=user, unit=unit, role=Role.ANALYST)
        case = Case.objects.create(unit=unit, owner=user, title=f"压测案例 {n:02d}")
        assessment = assessment_start(case=case, version=version, user=user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        codes = list(
            Answer.objects.filter(assessment=assessment, criterion__kind="scored")
            .order_by("criterion__dimension__order", "criterion__order")
            .values_list("criterion__code", flat=True)
        )
        analysts.append(
            {
                "assessment": assessment.pk,
                "session": session.session_key,
                "csrf": secrets.token_hex(16),  # 32 characters: a valid unmasked CSRF secret
                "codes": codes,
            }
        )
    return analysts


def wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz/ in time")


def analyst_loop(
    port: int, analyst: dict, stop_at: float, out: dict, think: float, timeout: float
) -> None:
    """Autosave the analyst's items in turn until `stop_at`; record every outcome."""
    versions = dict.fromkeys(analyst["codes"], 0)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={analyst['session']}; csrftoken={analyst['csrf']}",
        "X-CSRFToken": analyst["csrf"],
        "HX-Request": "true",
    }
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    n = 0
    while time.monotonic() < stop_at:
        code = analyst["codes"][n % len(analyst["codes"])]
        n += 1
        evidence = f"load {analyst['assessment']} {code} #{n}"
        body = urlencode(
            {
                f"{code}-version": versions[code],
                f"{code}-level": str(n % 6),
                f"{code}-evidence": evidence,
                f"{code}-confidence": "medium",
            }
        )
        path = f"/assessments/{analyst['assessment']}/answers/{code}/"
        started = time.perf_counter()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        elapsed = (time.perf_counter() - started) * 1000
        out["latencies"].append(elapsed)
        if status == 200:
            versions[code] += 1
            out["acked"][(analyst["assessment"], code)] = (evidence, versions[code])
            out["ack_count"][(analyst["assessment"], code)] = (
                out["ack_count"].get((analyst["assessment"], code), 0) + 1
            )
        else:
            out["errors"].append(status)
        time.sleep(think)
    connection.close()


def verify(results: list[dict]) -> dict:
    """Every acknowledged write is in the database, with its history; stored scores current."""
    from casework import readmodel
    from casework.models import Answer

    missing = wrong_history = 0
    checked = 0
    for out in results:
        for (assessment, code), (evidence, version) in out["acked"].items():
            answer = Answer.objects.get(assessment_id=assessment, criterion__code=code)
            checked += 1
            if (answer.evidence, answer.version) != (evidence, version):
                missing += 1
            # One history row per acknowledged save (the empty answers are bulk-created).
            if answer.history.count() != out["ack_count"][(assessment, code)]:
                wrong_history += 1
    return {
        "answers checked": checked,
        "acknowledged writes missing": missing,
        "answers with wrong history": wrong_history,
        "assessments with stale stored scores": readmodel.stale_assessments().count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.5, help="seconds between two saves")
    parser.add_argument("--timeout", type=float, default=120, help="client timeout per request")
    parser.add_argument("--pg-database", default="readmodel")
    args = parser.parse_args()
    args.users = min(args.users, 200)
    args.seconds = min(args.seconds, 300)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{args.pg_database}",
        "ALLOWED_HOSTS": HOST,
        "DEBUG": "False",
        "DB_CONN_MAX_AGE": "60",
        # With DEBUG off the app refuses the development key (casework.production): a key
        # of this run's own, as a deployment would set one.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    analysts = seed(args.users)
    connection.close()

    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "casework.wsgi:application",
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_for(args.port, time.monotonic() + 60)
        results = [{"latencies": [], "errors": [], "acked": {}, "ack_count": {}} for _ in analysts]
        stop_at = time.monotonic() + args.seconds
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=analyst_loop,
                args=(args.port, analyst, stop_at, out, args.think, args.timeout),
            )
            for analyst, out in zip(analysts, results, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + args.timeout + 30)
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    latencies = sorted(v for out in results for v in out["latencies"])
    errors = [e for out in results for e in out["errors"]]
    acked = sum(sum(out["ack_count"].values()) for out in results)
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{args.users} analysts, {args.seconds} s, gunicorn {args.workers} workers × "
        f"{args.threads} threads (gthread), PostgreSQL on {HOST}; {args.think} s between "
        f"an analyst's saves; load average before the run {load_before}"
    )
    print(
        "| requests | acknowledged | errors | throughput req/s | p50 ms | p95 ms | p99 ms | max ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {len(latencies)} | {acked} | {len(errors)} | {len(latencies) / elapsed:.1f} | "
        f"{cuts[49]:.0f} | {cuts[94]:.0f} | {cuts[98]:.0f} | {latencies[-1]:.0f} |"
    )
    if errors:
        print("errors by kind:", {kind: errors.count(kind) for kind in set(errors)})
    print("check:", verify(results))


if __name__ == "__main__":
    main()
