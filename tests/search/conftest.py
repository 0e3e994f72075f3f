"""Builders for search tests: cases with evidence, risks and findings, in alice's unit and charlie's."""

import pytest

from casework.models import Answer
from casework.search.services import search_index_case
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from casework.services.registers import register_row_add
from tests import factories


def say(assessment, user, code, **data):
    """Save an answer's fields through the service, from its current version."""
    version = Answer.objects.get(assessment=assessment, criterion__code=code).version
    return answer_save(
        assessment=assessment, criterion_code=code, user=user, data=data, expected_version=version
    )


def add_risk(assessment, user, description, **fields):
    data = {"category": "technology", "likelihood": 4, "impact": 5, "description": description}
    data.update(fields)
    return register_row_add(assessment=assessment, register="risks", user=user, data=data)


@pytest.fixture
def alice_assessment(alice, alice_case, tiny_version):
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


@pytest.fixture
def charlie_case(charlie, unit_b):
    case = factories.make_case(
        unit=unit_b, owner=charlie, title="审计处机密案例", summary="机密摘要 Zanzibar 数据质量"
    )
    search_index_case(case_id=case.pk)
    return case


@pytest.fixture
def charlie_assessment(charlie, charlie_case, tiny_version):
    return assessment_start(case=charlie_case, version=tiny_version, user=charlie)
