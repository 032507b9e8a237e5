"""`python -m tui` runs the same entry point as the `ownit` console script."""

from __future__ import annotations

from tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
