"""Serving a build as a SPARQL endpoint with the Oxigraph server (the ``oxigraph`` package).

The build's store is an on-disk Oxigraph store, which the Oxigraph server of the same
version opens directly: ``oxigraph serve-read-only`` by default, so the build is never
modified, or ``oxigraph serve`` when asked to accept updates. Both run with
``--union-default-graph``, so a query without ``GRAPH`` sees the union of the named graphs,
as the named queries do locally.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from polgraph.errors import UsageError
from polgraph.graphs.store import store_path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable installed with polgraph (or the first on ``PATH``)."""
    names = ("oxigraph.exe", "oxigraph") if sys.platform == "win32" else ("oxigraph",)
    folders = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    for folder in folders:
        for name in names:
            candidate = Path(folder) / name
            if candidate.is_file():
                return str(candidate)
    found = shutil.which("oxigraph")
    if found is None:
        raise UsageError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class Endpoints:
    """The URLs of a running server."""

    query: str
    graph_store: str
    update: str | None


def endpoints(host: str, port: int, read_only: bool = True) -> Endpoints:
    """The query, graph store and (unless read-only) update URLs of the server."""
    base = f"http://{_authority(host, port)}"
    return Endpoints(f"{base}/query", f"{base}/store", None if read_only else f"{base}/update")


def server_command(build_dir: Path, host: str, port: int, read_only: bool = True) -> list[str]:
    """The command line that serves the build's store."""
    store = store_path(build_dir)
    if not store.is_dir():
        raise UsageError(
            f"no build in {build_dir} (no {store.name}/ folder): run 'polgraph build' first"
        )
    mode = "serve-read-only" if read_only else "serve"
    return [
        oxigraph_binary(),
        mode,
        "--location",
        str(store),
        "--bind",
        _authority(host, port),
        "--union-default-graph",
    ]


def check_port_free(host: str, port: int) -> None:
    """A clear :class:`UsageError` when something already listens on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            raise UsageError(
                f"cannot listen on {_authority(host, port)}: {err.strerror or err} "
                "(another server there? pick another with --port)"
            ) from None


def wait_for_port(
    host: str, port: int, timeout: float, alive: Callable[[], bool] = lambda: True
) -> bool:
    """Whether ``host:port`` accepts connections within ``timeout`` s (stops when not alive)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Server:
    """An Oxigraph server over a build, as a child process."""

    def __init__(self, build_dir: Path, host: str = "127.0.0.1", port: int = 7878,
                 read_only: bool = True) -> None:
        self.command = server_command(build_dir, host, port, read_only)
        self.host, self.port, self.read_only = host, port, read_only
        self.endpoints = endpoints(host, port, read_only)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> Endpoints:
        """Start the server and wait until it accepts connections."""
        check_port_free(self.host, self.port)
        self._process = subprocess.Popen(
            self.command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        if not wait_for_port(self.host, self.port, timeout, self.alive):
            message = self.output().strip() or "no message"
            self.stop()
            raise UsageError(f"the Oxigraph server did not start: {message}")
        return self.endpoints

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def output(self) -> str:
        """What the server printed so far."""
        self._log.seek(0)
        return self._log.read().decode("utf-8", errors="replace")

    def wait(self) -> int:
        """Block until the server stops; its exit status."""
        assert self._process is not None
        return self._process.wait()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop the server (terminate, then kill if it lingers).

        Oxigraph's graceful shutdown waits for open client connections (a client's idle
        keep-alive one can hold it for long); Ctrl-C should stop it promptly, and its store
        is crash-safe, so it is killed after ``timeout`` seconds."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._log.close()


def serve(
    build_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    read_only: bool = True,
    on_ready: Callable[[Endpoints], None] | None = None,
) -> int:
    """Serve the build until interrupted (Ctrl-C or SIGTERM); the server's exit status."""
    server = Server(build_dir, host, port, read_only)

    def stop_on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop_on_term) if in_main else None
    # Ctrl-C stops the server even when the parent started us with SIGINT ignored (a child
    # inherits an ignored SIGINT, and Python then installs no handler of its own).
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler) if in_main else None
    try:
        ready = server.start()
        if on_ready is not None:
            on_ready(ready)
        status = server.wait()
        if status != 0:
            raise UsageError(f"the Oxigraph server stopped (status {status}): "
                             f"{server.output().strip()}")
        return status
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        if in_main:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)
