"""Atomic file writing: every file chainkg writes goes through a temporary file and a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from graph.errors import ExportError

__all__ = ["write_text", "write_bytes", "public_mode"]


def public_mode(directory: bool = False) -> int:
    """The mode a new file (or folder) would get from the umask; temp files start private, outputs should not."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no half-written file remains."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, public_mode())  # mkstemp makes 0600 files; outputs are meant to be shared
        os.replace(tmp, path)
    except OSError as err:
        raise ExportError(f"{path}: cannot write ({err.strerror})") from err


def write_text(path: Path | str, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends to ``path``, atomically (see :func:`write_bytes`)."""
    write_bytes(path, text.encode("utf-8"))
