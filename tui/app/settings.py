"""The app's small user config (the theme), as JSON under the platformdirs config dir.

A missing, unreadable or corrupt file reads as the defaults, silently: a
preference is never worth an error at start-up. Writes are atomic.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_THEME = "textual-dark"


@dataclass
class Settings:
    theme: str = DEFAULT_THEME


def config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("ownit", appauthor=False) / "app.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    theme = raw.get("theme")
    return Settings(theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically; a config dir that cannot be written is skipped."""
    path = path or config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".app-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(settings), fh, indent=2)
        os.replace(tmp, path)
    except OSError:
        pass
