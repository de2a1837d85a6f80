"""The five real seeds, parsed: exact metadata, passages, timestamps, clean-up."""

from pathlib import Path

import pytest

from studyapp.core.models import PassageKind, SourceKind
from studyapp.core.sources.parse import parse_source

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def parse_seed(name: str):
    return parse_source((SEEDS / name).read_text(encoding="utf-8"), Path(name).stem)


@pytest.fixture(scope="module")
def pnas():
    return parse_seed("000_663ec407a5b4b6cf.txt")


@pytest.fixture(scope="module")
def news():
    return parse_seed("001_cad34d21490f7c9b.txt")


@pytest.fixture(scope="module")
def wiki_treatment():
    return parse_seed("002_e975276acedf4672.txt")


@pytest.fixture(scope="module")
def blog():
    return parse_seed("003_3bbec9a6bccd6ca9.txt")


@pytest.fixture(scope="module")
def wiki_neuro():
    return parse_seed("004_f853192aec50e05e.txt")


def passage_with(source, words):
    matches = [p for p in source.passages if words in p.text]
    assert len(matches) == 1, f"{words!r} is in {len(matches)} passages"
    return matches[0]


def test_pubmed_metadata(pnas):
    assert pnas.kind is SourceKind.PAPER_ABSTRACT
    assert pnas.title == (
        "Physical exercise activates a PVN-NAc oxytocin circuit to relieve stress-induced "
        "depressive-like behaviors"
    )
    assert pnas.id == "physical-exercise-activates-a-pvn-nac-oxytocin-circuit"
    assert pnas.authors == ("Jie Xia et al.",)
    assert pnas.outlet == "Proc Natl Acad Sci U S A"
    assert pnas.date == "2025-05-27"
    assert pnas.doi == "10.1073/pnas.2503675122"
    assert pnas.url == "https://doi.org/10.1073/pnas.2503675122"
    assert pnas.keywords == (
        "chronic restraint stress",
        "depressive-like behaviors",
        "oxytocin circuit",
        "paraventricular nucleus–nucleus accumbens",
        "physical exercise",
    )


def test_pubmed_passages(pnas):
    kinds = [p.kind for p in pnas.passages]
    assert len(pnas.passages) == 11
    assert kinds.count(PassageKind.REFERENCE) == 5
    headings = [p.text for p in pnas.passages if p.kind is PassageKind.HEADING]
    assert headings == ["Abstract", "Conflict of interest statement", "References"]
    abstract = passage_with(pnas, "4-wk treadmill exercise")
    assert abstract.section == "Abstract"
    assert abstract.text.startswith("Physical exercise is known to reduce depression")
    assert abstract.text.endswith("a promising therapeutic target for depression.")
    first_reference = next(p for p in pnas.passages if p.kind is PassageKind.REFERENCE)
    assert first_reference.label == "1"
    assert first_reference.text == (
        "Marwaha S., et al. , Novel and emerging treatments for major depression. "
        "Lancet 401, 141–153 (2023)."
    )


def test_pubmed_navigation_dropped(pnas):
    text = pnas.text
    for boilerplate in (
        "Skip to main page content",
        "official website of the United States government",
        ".gov means it’s official",
        "The site is secure",
        "Access keys",
        "PubMed Disclaimer",
        "LinkOut",
        "- PMC - PubMed",
        "Affiliations",
    ):
        assert boilerplate not in text


def test_news_article(news):
    assert news.kind is SourceKind.NEWS
    assert news.title == "New Mechanism Proposed in Antidepressant Effect of Exercise"
    assert news.outlet == "The Well News"
    assert news.authors == ()
    assert news.date == ""
    assert len(news.passages) == 37
    headings = [p.text for p in news.passages if p.kind is PassageKind.HEADING]
    assert headings == [
        "From Movement to Motivation",
        "Depression",
        "Motivational Symptoms and Dopamine",
        "Depression, Dopamine and Inflammation",
        "Exercise",
        "Exercise and Depression",
        "Potential Mechanisms of Exercise as an Antidepressant",
        "Exercise Decreases Inflammation",
        "Exercise Increases Dopamine",
        "Hypothesis: Reducing Inflammation Creates Space for Dopamine Transmission",
        "Why It Matters",
        "Future Studies Ahead",
    ]
    cortisol = passage_with(news, "Exercise may decrease cortisol")
    assert cortisol.kind is PassageKind.LIST_ITEM
    assert cortisol.section == "Potential Mechanisms of Exercise as an Antidepressant"
    assert news.passages[-1].text.startswith("The potential link between inflammation")
    assert "250 participants aged 18 to 60" in news.passages[-1].text


def test_news_footer_dropped(news):
    for boilerplate in (
        "Donate now",
        "[email protected]",
        "follow us on Facebook",
        "informational purposes only",
        "producing high-quality journalism",
    ):
        assert boilerplate not in news.text


