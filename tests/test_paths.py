"""resources/ and seeds/ are found from a checkout, a wheel and a bundle; data dir precedence."""

import sys
from pathlib import Path

import pytest

from studyapp import paths

REPO = Path(__file__).resolve().parent.parent


def make_layout(base: Path) -> Path:
    (base / "resources").mkdir(parents=True)
    (base / "seeds").mkdir()
    return base


def test_source_checkout():
    found = paths.shipped_dirs()
    assert found.seeds == REPO / "seeds"
    assert found.resources == REPO / "resources"


def test_installed_wheel(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "studyapp"
    make_layout(package / "_data")
    monkeypatch.setattr(paths, "_PACKAGE_DIR", package)
    assert paths.shipped_dirs().seeds == package / "_data" / "seeds"


def test_pyinstaller_bundle_comes_first(tmp_path, monkeypatch):
    bundle = make_layout(tmp_path / "bundle")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.shipped_dirs().resources == bundle / "resources"


def test_missing_folders_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "_PACKAGE_DIR", tmp_path / "nowhere" / "studyapp")
    with pytest.raises(FileNotFoundError, match="reinstall"):
        paths.shipped_dirs()


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert paths.data_dir() == tmp_path / "from-env"
    assert paths.data_dir(tmp_path / "from-flag") == tmp_path / "from-flag"
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    assert paths.data_dir().name == "StudyApp"
