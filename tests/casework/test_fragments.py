"""The step's cached markup: a cached card or sources panel is exactly what drawing it gives,
any change to what it shows draws it again, and nothing per request is ever kept in it."""

import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import Answer, CaseSource
from casework.presenters import fragments
from casework.presenters.wizard import STATUS_SLOT, step_cards
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
    assert len(kept()) == len(drawn)
    assert all(fragments.STATUS_SLOT_MARKUP in html for html in kept())  # filled per request


def test_a_card_changes_key_with_each_thing_it_shows(alice, assessment):
    card = cards(assessment)[0]
    code = fragments._fingerprint(fragments.CARD_TEMPLATES, fragments.CARD_MODULES)
    key = fragments.card_key(card, code)
    assert fragments.card_key(cards(assessment)[0], code) == key
    assert fragments.card_key(cards(assessment, editable=False)[0], code) != key
    # Another language than the one active (an earlier test's request may have left English).
    with translation.override("en" if translation.get_language() != "en" else "zh-hans"):
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


def test_a_card_showing_a_saves_outcome_is_never_cached(assessment):
    code = cards(assessment)[0].criterion.code
    data = QueryDict(mutable=True)
    data.update({f"{code}-version": "0", f"{code}-evidence": "打字中"})
    bound = cards(assessment, data=data)
    assert not fragments.cacheable(bound[0])
    unbound = cards(assessment)[1:]
    fragments.card_fragments([bound[0], *unbound])
    assert len(kept()) == len(unbound)
    assert not any("打字中" in html for html in kept())
    for outcome in ("conflict", "message", "pending"):
        card = cards(assessment)[0]
        setattr(card, outcome, [{"label": "x"}] if outcome == "conflict" else "x")
        assert not fragments.cacheable(card)


def saved_card(assessment, at):
    card = cards(assessment)[0]
    card.saved_at = at
    return card


def test_a_card_is_kept_with_a_slot_for_its_status(assessment):
    """A card's status ("Saved 09:05", "Answered") is filled per request: what comes out is
    byte for byte the card drawn as it is, and the kept markup holds no time."""
    at = timezone.localtime().replace(hour=9, minute=5)
    drawn = str(fragments.render_card(saved_card(assessment, at)))
    assert "09:05" in drawn
    assert fragments.card_fragments([saved_card(assessment, at)]) == [drawn]  # drawn, kept
    (kept_html,) = kept()
    assert STATUS_SLOT in kept_html and "09:05" not in kept_html
    later = at.replace(hour=17, minute=45)
    (again,) = fragments.card_fragments([saved_card(assessment, later)])  # from the cache
    assert again == str(fragments.render_card(saved_card(assessment, later)))
    assert "17:45" in again and "09:05" not in again and STATUS_SLOT not in again
    (plain,) = fragments.card_fragments(cards(assessment)[:1])  # the same kept markup
    assert len(kept()) == 1
    assert plain == str(fragments.render_card(cards(assessment)[0]))
    assert "17:45" not in plain and STATUS_SLOT not in plain


def test_a_cards_status_follows_its_answer(alice, assessment):
    code = cards(assessment)[0].criterion.code
    with translation.override("en"):
        before = fragments.card_fragments(cards(assessment)[:1])[0]
        assert "Answered" not in before
        answer_save(
            assessment=assessment,
            criterion_code=code,
            user=alice,
            data={"level": 2, "evidence": "依据"},
            expected_version=0,
        )
        after = fragments.card_fragments(cards(assessment)[:1])[0]
        assert "Answered" in after
        assert after == str(fragments.render_card(cards(assessment)[0]))


def test_the_card_an_autosave_draws_is_the_one_the_next_step_page_shows(
    client, alice, assessment, monkeypatch
):
    client.force_login(alice)
    response = client.post(
        reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
        {"TF-D1.1-version": 0, "TF-D1.1-evidence": "依据乙"},
        **HTMX,
    )
    assert response.status_code == 200 and STATUS_SLOT not in response.content.decode()
    assert any("依据乙" in html for html in kept())
    drawn = []
    render = fragments.render_card
    monkeypatch.setattr(fragments, "render_card", lambda card: drawn.append(card) or render(card))
    page = client.get(step(assessment)).content.decode()
    assert "依据乙" in page
    assert "TF-D1.1" not in [card.criterion.code for card in drawn]  # read from the cache
    cache.clear()
    assert cards_html(client.get(step(assessment)).content.decode()) == cards_html(page)


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


