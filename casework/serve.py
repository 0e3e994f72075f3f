"""`make serve`: the production shape on this machine, in the foreground.

PostgreSQL, Redis, migrations, frameworks and demo data when the database is empty,
collectstatic, then gunicorn and the huey worker together; Ctrl-C stops both.
Run as `python -m casework.serve` (the Makefile does). Settings come from the environment;
what is not set gets a local default, printed at start.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = BASE_DIR / "var" / "secret_key"  # /var/ is git-ignored
DEFAULTS = {
    "DEBUG": "False",
    "STATIC_MANIFEST": "1",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/casework",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DB_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "INFO",
    # Ctrl-C should not wait long for kept-alive connections.
    "GUNICORN_GRACEFUL_TIMEOUT": "5",
}


def say(message: str) -> None:
    print(f"serve: {message}", flush=True)


def fail(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/secret_key."""
    if os.getenv("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if not SECRET_KEY_FILE.exists():
        SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50))
        SECRET_KEY_FILE.chmod(0o600)
        say(f"generated a SECRET_KEY into {SECRET_KEY_FILE.relative_to(BASE_DIR)}")
    return SECRET_KEY_FILE.read_text().strip()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    env["SECRET_KEY"] = secret_key()
    # Compiled modules are kept (in var/pycache), so that a restarted worker does not compile
    # psycopg and the app again: a third of a cold start where bytecode writing is turned off.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(BASE_DIR / "var" / "pycache"))
    host = env.get("HOST", "127.0.0.1")
    hosts = {h for h in env.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h}
    if host not in ("0.0.0.0", "::"):
        hosts.add(host)
    env["ALLOWED_HOSTS"] = ",".join(sorted(hosts))
    return env


# --- the services ---------------------------------------------------------------------


def _postgres_answers(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    try:
        psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        return False
    return True


def ensure_postgres(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return  # SQLite or another database: nothing to start
    if _postgres_answers(url):
        return
    clusters = (
        sorted(Path("/etc/postgresql").glob("*/main")) if shutil.which("pg_ctlcluster") else []
    )
    if clusters:
        version = clusters[-1].parent.name
        say(f"PostgreSQL is not answering; starting it: pg_ctlcluster {version} main start")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )
        for _attempt in range(20):
            if _postgres_answers(url):
                return
            time.sleep(0.5)
    fail(
        f"PostgreSQL is not answering at {urlsplit(url).netloc}: install and start it "
        "(apt-get install postgresql; pg_ctlcluster 15 main start) or set DATABASE_URL."
    )


def ensure_database(url: str) -> None:
    """Create the database named in DATABASE_URL if the server does not have it yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            say(f"creating the database {name}")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def ensure_redis(url: str) -> None:
    if not url or _redis_answers(url):
        return
    port = urlsplit(url).port or 6379
    if shutil.which("redis-server"):
        say(f"Redis is not answering; starting it: redis-server --port {port} --daemonize yes")
        subprocess.run(["redis-server", "--port", str(port), "--daemonize", "yes"], check=False)
        for _attempt in range(20):
            if _redis_answers(url):
                return
            time.sleep(0.25)
    fail(
        f"Redis is not answering at {urlsplit(url).netloc}: install and start it "
        "(apt-get install redis-server; redis-server --daemonize yes) or set REDIS_URL."
    )


# --- the app --------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str, check: bool = True) -> int:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=check
    ).returncode


EMPTY_CHECK = (
    "import sys; from frameworks.models import Framework; "
    "sys.exit(3 if not Framework.objects.exists() else 0)"
)


def prepare(env: dict[str, str]) -> None:
    say("migrating")
    manage(env, "migrate", "--no-input", "-v0")
    if manage(env, "shell", "-v0", "-c", EMPTY_CHECK, check=False) == 3:
        say("empty database: loading the frameworks and the demo data")
        manage(env, "load_frameworks")
        manage(env, "seed_demo")
    say("collecting static files into staticfiles/")
    manage(env, "collectstatic", "--no-input", "-v0")


def run(env: dict[str, str]) -> int:
    """gunicorn and the worker as children; the first to stop (or Ctrl-C) stops the other."""
    bin_dir = Path(sys.executable).parent
    gunicorn = str(bin_dir / "gunicorn") if (bin_dir / "gunicorn").exists() else "gunicorn"
    children = {
        "web": subprocess.Popen(
            [gunicorn, "-c", "python:casework.gunicorn_conf", "casework.wsgi:application"],
            cwd=BASE_DIR,
            env=env,
        ),
        "worker": subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_huey",
                "--workers",
                env.get("JOB_WORKERS", "2"),
                "--worker-type",
                "process",
            ],
            cwd=BASE_DIR,
            env=env,
        ),
    }
    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    say(
        f"web on http://{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}/ "
        f"(pid {children['web'].pid}), worker pid {children['worker'].pid}; Ctrl-C stops both"
    )
    code = 0
    while any(child.poll() is None for child in children.values()):
        for name, child in children.items():
            if child.poll() is not None and not stopping:
                say(f"the {name} process stopped (exit {child.returncode}); stopping the rest")
                code = child.returncode or 1
                stop()
        time.sleep(0.2)
    return code


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def main() -> int:
    env = environment()
    ensure_postgres(env["DATABASE_URL"])
    ensure_database(env["DATABASE_URL"])
    ensure_redis(env["REDIS_URL"])
    say(
        f"database {_hide_password(env['DATABASE_URL'])}, "
        f"Redis {_hide_password(env['REDIS_URL'])}, DEBUG={env['DEBUG']}"
    )
    prepare(env)
    return run(env)


if __name__ == "__main__":
    sys.exit(main())
