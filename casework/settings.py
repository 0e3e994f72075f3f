"""Casework settings: one file, configured from the environment (see README)."""

import importlib.util
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")
# The fallback key only exists so that `make run` and the tests work on a laptop. The WSGI
# entry point (and so `runserver`) refuses to start with it unless DEBUG is on, and
# `check --deploy` reports it (casework/production.py).
DEVELOPMENT_SECRET_KEY = "casework-insecure-development-key-change-me"
SECRET_KEY = os.getenv("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "casework.admin_site.CaseworkAdminConfig",  # django.contrib.admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "ninja",  # its Swagger UI assets come from static files, not a CDN
    "frameworks",
    "casework",
    "casework.jobs",
    "casework.api",
    "casework.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn with DEBUG=False: no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "casework.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After the locale and auth middleware, so that the lock-out page speaks the user's language.
    "axes.middleware.AxesMiddleware",
    # Innermost: it retries the view itself when SQLite says the database is locked.
    "casework.middleware.DatabaseLockedMiddleware",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default; PostgreSQL (or anything dj-database-url knows) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.getenv("TEST_DB_NAME") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: its compile step costs up to a second on the portfolio's aggregate query once
    # the planner's estimate passes jit_above_cost (30,000+ cases), for queries that take
    # tens of milliseconds. It pays off for long analytical queries, which this app has none of.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "casework",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Jobs (PDF, DOCX, big exports) run on huey. With a queue URL they go through Redis to
# `manage.py run_huey` workers; without one (`make run`) they run in-process, at once.
QUEUE_URL = os.getenv("QUEUE_URL", REDIS_URL)
HUEY = {
    "name": "casework",
    "huey_class": "huey.RedisHuey",
    "immediate": not QUEUE_URL,
    "results": False,
    "connection": {"url": QUEUE_URL} if QUEUE_URL else {},
    "consumer": {"workers": envint("JOB_WORKERS", 2), "worker_type": "process"},
}
# A job that runs longer is stopped and reported as failed, in the user's language.
JOB_TIME_LIMIT = envint("JOB_TIME_LIMIT", 120)
# Assessments with more register rows than this are refused before any rendering starts:
# a PDF of tens of thousands of rows takes minutes and gigabytes (use the XLSX export).
JOB_MAX_REGISTER_ROWS = envint("JOB_MAX_REGISTER_ROWS", 3000)
# Approving an assessment renders its PDFs ahead of time; off by default without a queue,
# where it would make the approval itself wait for the render.
JOB_PRERENDER_ON_APPROVAL = envbool("JOB_PRERENDER_ON_APPROVAL", "True" if QUEUE_URL else "False")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username or address before a password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "case_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = os.getenv("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# plotly.js is served from the plotly package itself, so the browser and the PDF always draw
# with the same release.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", Path(importlib.util.find_spec("plotly").origin).parent / "package_data"),
]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Production (`make serve`, docker-compose) sets STATIC_MANIFEST=1: hashed, compressed names
# served for a year by whitenoise. Off by default, since it needs `collectstatic` first.
STATIC_MANIFEST = envbool("STATIC_MANIFEST", "False")

# Rendered reports (PDF, DOCX, XLSX) are kept once per report version in a shared store:
# a private directory by default (never under STATIC_ROOT), or any Django storage backend,
# e.g. an S3-compatible bucket through django-storages (see docs/deploy.md).
REPORT_FILES_ROOT = Path(os.getenv("REPORT_FILES_ROOT", str(BASE_DIR / "var" / "reports")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "casework.static_storage.StaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "reports": {
        "BACKEND": os.getenv(
            "REPORT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.getenv("REPORT_STORAGE_OPTIONS", "") or "null")
        or {"location": str(REPORT_FILES_ROOT), "base_url": None},
    },
    # Documents uploaded to a case's sources: private like the reports, read only through the
    # case's access check (casework/views/sources.py), never served as static or media files.
    "documents": {
        "BACKEND": os.getenv(
            "DOCUMENT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.getenv("DOCUMENT_STORAGE_OPTIONS", "") or "null")
        or {
            "location": os.getenv("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents")),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx autosave reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS in production (README, "Security"). CASEWORK_HTTPS=true turns on the secure defaults
# together: redirect to HTTPS, cookies only over HTTPS, and HSTS for a year; each has its own
# variable to override it. Off by default, so that `make run` and the tests work over HTTP.
HTTPS = envbool("CASEWORK_HTTPS", "False")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(HTTPS))
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", str(HTTPS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
# Preloading is a promise to browser vendors that is slow to undo: the operator opts in.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto header (the proxy
# must set it and strip any the client sent) and take the client's address from the last
# X-Forwarded-For entry, the one the proxy appended (login throttling counts per address).
BEHIND_PROXY = envbool("CASEWORK_BEHIND_PROXY", "False")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4). No inline script anywhere; styles allow
# 'unsafe-inline' because plotly.js writes its own <style> element and style attributes
# while it draws charts (README, "Security").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Browser features the app never uses are switched off for every page.
PERMISSIONS_POLICY = [
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username, or
# from one address, further attempts are refused for AXES_COOLOFF_MINUTES; an administrator can
# unlock earlier in the admin ("Access attempts"). A successful login clears the count.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "casework.auth.client_ip"
AXES_ENABLE_ADMIN = False  # registered on the project's admin site in casework/auth.py
AXES_VERBOSE = False

# Password reset mails: printed on the console unless an SMTP server is configured.
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_BACKEND = os.getenv(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "casework@localhost")
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)

# Limits on what users may send us.
FRAMEWORK_IMPORT_MAX_BYTES = envint("FRAMEWORK_IMPORT_MAX_BYTES", 512 * 1024)
EVIDENCE_MAX_CHARS = envint("EVIDENCE_MAX_CHARS", 20_000)
# A bigger request body is refused with the app's own 413 page (casework/errors.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
# Source documents: the largest file, and the most all documents of one case may take.
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
DOCUMENT_CASE_QUOTA_BYTES = envint("DOCUMENT_CASE_QUOTA_BYTES", 200 * 1024 * 1024)
# The first handler stops reading an upload as soon as it passes DOCUMENT_MAX_BYTES (a 413
# in the user's language); files over FILE_UPLOAD_MAX_MEMORY_SIZE wait in a temporary file.
FILE_UPLOAD_HANDLERS = [
    "casework.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# When SQLite stays locked past its busy timeout, the view is tried this many times more, each
# waiting this long for the lock, before the user gets a 503 that asks them to retry
# (casework/middleware.py).
DATABASE_LOCKED_RETRIES = envint("DATABASE_LOCKED_RETRIES", 2)
DATABASE_LOCKED_RETRY_WAIT_MS = envint("DATABASE_LOCKED_RETRY_WAIT_MS", 1000)

# The JSON API (casework/api): requests per token (per user for the session) and period.
API_THROTTLE_RATE = os.getenv("API_THROTTLE_RATE", "300/min")

# Cohort percentiles are hidden below this many assessments, so no single case stands out.
COHORT_MIN_SIZE = envint("COHORT_MIN_SIZE", 5)

# Chart images for PDFs are drawn by kaleido in this Chromium (None: look on PATH).
CASEWORK_CHROMIUM = os.getenv("CASEWORK_CHROMIUM") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    # choreographer (under kaleido) logs harmless wire noise when Chromium shuts down.
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "choreographer": {"level": "CRITICAL"},
        "kaleido": {"level": "ERROR"},
    },
}
