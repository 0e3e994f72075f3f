"""Snippets and highlights: user text escaped first, then marked; never raw markup."""

from casework.search.highlight import highlight, match_spans, snippet
from casework.search.segment import parse_query


def test_a_script_in_the_text_comes_back_escaped_and_only_marks_are_markup():
    html = snippet("证据：<script>alert('x')</script> 数据质量差", parse_query("数据质量 script"))
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;" in html
    assert "<mark>数据质量</mark>" in html


def test_markup_in_the_query_cannot_inject_either():
    assert highlight("a <b>bold</b> claim", parse_query("<b>bold")) == (
        "a &lt;b&gt;<mark>bold</mark>&lt;/b&gt; claim"
    )
    html = highlight(
        '<img src=x onerror="alert(1)">', parse_query('"><img src=x onerror=alert(1)>')
    )
    assert "<img" not in html and "&lt;<mark>img" in html


def test_english_words_are_marked_at_a_word_start_whatever_their_case_or_accents():
    html = highlight("Data-quality issues; CAFÉ metadata", parse_query("data cafe"))
    assert str(html) == "<mark>Data</mark>-quality issues; <mark>CAFÉ</mark> metadata"


def test_a_chinese_phrase_is_marked_wherever_it_occurs():
    assert match_spans("数据质量和数据质量", parse_query("数据质量")) == [(0, 4), (5, 9)]


def test_the_snippet_is_a_window_around_the_matches_with_ellipses():
    text = "前言。" * 100 + "历史数据质量差。" + "后记。" * 100
    html = snippet(text, parse_query("数据质量"), width=60)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>数据质量</mark>" in html
    assert len(html) < 120


def test_without_a_match_the_snippet_is_the_texts_start():
    assert snippet("短文本 <i>", parse_query("其他")) == "短文本 &lt;i&gt;"
