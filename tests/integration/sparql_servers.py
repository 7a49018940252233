"""Real SPARQL servers for the integration tests (Oxigraph, Virtuoso on free loopback ports)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

STARTUP_SECONDS = 60
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_PASSWORD = "dba"  # a fresh Virtuoso database's dba password
PASSWORD_VARIABLE = "MKTGRAPH_TEST_PASSWORD"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_executable() -> str:
    """The `oxigraph` command of the PyPI package (test extra), beside this Python first."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.skip("the Oxigraph server is not installed (pip install '.[test]')")
    return found


class Server:
    """A server process whose output is drained by a thread; ready when it prints ``ready``."""

    kind = ""

    def __init__(self, command: list[str], ready: str, cwd: Path) -> None:
        self.command, self.ready_text, self.cwd = command, ready, cwd
        self.output: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        self.output.clear()
        ready = threading.Event()
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

        def drain(stream) -> None:
            for line in stream:
                self.output.append(line)
                if self.ready_text in line:
                    ready.set()

        threading.Thread(target=drain, args=(self.process.stdout,), daemon=True).start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"{self.command[0]} did not start:\n{''.join(self.output[-30:])}"
                )
        return self

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def kill(self) -> None:
        """Crash the server (SIGKILL): no chance to finish what it was doing."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(20)

    def pause(self) -> None:
        """Freeze the server: it still accepts connections (the kernel does) but never answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        # The signal is delivered asynchronously: wait until the kernel shows it stopped.
        stat = Path(f"/proc/{self.process.pid}/stat")
        deadline = time.monotonic() + 10
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "T":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.command[0]} did not stop on SIGSTOP")
            time.sleep(0.01)

    def resume(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)


class Oxigraph(Server):
    kind = "oxigraph"

    def __init__(self, location: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.location = location
        super().__init__(
            [
                oxigraph_executable(),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            "Listening for requests at",
            location.parent,
        )

    def options(self) -> list[str]:
        return ["--endpoint", self.url, "--server", "oxigraph"]

    def update(self, text: str) -> None:
        requests.post(f"{self.url}/update", data={"update": text}, timeout=60).raise_for_status()

    def count(self, graph: str | None = None) -> int:
        """Triples in a graph, asked directly (not through mktgraph)."""
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        response = requests.post(
            f"{self.url}/query",
            data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])


class Virtuoso(Server):
    kind = "virtuoso"

    def __init__(self, folder: Path) -> None:
        executable = shutil.which("virtuoso-t")
        if not executable or not VIRTUOSO_INI.is_file():
            pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
        self.port, sql_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        ini = []
        section = ""
        for line in VIRTUOSO_INI.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith("["):
                section = stripped
            line = line.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
            if stripped.startswith("ServerPort"):
                port = sql_port if section == "[Parameters]" else self.port
                line = f"ServerPort = 127.0.0.1:{port}"
            ini.append(line)
        config = folder / "virtuoso.ini"
        config.write_text("\n".join(ini) + "\n")
        super().__init__([executable, "-f", "-c", str(config)], "Server online at", folder)

    def options(self, password_variable: str = PASSWORD_VARIABLE) -> list[str]:
        return [
            "--endpoint",
            self.url,
            "--server",
            "virtuoso",
            "--user",
            "dba",
            "--password-env",
            password_variable,
        ]

    def count(self, graph: str) -> int:
        response = requests.post(
            f"{self.url}/sparql",
            data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        response.raise_for_status()
        return int(response.json()["results"]["bindings"][0]["n"]["value"])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def env_without_proxies() -> dict[str, str]:
    """The environment for subprocesses: loopback traffic must not go through a proxy."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


class SlowRelay:
    """A loopback HTTP relay to a server that holds each request ``delay`` seconds before
    passing it on: a run of many requests takes longer than a given time on any machine, so
    a timeout test does not depend on how fast the server is."""

    def __init__(self, upstream: str, delay: float) -> None:
        import http.client
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlsplit

        target = urlsplit(upstream)
        hop_by_hop = {"connection", "keep-alive", "transfer-encoding", "content-length"}

        class Relay(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                time.sleep(delay)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop}
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    content = answer.read()
                except OSError:
                    return  # the client gave up and went away: nothing to answer
                finally:
                    connection.close()
                try:
                    self.send_response(answer.status, answer.reason)
                    for name, value in answer.getheaders():
                        if name.lower() not in hop_by_hop:
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except OSError:
                    pass  # the client gave up while the answer was on its way

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SlowRelay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
