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


@pytest.fixture(scope="session")
def library_template(tmp_path_factory) -> Path:
    """A database with the seeds, 15 answers and a bookmark, built once per test run."""
    from tests.helpers.library import build_library, settle

    path = tmp_path_factory.mktemp("template") / "studyapp.sqlite3"
    build_library(path, answers=15)
    settle(path)
    return path


@pytest.fixture
def library(library_template: Path, data_dir: Path) -> Path:
    """A fresh copy of the template as this test's live database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = paths.database_path(data_dir)
    path.write_bytes(library_template.read_bytes())
    return path


@pytest.fixture
def small_disk(tmp_path: Path):
    """mount(size_kib) -> a folder on a tmpfs of that size (unmounted afterwards); remount(path,
    "ro") makes it read-only, for root too. Skips where mounting is not allowed."""
    import subprocess

    mounted: list[Path] = []

    def mount(size_kib: int) -> Path:
        target = tmp_path / f"disk{len(mounted)}"
        target.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(target)],
            capture_output=True,
        )
        if done.returncode != 0:
            pytest.skip("this machine does not allow mounting a small disk")
        mounted.append(target)
        return target

    def remount(target: Path, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(target)], check=True)

    mount.remount = remount
    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)
