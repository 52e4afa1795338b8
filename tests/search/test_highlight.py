"""Highlighting query words in the original text: accents optional, output always escaped."""

from __future__ import annotations

import html
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from app.search.highlight import (
    ELLIPSIS,
    _fold_char,
    highlight,
    match_spans,
    matches,
    query_words,
    snippet,
    window,
)
from app.text import fold

# No example database: the suite must not leave a .hypothesis directory behind.
PROPERTY = settings(database=None, max_examples=300, deadline=None)

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
LETTERS = VIETNAMESE + VIETNAMESE.upper() + "ĐSTCHNG"
texts = st.text(alphabet=st.sampled_from(LETTERS + " <>&\"'\n"), max_size=400)
any_text = st.text(max_size=300)


def plain(markup: Markup) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html.unescape(str(markup).replace("<mark>", "").replace("</mark>", ""))


def marked(markup: Markup) -> list[str]:
    """The texts inside <mark>, decoded."""
    parts = str(markup).split("<mark>")[1:]
    return [html.unescape(part.split("</mark>")[0]) for part in parts]


def test_words_are_matched_without_accents_against_the_original_text():
    result = highlight("Giao Sở Tài chính chủ trì", "so tai chinh")
    assert isinstance(result, Markup)
    assert str(result) == "Giao <mark>Sở</mark> <mark>Tài</mark> <mark>chính</mark> chủ trì"


def test_d_with_stroke_matches_both_ways_and_any_case():
    for query in ("đổi", "doi", "ĐỔI", "DOI", "Đoi"):
        assert marked(highlight("Chuyển Đổi số và đổi mới", query)) == ["Đổi", "đổi"], query


def test_decomposed_text_keeps_its_marks_inside_the_highlight():
    text = unicodedata.normalize("NFD", "Đổi mới sáng tạo")
    result = highlight(text, "moi")
    assert marked(result) == [unicodedata.normalize("NFD", "mới")]
    assert plain(result) == text


def test_decomposed_query_matches_composed_text():
    query = unicodedata.normalize("NFD", "thủ tục")
    assert marked(highlight("Cải cách thủ tục hành chính", query)) == ["thủ", "tục"]


def test_case_is_ignored_and_the_original_case_kept():
    assert marked(highlight("UBND tỉnh Bình Định", "ubnd BINH dinh")) == ["UBND", "Bình", "Định"]


def test_overlapping_words_give_one_mark():
    assert str(highlight("abcdef", "abcd cdef")) == "<mark>abcdef</mark>"
    assert str(highlight("thông tin", "thong ong")) == "<mark>thông</mark> tin"


def test_adjacent_words_give_one_mark():
    assert str(highlight("131/NQ-CP", "131/ nq-cp")) == "<mark>131/NQ-CP</mark>"


def test_every_occurrence_is_marked():
    assert marked(highlight("Sở, sở và SỞ", "so")) == ["Sở", "sở", "SỞ"]


def test_repeated_letters_overlapping_themselves():
    assert str(highlight("aaaa", "aa")) == "<mark>aaaa</mark>"


def test_no_match_returns_the_escaped_text():
    assert str(highlight("Sở Tài chính & KH", "xyz")) == "Sở Tài chính &amp; KH"


def test_empty_query_or_text():
    assert str(highlight("a <b>", "")) == "a &lt;b&gt;"
    assert str(highlight("a <b>", "   ")) == "a &lt;b&gt;"
    assert str(highlight("", "abc")) == ""
    assert str(highlight(None, "abc")) == ""
    assert match_spans("abc", None) == []


def test_user_html_is_escaped_even_inside_a_mark():
    result = highlight("<script>alert('x')</script> & Đổi mới", "script doi")
    text = str(result)
    assert "<script>" not in text
    assert "&lt;<mark>script</mark>&gt;" in text
    assert "&amp;" in text
    assert "<mark>Đổi</mark>" in text


def test_markup_in_the_query_is_not_injected():
    result = highlight("a<b>c", "<b>")
    assert str(result) == "a<mark>&lt;b&gt;</mark>c"


def test_query_words_are_folded_and_unique():
    assert query_words("  Sở  so SỞ tài ") == ["so", "tai"]
    assert query_words(None) == []


def test_matches_says_whether_any_word_occurs():
    assert matches("Sở Tài chính", "tai xyz")
    assert not matches("Sở Tài chính", "xyz")
    assert not matches(None, "xyz")
    assert not matches("abc", "")


