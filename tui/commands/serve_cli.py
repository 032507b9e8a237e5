"""`ownit serve [PROJECT]`: the same app in a browser, through textual-serve.

textual-serve runs one app process per browser tab (a command line, started
with the environment of this process) and relays it over a websocket to
xterm.js. So a tab is `ownit [PROJECT] [--data DIR]... [--read-only]` run by
this very Python; two tabs on one project are two writers, and the project
file's lock and item-level merge keep both sets of changes. `--read-only`
reaches the tabs twice: as the app's flag and as OWNIT_READ_ONLY in their
environment, which the checklist store and every file write obey.

textual-serve has no authentication: whoever reaches the port acts as the
user who started the server. So it binds to 127.0.0.1 unless `--host` says
otherwise, and then says so on stderr.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import socket
import sys
from pathlib import Path

from tui.kb.errors import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_parser(sub: argparse._SubParsersAction, common) -> None:  # type: ignore[type-arg, no-untyped-def]
    p = sub.add_parser("serve", help="the same app in a browser (textual-serve), loopback by default")
    p.add_argument("project", nargs="?", type=Path, metavar="PROJECT", help="open this project file in every tab")
    p.add_argument("--host", default=None, metavar="H",
                   help=f"address to bind (default {DEFAULT_HOST}; anything else is reachable by others: "
                        "there is no authentication)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="P", help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--public-url", default=None, metavar="URL",
                   help="the URL browsers use to reach this server, when it differs (a proxy, a wildcard bind)")
    p.add_argument("--read-only", action="store_true",
                   help="nothing can be changed: statuses, notes, services, baseline; exports are still downloads")
    common(p)


def is_loopback(host: str) -> bool:
    """True when every address `host` names is a loopback one (127.0.0.0/8, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def public_url(host: str, port: int) -> str:
    """What a browser opens; a wildcard bind (0.0.0.0, ::) is shown under this machine's name."""
    shown = host
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        addr = None
    if addr is not None and addr.is_unspecified:
        shown = socket.getfqdn() or socket.gethostname()
    elif addr is not None and addr.version == 6:
        shown = f"[{addr}]"
    return f"http://{shown}:{port}"


def app_command(project: Path | None, data: list[Path], include_user: bool, read_only: bool) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, `-m tui`, quoted for the shell.
    Paths stay as given: a tab's process starts in the server's working directory."""
    argv = [sys.executable, "-m", "tui"]
    if project is not None:
        argv.append(str(project))
    for d in data:
        argv += ["--data", str(d)]
    if not include_user:
        argv.append("--no-user-data")
    if read_only:
        argv.append("--read-only")
    return shlex.join(argv)


def server_class() -> type:
    """textual-serve's Server, made to stop at once on Ctrl+C with tabs still open.

    aiohttp's graceful exit waits (up to a minute) for every open websocket
    handler, and textual-serve closes none on shutdown: so each tab's session
    is cancelled here, which quits its app process and closes its socket."""
    import asyncio

    from textual_serve.server import Server

    class OwnitServer(Server):  # type: ignore[misc, valid-type]
        sessions: set[asyncio.Task[object]]

        async def handle_websocket(self, request):  # type: ignore[no-untyped-def]
            task = asyncio.current_task()
            sessions = self.__dict__.setdefault("sessions", set())
            if task is not None:
                sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                sessions.discard(task)

        async def on_shutdown(self, app) -> None:  # type: ignore[no-untyped-def]
            await super().on_shutdown(app)
            tasks = list(self.__dict__.get("sessions", ()))
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=10)

    return OwnitServer


def cmd_serve(args: argparse.Namespace) -> int:
    from tui.checklist.atomic import READ_ONLY_ENV

    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port (1-65535)")
    try:
        Server = server_class()
    except ImportError:
        raise UsageError("ownit serve needs textual-serve: pip install 'ownit[serve]' "
                         "(or pip install textual-serve)") from None
    project: Path | None = args.project
    if project is not None and project.suffix not in (".yaml", ".yml"):
        raise UsageError(f"'{project}' is not a project file (.yaml or .yml)")
    # Fail here, in the terminal, rather than in every browser tab: the knowledge base and the project load.
    from tui.checklist.store import ProjectFile
    from tui.kb import load_kb

    kb = load_kb(args.data, include_user=not args.no_user_data)
    if project is not None:
        if not project.exists():
            raise UsageError(f"{project}: no such project file (create it with `ownit init {project} --services ...`)")
        ProjectFile.open(project, kb)

    host = args.host or DEFAULT_HOST
    url = args.public_url or public_url(host, args.port)
    if not is_loopback(host):
        sys.stderr.write(f"ownit: warning: serving on {host}, not loopback: anyone who can reach port {args.port} "
                         "can use this app as you"
                         + (" and change the project" if project is not None and not args.read_only else "")
                         + " (textual-serve has no authentication)\n")
    if args.read_only:
        os.environ[READ_ONLY_ENV] = "1"  # every tab inherits it: the store refuses to save, whatever asks
    command = app_command(project, args.data, not args.no_user_data, args.read_only)
    title = f"ownit · {project.stem}" if project is not None else "ownit"
    server = Server(command, host=host, port=args.port, title=title, public_url=url)
    what = f"{project}" + (" (read-only)" if args.read_only else "") if project is not None else "the knowledge base"
    print(f"ownit: serving {what} at {url}  (Ctrl+C stops)", flush=True)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not ours
        raise UsageError(f"cannot serve on {host}:{args.port}: {exc.strerror or exc}") from None
    print("ownit: stopped", flush=True)
    return 0
