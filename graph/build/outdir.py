"""Output folders chainkg may replace, and the swap that replaces them without ever deleting a user's files.

A build writes into a temporary folder beside the output (``.out.new-<pid>-…``) and swaps it in at the end. Before
anything is written, :func:`check_output_folder` refuses an output folder that is, holds or sits inside the seeds
folder, or that holds files chainkg did not write. chainkg marks each folder it writes with a small manifest
(:data:`MANIFEST`) listing its files; only a marked folder whose files are all listed, an empty folder, or a missing
one is replaced.

The swap keeps the old folder until the new one is in place: ``out`` → ``.out.old``, then the new folder → ``out``,
then ``.out.old`` is removed. A build killed between the two renames leaves ``.out.old``; :func:`recover` (run at the
start of every build) puts it back, and removes temporary folders of builds that are no longer running.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from graph.errors import ExportError
from graph.files import public_mode, write_text

__all__ = ["MANIFEST", "check_output_folder", "recover", "new_folder", "write_manifest", "swap_in", "locked"]

log = logging.getLogger(__name__)

MANIFEST = ".chainkg-output.json"
# Folders written before the manifest existed (or whose manifest was deleted) hold only these names: chainkg's own.
_LEGACY = re.compile(
    r"kg\.(ttl|nt|jsonld)|graph\.graphml|index\.html|gaps\.(json|csv|md)|chain-[a-z0-9-]+\.(svg|png)|targets\.xlsx"
    r"|build\.json"
)
# Older versions named temp folders without the pid (tempfile's 8 random characters hold no "-"): always stale.
_TEMP = re.compile(r"\.(?P<name>.+)\.new-(?:(?P<pid>\d+)-)?[^/-]*")
_STALE_SECONDS = (
    3600  # where a process cannot be asked whether it still runs (Windows), an hour-old temp is stale
)


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_output_folder(out: Path | str, seeds_dir: Path | str) -> None:
    """Refuse an output folder that chainkg must not replace.

    Args:
        out: the folder a build would replace.
        seeds_dir: the seeds folder the build reads.

    Raises:
        ExportError: ``out`` is, holds or is inside ``seeds_dir``; is a file; or holds files chainkg did not write.
            The message says why and suggests a folder to use instead.
    """
    out, seeds_dir = Path(out), Path(seeds_dir)
    real_out, real_seeds = out.resolve(), seeds_dir.resolve()
    instead = f"use a folder of its own, such as {seeds_dir.parent / 'out'}"
    if real_out == real_seeds:
        raise ExportError(
            f"{out}: 输出目录就是种子目录 is the seeds folder; building would replace it ({instead})"
        )
    if _inside(real_out, real_seeds):
        raise ExportError(f"{out}: 输出目录在种子目录内 is inside the seeds folder {seeds_dir} ({instead})")
    if _inside(real_seeds, real_out):
        raise ExportError(
            f"{out}: 输出目录包含种子目录 holds the seeds folder {seeds_dir}; building would delete it ({instead})"
        )
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink():
        raise ExportError(
            f"{out}: 是符号链接 is a symbolic link; chainkg replaces only a real folder (use the folder it points to)"
        )
    if not out.is_dir():
        raise ExportError(f"{out}: 不是目录 is not a folder; use a new folder, such as {out}-out")
    try:
        foreign = _foreign(out)
    except OSError as err:
        raise ExportError(f"{out}: cannot be read ({err.strerror})") from err
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" … ({len(foreign)} in all)" if len(foreign) > 3 else "")
        raise ExportError(
            f"{out}: 含有非 chainkg 生成的文件 holds files chainkg did not write ({shown}); chainkg replaces only "
            f"an empty folder or one it wrote; move them away or use a new folder, such as {out / 'out'}"
        )


def _foreign(folder: Path) -> list[str]:
    """Names in ``folder`` that chainkg did not write (per its manifest, or the legacy names without one)."""
    names = sorted(p.name for p in folder.iterdir())
    listed: set[str] | None = None
    manifest = folder / MANIFEST
    if manifest.is_file():
        try:
            listed = set(json.loads(manifest.read_text(encoding="utf-8")).get("files", []))
        except (OSError, ValueError, AttributeError):
            listed = None
    if listed is None:
        return [n for n in names if not _LEGACY.fullmatch(n)]
    return [n for n in names if n != MANIFEST and n not in listed]


def write_manifest(folder: Path, files: list[str]) -> None:
    """Mark ``folder`` as chainkg's own: the names it holds, sorted (no time stamp: builds stay byte-identical)."""
    data = {"chainkg": "build output; replaced by the next build", "files": sorted(files)}
    write_text(folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _alive(pid: int, path: Path) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        try:
            return time.time() - path.stat().st_mtime < _STALE_SECONDS
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def recover(out: Path | str) -> list[str]:
    """Undo what an interrupted build left beside ``out``; return what was done, for the log.

    A missing ``out`` with ``.out.old`` beside it is put back; ``.out.old`` beside an existing ``out`` is removed,
    and so is every ``.out.new-<pid>-…`` whose build no longer runs.
    """
    out = Path(out)
    done: list[str] = []
    old = out.with_name(f".{out.name}.old")
    if old.is_dir() and not old.is_symlink():
        if not out.exists() and not out.is_symlink():
            old.rename(out)
            done.append(f"restored {out} from {old.name}")
        else:
            shutil.rmtree(old, ignore_errors=True)
            done.append(f"removed {old.name}")
    if out.parent.is_dir():
        for path in sorted(out.parent.iterdir()):
            match = _TEMP.fullmatch(path.name)
            if match and match["name"] == out.name and path.is_dir() and not path.is_symlink():
                if match["pid"] is None or not _alive(int(match["pid"]), path):
                    shutil.rmtree(path, ignore_errors=True)
                    done.append(f"removed {path.name}")
    for line in done:
        log.info("%s", line)
    return done


def new_folder(out: Path) -> Path:
    """Create the temporary folder a build writes into, beside ``out`` (so the final rename stays on one disk)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
        tmp.chmod(public_mode(directory=True))
    except OSError as err:
        raise ExportError(f"{out}: cannot create the output folder ({err.strerror})") from err
    return tmp


# renameat2(2) flags and "relative to the working folder", from <linux/fs.h> and <fcntl.h>
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where that is not possible.

    With it, ``out`` is never missing, even for a moment: a kill at any instant leaves the old or the new folder.
    """
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc 2.28 and later
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):  # a file system or kernel without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(tmp: Path, out: Path) -> None:
    """Put the finished folder ``tmp`` in place of ``out``.

    On Linux the two are exchanged atomically; elsewhere the old ``out`` is renamed ``.out.old`` first and put back
    by :func:`recover` if the build dies between the two renames.
    """
    old = out.with_name(f".{out.name}.old")
    try:
        if old.exists():
            shutil.rmtree(old)
        if out.exists() and not out.is_symlink() and _exchange(tmp, out):
            tmp.rename(old)  # tmp now holds the previous output; out/ was complete at every instant
            shutil.rmtree(old, ignore_errors=True)
            return
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except BaseException as err:  # an interrupt too: never leave the old folder set aside
        if old.is_dir() and not out.exists():
            old.rename(out)
        if isinstance(err, OSError):
            raise ExportError(f"{out}: cannot replace the output folder ({err.strerror})") from err
        raise
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an advisory lock on the folder beside ``out`` so that recovery never undoes another build's swap."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; builds there run one at a time in practice
        yield
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