def test_blog(blog):
    assert blog.kind is SourceKind.BLOG
    assert blog.title == "How Exercise Offers Relief from Depression"
    assert blog.authors == ("Ian Vicino",)
    assert blog.date == "Jan 13"
    assert len(blog.passages) == 12
    assert [p.text for p in blog.passages if p.kind is PassageKind.HEADING] == [
        "Serotonin",
        "Dopamine",
        "Endorphins",
        "Brain-Derived Neurotrophic Factor",
        "Benefits of Exercise",
    ]
    for boilerplate in ("3 min read", "Updated: Jan 15", "Comments"):
        assert boilerplate not in blog.text
    assert blog.passages[0].text.startswith("A review of “73 randomized controlled trials")


def test_blog_inline_urls_become_links(blog):
    review = blog.passages[0]
    url = "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD004366.pub7/full"
    assert f"<{url}>" in review.markdown  # the sentence's full stop stays outside the link
    serotonin = passage_with(blog, "Only 10% of serotonin")
    assert "<https://my.clevelandclinic.org/health/articles/22572-serotonin>)" in (
        serotonin.markdown
    )


def test_wiki_treatment(wiki_treatment):
    source = wiki_treatment
    assert source.kind is SourceKind.WIKI
    assert source.title == "Exercise as a treatment for depression"
    assert source.video_id == "1-U5OX3sbA8"
    assert source.outlet == "foundmyfitness"
    assert len(source.passages) == 34
    genetic = passage_with(source, "over 400,000 individuals")
    assert genetic.section == "Establishing Causality › Genetic Evidence"
    assert [t.seconds for t in genetic.timestamps] == [94, 111, 129]
    # Each timestamp sits right after the sentence it cites.
    cited = genetic.text[: genetic.timestamps[0].offset]
    assert cited.endswith("were protected from developing depression")


def test_wiki_mojibake_repaired(wiki_treatment):
    role = passage_with(wiki_treatment, "vital role in neuroplasticity")
    assert "neuroplasticity—the brain's ability" in role.text
    assert "â€" not in wiki_treatment.text


def test_wiki_links_and_markup_gone_from_text(wiki_treatment, wiki_neuro):
    for source in (wiki_treatment, wiki_neuro):
        assert "[[" not in source.text
        assert "yt-timestamp" not in source.text
        assert "<br" not in source.text
        assert "From:" not in source.text
    intro = wiki_treatment.passages[0]
    assert intro.text.startswith(
        "Exercise, particularly indoor cycling, offers significant brain and mood benefits."
    )
    assert "[[exercise_and_brain_health|brain]]" in intro.markdown


def test_wiki_neuro_structure(wiki_neuro):
    source = wiki_neuro
    assert source.title == "Impact of exercise on neurotrophic factors and neuroplasticity"
    assert len(source.passages) == 20
    nested = [p for p in source.passages if p.kind is PassageKind.LIST_ITEM and p.level == 1]
    assert [p.text[:30] for p in nested] == [
        "Research indicates that IL-6 p",
        "Animal studies show that while",
    ]
    levels = passage_with(source, "average 32% increase")
    assert levels.text.startswith("Exercise and BDNF Levels\nExercise consistently increases")
    assert [t.seconds for t in levels.timestamps] == [756, 763]
    two_stamps = passage_with(source, "Given BDNF's critical role")
    assert [t.seconds for t in two_stamps.timestamps] == [716, 756]
    assert two_stamps.timestamps[0].offset == two_stamps.timestamps[1].offset


def test_wiki_callout(wiki_neuro):
    callout = wiki_neuro.passages[-1]
    assert callout.kind is PassageKind.CALLOUT
    assert callout.callout == "caution"
    assert callout.label == "Disclaimer"
    assert callout.text.startswith("This information reviews scientific evidence")
    assert "[!CAUTION]" not in wiki_neuro.text
    assert [t.seconds for t in callout.timestamps] == [923, 929, 940]


def test_passage_ids_are_stable_and_unique():
    for name in sorted(p.name for p in SEEDS.iterdir()):
        first, again = parse_seed(name), parse_seed(name)
        ids = [p.id for p in first.passages]
        assert ids == [p.id for p in again.passages]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith(first.id + "/") for i in ids)


def test_passage_id_depends_on_text_not_position(wiki_neuro):
    from studyapp.core.sources.passages import Block, build_passages

    blocks = [Block(PassageKind.PARAGRAPH, "Second."), Block(PassageKind.PARAGRAPH, "First.")]
    moved = build_passages("s", blocks)
    original = build_passages("s", list(reversed(blocks)))
    assert {p.text: p.id for p in moved} == {p.text: p.id for p in original}
