"""Production settings: no start on the development key, and a clean `check --deploy`."""

import os
import subprocess
import sys

from django.conf import settings

# The production settings the README documents (apart from the made-up key and host).
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k3Yb7-4qN9x_ZtR2mVw8LpHc6JsD1fGa5eUo0iKyBnQrTlXvWzE-9Mh",
    "ALLOWED_HOSTS": "casework.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://casework.example.gov.cn",
    "CASEWORK_HTTPS": "true",
    "CASEWORK_BEHIND_PROXY": "true",
}


# Set by the test set-up (the browser tests' conftest), never in production.
NOT_FROM_THE_TESTS = {*PRODUCTION, "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run(args, **env):
    base = {k: v for k, v in os.environ.items() if k not in NOT_FROM_THE_TESTS}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "casework.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_server_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run(["-c", "import casework.wsgi"], DEBUG="False")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_the_server_refuses_to_start_on_the_development_key():
    result = run(["-c", "import casework.wsgi"], DEBUG="False", SECRET_KEY=settings.SECRET_KEY)
    assert "SECRET_KEY is not set" in result.stderr


def test_the_server_starts_with_a_secret_key_or_in_debug_mode():
    assert run(["-c", "import casework.wsgi"], **PRODUCTION).returncode == 0
    assert run(["-c", "import casework.wsgi"], DEBUG="True").returncode == 0


def test_the_deploy_check_is_clean_with_the_documented_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_on_the_development_key():
    production = {**PRODUCTION, "SECRET_KEY": ""}
    result = run(["manage.py", "check", "--deploy"], **production)
    assert result.returncode != 0
    assert "casework.E001" in result.stderr


def test_production_settings_turn_on_https_hsts_secure_cookies_and_the_proxy_header():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, "
        "s.CSRF_TRUSTED_ORIGINS)"
    )
    result = run(["-c", "import django; django.setup(); " + code], **PRODUCTION)
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "False",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "['https://casework.example.gov.cn']",
    ]


def test_development_defaults_stay_on_plain_http():
    assert not settings.SECURE_SSL_REDIRECT
    assert settings.SECURE_HSTS_SECONDS == 0
    assert not settings.SESSION_COOKIE_SECURE
