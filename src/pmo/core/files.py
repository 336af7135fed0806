"""Files the command line writes: all or nothing, never a half-written file."""

from __future__ import annotations

import contextlib
import os
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
    folder = path.parent
    if not folder.is_dir():
        return f"{option} {text}: the folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{option} {text}: the folder {folder} is not writable"
    return None


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path``: a temporary file beside it, renamed over it when complete.

    Readers see the old file or the whole new one; when writing fails the temporary file is
    removed and ``OSError`` is raised with ``filename`` set to ``path`` (not to the temporary
    file, which the user never asked for).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        # O_EXCL: never write through a file (or a link) someone else put there.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
