"""The window as people use it (issue 15): keys go to whatever has the focus, clicks to the
buttons a learner sees; sizes are checked on the widgets' geometry, not just that nothing
crashed."""

import contextlib
import html
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QTextEdit,
    QWidget,
)
from pytestqt.exceptions import TimeoutError as WaitedTooLong

from studyapp.core.backup import describe_backup, list_backups
from studyapp.core.models import ItemKind
from studyapp.core.settings import DAY_START_HOUR, Preferences, save_preferences, set_setting
from studyapp.core.study import counts_now
from studyapp.ui.theme import apply_appearance, contrast_ratio, mark_colors
from studyapp.ui.widgets.chain_diagram import PAD
from tests.ui.person import focused, press, type_text
from tests.ui.test_main_window import open_window
from tests.ui.test_study_ui import answer_by_keyboard, answer_count

SMALL_DECK = "endocannabinoids"  # three questions, fill-ins
# Decks that hold, between them, every kind of question the library asks; a review of one
# shows one item of a fact or chain a day (siblings wait), so the tests go on to the next.
DECKS = ("bdnf-neuroplasticity", "inflammation-dopamine", "myokines-il6", "evidence-base", "all")
OPTIONS = (ItemKind.CHOICE, ItemKind.MISSING_STEP)


def kinds_asked(window) -> set[ItemKind]:
    """Every kind of question a first day asks: fill-ins (shown as four options the first
    time when they have wrong options), true or false, and orders. A missing step is a
    sibling of its chain's order, so it waits for another day; it is answered with the same
    A-D options as a multiple choice."""
    rows = window.db.execute("SELECT DISTINCT kind FROM quiz_items WHERE retired = 0")
    kinds = {ItemKind(kind) for (kind,) in rows} - {ItemKind.MISSING_STEP}
    return kinds | {ItemKind.CHOICE}


def begin(panel):
    """The question shown, once the new topic's card before it (if any) is read."""
    if panel.session.intro is not None:
        panel.session.begin()
    return panel.session.current


def study(window, deck: str) -> None:
    window.study(deck)
    begin(window.review_panel)


def study_decks(window):
    """Start the first deck; each call of the result starts the next (StopIteration: none)."""
    decks = iter(DECKS)
    study(window, next(decks))
    return lambda: study(window, next(decks))


def advance_to(window, kinds, next_deck) -> None:
    """Answer (right, rated Good) until the question shown is of one of ``kinds``."""
    panel = window.review_panel
    while begin(panel) is None or panel.session.current.item.kind not in kinds:
        if panel.session.current is None:
            next_deck()
            continue
        item = panel.session.current.item
        panel.session.answer(right_response(item))
        panel.session.rate(3)


def right_response(item) -> str:
    if item.kind is ItemKind.ORDER:
        return "".join(str(item.choices.index(step) + 1) for step in item.steps)
    return item.answer


@pytest.fixture
def window(qtbot, data_dir):
    return open_window(qtbot, data_dir)


@pytest.fixture
def defaults():
    """Font and theme back as they were after the test: one QApplication serves all."""
    size = QApplication.font().pointSizeF()
    yield
    apply_appearance(QApplication.instance(), "system", size)


def many_new(window) -> None:
    save_preferences(window.db, Preferences(new_per_day=500))


def wrong_keys(item) -> str:
    """Keys for a wrong answer (a typed slip, another option, the other of true/false)."""
    if item.kind is ItemKind.CLOZE:
        return item.answer[:-1] + "x"
    if item.kind is ItemKind.TRUE_FALSE:
        return "f" if item.answer == "True" else "t"
    return "abcd"[(item.choices.index(item.answer) + 1) % len(item.choices)]


