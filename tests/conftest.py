"""Every test runs offscreen, with a fresh data directory and never the learner's home."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from pathlib import Path

import pytest

from studyapp import paths
from studyapp.core.db import open_database

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(directory))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return directory


@pytest.fixture
def db(data_dir: Path):
    database = open_database(paths.database_path(data_dir))
    yield database
    database.close()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds, for tests that break or change files."""
    target = tmp_path / "seeds"
    target.mkdir()
    for path in SEEDS.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target
