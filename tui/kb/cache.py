"""A pickle cache of the validated knowledge base, so start-up skips YAML.

The key is a fingerprint of every source file (path, size, mtime) plus the
ownit and Python versions: any change to any data or overlay file, or an
upgrade, misses. A cache that cannot be read is ignored and rewritten; a
cache that cannot be written is skipped. Validation errors are never cached.

The file holds two pickles: first what the app's first frame draws (layers,
services, meta and the record counts), then everything else. Loading reads
the whole file but unpickles only the first; the second is unpickled when the
knowledge base first needs it (KnowledgeBase.__getattr__). A second half that
fails then is rebuilt from the sources like any unreadable cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tui import __version__
from tui.kb.knowledge import KnowledgeBase
from tui.kb.loader import paused_gc

FORMAT = 4
# The first pickle: what the first frame needs (the service list, one service's stack, the nav bar).
CORE = ("layers", "services", "meta", "files", "_aliases")
COUNTED = ("controls", "tools", "frameworks")  # the nav bar counts them before they are loaded


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("ownit", appauthor=False)


def fingerprint(sources: Sequence[Path]) -> str:
    from tui.kb.loader import walk_data_files

    h = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}".encode())
    for source in sources:
        source = Path(source)
        h.update(f"\0src:{source.resolve()}".encode())
        for path in [str(source)] if source.is_file() else walk_data_files(source):
            try:
                st = os.stat(path)
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
        kb = _read(path, build)
        if kb is not None:
            return kb
    except Exception:  # a missing, truncated or foreign cache is simply rebuilt
        pass
    kb = build()
    _write(path, kb)
    return kb


def _read(path: Path, build: Callable[[], KnowledgeBase]) -> KnowledgeBase | None:
    with path.open("rb") as fh, paused_gc():  # unpickling only builds objects that live on (see paused_gc)
        core = pickle.load(fh)
        rest = fh.read()  # read now: the file may be replaced before the rest is needed
    if not (isinstance(core, dict) and core.get("rest_bytes") == len(rest)):
        return None  # foreign or truncated
    kb = KnowledgeBase.__new__(KnowledgeBase)  # no __init__: the indexes come with the rest
    kb.__dict__.update(core["attrs"], _counts=core["counts"], _pending=lambda: _load_rest(rest, path, build))
    return kb


def _load_rest(data: bytes, path: Path, build: Callable[[], KnowledgeBase]) -> dict[str, Any]:
    try:
        with paused_gc():
            rest = pickle.loads(data)
        if isinstance(rest, dict):
            return rest
    except Exception:
        pass
    kb = build()  # the same sources, read again: the cache's second half was unreadable
    _write(path, kb)
    return {name: value for name, value in vars(kb).items() if name not in CORE}


def _write(path: Path, kb: KnowledgeBase) -> None:
    attrs = vars(kb)
    core = {"attrs": {name: attrs[name] for name in CORE}, "counts": {kind: len(attrs[kind]) for kind in COUNTED}}
    rest = pickle.dumps({name: value for name, value in attrs.items() if name not in CORE},
                        protocol=pickle.HIGHEST_PROTOCOL)
    core["rest_bytes"] = len(rest)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("kb-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(core, fh, protocol=pickle.HIGHEST_PROTOCOL)
            fh.write(rest)
        os.replace(tmp, path)
    except OSError:
        pass
