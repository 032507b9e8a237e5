"""`ownit init | checklist | export | import | review` (filled in by the checklist issue)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    return None
