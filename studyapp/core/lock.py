"""One writer per data folder.

The window, `studyapp review`, `ingest` and `restore` hold the folder's lock while they run, so
two sessions never answer (or introduce) the same item and a restore never swaps the database
out from under an open window. It is an operating-system lock (through filelock): the system
releases it when the process ends, however it ends, so a crash leaves no stale lock behind.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from studyapp.core.dbfiles import trouble_text

LOCK_NAME = "studyapp.lock"


class FolderBusy(Exception):
    """Another StudyApp (a window or a terminal command) is using the data folder."""


class FolderUnusable(Exception):
    """The lock cannot even be made: the folder is read-only, full or not a folder."""


class FolderLock:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._lock = FileLock(data_dir / LOCK_NAME, timeout=0.2, thread_local=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self) -> FolderLock:
        """Take the lock; FolderBusy if another StudyApp has it, FolderUnusable if it cannot
        be made here."""
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise FolderUnusable(
                f"StudyApp cannot use {self.data_dir} as its data folder (it is a file); choose "
                "another folder with --data-dir"
            )
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout:
            raise FolderBusy(
                f"StudyApp is already open with the data in {self.data_dir}; close it first "
                "(a second session could overwrite its answers)"
            ) from None
        except OSError as error:
            raise FolderUnusable(
                f"StudyApp cannot use its data folder {self.data_dir}: {trouble_text(error)}"
            ) from None
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
