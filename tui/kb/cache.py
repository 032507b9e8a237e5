"""A pickle cache of the validated knowledge base, so start-up skips YAML.

The key is a fingerprint of every source file (path, size, mtime) plus the
ownit and Python versions: any change to any data or overlay file, or an
upgrade, misses. A cache that cannot be read is ignored and rewritten; a
cache that cannot be written is skipped. Validation errors are never cached.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tui import __version__
from tui.kb.knowledge import KnowledgeBase

FORMAT = 3


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("ownit", appauthor=False)


def fingerprint(sources: Sequence[Path]) -> str:
    from tui.kb.loader import data_files

    h = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}".encode())
    for source in sources:
        h.update(f"\0src:{Path(source).resolve()}".encode())
        for path in data_files(Path(source)):
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(f"\0{path}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def load_cached(sources: Sequence[Path], build: Callable[[], KnowledgeBase]) -> KnowledgeBase:
    if os.environ.get("OWNIT_NO_CACHE"):
        return build()
    key = fingerprint(sources)
    path = cache_dir() / f"kb-{key}.pickle"
    try:
        with path.open("rb") as fh:
            kb = pickle.load(fh)
        if isinstance(kb, KnowledgeBase):
            return kb
    except Exception:  # a missing, truncated or foreign cache is simply rebuilt
        pass
    kb = build()
    _write(path, kb)
    return kb


def _write(path: Path, kb: KnowledgeBase) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("kb-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
