"""Segmentation and query parsing: pure, the same tokens for the index and the query."""

from casework.search.segment import fts5_query, language_of, parse_query, segment, tokens, tsquery


def test_chinese_is_cut_into_overlapping_bigrams_with_each_runs_last_character_at_the_end():
    assert tokens("数据质量差，迁移") == ["数据", "据质", "质量", "量差", "迁移", "差", "移"]


def test_other_scripts_are_words_lower_cased_without_accents_or_width():
    assert tokens("Legacy API-migration café ＡＢＣ 2023") == [
        "legacy",
        "api",
        "migration",
        "cafe",
        "abc",
        "2023",
    ]


def test_mixed_text_splits_where_the_script_changes():
    assert segment("API接口v2") == "api 接口 v2 口"


def test_a_single_chinese_character_stays_in_the_sequence():
    assert tokens("临江 市") == ["临江", "市", "江"]


def test_a_chinese_query_is_one_phrase_of_bigrams_matched_as_typed():
    (term,) = parse_query("数据质量")
    assert term.tokens == ("数据", "据质", "质量") and not term.prefix


def test_an_english_word_and_a_single_character_match_as_prefixes():
    words = parse_query("migrat 量")
    assert [(t.tokens, t.prefix) for t in words] == [(("migrat",), True), (("量",), True)]


def test_a_quoted_phrase_keeps_its_words_together():
    (phrase, other) = parse_query('"data quality" 风险')
    assert phrase.tokens == ("data", "quality") and not phrase.prefix
    assert other.tokens == ("风险",)


def test_lone_letters_punctuation_and_repeats_are_dropped_and_terms_capped():
    assert parse_query("a , ; ") == []
    assert len(parse_query("risk risk risk")) == 1
    assert len(parse_query(" ".join(f"word{i}" for i in range(40)))) == 12


def test_engine_queries_quote_every_token():
    terms = parse_query('数据质量 migr "data quality"')
    assert fts5_query(terms) == '"data quality" AND "数据 据质 质量" AND "migr"*'
    assert tsquery(terms) == (
        "('data' <-> 'quality') & ('数据' <-> '据质' <-> '质量') & ('migr':*)"
    )


def test_query_syntax_characters_cannot_reach_the_engines():
    terms = parse_query("risk' OR 1=1 -- \") NEAR(x* ^col:")
    for term in terms:
        assert all(token.isalnum() for token in term.tokens)


def test_language_is_chinese_when_a_fifth_of_the_letters_are_cjk():
    assert language_of("数据质量差") == "zh"
    assert language_of("Data quality was poor across the legacy records") == "en"
    assert language_of("Data quality 差") == "en"
    assert language_of("…") == ""