# 1. A whole session, Ctrl+Z after every kind of answer: by keyboard, then by mouse.
def test_a_session_by_keyboard_with_undo_after_every_kind(qtbot, window, data_dir):
    many_new(window)
    assert focused() is window.home_view.start_button  # Home first, its Start ready
    press(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert window.status_text.text() == "Nothing to undo"
    every_kind = kinds_asked(window)
    next_deck = study_decks(window)
    panel = window.review_panel
    undone_after = set()
    while undone_after != every_kind:
        if panel.session.current is None:  # this deck is done for today: another
            next_deck()
            continue
        if panel.session.intro is not None:  # a new topic's card: Enter begins its questions
            assert focused() is panel.begin_button
            press(qtbot, Qt.Key_Return)
            continue
        item = panel.session.current.item
        answer_by_keyboard(qtbot, panel, item)
        saved = answer_count(data_dir)
        press(qtbot, Qt.Key_3)  # Good
        assert answer_count(data_dir) == saved + 1
        if item.kind in undone_after:
            continue
        # Whatever has the focus now (the next fill-in box, the order list, the panel),
        # Ctrl+Z takes the answer back and asks the same question again.
        press(qtbot, Qt.Key_Z, Qt.ControlModifier)
        assert answer_count(data_dir) == saved
        assert panel.session.current.item.id == item.id
        assert panel.note.text().startswith("Undone: your answer to “")
        assert window.status_text.text().startswith("Undone: ")
        if item.kind is ItemKind.CLOZE and saved:
            assert focused() is panel.typed and panel.typed.text() == ""
            press(qtbot, Qt.Key_Z, Qt.ControlModifier)  # a second Ctrl+Z: the answer before,
            assert answer_count(data_dir) == saved - 1  # not the old words pasted back
            assert not (panel.typed.isVisible() and panel.typed.text())
        undone_after.add(item.kind)
        answer_by_keyboard(qtbot, panel, panel.session.current.item)
        press(qtbot, Qt.Key_3)
    # Undo steps back through more than one answer, then says when there is nothing left.
    total = answer_count(data_dir)
    for _ in range(total):
        press(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert answer_count(data_dir) == 0
    press(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert panel.note.text() == "Nothing to undo"


def test_a_session_by_mouse_with_undo_after_every_kind(qtbot, window, data_dir):
    many_new(window)
    qtbot.mouseClick(window.home_view.start_button, Qt.LeftButton)
    panel = window.review_panel
    assert panel.session is not None and panel.session.current is not None
    every_kind = kinds_asked(window)
    next_deck = study_decks(window)
    undone_after = set()
    for _ in range(150):
        if undone_after == every_kind:
            break
        if panel.session.current is None:
            next_deck()
            continue
        if panel.session.intro is not None:  # a new topic's card: its Begin button
            qtbot.mouseClick(panel.begin_button, Qt.LeftButton)
            continue
        item = panel.session.current.item
        click_right_answer(qtbot, panel, item)
        saved = answer_count(data_dir)
        qtbot.mouseClick(panel.rating_buttons[3], Qt.LeftButton)  # Good
        assert answer_count(data_dir) == saved + 1
        if item.kind not in undone_after:
            assert panel.undo_button.isVisible()
            qtbot.mouseClick(panel.undo_button, Qt.LeftButton)
            assert answer_count(data_dir) == saved
            assert panel.session.current.item.id == item.id
            undone_after.add(item.kind)
            click_right_answer(qtbot, panel, panel.session.current.item)
            qtbot.mouseClick(panel.rating_buttons[3], Qt.LeftButton)
    assert undone_after == every_kind
    window.edit_menu.undo_action.trigger()  # Edit → Undo, as from the menu bar
    assert panel.note.text().startswith("Undone: ")


def click_right_answer(qtbot, panel, item) -> None:
    if item.kind in (ItemKind.CHOICE, ItemKind.MISSING_STEP):
        qtbot.mouseClick(panel.option_buttons[item.choices.index(item.answer)], Qt.LeftButton)
    elif item.kind is ItemKind.TRUE_FALSE:
        button = panel.true_button if item.answer == "True" else panel.false_button
        qtbot.mouseClick(button, Qt.LeftButton)
    elif item.kind is ItemKind.CLOZE:
        qtbot.mouseClick(panel.typed, Qt.LeftButton)
        qtbot.keyClicks(panel.typed, item.answer)
        qtbot.mouseClick(panel.reveal_typed, Qt.LeftButton)
    else:  # the ↑/↓ buttons, for whoever does not drag
        for target, step in enumerate(item.steps):
            rows = [panel.order.item(i).text() for i in range(panel.order.count())]
            row = rows.index(step)
            panel.order.setCurrentRow(row)  # a click on the step
            for _ in range(row - target):
                qtbot.mouseClick(panel.move_up, Qt.LeftButton)
        qtbot.mouseClick(panel.check_order, Qt.LeftButton)
    assert panel.session.feedback.correct, item.id


# 2. Answers marked by colour and by a sign, readable in both themes.
def test_the_chosen_and_the_right_option_are_marked(qtbot, window):
    many_new(window)
    advance_to(window, OPTIONS, study_decks(window))
    panel = window.review_panel
    item = panel.session.current.item
    press(qtbot, wrong_keys(item))
    right = item.choices.index(item.answer)
    chosen = (right + 1) % len(item.choices)
    assert panel.option_buttons[right].label.text().startswith("✓")
    assert panel.option_buttons[chosen].label.text().startswith("✗")
    assert panel.option_buttons[right].mark == "right"
    assert panel.option_buttons[chosen].mark == "wrong"
    assert "your answer, not right" in panel.option_buttons[chosen].accessibleName()
    others = [b for i, b in enumerate(panel.option_buttons) if i not in (right, chosen)]
    assert all(b.mark == "other" and b.label.text().startswith(" ") for b in others)


@pytest.mark.parametrize("dark", [False, True])
def test_answer_marks_read_at_aa_contrast(dark):
    palette = QPalette()
    palette.setColor(QPalette.Base, QColor("black" if dark else "white"))
    for mark in ("right", "wrong", "other"):
        background, _, text = mark_colors(palette, mark)
        assert contrast_ratio(QColor(text), QColor(background)) >= 4.5, mark


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_focus_ring_stands_out_from_the_window(qtbot, window, defaults, theme):
    """The ring around what has the keyboard: 3:1 against the window (WCAG 1.4.11)."""
    from studyapp.ui.theme import focus_color

    window.apply_preferences(Preferences(theme=theme))
    palette = QApplication.palette()
    assert contrast_ratio(focus_color(palette), palette.color(QPalette.Window)) >= 3
    assert contrast_ratio(palette.color(QPalette.Text), palette.color(QPalette.Base)) >= 4.5


def test_true_false_typed_and_chain_answers_are_marked(qtbot, window):
    many_new(window)
    next_deck = study_decks(window)
    panel = window.review_panel
    seen = set()
    while seen != {ItemKind.TRUE_FALSE, ItemKind.CLOZE}:
        if begin(panel) is None:
            next_deck()
            continue
        item = panel.session.current.item
        if item.kind is ItemKind.TRUE_FALSE and item.kind not in seen:
            press(qtbot, wrong_keys(item))
            right = panel.true_button if item.answer == "True" else panel.false_button
            wrong = panel.false_button if right is panel.true_button else panel.true_button
            assert right.text().startswith("✓") and wrong.text().startswith("✗")
            seen.add(item.kind)
        elif item.kind is ItemKind.CLOZE and item.kind not in seen:
            type_text(qtbot, wrong_keys(item))
            press(qtbot, Qt.Key_Return)
            text = panel.comparison.text()
            assert panel.comparison.isVisible()
            assert "You typed:" in text and "Expected:" in text and "<u>" in text
            seen.add(item.kind)
        else:
            panel.session.answer(right_response(item))
        panel.session.rate(3)
    # A chain's order, where a card quizzes it (no shipped card does): each step marked.
    from dataclasses import replace

    from studyapp.core.knowledge import get_mechanism
    from studyapp.core.quizgen import chain_items, present
    from studyapp.core.study import QueueCounts

    card = replace(get_mechanism(window.db, "bdnf-neuroplasticity"), quiz_order=True)
    item = present(chain_items(card)[0], False, 1)
    panel.session.current = replace(begin(panel), item=item)
    panel.show_item(panel.session.current, QueueCounts(0, 0, 1))
    press(qtbot, Qt.Key_Return)  # as shown: some steps out of place
    lines = [panel.order.item(i).text() for i in range(panel.order.count())]
    assert all(line[0] in "✓✗" for line in lines)
    assert any("belongs at" in line for line in lines)
    text = panel.evidence.text()  # the chain in its order, each step once
    assert all(text.count(html.escape(step)) == 1 for step in item.steps)


# 3. Tab reaches every control, with an accessible name, in each view.
INTERACTIVE = (QAbstractButton, QLineEdit, QAbstractItemView, QComboBox, QTextEdit)


def controls(view: QWidget) -> list[QWidget]:
    """What a learner can press, type in or move through: whatever its focus policy says."""
    return [
        w
        for w in [view, *view.findChildren(QWidget)]
        if w.isVisible()
        and w.isEnabled()
        and (isinstance(w, INTERACTIVE) or w.focusPolicy() & Qt.TabFocus)
    ]


def tab_through(qtbot, window, view: QWidget, presses: int = 400) -> set:
    window.sidebar.setFocus()
    reached = set()
    for _ in range(presses):
        press(qtbot, Qt.Key_Tab)
        reached.add(focused())
    return reached


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Name) if interface else ""


def places():
    return [
        ("home", lambda w: w.go(("home",))),
        ("sources", lambda w: w.go(("sources", "", "", ""))),
        ("mechanisms", lambda w: w.go(("mechanisms", ""))),
        ("card", lambda w: w.go(("mechanisms", "kynurenine-pathway"))),
        ("review-ready", lambda w: w.go(("review", "all"))),
        ("review-question", lambda w: study(w, SMALL_DECK)),
        ("review-answered", answered),
        ("stats", lambda w: w.go(("stats",))),
        ("bookmarks", lambda w: w.go(("bookmarks",))),
    ]


def answered(window) -> None:
    study(window, SMALL_DECK)
    panel = window.review_panel
    panel.session.answer(panel.session.current.item.answer)


@pytest.mark.parametrize(("name", "open_place"), places(), ids=[p[0] for p in places()])
def test_tab_reaches_every_control_and_each_has_a_name(qtbot, window, name, open_place):
    open_place(window)
    qtbot.wait(10)
    view = window.stack.currentWidget()
    wanted = set(controls(view))
    assert wanted, name
    reached = tab_through(qtbot, window, view)
    missing = [f"{type(w).__name__} {accessible_name(w)!r}" for w in wanted - reached]
    assert not missing, f"{name}: Tab never reaches {missing}"
    unnamed = [type(w).__name__ for w in wanted if not accessible_name(w).strip()]
    assert not unnamed, f"{name}: no accessible name on {unnamed}"


def test_open_the_source_from_an_answer_by_key(qtbot, window):
    study(window, "kynurenine-pathway")
    panel = window.review_panel
    assert panel.session.current.item.fact_id  # a question on a fact, with its source
    panel.session.answer("not it")
    press(qtbot, "o")
    assert window.stack.currentWidget() is window.sources_view
    viewer = window.sources_view.viewer
    assert len(viewer.highlighted_text()) == 2
    assert focused() is viewer  # the keys read on in the text
    source = viewer.source.id
    press(qtbot, Qt.Key_Down)
    press(qtbot, Qt.Key_PageDown)
    assert viewer.source.id == source  # still the passage's source, not the next in the list


def test_the_review_page_scrolls_by_keys_at_a_large_font(qtbot, window, defaults):
    window.resize(900, 600)
    window.apply_preferences(Preferences(font_size=18))
    study(window, "all")
    panel = window.review_panel
    panel.session.answer("not it")  # the feedback and ratings make the page long
    settled(qtbot, panel.scroll)
    bar = panel.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(0)
    press(qtbot, Qt.Key_PageDown)
    assert bar.value() > 0
    press(qtbot, Qt.Key_Up)
    press(qtbot, Qt.Key_PageUp)
    assert bar.value() == 0


def test_home_and_statistics_count_today_once(qtbot, window):
    # a day that does not end in the next ten minutes, so learning steps stay in today
    set_setting(window.db, DAY_START_HOUR, str((datetime.now().hour + 12) % 24))
    study(window, "all")
    panel = window.review_panel
    for _ in range(3):
        panel.session.answer(begin(panel).item.answer)
        panel.session.rate(3)
    window.go(("home",))
    home = window.home_view
    total = counts_now(window.db, "all", datetime.now(UTC)).total
    assert f"<b>{total} questions</b> to study today: " in home.due.text()
    assert "come back a few minutes after each answer" in home.later.text()
    assert "later today" not in home.later.text()  # they are in the count already
    window.go(("stats",))
    assert f"<b>{total}</b> to study today" in window.stats_view.summary.text()


# 4. Text that scales: nothing clipped at 9, 14 and 18 pt in a 900x600 window.
def clipped(scroll: QScrollArea) -> list[str]:
    """Every visible text that is cut: a label shorter than its wrapped text, a button
    narrower or shorter than its text, or anything reaching out of the page sideways."""
    page = scroll.widget()
    found = []
    if scroll.horizontalScrollBar().isVisible():
        found.append("the page scrolls sideways")
    for widget in page.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        left = widget.mapTo(page, QPoint(0, 0)).x()
        if left < 0 or left + widget.width() > page.width():
            found.append(f"{type(widget).__name__} reaches out of the page")
        if isinstance(widget, QLabel) and widget.text():
            needed = (
                widget.heightForWidth(widget.width())
                if widget.wordWrap()
                else widget.sizeHint().height()
            )
            if widget.height() < needed:
                found.append(f"label {widget.text()[:30]!r}: {widget.height()} < {needed}")
            if not widget.wordWrap() and widget.width() < widget.sizeHint().width():
                found.append(f"label {widget.text()[:30]!r} is cut at the side")
        if isinstance(widget, QListWidget) and widget.count():  # every row, none behind
            last = widget.visualItemRect(widget.item(widget.count() - 1))  # a scroll bar
            if last.bottom() > widget.viewport().height():
                found.append(f"list {accessible_name(widget)!r} hides rows")
        if isinstance(widget, QAbstractButton) and widget.isVisible():
            hint = widget.sizeHint()
            if widget.hasHeightForWidth():
                if widget.height() < widget.heightForWidth(widget.width()):
                    found.append(f"button {accessible_name(widget)!r} cut at the bottom")
            elif widget.width() < hint.width() or widget.height() < hint.height():
                found.append(f"button {widget.text()!r}: {widget.size()} < {hint}")
    return found


@pytest.mark.parametrize("points", [9, 14, 18])
def test_no_text_is_clipped_in_review_and_card_views(qtbot, window, defaults, points):
    window.resize(900, 600)
    window.apply_preferences(Preferences(font_size=points))
    panel_kinds = set()
    many_new(window)
    every_kind = kinds_asked(window)
    next_deck = study_decks(window)
    panel = window.review_panel
    for _ in range(150):
        if panel_kinds == every_kind:
            break
        if begin(panel) is None:
            next_deck()
            continue
        item = panel.session.current.item
        if item.kind not in panel_kinds:
            settled(qtbot, panel.scroll)
            assert not clipped(panel.scroll), (points, item.kind, clipped(panel.scroll))
            assert panel.prompt.font().pointSizeF() > points  # the question is the largest
            panel.session.answer("not it")
            settled(qtbot, panel.scroll)
            assert not clipped(panel.scroll), (points, "answered", clipped(panel.scroll))
            panel_kinds.add(item.kind)
        else:
            panel.session.answer(right_response(item))
        panel.session.rate(3)
    assert panel_kinds == every_kind
    page = window.mechanisms_view.page
    for mechanism in window.mechanisms_view.content.mechanisms:
        window.go(("mechanisms", mechanism.id))
        settled(qtbot, page)
        assert not clipped(page), (points, mechanism.id, clipped(page))
        body = page.summary.font().pointSizeF()
        assert page.title.font().pointSizeF() > body
        assert all(h.font().pointSizeF() > body for h in headings(page))
        diagram = page.diagram
        metrics = QFontMetrics(diagram.font())
        for step, box in zip(diagram.steps, diagram._layout(diagram.width()), strict=True):
            widest = max(metrics.horizontalAdvance(word) for word in step.split())
            assert widest <= box.width() - 2 * PAD, (mechanism.id, step)  # no word cut


def settled(qtbot, scroll: QScrollArea) -> None:
    """Until the layout has settled (nested layouts take a few passes of the event loop);
    a page that stays clipped fails the assertion that follows."""
    with contextlib.suppress(WaitedTooLong):
        qtbot.waitUntil(lambda: not clipped(scroll), timeout=500)


def headings(page) -> list[QLabel]:
    texts = {"Causal chain", "Key facts", "Sources", "Related mechanisms"}
    return [label for label in page.findChildren(QLabel) if label.text() in texts]


def test_the_font_setting_reaches_sidebar_charts_and_after_a_restart(
    qtbot, window, data_dir, defaults
):
    chosen = Preferences(font_size=18)
    window.settings.ask = lambda current: chosen
    window.settings.edit()
    assert QApplication.font().pointSize() == 18
    assert window.sidebar.font().pointSize() == 18
    row = window.sidebar.visualItemRect(window.sidebar.item(4))
    needed = QFontMetrics(window.sidebar.font()).horizontalAdvance("Statistics")
    assert row.width() > needed + 20  # the sidebar grew with its words
    window.go(("stats",))
    chart = window.stats_view.reviews.chart
    assert chart.titleFont().pointSizeF() > 18
    window.close()
    font = QApplication.font()
    font.setPointSize(9)
    QApplication.setFont(font)  # a restart: the system's size, then the saved setting
    again = open_window(qtbot, data_dir)
    assert QApplication.font().pointSize() == 18
    again.go(("mechanisms", "bdnf-neuroplasticity"))
    assert again.mechanisms_view.page.title.font().pointSizeF() > 18


# 5. Navigation as in any desktop app.
def test_the_sidebar_never_starts_a_review_or_takes_the_focus(qtbot, window, data_dir):
    window.sidebar.setFocus()
    window.sidebar.setCurrentRow(0)
    for _ in range(len(window.VIEWS) + 2):
        press(qtbot, Qt.Key_Down)
        assert focused() is window.sidebar
    for _ in range(len(window.VIEWS) + 2):
        press(qtbot, Qt.Key_Up)
        assert focused() is window.sidebar
    window.sidebar.setCurrentRow(window.VIEWS.index("review"))
    panel = window.review_panel
    assert panel.session is None and window.stack.currentWidget() is panel
    press(qtbot, Qt.Key_Return)  # into the view: its Start, not yet started
    assert focused() is panel.start_button and panel.session is None
    press(qtbot, Qt.Key_Return)  # now the learner starts it
    assert panel.session is not None and panel.session.current is not None
    assert answer_count(data_dir) == 0


def test_back_to_the_list_of_cards_every_way(qtbot, window):
    mechanisms = window.mechanisms_view
    press(qtbot, Qt.Key_3, Qt.ControlModifier)
    assert focused() is mechanisms.list
    press(qtbot, Qt.Key_Down)
    press(qtbot, Qt.Key_Return)
    assert mechanisms.current_mechanism()
    press(qtbot, Qt.Key_3, Qt.ControlModifier)  # its Ctrl+number again: the list
    assert not mechanisms.current_mechanism() and focused() is mechanisms.list
    press(qtbot, Qt.Key_Return)
    qtbot.mouseClick(mechanisms.page.back_button, Qt.LeftButton)  # ← All mechanisms
    assert not mechanisms.current_mechanism()
    press(qtbot, Qt.Key_Return)
    press(qtbot, Qt.Key_Escape)  # Esc goes back
    assert not mechanisms.current_mechanism()
    press(qtbot, Qt.Key_Return)
    row = window.sidebar.visualItemRect(window.sidebar.item(2)).center()
    qtbot.mouseClick(window.sidebar.viewport(), Qt.LeftButton, pos=row)  # its row, clicked
    assert not mechanisms.current_mechanism()
    press(qtbot, Qt.Key_Return)
    card = mechanisms.current_mechanism()
    window.go(("stats",))
    qtbot.mouseClick(window.stats_view.viewport(), Qt.BackButton)  # the mouse's back button
    assert mechanisms.current_mechanism() == card


def test_search_puts_the_card_first_and_says_what_to_do_when_nothing_matches(qtbot, window):
    from studyapp.ui.dialogs_search import SearchDialog

    press(qtbot, Qt.Key_K, Qt.ControlModifier)
    (dialog,) = window.findChildren(SearchDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert focused() is dialog.box
    assert "Type a word" in dialog.empty.text() and dialog.empty.isVisible()
    type_text(qtbot, "bdnf")
    first = dialog.results.currentItem().data(0, Qt.UserRole)
    assert (first.kind, first.id) == ("mechanism", "bdnf-neuroplasticity")
    dialog.box.setText("zzyzx")
    assert dialog.empty.isVisible() and "Nothing matches “zzyzx”" in dialog.empty.text()


def test_find_counts_matches_and_keeps_the_place_on_a_miss(qtbot, window):
    window.go(("sources", "exercise-as-a-treatment-for-depression", "", ""))
    press(qtbot, Qt.Key_F, Qt.ControlModifier)
    bar = window.sources_view.find_bar
    type_text(qtbot, "kynurenine")
    total = int(bar.count.text().split(" of ")[1])
    assert bar.count.text() == f"1 of {total}" and total > 3
    press(qtbot, Qt.Key_Return)
    press(qtbot, Qt.Key_Return)
    assert bar.count.text() == f"3 of {total}"
    where = window.sources_view.viewer.verticalScrollBar().value()
    assert where > 0
    type_text(qtbot, "qqq")
    assert bar.count.text() == "Not found"
    assert window.sources_view.viewer.verticalScrollBar().value() == where  # place kept
    window.go(("mechanisms", "bdnf-neuroplasticity"))
    press(qtbot, Qt.Key_F, Qt.ControlModifier)  # not in a source: search, and stay here
    assert window.stack.currentWidget() is window.mechanisms_view


def test_a_bookmark_on_an_unanswered_question_does_not_give_the_answer(qtbot, window):
    asked = []
    window.bookmarks.ask = lambda what, *rest: asked.append(what) or ("", ())
    study(window, SMALL_DECK)
    panel = window.review_panel
    while begin(panel).item.kind is not ItemKind.CLOZE:
        panel.session.answer(panel.session.current.item.answer)
        panel.session.rate(3)
    item = panel.session.current.item
    press(qtbot, Qt.Key_D, Qt.ControlModifier)
    assert item.answer.lower() not in asked[-1].lower()
    assert item.prompt in asked[-1]
    press(qtbot, Qt.Key_Return)  # answered: now the fact itself may be shown
    press(qtbot, Qt.Key_D, Qt.ControlModifier)
    assert item.answer.lower() in asked[-1].lower()


# 6. Your marks visible when you read again; a click opens the note.
def test_bookmarks_are_marked_in_the_source_and_a_click_opens_the_note(qtbot, window):
    from PySide6.QtGui import QTextCursor

    window.bookmarks.ask = lambda what, note="", tags=(): ("check the figure", ())
    source = "impact-of-exercise-on-neurotrophic-factors-and-neuroplasticity"
    quote = "an average 32% increase in serum BDNF levels"
    window.go(("sources", source, "", ""))
    viewer = window.sources_view.viewer
    found = viewer.document().find(quote)
    cursor = QTextCursor(viewer.document())
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.KeepAnchor)
    viewer.setTextCursor(cursor)
    press(qtbot, Qt.Key_D, Qt.ControlModifier)
    window.go(("home",))
    window.go(("sources", source, "", ""))  # read again
    assert viewer.marked_text() == [quote]
    edited = []
    window.bookmarks.ask = lambda what, note="", tags=(): edited.append(note) or None
    middle = viewer.document().find("32%")
    place = QTextCursor(viewer.document())
    place.setPosition(middle.selectionStart() + 1)
    viewer.setTextCursor(place)
    viewer.ensureCursorVisible()
    point = viewer.cursorRect(place).center()
    qtbot.mouseClick(viewer.viewport(), Qt.LeftButton, pos=point)
    assert edited == ["check the figure"]


def test_keyboard_selects_words_in_a_source(qtbot, window):
    window.go(("sources", "how-exercise-offers-relief-from-depression", "", ""))
    viewer = window.sources_view.viewer
    viewer.setFocus()
    for _ in range(5):
        press(qtbot, Qt.Key_Right, Qt.ShiftModifier)
    assert len(viewer.textCursor().selectedText()) == 5


def test_the_right_click_menu_of_a_source_bookmarks_the_selection(qtbot, window):
    window.bookmarks.ask = lambda what, note="", tags=(): ("", ())
    window.go(("sources", "how-exercise-offers-relief-from-depression", "", ""))
    viewer = window.sources_view.viewer
    viewer.setFocus()
    for _ in range(8):
        press(qtbot, Qt.Key_Right, Qt.ShiftModifier)
    menu = viewer.context_menu(viewer.cursorRect().center())
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["Bookmark this…", "Find in this source…"] and "Copy" in texts[2]
    menu.actions()[0].trigger()
    assert window.status_text.text().startswith("Bookmarked: ")


def test_a_passing_status_message_gives_way_to_what_the_library_holds(qtbot, window):
    resting = window.status_text.text()
    assert resting.startswith("5 sources")
    window._status_timer.setInterval(50)
    press(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert window.status_text.text() == "Nothing to undo"
    qtbot.waitUntil(lambda: window.status_text.text() == resting, timeout=2000)


def test_a_hint_is_shown_apart_from_its_question(qtbot, window):
    study(window, "myokines-il6")
    panel = window.review_panel
    scheduled = begin(panel)
    while "\nHint: " not in scheduled.item.prompt:
        panel.session.answer(scheduled.item.answer)
        panel.session.rate(3)
        scheduled = begin(panel)
    question, hint = scheduled.item.prompt.split("\nHint: ")
    assert panel.prompt.text() == question and "Hint" not in question
    assert panel.hint.isVisibleTo(panel) and panel.hint.text() == f"Hint: {hint}"
    panel.session.answer(scheduled.item.answer)
    panel.session.rate(3)
    later = begin(panel)
    if later is not None and "\nHint: " not in later.item.prompt:
        assert not panel.hint.isVisibleTo(panel)  # no hint left over from the last question


def test_an_answer_accepted_in_other_words_is_not_marked_wrong(qtbot):
    from studyapp.ui.widgets.answer_area import comparison_html

    assert "<u>" not in comparison_html("mice", "Animal studies", accepted=True)
    assert "<u>" in comparison_html("rats", "Animal studies")  # a wrong one is marked


def test_ctrl_z_while_typing_takes_back_the_typing_first(qtbot, window):
    study(window, "all")
    panel = window.review_panel
    scheduled = begin(panel)
    while scheduled.item.kind is not ItemKind.CLOZE:  # a question answered by typing
        panel.session.answer(scheduled.item.answer)
        panel.session.rate(3)
        scheduled = begin(panel)
    shown = scheduled.item.id
    panel.typed.setFocus()
    qtbot.keyClicks(panel.typed, "revers")
    press(qtbot, Qt.Key_Z, Qt.ControlModifier)
    assert panel.typed.text() == "" and panel.session.current.item.id == shown
    assert window.status_text.text() != "Nothing to undo"  # the box took that Ctrl+Z
    press(qtbot, Qt.Key_Z, Qt.ControlModifier)  # nothing typed now: the answers' undo
    assert window.status_text.text() == "Nothing to undo"  # (none were rated in the window)


def test_the_source_list_hides_to_read_at_full_width(qtbot, window):
    window.resize(900, 600)
    window.go(("sources", "how-exercise-offers-relief-from-depression", "", ""))
    viewer = window.sources_view.viewer
    narrow = viewer.width()
    press(qtbot, Qt.Key_B, Qt.ControlModifier)
    qtbot.waitUntil(lambda: viewer.width() > narrow + 200)
    assert not window.sources_view.list.isVisible() and focused() is viewer
    press(qtbot, Qt.Key_B, Qt.ControlModifier)
    assert window.sources_view.list.isVisible() and focused() is window.sources_view.list


def test_back_returns_to_the_view_the_learner_came_from(qtbot, window):
    """The sources list fills itself once loaded; that was recorded as a visit, so the
    first Back went to a source the learner never opened."""
    assert window.current_view() == "home"
    press(qtbot, Qt.Key_3, Qt.ControlModifier)
    assert window.current_view() == "mechanisms"
    press(qtbot, Qt.Key_Left, Qt.AltModifier)
    assert window.current_view() == "home"


# 7. Settings apply everywhere at once, theme included.
def test_a_theme_change_leaves_no_old_colours(qtbot, window, defaults):
    window.go(("mechanisms", "kynurenine-pathway"))
    window.apply_preferences(Preferences(theme="dark"))
    qtbot.wait(20)
    window_colour = QApplication.palette().color(QPalette.Window)
    assert window.sidebar.palette().color(QPalette.Window) == window_colour
    assert window.sidebar.viewport().palette().color(QPalette.Window) == window_colour
    link = QApplication.palette().color(QPalette.Link)
    assert has_colour(window.mechanisms_view.page.facts.grab().toImage(), link)
    link = link.name()
    window.go(("sources", "exercise-as-a-treatment-for-depression", "", ""))
    css = window.sources_view.viewer.document().defaultStyleSheet()
    assert f"a {{ color: {link}" in css
    window.apply_preferences(Preferences(theme="light"))
    qtbot.wait(20)
    css = window.sources_view.viewer.document().defaultStyleSheet()
    assert f"a {{ color: {QApplication.palette().color(QPalette.Link).name()}" in css


def has_colour(image, colour, near: int = 30, enough: int = 20) -> bool:
    """Whether a rendering shows ``colour`` (text is anti-aliased: near it, enough pixels)."""
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - colour.red())
                + abs(pixel.green() - colour.green())
                + abs(pixel.blue() - colour.blue())
                < near
            ):
                count += 1
                if count >= enough:
                    return True
    return False


# 8. Backups and restores that cannot empty the library.
def test_the_first_daily_backup_holds_the_sources(qtbot, window, data_dir):
    qtbot.waitUntil(lambda: bool(list_backups(data_dir / "backups")), timeout=10000)
    (first,) = list_backups(data_dir / "backups")
    summary = describe_backup(first.path)
    assert summary.sources == 5
    conn = sqlite3.connect(first.path)
    items = conn.execute("SELECT count(*) FROM quiz_items").fetchone()[0]
    conn.close()
    assert items == window.db.execute("SELECT count(*) FROM quiz_items").fetchone()[0] > 0


def test_a_restore_refreshes_every_view(qtbot, window, data_dir):
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    study(window, "all")
    panel = window.review_panel
    for _ in range(3):
        panel.session.answer(begin(panel).item.answer)
        panel.session.rate(3)
    window.backups.back_up_now()
    backup = next(
        b.path for b in list_backups(data_dir / "backups") if describe_backup(b.path).answers == 3
    )
    for _ in range(2):
        panel.session.answer(begin(panel).item.answer)
        panel.session.rate(3)
    for place in (("stats",), ("bookmarks",), ("mechanisms", "bdnf-neuroplasticity"), ("home",)):
        window.go(place)  # every view built and showing five answers
    window.backups.choose_backup = lambda: backup
    window.confirm = lambda *_: True
    with qtbot.waitSignal(window.ingest_finished, timeout=20000):
        assert window.backups.restore_from_backup()
    assert answer_count(data_dir) == 3
    assert "You have met <b>3</b>" in window.home_view.standing.text()
    window.go(("sources", "", "", ""))
    assert window.sources_view.list.count() == 5
    assert window.sources_view.right.currentWidget() is window.sources_view.reader
    window.go(("mechanisms", ""))
    assert window.mechanisms_view.list.count() == 11
    window.go(("review", "all"))
    assert panel.session is None and panel.start_button.isVisible()
    window.go(("stats",))
    assert "<b>3</b> answered today" in window.stats_view.summary.text()
    assert window.status_text.text().startswith("5 sources")
    assert window.edit_menu.undo_action.text() == "Nothing to undo"


def test_the_restore_picker_shows_what_each_backup_holds(qtbot, window, data_dir):
    from studyapp.ui.dialogs_restore import RestoreDialog

    qtbot.waitUntil(lambda: bool(list_backups(data_dir / "backups")), timeout=10000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    dialog = RestoreDialog(data_dir / "backups", window)
    qtbot.addWidget(dialog)
    row = dialog.list.topLevelItem(0)
    assert [row.text(i) for i in (1, 2, 3)] == ["0", "0", "5"]  # answers, bookmarks, sources
    assert dialog.chosen() == Path(list_backups(data_dir / "backups")[0].path)
