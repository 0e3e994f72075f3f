"""Job fixtures: fake renderers (no Chromium, no WeasyPrint) and a submitted assessment."""

import pytest

from casework.jobs import renderers
from casework.services.assessments import assessment_submit
from tests.reports.conftest import scored_assessment  # noqa: F401 (a fixture)


class FakeRenderer:
    """Stands in for a real renderer: records each call and returns distinct bytes."""

    def __init__(self, error=None, before_return=None):
        self.calls = []
        self.error = error
        self.before_return = before_return

    def __call__(self, target, step):
        self.calls.append(target)
        step(50)
        if self.error is not None:
            raise self.error
        if self.before_return is not None:
            self.before_return()
        return b"%PDF-1.7 fake report " + str(len(self.calls)).encode()


@pytest.fixture
def fake_pdf(monkeypatch):
    fake = FakeRenderer()
    monkeypatch.setitem(renderers.RENDERERS, "pdf", fake)
    return fake


@pytest.fixture
def submitted(scored_assessment, alice):  # noqa: F811
    return assessment_submit(assessment=scored_assessment, user=alice)
