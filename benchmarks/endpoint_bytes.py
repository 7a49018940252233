"""Benchmark `validate --endpoint`: bytes received from the server and mktgraph's peak memory.

    python benchmarks/endpoint_bytes.py --sizes 100k,1m

For each size a company graph is generated (benchmarks/generate.py --realistic, 1 % violations;
``--plain`` for the generator's plain data) and loaded into an embedded store, into a fresh
Oxigraph server and into a fresh Virtuoso (a named graph), each by mktgraph's own loader with the
ontology (which also sends the as-written records). Then, each in its own process (peak memory
is that process's VmHWM): `validate --endpoint` through each server, and `validate --store`;
Apache Jena's `shacl validate` on the same data with the ontology, where Jena is installed. The
table gives the bytes mktgraph received against the graph's size in N-Triples, each process's
peak memory and time, and whether its results are those of `validate --store` and of Jena,
compared as (focus, path, component, value, severity) keys (benchmarks/report_diff.py). The
section between the markers in docs/benchmarks.md is replaced (benchmarks/run.py keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))  # the servers the tests start

import generate  # noqa: E402
import jena  # noqa: E402
import report_diff  # noqa: E402

START = "<!-- endpoint-bytes:start -->"
END = "<!-- endpoint-bytes:end -->"
VIRTUOSO_GRAPH = "https://example.org/bench/graph"

# Run in a child process: validate, write the report as Turtle, print what was measured as JSON.
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
task = json.loads(sys.argv[2])
start = time.monotonic()
from mktgraph import resources
from mktgraph.graph import load
from mktgraph.sources import open_source
shapes = load(resources.shape_files())
received = wire = 0
if task["mode"] == "endpoint":
    from mktgraph.stores import Credentials, EndpointSpec
    login = task.get("user") and Credentials(task["user"], task["password"], "digest")
    spec = EndpointSpec(url=task["url"], server=task["server"], credentials=login or None)
    with open_source(endpoint=spec, graph=task.get("graph")) as source:
        result = source.validate(shapes, "rdfs")
        received = source.store.bytes_received
        wire = source.store.wire_bytes_received
else:
    with open_source(store=task["store"]) as source:
        result = source.validate(shapes, "rdfs")
seconds = time.monotonic() - start
result.report.serialize(task["report"], format="turtle")
print(json.dumps({
    "results": len(result.rows),
    "received": received,
    "wire": wire,
    "seconds": round(seconds, 2),
    # VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec).
    "rss_mb": round(int(next(
        line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")
    )) / 1024, 1),
}))
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def child(task: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), json.dumps(task)],
        capture_output=True,
        text=True,
        check=False,
        env=_env(),
    )
    if done.returncode != 0:
        raise SystemExit(f"child {task['mode']} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ntriples_size(data: Path) -> int:
    """Bytes of the graph the server holds (data plus ontology) written as N-Triples."""
    import pyoxigraph as ox

    from mktgraph import resources

    size = data.stat().st_size
    for path in resources.ontology_files():
        size += len(ox.serialize(ox.parse(path=str(path)), format=ox.RdfFormat.N_TRIPLES))
    return size


def _server(kind: str, folder: Path):
    from sparql_servers import VIRTUOSO_PASSWORD, Oxigraph, Virtuoso

    if kind == "oxigraph":
        folder.mkdir(parents=True, exist_ok=True)
        server = Oxigraph(folder / "db")
        return server, {"url": server.url, "server": "oxigraph"}
    server = Virtuoso(folder)
    login = {"user": "dba", "password": VIRTUOSO_PASSWORD, "graph": VIRTUOSO_GRAPH}
    return server, {"url": server.url, "server": "virtuoso", **login}


def _load_into(task: dict, data: Path) -> float:
    """Load the data with the ontology into the server, as `mktgraph load --with-ontology`."""
    from mktgraph import resources
    from mktgraph.sources import open_source
    from mktgraph.stores import Credentials, EndpointSpec

    login = Credentials(task["user"], task["password"], "digest") if task.get("user") else None
    spec = EndpointSpec(url=task["url"], server=task["server"], credentials=login)
    began = time.monotonic()
    with open_source(endpoint=spec, graph=task.get("graph"), writable=True) as server:
        server.load([*resources.ontology_files(), data])
    return time.monotonic() - began


def measure(
    size: int,
    work: Path,
    servers: tuple[str, ...] = ("oxigraph", "virtuoso"),
    use_jena: bool = True,
    realistic: bool = True,
) -> dict:
    from mktgraph.sources import open_source

    work.mkdir(parents=True, exist_ok=True)
    data = work / f"company-{size}.nt"
    generate.write(data, generate.Generator(size, 0.01, 1, realistic=realistic))
    reports = {}
    engines: dict[str, dict] = {}
    with open_source(store=work / f"store-{size}", writable=True) as store:
        store.load([data])
    reports["--store"] = work / f"store-{size}.ttl"
    engines["--store"] = child(
        {"mode": "store", "store": str(work / f"store-{size}"), "report": str(reports["--store"])}
    )
    for kind in servers:
        server, task = _server(kind, work / f"{kind}-{size}")
        server.start()
        try:
            loaded = _load_into(task, data)
            reports[kind] = work / f"{kind}-{size}.ttl"
            engines[kind] = child({"mode": "endpoint", "report": str(reports[kind]), **task})
            engines[kind]["load_s"] = round(loaded, 1)
        finally:
            server.stop()
    if use_jena and jena.available():
        import versus_jena

        full = work / f"company-{size}-with-ontology.nt"
        versus_jena.with_ontology(data, full)
        reports["Jena"] = work / f"jena-{size}.ttl"
        command = jena.shacl_command(versus_jena.SHAPES, full, work / "jena-cache", heap=None)
        ran = versus_jena.run(command, 3600, stdout=reports["Jena"])
        engines["Jena"] = {"seconds": round(ran.wall, 2), "rss_mb": round(ran.rss_mb, 1)}
    keys = {name: report_diff.file_keys(path) for name, path in reports.items()}
    for name, counted in keys.items():
        engines[name]["results"] = sum(counted.values())
        engines[name]["same as --store"] = counted == keys["--store"]
        if "Jena" in keys:
            engines[name]["same as Jena"] = counted == keys["Jena"]
    nt = ntriples_size(data)
    return {
        "triples": size,
        "nt_bytes": nt,
        "engines": engines,
        "differences": report_diff.differences(keys),
        "load_average": os.getloadavg()[1],
    }


def table(rows: list[dict]) -> str:
    lines = [
        START,
        "## `validate --endpoint`: bytes received and peak memory (issue 11)",
        "",
        "Written by `python benchmarks/endpoint_bytes.py`. The data: `generate.py --realistic`, "
        "1% violations, seed 1. An Oxigraph server and a Virtuoso server (a named graph) hold the "
        "company graph with the ontology, each loaded by mktgraph's loader with the as-written "
        "records; `validate --endpoint` sends the compiled SHACL queries and receives only their "
        "answers. `--store`: the same data in an embedded store. Jena: `shacl validate` on the "
        "data with the ontology. Results compared as (focus, path, component, value, severity) "
        "keys; peak memory is each process's own (VmHWM).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; shared with other work, so times are indicative (bytes "
        "and memory are not affected).",
        "",
        "Bytes received: the answers' bodies as read (decompressed); on the wire: the same as "
        "they came (mktgraph asks for gzip; Virtuoso compresses its answers, the Oxigraph "
        "server does not). Share: of the graph's N-Triples size.",
        "",
        "| triples | as N-Triples | validation | bytes received | share | on the wire | share "
        "| time | peak memory | results | same as --store | same as Jena |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|",
    ]
    for row in rows:
        for name, engine in row["engines"].items():
            endpoint = name not in ("--store", "Jena")
            sizes = ""
            for key in ("received", "wire"):
                size = engine.get(key) or 0
                share = size / row["nt_bytes"]
                sizes += (
                    f"{f'{size / 1e6:.2f} MB' if endpoint else '-'} | "
                    f"{f'{share:.2%}' if endpoint else '-'} | "
                )
            lines.append(
                f"| {row['triples']:,} | {row['nt_bytes'] / 1e6:.1f} MB | "
                f"{'--endpoint ' + name if endpoint else name} | {sizes}"
                f"{engine['seconds']} s | {engine['rss_mb']:.0f} MB | {engine['results']:,} | "
                f"{_yes(engine.get('same as --store'))} | {_yes(engine.get('same as Jena'))} |"
            )
    for row in rows:
        if row["differences"]:
            lines += ["", f"Differences at {row['triples']:,} triples (count per engine):", ""]
            for diff in row["differences"][:30]:
                counts = ", ".join(f"{k} {v}" for k, v in diff["counts"].items())
                lines.append(
                    f"- `{diff['focus']}` {diff['path'] or '(node)'} {diff['component']} "
                    f"`{diff['value']}` {diff['severity']}: {counts}"
                )
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _yes(same: bool | None) -> str:
    return "-" if same is None else ("yes" if same else "**no**")


def write_section(text: str, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        new = re.sub(
            re.escape(START) + r".*?" + re.escape(END) + r"\n?", lambda _: text, old, flags=re.S
        )
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated, e.g. 100k,1m")
    parser.add_argument("--servers", default="oxigraph,virtuoso")
    parser.add_argument("--no-jena", action="store_true")
    parser.add_argument("--plain", action="store_true", help="the generator's plain data")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    sizes = [generate.parse_size(s) for s in args.sizes.split(",")]
    servers = tuple(s for s in args.servers.split(",") if s)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            row = measure(size, Path(folder) / str(size), servers, not args.no_jena, not args.plain)
            print(json.dumps(row), file=sys.stderr)
            rows.append(row)
            if args.json:
                args.json.write_text(json.dumps(rows, indent=2))
    write_section(table(rows), args.output)
    return 0 if all(not row["differences"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
