"""The app never needs the network: a whole session with network sockets forbidden."""

import socket

import pytest
from PySide6.QtCore import Qt

from studyapp.core.anki_export import write_apkg
from studyapp.core.export import to_csv, to_json
from studyapp.core.search import search
from tests.ui.test_main_window import open_window


@pytest.fixture
def no_network(monkeypatch):
    attempts = []
    real_socket = socket.socket

    class Guarded(real_socket):
        def __init__(self, family=-1, *args, **kwargs):
            if family in (socket.AF_INET, socket.AF_INET6):
                attempts.append(("socket", family))
                raise PermissionError("network sockets are forbidden in this test")
            super().__init__(family, *args, **kwargs)

    def refuse(*args, **kwargs):
        attempts.append(("connect", args))
        raise PermissionError("network connections are forbidden in this test")

    monkeypatch.setattr(socket, "socket", Guarded)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_a_full_session_makes_no_network_attempt(qtbot, data_dir, tmp_path, no_network):
    window = open_window(qtbot, data_dir)  # ingest of the sources and the content
    for view in ("sources", "mechanisms", "stats", "bookmarks"):
        window.go((view, *(("",) * {"sources": 3, "mechanisms": 1}.get(view, 0))))
    window.go(("mechanisms", "bdnf-neuroplasticity"))
    window.open_fact("wn-bdnf-32-percent")
    window.study("all")
    panel = window.review_panel
    for _ in range(5):
        if panel.session.intro is not None:
            panel.session.begin()
        panel.session.answer(panel.session.current.item.answer)
        qtbot.keyClick(panel, Qt.Key_3)
    assert search(window.db, "quinolinic")
    to_json(window.db)
    to_csv(window.db)
    write_apkg(window.db, tmp_path / "offline.apkg")
    window.backups.back_up_now()
    assert no_network == []


def test_the_guard_itself_catches_a_connection(no_network):
    with pytest.raises(PermissionError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(PermissionError):
        socket.create_connection(("127.0.0.1", 9))
    assert len(no_network) == 2
