"""Small helpers for the framework tests."""

import copy

import yaml

from frameworks.models import (
    Criterion,
    CriterionLevel,
    Dimension,
    Framework,
    FrameworkVersion,
    ScaleLevel,
)
from tests.factories import TINY_FRAMEWORK_YAML

FRAMEWORK_MODELS = (Framework, FrameworkVersion, ScaleLevel, Dimension, Criterion, CriterionLevel)


def row_counts() -> dict:
    """How many rows each framework table holds: compare before and after to prove nothing was written."""
    return {model.__name__: model.objects.count() for model in FRAMEWORK_MODELS}


def tiny_data() -> dict:
    """The tiny framework as a plain dict, to break in one place and dump again."""
    return copy.deepcopy(yaml.safe_load(TINY_FRAMEWORK_YAML))


def to_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
