"""The window as a learner meets it: sources listed, readable, linked, highlighted."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction

from studyapp import paths
from studyapp.app import create_main_window
from studyapp.core.settings import DISCLAIMER_SEEN, get_setting
from studyapp.ui.views.sources_view import SOURCE_ID_ROLE

REPO_ROOT = Path(__file__).resolve().parents[2]
WIKI = "exercise-as-a-treatment-for-depression"
NEURO = "impact-of-exercise-on-neurotrophic-factors-and-neuroplasticity"


class Dialogs:
    """Stands in for message boxes: records what the window would have shown."""

    def __init__(self):
        self.shown: list[tuple[str, str]] = []

    def __call__(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def open_window(qtbot, data_dir: Path, seeds: Path | None = None):
    shipped = paths.shipped_dirs()
    if seeds is not None:
        shipped = paths.ShippedDirs(resources=shipped.resources, seeds=seeds)
    window = create_main_window(data_dir, shipped)
    qtbot.addWidget(window)
    window.inform = Dialogs()
    window.warn = Dialogs()
    window.show()
    with qtbot.waitSignal(window.ingest_finished, timeout=20000):
        window.start()
        assert window.runner.busy  # the ingest runs off the UI thread
    return window


@pytest.fixture
def window(qtbot, data_dir):
    return open_window(qtbot, data_dir)


def listed_ids(window) -> list[str]:
    source_list = window.sources_view.list
    return [source_list.item(i).data(SOURCE_ID_ROLE) for i in range(source_list.count())]


def test_first_run_lists_the_five_sources(window):
    assert listed_ids(window) == [
        "physical-exercise-activates-a-pvn-nac-oxytocin-circuit",
        "new-mechanism-proposed-in-antidepressant-effect-of-exercise",
        WIKI,
        "how-exercise-offers-relief-from-depression",
        NEURO,
    ]
    assert window.status_text.text() == "5 sources · 11 mechanisms · 93 facts"
    assert window.warn.shown == []
    viewer = window.sources_view.viewer
    assert viewer.source.id == listed_ids(window)[0]
    text = viewer.toPlainText()
    assert text.startswith("Physical exercise activates a PVN-NAc oxytocin circuit")
    assert "Jie Xia et al. · Proc Natl Acad Sci U S A · 27 May 2025" in text
    assert "DOI 10.1073/pnas.2503675122" in text
    assert "Skip to main page content" not in text


def test_disclaimer_on_first_run_only(qtbot, data_dir):
    first = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: len(first.inform.shown) == 1)
    assert "not medical advice" in first.inform.shown[0][1]
    assert get_setting(first.db, DISCLAIMER_SEEN) == "1"
    first.close()
    second = open_window(qtbot, data_dir)
    qtbot.wait(50)
    assert second.inform.shown == []
    about = next(a for a in second.findChildren(QAction) if a.text() == "&About StudyApp")
    about.trigger()
    assert "not medical advice" in second.inform.shown[0][1]


def test_wiki_page_reads_clean_with_timestamp_chips(window):
    view = window.sources_view
    assert view.open_source(WIKI)
    text = view.viewer.toPlainText()
    html = view.viewer.toHtml()
    assert "yt-timestamp" not in html
    assert "[[" not in text and "]]" not in text
    assert "▶ 0:08" in text  # (toPlainText gives the no-break space as a space)
    assert "Exercise, particularly indoor cycling, offers significant brain and mood" in text
    assert "neuroplasticity—the brain's ability" in text
    assert "https://www.youtube.com/watch?v=1-U5OX3sbA8&amp;t=8s" in html


def test_callout_is_shown_as_a_callout(window):
    view = window.sources_view
    view.open_source(NEURO)
    text = view.viewer.toPlainText()
    assert "⚠ Disclaimer" in text
    assert "[!CAUTION]" not in text


def test_open_a_passage_highlights_the_quote(window):
    window.show_view("sources")
    view = window.sources_view
    source = view.viewer.source
    view.open_source(NEURO)
    source = view.viewer.source
    passage = next(p for p in source.passages if "average 32% increase" in p.text)
    assert view.open_source(NEURO, passage.id, "an average 32% increase in serum BDNF levels")
    whole, quote = view.viewer.highlighted_text()
    assert quote == "an average 32% increase in serum BDNF levels"
    assert whole.startswith("Exercise and BDNF Levels")
    assert view.viewer.verticalScrollBar().value() > 0


def test_unknown_passage_is_reported_not_crashed(window):
    assert not window.sources_view.open_source(WIKI, f"{WIKI}/no-such-passage", "x")
    assert not window.sources_view.open_source("no-such-source")


def test_internal_wiki_link_opens_the_other_source(window):
    view = window.sources_view
    view.open_source(WIKI)
    view.viewer.anchorClicked.emit(QUrl(f"studyapp:source/{NEURO}"))
    assert view.viewer.source.id == NEURO
    assert view.current_source_id() == NEURO


def test_external_links_open_only_on_click_in_the_browser(window, monkeypatch):
    opened = []
    viewer = window.sources_view.viewer
    monkeypatch.setattr(viewer, "open_external", opened.append)
    window.sources_view.open_source("how-exercise-offers-relief-from-depression")
    assert opened == []  # rendering fetched and opened nothing
    url = QUrl("https://www.npr.org/")
    viewer.anchorClicked.emit(url)
    viewer.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert opened == [url]


def test_viewer_loads_no_resources(window):
    viewer = window.sources_view.viewer
    assert viewer.loadResource(2, QUrl("https://evil.example/pixel.png")) is None
    assert viewer.loadResource(2, QUrl("file:///etc/passwd")) is None


def test_keyboard_moves_through_sources(window, qtbot):
    source_list = window.sources_view.list
    source_list.setFocus()
    source_list.setCurrentRow(0)
    qtbot.keyClick(source_list, Qt.Key_Down)
    assert window.sources_view.viewer.source.id == listed_ids(window)[1]
    qtbot.keyClick(source_list, Qt.Key_End)
    assert window.sources_view.viewer.source.id == NEURO


def test_views_are_built_on_first_visit_in_their_place(window, qtbot):
    from studyapp.ui.views.bookmarks_view import BookmarksView

    assert not isinstance(window.stack.widget(5), BookmarksView)  # not built at start-up
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)  # Bookmarks first, out of order
    marks = window.bookmarks_view
    assert isinstance(marks, BookmarksView)
    assert window.stack.currentWidget() is marks
    qtbot.keyClick(window, Qt.Key_4, Qt.ControlModifier)
    assert window.stack.currentWidget() is window.review_panel
    assert window.review_panel.session is None  # shown, not started: the learner starts it
    qtbot.keyClick(window, Qt.Key_5, Qt.ControlModifier)
    qtbot.keyClick(window, Qt.Key_6, Qt.ControlModifier)
    assert window.bookmarks_view is marks  # built once
    assert window.stack.count() == 6
    assert [window.stack.indexOf(view) for view in (marks, window.review_panel)] == [5, 3]
    assert window.stack.indexOf(window.stats_view) == 4


def test_bad_files_are_named_and_the_rest_is_readable(qtbot, data_dir, seeds_copy):
    (seeds_copy / "broken.txt").write_bytes(b"\xff\xfe\x00\x01 not text")
    window = open_window(qtbot, data_dir, seeds_copy)
    assert len(listed_ids(window)) == 5
    title, message = window.warn.shown[0]
    assert title == "Some sources could not be read"
    assert "broken.txt: it is a binary file" in message
    assert window.status_text.text().startswith("5 sources, 1 could not be read · ")


def test_no_sources_at_all_says_where_it_looked(qtbot, data_dir, tmp_path):
    empty = tmp_path / "no-seeds"
    empty.mkdir()
    window = open_window(qtbot, data_dir, empty)
    assert window.sources_view.right.currentWidget() is window.sources_view.empty
    assert str(empty) in window.sources_view.empty.text()


def test_content_problems_are_shown_and_old_content_kept(qtbot, data_dir, tmp_path):
    import shutil

    first = open_window(qtbot, data_dir)
    first.close()
    shipped = paths.shipped_dirs()
    resources = tmp_path / "resources"
    shutil.copytree(shipped.resources, resources)
    facts = resources / "content" / "facts" / "pnas-oxytocin-circuit.toml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace(
            'also suggests a promising therapeutic target for depression."',
            'also suggests a cure for depression."',
        ),
        encoding="utf-8",
    )
    window = create_main_window(data_dir, paths.ShippedDirs(resources, shipped.seeds))
    qtbot.addWidget(window)
    window.inform, window.warn = Dialogs(), Dialogs()
    with qtbot.waitSignal(window.ingest_finished, timeout=20000):
        window.start()
    title, message = window.warn.shown[0]
    assert title == "The knowledge base has problems"
    assert "pnas-therapeutic-target · quote: not found word for word" in message
    assert window.status_text.text() == "5 sources · 11 mechanisms · 93 facts"


def test_daily_backup_on_start_and_restore_from_the_menu(qtbot, data_dir):
    from studyapp.core.settings import get_setting, set_setting

    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    backups = sorted((data_dir / "backups").glob("studyapp-*.sqlite3"))
    assert len(backups) == 1
    set_setting(window.db, "daily_new", "99")  # a change made after the backup
    window.backups.choose_backup = lambda: backups[0]
    window.confirm = lambda *_: True
    panel = window.review_panel  # built before the restore; statistics after it
    window.backups.restore_from_backup()
    assert get_setting(window.db, "daily_new") == ""  # back as it was
    assert panel.db is window.db and window.stats_view.db is window.db
    assert window.inform.shown[-1][0] == "Restored"
    assert len(list((data_dir / "backups").glob("*before-restore*"))) == 1


def test_restoring_a_foreign_file_from_the_menu_changes_nothing(qtbot, data_dir, tmp_path):
    from studyapp.core.settings import get_setting, set_setting

    window = open_window(qtbot, data_dir)
    set_setting(window.db, "daily_new", "42")
    foreign = tmp_path / "holiday.jpg"
    foreign.write_bytes(b"\xff\xd8\xff\xe0 not a database")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)  # today's backup is made
    window.backups.choose_backup = lambda: foreign
    window.confirm = lambda *_: pytest.fail("must not ask: the file is refused first")
    window.backups.restore_from_backup()
    assert window.warn.shown[-1][0] == "Not restored"
    assert "not a StudyApp backup" in window.warn.shown[-1][1]
    assert get_setting(window.db, "daily_new") == "42"


def test_a_damaged_database_is_recovered_and_the_learner_told(qtbot, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "studyapp.sqlite3").write_bytes(b"not a database at all" * 50)
    window = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: any(t == "Your data was recovered" for t, _ in window.warn.shown))
    message = dict(window.warn.shown)["Your data was recovered"]
    assert "kept as" in message and "damaged" in message
    assert len(listed_ids(window)) == 5  # the app carries on with a fresh library


def test_a_second_window_on_the_same_data_is_refused(data_dir, monkeypatch):
    from studyapp import app as app_module
    from studyapp.core.lock import FolderLock

    first = FolderLock(data_dir).acquire()  # the window (or terminal review) already open
    told = []
    monkeypatch.setattr(app_module, "tell", lambda title, text: told.append(title))
    assert app_module.run_gui(data_dir, paths.shipped_dirs()) == 1
    assert told == ["StudyApp is already open"]
    first.release()


def test_a_data_folder_that_cannot_be_used_is_named_not_called_open(
    tmp_path, small_disk, monkeypatch
):
    """C2 and M1: a file where the folder should be gave a traceback; a read-only folder was
    reported as "StudyApp is already open"."""
    from studyapp import app as app_module

    told = []
    monkeypatch.setattr(app_module, "tell", lambda title, text: told.append((title, text)))
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    assert app_module.run_gui(a_file, paths.shipped_dirs()) == 2
    read_only = small_disk(256)
    small_disk.remount(read_only, "ro")
    assert app_module.run_gui(read_only, paths.shipped_dirs()) == 2
    assert [title for title, _ in told] == ["StudyApp cannot start"] * 2
    assert "it is a file" in told[0][1] and "read-only" in told[1][1]


def test_closing_the_window_stops_a_long_ingest(qtbot, data_dir, seeds_copy):
    """H6: the process ran on for the whole ingest (hours, for some files) after the window
    closed, and a second window started a second ingest."""
    import time

    from PySide6.QtCore import QThreadPool

    long_text = "\n\n".join(
        f"Paragraph {i} says **a few** words about [exercise](https://example.org/{i})."
        for i in range(30_000)
    )
    (seeds_copy / "long.md").write_text("# A long document\n\n" + long_text)
    window = create_main_window(
        data_dir, paths.ShippedDirs(paths.shipped_dirs().resources, seeds_copy)
    )
    qtbot.addWidget(window)
    window.inform, window.warn = Dialogs(), Dialogs()
    window.show()
    window.start()
    qtbot.wait(300)
    assert window.runner.busy  # still parsing (some seconds of work)
    started = time.monotonic()
    window.close()
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    assert time.monotonic() - started < 2.0
    assert window.warn.shown == []  # a stop on closing is not a failure to report


def test_a_long_source_opens_in_parts_and_finds_any_passage(qtbot, data_dir, seeds_copy):
    """H4: a legal 3.3 MB source froze the window for minutes when opened."""
    text = "\n\n".join(f"Paragraph {i} is about exercise and mood." for i in range(6_000))
    (seeds_copy / "long.txt").write_text(text)
    window = open_window(qtbot, data_dir, seeds=seeds_copy)
    source_id = next(s for s in listed_ids(window) if s.startswith("long"))
    window.go(("sources", source_id, "", ""))
    viewer = window.sources_view.viewer
    assert viewer.part_count > 2 and viewer.part == 0
    assert "Part 1 of" in viewer.toPlainText()
    assert "Paragraph 5999 " not in viewer.toPlainText()  # only this part is laid out
    last = viewer.source.passages[-1]
    assert window.sources_view.open_source(source_id, last.id, "Paragraph 5999")
    assert viewer.part == viewer.part_count - 1
    assert viewer.highlighted_text()[-1] == "Paragraph 5999"
    viewer._follow(QUrl("studyapp:part/0"))  # the "Previous part" links lead back
    assert viewer.part == 0


def test_the_shipped_sources_each_fit_in_one_part(window):
    for source_id in listed_ids(window):
        window.go(("sources", source_id, "", ""))
        assert window.sources_view.viewer.part_count == 1
