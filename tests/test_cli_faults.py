"""Every terminal command ends in a sentence, never a traceback, whatever the learner (or the
machine) does to it; writes go only to regular files; one writer per data folder."""

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.core.lock import FolderLock
from tests.helpers.library import answers_in, fill_disk

REPO = Path(__file__).resolve().parent.parent


def start(*args: str, data_dir: Path, **options) -> subprocess.Popen:
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data_dir)}
    return subprocess.Popen([sys.executable, "-m", "studyapp", *args], env=env, cwd=REPO, **options)


def run(*args: str, data_dir: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    process = start(
        *args,
        data_dir=data_dir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = process.communicate(stdin, timeout=120)
    return subprocess.CompletedProcess(
        process.args, process.returncode, out.decode(errors="replace"), err.decode(errors="replace")
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


def test_binary_garbage_on_stdin_is_graded_not_crashed(data_dir):
    """C8: UnicodeEncodeError (surrogates) in grading."""
    garbage = os.urandom(200_000)
    result = run("review", "--limit", "40", data_dir=data_dir, stdin=garbage)
    no_traceback(result)
    assert result.returncode == 0


def test_ctrl_c_while_waiting_for_an_answer_says_what_was_saved(library, data_dir):
    """C9: KeyboardInterrupt traceback."""
    process = start(
        "review",
        data_dir=data_dir,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdin.write(b"1\n3\n")  # one answer, rated
    process.stdin.flush()
    seen = b""
    while seen.count(b"> ") < 3:  # the third prompt: waiting for the next answer
        seen += process.stdout.read1(4096)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err.decode()
    assert "Stopped. Every answer you rated is saved." in err.decode()
    assert answers_in(library) == 16


def test_a_closed_pipe_ends_quietly(library, data_dir):
    """C10: BrokenPipeError traceback from `search exercise | head -1`."""
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        f"{sys.executable} -m studyapp search exercise | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert result.stdout  # the reader got its ten bytes
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--screenshots", "FILE", "--size", "abc"], "'abc' is not a size"),
        (["--screenshots", "FILE"], "needs a folder"),
        (["review", "--limit", "0"], "'0' is not a number of answers"),
        (["review", "--limit", "-5"], "'-5' is not a number of answers"),
    ],
)
def test_bad_arguments_get_a_sentence(data_dir, tmp_path, args, message):
    """C12 and M6."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    result = run(*[str(a_file) if a == "FILE" else a for a in args], data_dir=data_dir)
    no_traceback(result)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize("keys", [b"", b"q\n"])
def test_quitting_at_once_is_not_called_nothing_due(library, data_dir, keys):
    """M6: EOF or q at the first question printed "Nothing is due right now"."""
    result = run("review", data_dir=data_dir, stdin=keys)
    assert "Nothing is due" not in result.stdout
    assert "Stopped before the first answer; nothing was saved." in result.stdout


def test_a_full_disk_gets_a_sentence_in_every_command(library_template, data_dir, small_disk):
    """C4: `database or disk is full` tracebacks from ingest, stats and review."""
    disk = small_disk(600)
    for command in (["ingest"], ["stats"], ["review", "--limit", "1"]):
        result = run(*command, data_dir=disk / "data")
        no_traceback(result)
        assert result.returncode != 0
        assert "disk is full" in result.stderr, result.stderr


def test_the_disk_filling_during_a_review_loses_no_rated_answer(library_template, small_disk):
    """C4 mid-session: the answer that could not be saved waits to be rated again."""
    from datetime import UTC, datetime

    from studyapp.core.db import open_database
    from studyapp.terminal import run_review

    disk = small_disk(2048)
    path = disk / "studyapp.sqlite3"
    path.write_bytes(library_template.read_bytes())
    db = open_database(path)
    filler: list[Path] = []
    keys = iter(["1", "3", "1", "FILL", "3", "FREE", "3", "q"])
    written: list[str] = []

    def read(prompt: str) -> str:
        if written and written[-1].startswith("Press Enter to begin"):  # a new unit's card
            written.append("")
            return ""
        key = next(keys)
        if key == "FILL":  # an empty -wal first: the next commit must find new space
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            filler.append(fill_disk(disk))
            return next(keys)
        if key == "FREE":
            filler.pop().unlink()
            return next(keys)
        return key

    run_review(db, read, written.append, lambda: datetime(2026, 11, 22, 9, tzinfo=UTC))
    db.close()
    assert any("This was not saved: the disk is full" in line for line in written), written
    assert answers_in(path) == 17  # both answers: the second once space was freed


def test_a_terminal_review_cannot_run_beside_a_window(library, data_dir):
    """M8: a window and a terminal review answered the same new items twice."""
    window = FolderLock(data_dir).acquire()
    try:
        result = run("review", data_dir=data_dir, stdin=b"1\n3\n")
        assert result.returncode == 2
        assert "Nothing was changed: StudyApp is already open" in result.stderr
        reading = run("stats", data_dir=data_dir)  # reading is fine, beside a window
        assert reading.returncode == 0 and "Answered today" in reading.stdout
    finally:
        window.release()
    assert answers_in(library) == 15


def test_restore_refuses_while_a_window_holds_the_folder(library, data_dir, tmp_path):
    """M7: a restore replaced the data under an open window."""
    backup = tmp_path / "copy.sqlite3"
    backup.write_bytes(library.read_bytes())
    window = FolderLock(data_dir).acquire()
    try:
        result = run("restore", str(backup), data_dir=data_dir)
    finally:
        window.release()
    assert result.returncode == 2
    assert "File → Restore from backup" in result.stderr
    assert not list((data_dir / "backups").glob("*before-restore*"))


def test_export_refuses_devices_and_pipes(library, data_dir, tmp_path):
    """U1: `export /dev/full` as root replaced the device with a text file."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    targets = [pipe]
    if os.getuid() == 0:  # a device node of our own, never the system's
        device = tmp_path / "full"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        targets.append(device)
    for target in targets:
        kind = stat.S_IFMT(target.stat().st_mode)
        for args in (
            ["export", str(target)],
            ["export", "--format", "apkg", str(target)],
            ["bookmarks", "export", str(target)],
        ):
            result = run(*args, data_dir=data_dir)
            assert result.returncode == 2, result.stdout
            assert "not a file" in result.stderr
            assert stat.S_IFMT(target.stat().st_mode) == kind


def test_export_through_a_link_writes_the_file_and_keeps_the_link(library, data_dir, tmp_path):
    real = tmp_path / "facts.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run("export", str(link), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_text().startswith("{")
