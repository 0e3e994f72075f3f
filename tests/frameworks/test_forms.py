"""Admin forms: they refuse what the database or the file schema would refuse."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from frameworks.forms import CriterionForm, DimensionForm, FrameworkImportForm
from frameworks.models import Criterion
from frameworks.services import framework_version_new_draft
from tests.factories import TINY_FRAMEWORK_YAML, import_tiny_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return framework_version_new_draft(version=import_tiny_framework())


def criterion_data(**changes):
    data = {
        "code": "TY-D1.2",
        "order": 1,
        "kind": "scored",
        "weight": "1",
        "source_ref": "000 §1.2",
        "title_zh": "条目",
        "title_en": "Item",
    }
    data.update(changes)
    return data


def test_an_item_code_must_be_unique_in_its_version(draft):
    criterion = Criterion.objects.get(version=draft, code="TY-D1.2")
    form = CriterionForm(criterion_data(code="TY-D2.1"), instance=criterion)
    assert not form.is_valid()
    assert form.errors["code"] == ["This version already has an item TY-D2.1."]


def test_the_same_code_in_another_version_is_fine(draft):
    criterion = Criterion.objects.get(version=draft, code="TY-D1.2")
    assert CriterionForm(criterion_data(), instance=criterion).is_valid()


def test_weights_must_be_positive(draft):
    criterion = Criterion.objects.get(version=draft, code="TY-D1.2")
    form = CriterionForm(criterion_data(weight="-1"), instance=criterion)
    assert form.errors["weight"] == ["weight must be greater than 0"]


def test_dimension_codes_must_be_unique_in_their_version(draft):
    dimension = draft.dimensions.get(code="TY-D2")
    form = DimensionForm(
        {
            "code": "TY-D1",
            "order": 1,
            "weight": "1",
            "source_ref": "000 §2",
            "title_zh": "x",
            "title_en": "x",
        },
        instance=dimension,
    )
    assert form.errors["code"] == ["This version already has a dimension TY-D1."]


def test_import_form_parses_the_file():
    upload = SimpleUploadedFile("tiny.yaml", TINY_FRAMEWORK_YAML.encode())
    form = FrameworkImportForm({}, {"file": upload})
    assert form.is_valid()
    assert form.cleaned_data["data"]["framework"]["code"] == "TY"


def test_import_form_lists_every_problem_of_the_file():
    text = TINY_FRAMEWORK_YAML.replace("kind: scored", "kind: rating")
    form = FrameworkImportForm({}, {"file": SimpleUploadedFile("t.yaml", text.encode())})
    assert not form.is_valid()
    assert len(form.errors["file"]) == 3
    assert all("kind must be scored or observation" in e for e in form.errors["file"])
