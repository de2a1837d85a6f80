"""Parser choice by content, fallbacks, and inputs that must not crash."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.core.models import PassageKind, SourceKind
from studyapp.core.render import RenderContext, render_inline
from studyapp.core.slugs import slugify
from studyapp.core.sources.parse import SourceError, parse_source
from studyapp.core.sources.text import clean, plain_to_markdown
from tests.html_check import unsafe_parts

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("000_663ec407a5b4b6cf.txt", SourceKind.PAPER_ABSTRACT),
        ("001_cad34d21490f7c9b.txt", SourceKind.NEWS),
        ("002_e975276acedf4672.txt", SourceKind.WIKI),
        ("003_3bbec9a6bccd6ca9.txt", SourceKind.BLOG),
        ("004_f853192aec50e05e.txt", SourceKind.WIKI),
    ],
)
def test_kind_comes_from_content_not_file_name(name, kind):
    text = (SEEDS / name).read_text(encoding="utf-8")
    assert parse_source(text, "renamed.md").kind is kind
    assert parse_source(text, "whatever").kind is kind


def test_markdown_fallback():
    source = parse_source("# Notes on sleep\n\nSleep **matters**.\n\n- one\n- two\n", "notes")
    assert source.kind is SourceKind.MARKDOWN
    assert source.title == "Notes on sleep"
    assert [p.kind for p in source.passages] == [
        PassageKind.PARAGRAPH,
        PassageKind.LIST_ITEM,
        PassageKind.LIST_ITEM,
    ]
    assert source.passages[0].text == "Sleep matters."


def test_plain_text_fallback_keeps_every_word():
    text = "just a line\n\nand *another* with [brackets] and <b>tags</b>"
    source = parse_source(text, "scrap")
    assert source.kind is SourceKind.TEXT
    assert source.title == "scrap"
    assert [p.text for p in source.passages] == [
        "just a line",
        "and *another* with [brackets] and <b>tags</b>",
    ]


def test_empty_text_is_an_error():
    with pytest.raises(SourceError, match="empty"):
        parse_source("  \n\n ", "x")


def test_unterminated_front_matter_is_an_error():
    with pytest.raises(SourceError, match="no closing '---'"):
        parse_source("---\ntitle: Broken\nvideoId: x\n\nBody text here.\n", "x")


def test_front_matter_that_is_not_yaml_is_an_error():
    with pytest.raises(SourceError, match="not valid YAML"):
        parse_source("---\ntitle: [unclosed\n---\nBody.\n", "x")


def test_wiki_without_video_has_plain_timestamp_chips():
    text = 'Claim <a class="yt-timestamp" data-t="01:02:03">[01:02:03]</a>.\n'
    source = parse_source(text, "page")
    assert source.kind is SourceKind.WIKI
    assert source.passages[0].text == "Claim."
    assert [(t.seconds, t.offset) for t in source.passages[0].timestamps] == [(3723, 5)]
    assert source.passages[0].timestamps[0].label == "1:02:03"


def test_a_timestamp_after_the_pages_last_one_is_left_out():
    """The closing words are said at the video's end; "18:18" before "15:40" is a slip for
    8:18 (seed 004), and a citation to it would send the learner past the end."""

    def stamp(t):
        return f'<a class="yt-timestamp" data-t="{t}">[{t}]</a>'

    text = (
        f"Myokines {stamp('00:18:18')}. IL-6 is a myokine {stamp('00:09:09')}.\n\n"
        f"A run {stamp('00:12:00')}, {stamp('00:19:00')}.\n\nEnd {stamp('00:15:40')}.\n"
    )
    first, second, last = parse_source(text, "page").passages
    assert first.text == "Myokines. IL-6 is a myokine."
    assert [t.label for t in first.timestamps] == ["9:09"]
    assert [t.label for t in second.timestamps] == ["12:00"]
    assert [t.label for t in last.timestamps] == ["15:40"]


def test_clean_repairs_mojibake_but_keeps_typography():
    assert clean("plasticityâ€”the brain’s “own”\r\n") == "plasticity—the brain’s “own”\n"


def test_plain_to_markdown_round_trips_through_text():
    from studyapp.core.render import markdown_to_text

    tricky = "1. not a list * _x_ [a](b) <i>no</i> &amp; #tag {t=5} see https://ex.org/a_(b)."
    text, marks = markdown_to_text(plain_to_markdown(tricky))
    assert text == tricky
    assert marks == []


def test_slugify():
    assert (
        slugify("Brain-Derived Neurotrophic Factor (BDNF)")
        == "brain-derived-neurotrophic-factor-bdnf"
    )
    # Cut at a word, without a dangling "as a".
    assert slugify("Exercise as a treatment for depression", max_length=22) == "exercise"
    assert slugify("Exercise as a treatment for depression", max_length=30) == (
        "exercise-as-a-treatment"
    )
    assert slugify("!!!") == "untitled"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_says_why(text):
    try:
        source = parse_source(text, "fuzz")
    except SourceError:
        return
    for passage in source.passages:
        assert passage.text.strip()
        assert all(0 <= t.offset <= len(passage.text) for t in passage.timestamps)


HOSTILE_LINES = st.sampled_from(
    [
        "<script>alert('x')</script>",
        '<iframe src="https://evil.example/"></iframe>',
        '<img src="https://evil.example/pixel.png">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="steal()">text</p>',
        "---",
        "> [!CAUTION]",
        '<a class="yt-timestamp" data-t="99:99:99">[x]</a>',
        "[[a|b]] [[ ]] [[x",
        "```",
        "    * nested",
        "plain words",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(HOSTILE_LINES, min_size=1, max_size=12))
def test_hostile_markup_never_survives_parsing(lines):
    try:
        source = parse_source("\n".join(lines), "hostile")
    except SourceError:
        return
    for passage in source.passages:
        # Plain text may *show* "<script>" as words; the rendered HTML never has the tag.
        html = render_inline(passage.markdown, RenderContext(video_url="https://v.example/?v=1"))
        assert unsafe_parts(html) == []


HOSTILE_TEXT = st.lists(
    st.one_of(
        HOSTILE_LINES,
        st.text(max_size=60),
        st.sampled_from(
            [
                "Skip to main page content",
                "Abstract",
                "References",
                "doi: 10.1/x.",
                "Keywords: a; b.",
                "  1. Ref - PubMed",
                "- Ian Vicino",
                "Comments",
                "Donate now",
                "# Title",
                '<a class="yt-timestamp" data-t="00:00:08">[00:00:08]</a>',
            ]
        ),
    ),
    max_size=15,
).map("\n".join)


@settings(max_examples=120, deadline=None)
@given(HOSTILE_TEXT)
def test_every_parser_survives_hostile_text(text):
    """Each parser directly, not only the one the content detection would pick."""
    from studyapp.core.sources.article import parse_article
    from studyapp.core.sources.parse import _parse_markdown, _parse_plain
    from studyapp.core.sources.pubmed import parse_pubmed
    from studyapp.core.sources.wiki import parse_wiki

    for parse in (parse_wiki, parse_pubmed, parse_article, _parse_markdown, _parse_plain):
        try:
            source = parse(clean(text), "hostile")
        except SourceError:
            continue
        for passage in source.passages:
            html = render_inline(
                passage.markdown, RenderContext(video_url="https://v.example/?v=1")
            )
            assert unsafe_parts(html) == []
