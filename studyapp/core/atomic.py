"""Writing a file the learner names: whole or not at all, and only ever a regular file.

The new content goes to a temporary file beside the target and is renamed over it, so a crash
or a full disk never leaves half a file. A target that is a device, a pipe or a folder is
refused: renaming over it would replace ``/dev/full`` with a text file. A link is followed to
the regular file it points at, and that file is replaced; the link stays.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from studyapp.core.dbfiles import regular_file_problem


class NotARegularFile(OSError):
    """The target exists and is not a regular file; nothing was written."""


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """``write(temporary)`` fills a temporary file, which then replaces ``path``; the path
    written (links followed) is returned."""
    target = path.expanduser().resolve()
    if problem := regular_file_problem(target):
        raise NotARegularFile(0, problem)
    handle, temporary_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def write_text_atomically(path: Path, text: str) -> Path:
    return write_atomically(path, lambda temporary: temporary.write_text(text, "utf-8", newline=""))
