"""`ownit serve`: its options, its warning off loopback, the command each browser tab runs."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

from tui.checklist.atomic import READ_ONLY_ENV
from tui.cli import main
from tui.commands import serve_cli


class FakeServer:
    """Stands in for textual_serve.server.Server: records what ownit asked for, serves nothing."""

    made: list[FakeServer] = []

    def __init__(self, command: str, host: str = "localhost", port: int = 8000, title: str | None = None,
                 public_url: str | None = None) -> None:
        self.command, self.host, self.port, self.title, self.public_url = command, host, port, title, public_url
        self.env_read_only = None
        FakeServer.made.append(self)

    def serve(self, debug: bool = False) -> None:
        self.env_read_only = os.environ.get(READ_ONLY_ENV)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    pytest.importorskip("textual_serve", reason="needs textual-serve (pip install '.[serve]')")
    import textual_serve.server

    FakeServer.made.clear()
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    return FakeServer


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                                ("localhost", True), ("0.0.0.0", False), ("::", False),
                                                ("10.1.2.3", False), ("192.168.0.10", False)])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert serve_cli.is_loopback(host) is loopback


def test_each_tab_runs_this_python_on_the_project_with_the_same_options(tmp_path: Path) -> None:
    project = tmp_path / "my project's.yaml"  # a space and a quote survive the shell
    command = serve_cli.app_command(project, [tmp_path / "team data"], include_user=False, read_only=True)
    assert shlex.split(command) == [sys.executable, "-m", "tui", str(project), "--data", str(tmp_path / "team data"),
                                    "--no-user-data", "--read-only"]
    assert shlex.split(serve_cli.app_command(None, [], True, False)) == [sys.executable, "-m", "tui"]


def test_serves_on_loopback_by_default(fake_server: type[FakeServer], shipped_fixture: Path, project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(project), "--no-user-data"]) == 0
    out, err = capsys.readouterr()
    (server,) = fake_server.made
    assert (server.host, server.port, server.public_url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert f"ownit: serving {project} at http://127.0.0.1:8000" in out and "Ctrl+C" in out
    assert err == ""  # no warning on loopback
    assert shlex.split(server.command)[3:] == [str(project), "--no-user-data"]
    assert server.env_read_only == "0"  # writable (the conftest's default)


def test_a_non_loopback_host_is_a_warning(fake_server: type[FakeServer], shipped_fixture: Path, project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(project), "--host", "0.0.0.0", "--port", "8123", "--no-user-data"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("ownit: warning: serving on 0.0.0.0, not loopback")
    assert "no authentication" in err and "change the project" in err
    (server,) = fake_server.made
    assert server.host == "0.0.0.0" and server.public_url.endswith(":8123") and "0.0.0.0" not in server.public_url
    assert main(["serve", "--host", "10.0.0.5", "--public-url", "https://review.example", "--no-user-data"]) == 0
    out, err = capsys.readouterr()
    assert "warning" in err and "https://review.example" in out
    assert fake_server.made[-1].public_url == "https://review.example"


def test_read_only_reaches_every_tab(fake_server: type[FakeServer], shipped_fixture: Path, project: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    before = project.read_bytes()
    assert main(["serve", str(project), "--read-only", "--no-user-data"]) == 0
    (server,) = fake_server.made
    assert server.command.endswith("--read-only") and server.env_read_only == "1"  # flag and environment
    assert "(read-only)" in capsys.readouterr().out
    assert project.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["serve", "missing.yaml"], "missing.yaml: no such project file"),
    (["serve", "notes.txt"], "not a project file"),
    (["serve", "--port", "0"], "is not a port"),
    (["serve", "--port", "http"], "invalid int value"),
])
def test_usage_errors(fake_server: type[FakeServer], shipped_fixture: Path, args: list[str], message: str,
                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*args, "--no-user-data"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert fake_server.made == []


def test_without_textual_serve_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch, shipped_fixture: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    assert main(["serve", "--no-user-data"]) == 2
    assert "pip install 'ownit[serve]'" in capsys.readouterr().err


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    """A real server (in its own process: it owns the event loop and the signal handlers)."""
    pytest.importorskip("textual_serve", reason="needs textual-serve (pip install '.[serve]')")
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "tui", "serve", "--port", str(port), "--no-user-data"],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"ownit: error: cannot serve on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
