"""The query workers behind ``chainkg serve``: separate processes, each with its own copy of the graph.

rdflib cannot be interrupted inside a thread, so every query runs in a worker process that is killed when it passes
the timeout; a fresh worker takes its place and the server goes on. Workers read a snapshot of the dataset (N-Quads,
named graphs kept) so they all start from the same quads.

The pool starts ``workers`` processes and grows, up to ``max_workers``, when a query has waited ``grace`` seconds
with every worker busy: long queries then hold at most the workers they run on, and a short query behind them waits
about one worker start-up (the time to read the snapshot), not until a long one times out.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from graph.errors import GraphError, QueryError
from graph.sparql.engines import open_data
from graph.sparql.results import format_result, negotiate

__all__ = ["Reply", "QueryPool", "worker_main"]

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, media type, body and any extra headers."""

    status: int
    media: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
        return cls(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"), headers)


def worker_main() -> None:
    """Worker process: open the engine once, then answer one JSON request line at a time on stdin.

    Each reply is a JSON header line (status, media type, body length) followed by the body bytes on stdout.
    """
    out, sys.stdout = sys.stdout.buffer, sys.stderr  # a stray print must not corrupt the replies

    def send(meta: dict, body: bytes = b"") -> None:
        try:
            out.write(json.dumps({**meta, "length": len(body)}).encode("utf-8") + b"\n" + body)
            out.flush()
        except BrokenPipeError:  # the server stopped (or gave up on this worker) first
            os._exit(0)

    try:
        engine = open_data(**json.loads(sys.argv[1]))
    except Exception as err:  # reported to the parent, which refuses to start
        send({"status": "failed", "message": str(err)})
        return
    send({"status": "ready"})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            result = engine.query(
                request["query"],
                default_graphs=request.get("default_graphs"),
                named_graphs=request.get("named_graphs"),
            )
            chosen = negotiate(request.get("accept"), result.kind)
            if chosen is None:
                send(
                    {"status": 406, "media": TEXT},
                    f"不可接受 not acceptable: {request.get('accept')}\n".encode(),
                )
                continue
            fmt, media = chosen
            send(
                {"status": 200, "media": f"{media}; charset=utf-8"},
                format_result(result, fmt).encode("utf-8"),
            )
        except QueryError as err:
            send({"status": 400, "media": TEXT}, (str(err) + "\n").encode("utf-8"))


class _Worker:
    """One worker process (started with ``python -c``, so no ``__main__`` guard is needed anywhere) and a thread
    that reads its replies into a queue."""

    def __init__(self, spec: dict) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from graph.sparql.pool import worker_main; worker_main()",
                json.dumps(spec),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.replies: queue.Queue[tuple[dict, bytes] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.ready = False

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            header = stream.readline()
            if not header:
                self.replies.put(None)
                return
            meta = json.loads(header)
            self.replies.put((meta, stream.read(meta["length"])))

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            raise GraphError(f"serve: a query worker did not start within {timeout:.0f} s") from None
        if reply is None or reply[0]["status"] != "ready":
            message = reply[0].get("message") if reply else f"it exited with code {self.proc.wait()}"
            raise GraphError(f"serve: a query worker could not open the graph: {message}")
        self.ready = True

    def ask(self, request: dict, timeout: float) -> tuple[dict, bytes] | None:
        """Send one query; None when no reply came within ``timeout`` (or the worker died)."""
        line = json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n"
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
            return self.replies.get(timeout=timeout)
        except (OSError, queue.Empty):
            return None

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.proc.stdin.close()  # end of input: the worker's loop ends
            except OSError:
                self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


class QueryPool:
    """Worker processes that run queries with a timeout; see the module docstring for how the pool grows."""

    def __init__(
        self,
        spec: dict,
        *,
        workers: int = 2,
        max_workers: int | None = None,
        timeout: float = 10.0,
        grace: float = 0.5,
        start_timeout: float = 120.0,
    ) -> None:
        self.spec, self.timeout, self.grace, self.start_timeout = spec, timeout, grace, start_timeout
        self.max_workers = max(workers, max_workers if max_workers is not None else 2 * workers)
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: list[_Worker] = []
        self.lock = threading.Lock()
        try:
            for _ in range(workers):
                self._add()
            for w in list(self.all):
                w.wait_ready(start_timeout)
        except BaseException:
            self.close()
            raise

    def _add(self) -> None:
        w = _Worker(self.spec)
        with self.lock:
            self.all.append(w)
        self.idle.put(w)

    def _grow(self) -> None:
        with self.lock:
            if len(self.all) >= self.max_workers:
                return
        log.info("every query worker busy for %s s; starting another", self.grace)
        self._add()

    def _take(self) -> _Worker | None:
        """An idle worker, growing the pool when none is left: a spare starts as the last idle one is taken (so
        the next query finds it loaded), and another when a query has waited ``grace`` seconds."""
        start = time.monotonic()
        try:
            w = self.idle.get(timeout=min(self.grace, self.timeout))
        except queue.Empty:
            self._grow()
            try:
                w = self.idle.get(timeout=max(0.0, self.timeout - (time.monotonic() - start)))
            except queue.Empty:
                return None
        if self.idle.empty():
            self._grow()
        return w

    def run(
        self,
        text: str,
        accept: str | None,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> Reply:
        """Run one query; 503 when it passes the timeout or no worker came free within it."""
        w = self._take()
        if w is None:
            return Reply.text(
                503, f"繁忙 busy: every query worker stayed busy for {self.timeout:g} s; try again"
            )
        w.wait_ready(self.start_timeout)
        request = {
            "query": text,
            "accept": accept,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
        }
        reply = w.ask(request, self.timeout)
        if reply is not None:
            self.idle.put(w)
            meta, body = reply
            return Reply(meta["status"], meta["media"], body)
        log.warning("query passed %s s; killing worker %s", self.timeout, w.proc.pid)
        w.stop(kill=True)
        with self.lock:
            self.all.remove(w)
        self._add()  # the new worker loads in the background; the next query waits for it
        return Reply.text(503, f"查询超时 query timed out after {self.timeout:g} s and was stopped")

    def close(self) -> None:
        with self.lock:
            workers, self.all = self.all, []
        for w in workers:
            w.stop()
