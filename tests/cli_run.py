"""Run the command line in-process, as a user would, and capture what it prints (shared by the CLI tests)."""

from __future__ import annotations

import pytest

from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`ownit ARGS --no-user-data`: (exit code, stdout, stderr)."""
    code = main([*args, "--no-user-data"])
    out, err = capsys.readouterr()
    return code, out, err
