"""The project's settings: database choice, SQLite tuning, languages."""

import pytest
from django.conf import settings
from django.db import connection


def test_languages_are_simplified_chinese_and_english():
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_sqlite_uses_immediate_transactions_and_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_nothing_is_served_from_a_cdn():
    from pathlib import Path

    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "cdn.plot.ly", "googleapis"):
            assert cdn not in text, f"{template} loads from {cdn}"
