"""The File, Go and Help menus, each action with its key shown beside it (the Edit menu and
its Undo are in edit_menu.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from studyapp import __version__
from studyapp.core.disclaimer import MEDICAL_DISCLAIMER

KEYBOARD_SHORTCUTS = """Ctrl+1 Home · Ctrl+2 Sources · Ctrl+3 Mechanisms · Ctrl+4 Review
Ctrl+5 Statistics · Ctrl+6 Bookmarks (again: back to the view's list)
In the sidebar: ↑/↓ look through the views, Enter goes into one
Ctrl+K Search · Ctrl+F Find in the source · Ctrl+D Bookmark what is shown
In Sources: Ctrl+B hides the list of sources, to read at full width (again: shows it)
Esc, Alt+Left or the mouse's back button: Back · Alt+Right Forward
Ctrl+Z Undo (an answer, a bookmark) · Ctrl+Comma Settings · Ctrl+R Reload sources · F1 this list

In a review:
Enter or Space: start, or begin a new topic; check a typed answer or an order; then
take the proposed rating · ↓/↑, PgDn/PgUp: scroll the page
A-D: pick an option · T / F: true or false · Alt+Up / Alt+Down: move a step of a chain
1-4: rate (1 Again, 2 Hard, 3 Good, 4 Easy) · O: open the source at the passage"""


class Host(Protocol):
    db_path: Path

    def inform(self, title: str, text: str) -> None: ...


def add_action(menu: QMenu, text: str, keys, slot: Callable[[], object]) -> QAction:
    action = menu.addAction(text)
    action.setShortcut(QKeySequence(keys))
    action.triggered.connect(lambda _=False: slot())
    return action


def build_file_menu(menu_bar: QMenuBar, reload, back_up_now, restore, quit_app) -> None:
    menu = menu_bar.addMenu("&File")
    add_action(menu, "&Reload sources", "Ctrl+R", reload)
    menu.addSeparator()
    menu.addAction("&Back up now").triggered.connect(back_up_now)
    menu.addAction("Res&tore from backup…").triggered.connect(restore)
    menu.addSeparator()
    add_action(menu, "&Quit", "Ctrl+Q", quit_app)


def build_go_menu(
    menu_bar: QMenuBar,
    views: dict[str, str],
    show_view: Callable[[str], None],
    search: Callable[[], object],
    history: tuple[QAction, QAction],
) -> None:
    """Each view (Ctrl+1…), Search (Ctrl+K), Back and Forward."""
    menu = menu_bar.addMenu("&Go")
    for index, (name, title) in enumerate(views.items()):
        add_action(menu, f"&{title}", f"Ctrl+{index + 1}", lambda n=name: show_view(n))
    menu.addSeparator()
    add_action(menu, "&Search…", "Ctrl+K", search)
    menu.addSeparator()
    for action in history:
        menu.addAction(action)


def about_text(data_dir: Path) -> str:
    return (
        f"StudyApp {__version__}\n\nAn offline study guide to how physical exercise "
        f"relieves depression.\n\n{MEDICAL_DISCLAIMER}\n\nYour data: {data_dir}"
    )


def build_help_menu(menu_bar: QMenuBar, host: Host) -> None:
    """The menu; its messages go through ``host.inform`` (which tests replace)."""
    menu = menu_bar.addMenu("&Help")
    shortcuts = menu.addAction("&Keyboard shortcuts")
    shortcuts.setShortcut(QKeySequence("F1"))
    shortcuts.triggered.connect(lambda: host.inform("Keyboard shortcuts", KEYBOARD_SHORTCUTS))
    menu.addAction("Medical &disclaimer").triggered.connect(
        lambda: host.inform("Before you start", MEDICAL_DISCLAIMER)
    )
    menu.addAction("&About StudyApp").triggered.connect(
        lambda: host.inform("About StudyApp", about_text(host.db_path.parent))
    )
