"""The framework admin's inline rows: every input has an accessible name (its column and row)."""

import re

import pytest
from django.urls import reverse

from frameworks.models import Criterion, Dimension
from frameworks.services import framework_version_new_draft
from tests.factories import import_tiny_framework

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def draft(db):
    return framework_version_new_draft(version=import_tiny_framework())


def unnamed_inputs(html):
    """Form fields (not buttons or hidden inputs) with neither an aria-label nor a <label for>."""
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', html))
    fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    ids = [re.search(r'id="([^"]+)"', tag) for tag in fields]
    return [
        tag
        for tag, found in zip(fields, ids, strict=True)
        if 'type="hidden"' not in tag
        and 'type="submit"' not in tag
        and "aria-label=" not in tag
        and not (found and found.group(1) in labelled)
    ]


def test_scale_level_and_dimension_inputs_are_named_by_column_and_row(client, ada, draft):
    client.force_login(ada)
    url = reverse("admin:frameworks_frameworkversion_change", args=[draft.pk])
    html = client.get(url, **EN).content.decode()
    assert 'aria-label="Value, row 1"' in html
    assert 'aria-label="Code, row 2"' in html
    assert 'aria-label="Code, new row"' in html  # the template row that "Add another" copies
    assert unnamed_inputs(html) == []


def test_item_inputs_on_a_dimension_page_are_named_too(client, ada, draft):
    client.force_login(ada)
    dimension = Dimension.objects.filter(version=draft).first()
    html = client.get(
        reverse("admin:frameworks_dimension_change", args=[dimension.pk]), **EN
    ).content.decode()
    count = Criterion.objects.filter(dimension=dimension).count()
    assert count > 0
    assert f'aria-label="Title (English), row {count}"' in html
    assert unnamed_inputs(html) == []
