"""File primitives for project files: fingerprints, the sibling lock, atomic replace.

See `tui.checklist.store` for the design these serve (no lost updates, no torn files).
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.kb.errors import OwnitError

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_TIMEOUT = 10.0
TMP_SUFFIX = ".ownit-tmp"
READ_ONLY_ENV = "OWNIT_READ_ONLY"  # "1": `ownit --read-only` / `ownit serve --read-only`; no write at all


def read_only_from_env() -> bool:
    """True when this process runs read-only (a server's environment reaches every app it starts)."""
    return os.environ.get(READ_ONLY_ENV, "") not in ("", "0")


@dataclass(frozen=True)
class Fingerprint:
    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Fingerprint:
        return cls(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def locked(path: Path, timeout: float | None = None) -> FileLock:
    from filelock import FileLock  # on the first save, not at start-up (the app reads read_only_from_env)

    return FileLock(str(lock_path(path)), timeout=LOCK_TIMEOUT if timeout is None else timeout)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, whole."""
    if read_only_from_env():
        raise PermissionError(errno.EROFS, "ownit runs read-only (--read-only); nothing was written", str(path))
    directory = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:  # not supported here (Windows): the rename is still atomic
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def remove_stale_temps(path: Path) -> None:
    for stale in path.parent.glob(f".{path.name}.*{TMP_SUFFIX}"):
        try:
            stale.unlink()
        except OSError:
            pass


def read_with_fingerprint(path: Path) -> tuple[bytes, Fingerprint]:
    with path.open("rb") as fh:
        data = fh.read()
        st = os.fstat(fh.fileno())
    return data, Fingerprint.of(data, st)


@contextmanager
def hold_lock(path: Path) -> Iterator[None]:
    """Hold the project's lock; the lock file is removed when the save is done, so none is left in the repo.

    Removing it before releasing is safe: the work under the lock is finished, a process that opened the
    old file and waits on it finds it unlinked once it gets it and locks the path anew (filelock >= 4.3
    checks the link count after each flock), and a process that creates a new file meanwhile only overlaps
    with a holder whose save is complete."""
    from filelock import Timeout

    lock = locked(path)
    try:
        lock.acquire()
    except Timeout:
        raise OwnitError(f"{path} is being saved by another ownit (lock {lock_path(path)}); try again") from None
    try:
        yield
    finally:
        try:
            lock_path(path).unlink(missing_ok=True)
        except OSError:
            pass  # a read-only directory or a vanished one: the lock file stays, harmlessly
        lock.release()
