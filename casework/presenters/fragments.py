"""Markup of a step page kept in the cache while nothing it shows changes: item cards, sources panel.

A step page draws about ten item cards of a few hundred template nodes each, and the case's
sources panel with its forms; most of the time they show exactly what they showed the last
time. So each is cached under a key made of everything it shows (the stored values and
versions, the texts, the language, whether it is editable) and of the code that draws it.

Nothing per user or per request is ever kept: a card is drawn without the request, and the
panel's CSRF inputs are kept as a slot filled with this request's token. A card that shows a
save's outcome (bound, in conflict, locked, just saved, waiting for its N/A reason) is always
drawn afresh.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as fragment_cache
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from casework.presenters.source_panel import panel_context, panel_editable, safe_next
from casework.presenters.wizard import (
    STATUS_SLOT_MARKUP,
    STATUS_TEMPLATE,
    Card,
    evidence_limit,
)

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
TIMEOUT = 24 * 3600  # every save makes a new card; the old ones need not outlive a day

CARD_TEMPLATE = "casework/wizard/_card_item.html"
CARD_TEMPLATES = (
    CARD_TEMPLATE,
    STATUS_TEMPLATE,
    "casework/wizard/_citations.html",
    "casework/wizard/_citation_chip.html",
)
# The Python that shapes what the card templates read.
CARD_MODULES = (
    "casework/presenters/wizard.py",
    "casework/presenters/fragments.py",
    "casework/citation_chips.py",
    "casework/templatetags/citation_tags.py",
    "casework/templatetags/casework_tags.py",
    "casework/forms/wizard.py",
)

PANEL_TEMPLATE = "casework/sources/_panel_body.html"
PANEL_TEMPLATES = (PANEL_TEMPLATE,)  # the crispy templates it uses count by their packages
PANEL_MODULES = (
    "casework/presenters/source_panel.py",
    "casework/presenters/fragments.py",
    "casework/forms/sources.py",
    "casework/forms/cases.py",
    "casework/documents.py",
)
# Packages whose templates and widgets the fragments are drawn with.
PACKAGES = ("django", "django-crispy-forms", "crispy-bootstrap5")
# Rendered in place of the CSRF token; the whole input is swapped, so no user text can match.
CSRF_SLOT = "cw-csrf-slot"
CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


@cache
def _modules_fingerprint(paths: tuple[str, ...]) -> str:
    """The Python behind a fragment, as deployed: a new release never reads an old one's markup."""
    digest = hashlib.blake2b(digest_size=12)
    for path in paths:
        digest.update((ROOT / path).read_bytes())
    for package in PACKAGES:
        digest.update(metadata.version(package).encode())
    for locale in settings.LOCALE_PATHS:  # the translations the fragments are drawn in
        for path in sorted(Path(locale).glob("*/LC_MESSAGES/*.mo")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(templates: tuple[str, ...], modules: tuple[str, ...]) -> str:
    """The code that draws a fragment: its templates and its Python.

    Read once per process; with DEBUG on, templates edited while the server runs count at once.
    """
    if settings.DEBUG:
        return _read_fingerprint(templates, modules)
    return _kept_fingerprint(templates, modules)


def _read_fingerprint(templates: tuple[str, ...], modules: tuple[str, ...]) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for name in templates:
        digest.update(get_template(name).template.source.encode())
    digest.update(_modules_fingerprint(modules).encode())
    return digest.hexdigest()


_kept_fingerprint = cache(_read_fingerprint)


def _key(kind: str, parts: tuple) -> str:
    return f"cw:{kind}:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _cache_call(method, *args):
    """A cache that fails costs the page its speed, never the page itself."""
    try:
        return method(*args)
    except Exception:  # any backend's error: Redis down, a value too big
        logger.warning("fragment cache unavailable", exc_info=True)
        return None


def cacheable(card: Card) -> bool:
    """An unbound card that shows only what is stored; a save's outcome is never cached (its
    status, "Saved 14:05" among others, is not kept: STATUS_SLOT)."""
    return not (card.bound or card.conflict or card.message or card.pending)


def card_key(card: Card, code_version: str) -> str:
    """Everything the card shows, hashed: a change to any of it is a different key."""
    criterion, answer = card.criterion, card.answer
    return _key(
        "card",
        (
            code_version,
            get_language(),
            get_script_prefix(),
            evidence_limit(),
            answer.assessment_id,
            answer.pk,
            card.version,
            card.editable,
            card.is_answered,
            card.na_pending,
            criterion.pk,
            criterion.code,
            criterion.kind,
            criterion.title,
            criterion.guidance,
            criterion.source_ref,
            sorted(card.values.items()),
            [(level.value, level.label, level.description) for level in card.levels],
            [(s.pk, s.title, s.published_on, s.is_removed) for s in card.sources],
        ),
    )


def render_card(card: Card) -> SafeString:
    """The card drawn from its template, without the request: nothing per request gets in."""
    return render_to_string(CARD_TEMPLATE, {"card": card, "evidence_limit": evidence_limit()})


def _render_kept(card: Card) -> str:
    """The card as kept: with the slot in place of its status."""
    card.status_slot = True
    try:
        return str(render_card(card))
    finally:
        card.status_slot = False


def card_fragments(cards: list[Card]) -> list[SafeString]:
    """The cards' markup in order: from the cache where it holds them, drawn (and kept) where not."""
    code_version = _fingerprint(CARD_TEMPLATES, CARD_MODULES)
    keys = [card_key(card, code_version) if cacheable(card) else None for card in cards]
    found = _cache_call(fragment_cache.get_many, [key for key in keys if key]) or {}
    fragments, drawn = [], {}
    for card, key in zip(cards, keys, strict=True):
        html = found.get(key) if key else None
        if html is None and key:
            html = drawn[key] = _render_kept(card)
        elif html is None:
            html = render_card(card)
        if key:
            html = html.replace(STATUS_SLOT_MARKUP, card.status, 1)
        fragments.append(mark_safe(html))  # our own template's output, escaped when drawn
    if drawn:
        _cache_call(fragment_cache.set_many, drawn, TIMEOUT)
    return fragments


def panel_key(*, case, sources, editable: bool, next_url: str, code_version: str) -> str:
    """Everything the wizard's sources panel shows, hashed."""
    return _key(
        "sources",
        (
            code_version,
            get_language(),
            get_script_prefix(),
            settings.DOCUMENT_MAX_BYTES,
            settings.DOCUMENT_CASE_QUOTA_BYTES,
            case.pk,
            editable,
            next_url,
            [
                (
                    s.pk,
                    s.version,
                    s.title,
                    s.publisher,
                    s.reference,
                    s.published_on,
                    s.accessed_on,
                    s.document_file,
                    s.document_name,
                    s.document_type,
                    s.document_size,
                    s.document_sha256,
                )
                for s in sources
            ],
        ),
    )


def sources_panel_body(request, case, *, sources=None, csrf_token: str) -> dict:
    """The wizard's sources panel (fresh, its add form open): its count, editable, and body.

    The body is kept with a slot where each form's CSRF token goes, filled with this
    request's token; its rows and forms are made only when it is drawn.
    """
    sources = list(case.sources.all()) if sources is None else list(sources)
    editable = panel_editable(request.user, case)
    key = panel_key(
        case=case,
        sources=sources,
        editable=editable,
        next_url=safe_next(request.get_full_path(), request, case),
        code_version=_fingerprint(PANEL_TEMPLATES, PANEL_MODULES),
    )
    html = _cache_call(fragment_cache.get, key)
    if html is None:
        panel = panel_context(request, case, add_open=True, sources=sources)
        html = render_to_string(
            PANEL_TEMPLATE, {"panel": panel, "oob": False, "csrf_token": CSRF_SLOT}
        )
        _cache_call(fragment_cache.set, key, str(html), TIMEOUT)
    token_input = CSRF_INPUT.format(escape(csrf_token))
    body = mark_safe(html.replace(CSRF_INPUT.format(CSRF_SLOT), token_input))
    return {"count": len(sources), "editable": editable, "body": body}


# --- The step's chrome: the step list and what is left around the cards, the keys' help ------

CHROME_MODULES = (
    "casework/presenters/fragments.py",
    "casework/presenters/wizard.py",
    "casework/presenters/left.py",
    "casework/presenters/navigation.py",
)
# Each part: the templates it is drawn with (the first one draws it).
CHROME_TEMPLATES = {
    "steps": (
        "casework/wizard/_steps.html",
        "casework/wizard/_progress.html",
        "casework/wizard/_overall.html",
    ),
    "left": ("casework/wizard/_left.html",),
    "keys_help": ("casework/wizard/_keys_help.html",),
    # What a save swaps out of band (`oob=True`): the step's progress, the overall one.
    "progress": ("casework/wizard/_progress.html",),
    "overall": ("casework/wizard/_overall.html",),
}


def _plain(value):
    """`value` as plain data (str, int, bool, None, lists, dicts), lazy strings made text.

    A part is drawn from plain data only, and keyed by all of it: what is not in its key
    cannot reach its markup. Anything else is an error, not a guess at its repr.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    raise TypeError(f"not plain data for a kept fragment: {value!r}")


def _progress_of(d) -> dict:
    """A dimension's progress, as its step-list entry and its out-of-band counter show it."""
    return {
        "pk": d.pk,
        "done": d.done,
        "total": d.total,
        "percent": d.percent,
        "complete": d.complete,
    }


def _overall_of(context) -> dict:
    return {key: context[key] for key in ("overall_done", "overall_total", "overall_percent")}


def _steps_data(context) -> dict:
    return {
        "assessment": {"pk": context["assessment"].pk},
        "editable": context["editable"],
        "number": context["number"],
        "conclusions_number": context["conclusions_number"],
        **_overall_of(context),
        "dimensions": [
            {**_progress_of(d), "number": d.number, "url": d.url, "code": d.code, "title": d.title}
            for d in context["dimensions"]
        ],
    }


def _left_data(context) -> dict:
    return {
        "left": context["left"],
        "number": context["number"],
        "conclusions_number": context["conclusions_number"],
        "oob": bool(context.get("oob")),
    }


def _progress_data(context) -> dict:
    return {"d": _progress_of(context["progress_dimension"]), "oob": bool(context.get("oob"))}


def _overall_data(context) -> dict:
    return {**_overall_of(context), "oob": bool(context.get("oob"))}


CHROME_DATA = {
    "steps": _steps_data,
    "left": _left_data,
    "keys_help": lambda context: {},
    "progress": _progress_data,
    "overall": _overall_data,
}
SAVE_EXTRAS = ("progress", "overall", "left")


def chrome_key(part: str, data: dict, code_version: str) -> str:
    """Everything a part shows (its plain data), the language and the code, hashed."""
    return _key(f"chrome-{part}", (code_version, get_language(), get_script_prefix(), data))


def render_chrome(part: str, data: dict) -> SafeString:
    """A part drawn from its plain data alone: no request, no user, no other context."""
    return render_to_string(CHROME_TEMPLATES[part][0], data)


def chrome_fragments(context, parts=("steps", "left", "keys_help"), **extra) -> dict:
    """{part: markup} for a step page's `context` (its chrome around the cards), each from the
    cache where it holds it, drawn (and kept) where not; `extra` goes into each part's data
    (`oob=True`: what is left swapped out of band after a save)."""
    datas, keys = {}, {}
    for part in parts:
        data = _plain(CHROME_DATA[part]({**context, **extra}))
        datas[part] = data
        code_version = _fingerprint(CHROME_TEMPLATES[part], CHROME_MODULES)
        keys[part] = chrome_key(part, data, code_version)
    found = _cache_call(fragment_cache.get_many, list(keys.values())) or {}
    markup, drawn = {}, {}
    for part, key in keys.items():
        html = found.get(key)
        if html is None:
            html = str(render_chrome(part, datas[part]))
            drawn[key] = html
        markup[part] = mark_safe(html)  # our own templates' output, escaped when drawn
    if drawn:
        _cache_call(fragment_cache.set_many, drawn, TIMEOUT)
    return markup
