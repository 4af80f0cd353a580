"""Start local SPARQL servers on loopback for tests and benchmarks: the Oxigraph server and Virtuoso open source.

Both run as child processes on a free 127.0.0.1 port with a data folder the caller owns, and stop cleanly (the
process started here is ended by its own id, nothing else). Virtuoso is started non-interactively with a private
``virtuoso.ini``: Debian's post-install cannot start it in a container.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import GraphError

__all__ = ["free_port", "ServerError", "OxigraphServer", "VirtuosoServer", "VIRTUOSO_INI"]

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


class ServerError(GraphError):
    """A local server that cannot be started."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-400:] if log.exists() else ""
            raise ServerError(f"server exited with code {proc.returncode}: {tail.strip()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: up
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise ServerError(f"server did not answer {url} within {timeout:.0f} s")


def _stop(proc: subprocess.Popen | None, timeout: float = 20) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


@dataclass
class OxigraphServer:
    """``oxigraph serve`` (PyPI ``oxigraph``) on ``127.0.0.1:port`` over the ``location`` folder."""

    location: Path
    port: int = 0
    proc: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def start(self, timeout: float = 30) -> OxigraphServer:
        exe = shutil.which("oxigraph")
        if exe is None:
            raise ServerError("oxigraph: executable not found; pip install oxigraph")
        self.port = self.port or free_port()
        self.location.mkdir(parents=True, exist_ok=True)
        log = self.location.parent / f"{self.location.name}.log"
        with open(log, "w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                [exe, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait(f"{self.base}/query?query=ASK%7B%7D", self.proc, timeout, log)
        return self

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class VirtuosoServer:
    """Virtuoso open source (Debian ``virtuoso-opensource``) with a private ini and database in ``folder``.

    The account is Debian's default ``dba`` / ``dba``, reachable only on loopback.
    """

    folder: Path
    port: int = 0  # HTTP
    sql_port: int = 0
    proc: subprocess.Popen | None = field(default=None, repr=False)
    user: str = "dba"
    password: str = "dba"

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def store_url(self) -> str:
        # the Graph Store endpoint that accepts writes (HTTP Digest); the anonymous one answers 403
        return f"http://127.0.0.1:{self.port}/sparql-graph-crud-auth"

    @staticmethod
    def available() -> bool:
        return shutil.which("virtuoso-t") is not None and VIRTUOSO_INI.is_file()

    def _ini(self) -> Path:
        db = self.folder.resolve()
        lines = []
        section = ""
        for line in VIRTUOSO_INI.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("["):
                section = stripped
            key = stripped.split("=")[0].strip() if "=" in stripped and not stripped.startswith(";") else ""
            if "/var/lib/virtuoso-opensource-7/db/" in line:
                line = line.replace("/var/lib/virtuoso-opensource-7/db/", f"{db}/")
            elif key == "ServerPort" and section == "[Parameters]":
                line = f"ServerPort = 127.0.0.1:{self.sql_port}"
            elif key == "ServerPort" and section == "[HTTPServer]":
                line = f"ServerPort = 127.0.0.1:{self.port}"
            lines.append(line)
        ini = db / "virtuoso.ini"
        ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return ini

    def start(self, timeout: float = 90) -> VirtuosoServer:
        if not self.available():
            raise ServerError("virtuoso-t: not installed; apt-get install virtuoso-opensource")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self.sql_port = self.sql_port or free_port()
        ini = self._ini()
        log = self.folder / "console.log"
        with open(log, "w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                ["virtuoso-t", "+configfile", str(ini), "+foreground"],
                cwd=self.folder,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait(f"{self.query_url}?query=ASK%7B%7D", self.proc, timeout, log)
        return self

    def stop(self) -> None:
        _stop(self.proc, timeout=60)
        self.proc = None

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
