"""Files the command line writes: all or nothing, never a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

__all__ = ["check_output_path", "write_atomically"]


def check_output_path(text: str, option: str = "--out", example: str = "report.pdf") -> str | None:
    """Why the file named ``text`` cannot be written (a one-line message), or ``None``.

    Checked before any work is done, so a typo costs no time: an empty name, a folder
    (``/tmp``, ``/``, ``out/``), a missing folder, or a folder the user may not write to.
    """
    if not text.strip():
        return f"{option} is empty: give a file name, e.g. {example}"
    path = Path(text)
    if not path.name or text.endswith(("/", os.sep)) or path.is_dir():
        return f"{option} {text} is a folder: give a file name, e.g. {path / example}"
    if kind := _not_a_file(path):
        return f"{option} {text} is {kind}, not a regular file: give a file name, e.g. {example}"
    folder = Path(os.path.realpath(path)).parent
    if not folder.is_dir():
        return f"{option} {text}: the folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{option} {text}: the folder {folder} is not writable"
    return None


def _not_a_file(path: Path) -> str | None:
    """What ``path`` is (following links) when it exists and is not a regular file, else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # nothing there yet (or a dangling link: its target is created)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path``: a temporary file beside it, renamed over it when complete.

    A symbolic link is followed: its target is written (the link stays a link); an existing
    file keeps its permission bits; a path that exists and is not a regular file (a FIFO,
    a device, a folder) is refused. Readers see the old file or the whole new one; when
    writing fails the temporary file is removed and ``OSError`` is raised with ``filename``
    set to ``path`` (not to the temporary file, which the user never asked for).
    """
    target = Path(os.path.realpath(path))
    if kind := _not_a_file(target):
        raise OSError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        # O_EXCL: never write through a file (or a link) someone else put there.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as stream:
            if mode is not None:  # a 600 file stays 600
                os.fchmod(stream.fileno(), mode)
            stream.write(content)
        os.replace(tmp, target)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