def step_page_context(client, assessment, n=1):
    response = client.get(step(assessment, n))
    return next(context for context in response.context if "cards" in context).flatten()


def include(name: str, context: dict) -> str:
    """A part drawn the way the page drew it before it was kept: included, the page's whole
    context in reach."""
    return engines["django"].from_string(f'{{% include "{name}" %}}').render(context)


@pytest.mark.parametrize("part", ["steps", "left", "keys_help"])
def test_a_kept_part_of_the_step_is_the_part_as_the_page_draws_it(client, alice, assessment, part):
    Answer.objects.filter(assessment=assessment, criterion__code="TF-D1.1").update(level=2)
    client.force_login(alice)
    context = step_page_context(client, assessment)
    template = fragments.CHROME_TEMPLATES[part][0]
    drawn = fragments.chrome_fragments(context, parts=(part,))[part]  # drawn, then kept
    assert drawn == include(template, context)
    assert fragments.chrome_fragments(context, parts=(part,))[part] == drawn  # from the cache
    assert drawn in kept()
    assert drawn in client.get(step(assessment)).content.decode()


def test_the_kept_step_list_and_what_is_left_follow_the_answers(client, alice, assessment):
    client.force_login(alice)
    with translation.override("en"):
        before = step_page_context(client, assessment)
        answer_save(
            assessment=assessment,
            criterion_code="TF-D1.1",
            user=alice,
            data={"level": 2, "evidence": "依据"},
            expected_version=0,
        )
        after = step_page_context(client, assessment)
        for part in ("steps", "left"):
            old = fragments.chrome_fragments(before, parts=(part,))[part]
            new = fragments.chrome_fragments(after, parts=(part,))[part]
            assert old != new
            assert new == include(fragments.CHROME_TEMPLATES[part][0], after)
        assert "1/3" in fragments.chrome_fragments(after, parts=("steps",))["steps"]


def test_a_kept_part_changes_key_with_the_language_and_the_step(client, alice, assessment):
    client.force_login(alice)
    context = step_page_context(client, assessment)
    code = fragments._fingerprint(fragments.CHROME_TEMPLATES["steps"], fragments.CHROME_MODULES)

    def key(**changes):
        data = fragments._plain(fragments.CHROME_DATA["steps"]({**context, **changes}))
        return fragments.chrome_key("steps", data, code)

    assert key() == key()
    assert key(number=2) != key()
    assert key(editable=not context["editable"]) != key()
    here = key()
    with translation.override("en" if translation.get_language() != "en" else "zh-hans"):
        assert key() != here


def test_a_kept_part_takes_plain_data_only():
    with pytest.raises(TypeError):
        fragments._plain({"who": object()})


def test_what_an_autosave_swaps_out_of_band_is_what_the_includes_drew(client, alice, assessment):
    client.force_login(alice)
    for version, evidence in enumerate(("依据丙", "依据丁")):  # drawn, then from the cache
        response = client.post(
            reverse("wizard_answer_save", args=[assessment.pk, "TF-D1.1"]),
            {"TF-D1.1-version": version, "TF-D1.1-level": "2", "TF-D1.1-evidence": evidence},
            **HTMX,
        )
        assert response.status_code == 200
        context = next(c for c in response.context if "progress_dimension" in c).flatten()
        drawn = engines["django"].from_string(
            '{% include "casework/wizard/_progress.html" with d=progress_dimension oob=True %}'
            '{% include "casework/wizard/_overall.html" with oob=True %}'
            '{% include "casework/wizard/_left.html" with oob=True %}'
        )
        html = response.content.decode()
        assert drawn.render(context) in html
        assert html.count('hx-swap-oob="true"') == 3


def test_a_cards_kept_chip_template_is_the_placeholder_chip_as_included(assessment):
    card = cards(assessment)[0]
    included = engines["django"].from_string(
        "{% load citation_tags %}{% citation_chip_placeholder card as chip %}"
        '{% include "casework/wizard/_citation_chip.html" %}'
    )
    expected = included.render({"card": card, "p": card.prefix})
    assert card.chip_template == expected
    assert cards(assessment)[0].chip_template == expected  # kept
    other = cards(assessment)[1]
    assert other.chip_template != expected and other.dom_id in other.chip_template