def test_short_text_snippet_is_the_whole_text():
    assert str(snippet("Sở Tài chính", "tai")) == "Sở <mark>Tài</mark> chính"


def test_long_text_snippet_is_a_window_around_the_first_match():
    text = "mở đầu " * 60 + "giao Sở Tài chính chủ trì " + "kết thúc " * 60
    result = snippet(text, "tai chinh")
    shown = plain(result)
    assert shown.startswith(ELLIPSIS)
    assert shown.endswith(ELLIPSIS)
    assert "Sở Tài chính" in shown
    assert marked(result) == ["Tài", "chính"]
    assert len(shown) <= 200 + 2
    start, end = window(text, "tai chinh")
    assert shown == ELLIPSIS + text[start:end] + ELLIPSIS
    # Words are not cut in half at the edges.
    assert text[start - 1] == " "
    assert text[end] == " "


def test_long_text_without_a_match_shows_its_beginning():
    text = "Nội dung " * 100
    result = snippet(text, "xyz")
    assert plain(result) == text[: window(text, "xyz")[1]] + ELLIPSIS
    assert "<mark>" not in str(result)


def test_match_near_the_end_is_shown_without_trailing_ellipsis():
    text = "đầu " * 100 + "cuối cùng"
    result = snippet(text, "cung")
    assert plain(result).startswith(ELLIPSIS)
    assert plain(result).endswith("cuối cùng")
    assert marked(result) == ["cùng"]


def test_snippet_escapes_and_does_not_cut_a_decomposed_letter():
    text = unicodedata.normalize("NFD", "ở " * 150 + "<b>Đổi</b> " + "ề " * 150)
    result = snippet(text, "doi", width=50)
    assert "<b>" not in str(result)
    start, end = window(text, "doi", width=50)
    assert not unicodedata.combining(text[start])
    assert end == len(text) or not unicodedata.combining(text[end])
    assert marked(result) == [unicodedata.normalize("NFD", "Đổi")]


def test_snippet_of_nothing():
    assert str(snippet(None, "a")) == ""
    assert str(snippet("", "a")) == ""


@PROPERTY
@given(text=any_text, query=any_text)
def test_removing_the_marks_gives_back_the_original_text(text, query):
    assert plain(highlight(text, query)) == text


@PROPERTY
@given(text=texts, query=texts)
def test_removing_the_marks_gives_back_the_vietnamese_text(text, query):
    assert plain(highlight(text, query)) == text
    assert plain(highlight(unicodedata.normalize("NFD", text), query)) == unicodedata.normalize(
        "NFD", text
    )


@PROPERTY
@given(text=any_text, query=any_text, width=st.integers(min_value=10, max_value=250))
def test_snippet_is_the_original_window_with_ellipses(text, query, width):
    start, end = window(text, query, width)
    expected = (
        (ELLIPSIS if start > 0 else "") + text[start:end] + (ELLIPSIS if end < len(text) else "")
    )
    assert plain(snippet(text, query, width)) == expected
    assert 0 <= start <= end <= len(text)


@PROPERTY
@given(text=texts, width=st.integers(min_value=20, max_value=250), data=st.data())
def test_snippet_window_holds_the_first_match_and_about_width_characters(text, width, data):
    assume(text.strip())
    i = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    j = data.draw(st.integers(min_value=i + 1, max_value=min(len(text), i + 8)))
    query = text[i:j]
    assume(fold(query))
    spans = match_spans(text, query)
    start, end = window(text, query, width)
    assert spans, "a piece of the text always matches it"
    first_start, first_end = spans[0]
    assert end - start <= width
    assert start <= first_start < end
    result = snippet(text, query, width)
    assert "<mark>" in str(result)


@PROPERTY
@given(text=any_text, data=st.data())
def test_every_piece_of_the_text_is_found_in_it(text, data):
    assume(text)
    i = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    j = data.draw(st.integers(min_value=i + 1, max_value=len(text)))
    query = text[i:j]
    assume(query_words(query))
    assert match_spans(text, query)
    assert matches(text, query)


@PROPERTY
@given(text=any_text)
def test_per_character_folding_agrees_with_search_folding(text):
    # The highlighter folds character by character; search folds the whole text. The two
    # must agree, or a row found by search would show no highlight.
    per_char = "".join(_fold_char(c) for c in text)
    assert per_char.split() == fold(text).split()
