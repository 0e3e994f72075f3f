"""`manage.py seed_demo` on an empty database: it asks for the frameworks, and it creates the
demo once (what the demo holds: test_demo_data.py)."""

import pytest
from django.core.management import CommandError

from casework.models import Case
from tests.factories import demo_snapshot as snapshot
from tests.factories import seed_demo as seed

pytestmark = pytest.mark.django_db


def test_seed_demo_asks_for_the_frameworks_first():
    with pytest.raises(CommandError, match="Load the frameworks first: manage.py load_frameworks"):
        seed()
    assert not Case.objects.exists()


def test_seed_demo_twice_changes_nothing(frameworks, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    first_output = seed()
    assert "password" in first_output  # generated passwords are shown once...
    before = snapshot()
    second_output = seed()
    assert "password" not in second_output  # ...and never again
    assert snapshot() == before
