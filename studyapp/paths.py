"""Where things live: the shipped resources/ and seeds/, and the learner's data directory.

The shipped folders are found the same way from a source checkout (top of the repository), an
installed wheel (``studyapp/_data/``, see pyproject.toml) and a PyInstaller bundle
(``sys._MEIPASS``, see build.spec).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "StudyApp"
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
DATABASE_NAME = "studyapp.sqlite3"

_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ShippedDirs:
    """The two read-only folders the app ships with."""

    resources: Path
    seeds: Path

    @property
    def content(self) -> Path:
        """The curated mechanisms and facts."""
        return self.resources / "content"


def shipped_dirs() -> ShippedDirs:
    """Find resources/ and seeds/ for this way of running; raise if none has them."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle))
    candidates.append(_PACKAGE_DIR / "_data")  # installed wheel
    candidates.append(_PACKAGE_DIR.parent)  # source checkout
    for base in candidates:
        if (base / "resources").is_dir() and (base / "seeds").is_dir():
            return ShippedDirs(resources=base / "resources", seeds=base / "seeds")
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"StudyApp's resources/ and seeds/ folders were not found (looked in {searched}); "
        "reinstall the app."
    )


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The learner's data directory: --data-dir, else $STUDYAPP_DATA_DIR, else the platform's."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(directory: Path) -> Path:
    return directory / DATABASE_NAME
