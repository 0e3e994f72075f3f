"""The step's cached markup: a cached card or sources panel is exactly what drawing it gives,
any change to what it shows draws it again, and nothing per request is ever kept in it."""

import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.models import CaseSource
from casework.presenters import fragments
from casework.presenters.wizard import step_cards
from casework.services.answers import answer_save
from casework.services.assessments import assessment_start
from frameworks.structure import version_structure

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def assessment(alice, alice_case, tiny_version):
    CaseSource.objects.create(case=alice_case, title="市政府工作报告")
    return assessment_start(case=alice_case, version=tiny_version, user=alice)


def cards(assessment, **kwargs):
    dimension = version_structure(assessment.version_id).dimensions[0]
    return step_cards(assessment, dimension, editable=kwargs.pop("editable", True), **kwargs)


def step(assessment, n=1):
    return reverse("wizard_step", args=[assessment.pk, n])


def cards_html(html: str) -> str:
    """The step form's cards, without its CSRF input (a new token on every request)."""
    form = html.split('id="step-form"')[1].split("</form>")[0]
    return form.split("csrfmiddlewaretoken")[1].split(">", 1)[1]


def kept() -> list[str]:
    """What the fragment cache holds (the tests' cache is the local-memory one)."""
    return [cache.get(key.split(":", 2)[2]) for key in list(cache._cache) if ":cw:" in key]


def test_a_cached_card_is_the_card_as_drawn(assessment):
    drawn = [fragments.render_card(card) for card in cards(assessment)]
    assert fragments.card_fragments(cards(assessment)) == drawn  # drawn, then kept
    assert fragments.card_fragments(cards(assessment)) == drawn  # read back from the cache
    assert sorted(kept()) == sorted(drawn)


def test_a_card_changes_key_with_each_thing_it_shows(alice, assessment):
    card = cards(assessment)[0]
    code = fragments._fingerprint(fragments.CARD_TEMPLATES, fragments.CARD_MODULES)
    key = fragments.card_key(card, code)
    assert fragments.card_key(cards(assessment)[0], code) == key
    assert fragments.card_key(cards(assessment, editable=False)[0], code) != key
    with translation.override("en"):
        assert fragments.card_key(cards(assessment)[0], code) != key
    source = CaseSource.objects.get(case=assessment.case)
    source.title = "新标题"
    source.save()
    assert fragments.card_key(cards(assessment)[0], code) != key
    answer_save(
        assessment=assessment,
        criterion_code=card.criterion.code,
        user=alice,
        data={"evidence": "新的依据"},
        expected_version=0,
    )
    assert fragments.card_key(cards(assessment)[0], code) != key


def test_a_card_showing_a_save_is_never_cached(assessment):
    code = cards(assessment)[0].criterion.code
    data = QueryDict(mutable=True)
    data.update({f"{code}-version": "0", f"{code}-evidence": "打字中"})
    bound = cards(assessment, data=data)
    assert not fragments.cacheable(bound[0])
    unbound = cards(assessment)[1:]
    fragments.card_fragments([bound[0], *unbound])
    assert len(kept()) == len(unbound)
    assert not any("打字中" in html for html in kept())
    saved = cards(assessment)[0]
    saved.saved_at = "now"
    assert not fragments.cacheable(saved)


def test_the_step_shows_a_saved_answer_after_showing_it_unsaved(client, alice, assessment):
    client.force_login(alice)
    before = cards_html(client.get(step(assessment)).content.decode())
    assert "依据甲" not in before
    client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
        {"TF-D1.1-version": 0, "TF-D1.1-evidence": "依据甲"},
        **HTMX,
    )
    after = cards_html(client.get(step(assessment)).content.decode())
    assert "依据甲" in after
    assert cards_html(client.get(step(assessment)).content.decode()) == after


def test_cached_cards_are_the_same_page_as_drawn_ones(client, alice, assessment):
    client.force_login(alice)
    first = cards_html(client.get(step(assessment)).content.decode())
    assert kept()
    second = cards_html(client.get(step(assessment)).content.decode())
    assert first == second


def csrf_values(html: str) -> set[str]:
    panel = html.split('id="sources-panel-body"')[1]
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', panel))


def test_the_sources_panel_carries_each_requests_own_csrf_token(alice, bob, assessment):
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one.force_login(alice)
    two.force_login(bob)
    first = one.get(step(assessment)).content.decode()
    second = two.get(step(assessment)).content.decode()
    assert fragments.CSRF_SLOT not in first + second
    panels = [html for html in kept() if "csrfmiddlewaretoken" in html]
    assert panels and all(fragments.CSRF_SLOT in html for html in panels)
    (token_one,) = csrf_values(first)
    (token_two,) = csrf_values(second)
    assert token_one and token_two and token_one != token_two
    # The panel's token is good for this user's own posts: add a source through it.
    response = one.post(
        reverse("source_add", args=[assessment.case_id]),
        {"csrfmiddlewaretoken": token_one, "source-title": "新来源"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "新来源" in one.get(step(assessment)).content.decode()


def test_the_sources_panel_follows_the_sources(client, alice, assessment):
    client.force_login(alice)
    assert "市政府工作报告" in client.get(step(assessment)).content.decode()
    source = CaseSource.objects.get(case=assessment.case)
    source.publisher = "市政府办公室"
    source.save()
    assert "市政府办公室" in client.get(step(assessment)).content.decode()


def test_a_kept_sources_panel_is_the_panel_as_drawn(client, alice, assessment):
    CaseSource.objects.create(
        case=assessment.case, title="第二份来源", reference="https://a.example"
    )
    client.force_login(alice)

    def panel():
        html = client.get(step(assessment)).content.decode()
        body = html.split('id="sources-panel-body"')[1].split('class="cw-sources-bar')[0]
        return re.sub(r'csrfmiddlewaretoken" value="[^"]*"', "", body)

    first = panel()
    assert "第二份来源" in first and kept()
    assert panel() == first
