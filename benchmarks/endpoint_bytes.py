"""Benchmark `validate --endpoint`: bytes received from the server and mktgraph's peak memory.

    python benchmarks/endpoint_bytes.py --sizes 100k,1m

For each size a company graph is generated (benchmarks/generate.py, 1 % violations), loaded
into a fresh Oxigraph server by `mktgraph load --with-ontology`
and into an embedded store. Then, each in its own process (peak memory is that process's
VmHWM): `validate --endpoint` through the server, and `validate --store`. The table gives
the bytes mktgraph received against the graph's size in N-Triples, both processes' peak memory
and time, and whether the two reports are the same rows. The section between the markers in
docs/benchmarks.md is replaced (benchmarks/run.py keeps it when it rewrites the file).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

START = "<!-- endpoint-bytes:start -->"
END = "<!-- endpoint-bytes:end -->"

# Run in a child process: validate, then print what was measured as one JSON line.
CHILD = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
mode, where = sys.argv[2], sys.argv[3]
start = time.monotonic()
from mktgraph import resources
from mktgraph.graph import load
from mktgraph.sources import open_source
shapes = load(resources.shape_files())
received = 0
if mode == "endpoint":
    from mktgraph.stores import EndpointSpec
    spec = EndpointSpec(url=where, server=sys.argv[4])
    with open_source(endpoint=spec, graph=sys.argv[5] if len(sys.argv) > 5 else None) as source:
        result = source.validate(shapes, "rdfs")
        received = source.store.bytes_received
else:
    with open_source(store=where) as source:
        result = source.validate(shapes, "rdfs")
seconds = time.monotonic() - start
rows = sorted(json.dumps(row.as_dict(), sort_keys=True) for row in result.rows)
print(json.dumps({
    "results": len(rows),
    "digest": hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16],
    "received": received,
    "seconds": round(seconds, 2),
    # VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec).
    "rss_mb": round(int(next(
        line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")
    )) / 1024, 1),
}))
"""


def child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_PROXY": "127.0.0.1,localhost"},
    )
    if done.returncode != 0:
        raise SystemExit(f"child {args[0]} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ntriples_size(data: Path) -> int:
    """Bytes of the graph the server holds (data plus ontology) written as N-Triples."""
    import pyoxigraph as ox

    from mktgraph import resources

    size = data.stat().st_size
    for path in resources.ontology_files():
        size += len(ox.serialize(ox.parse(path=str(path)), format=ox.RdfFormat.N_TRIPLES))
    return size


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen, str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    executable = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    process = subprocess.Popen(
        [executable, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:
        if "Listening for requests" in line:
            break
    return process, f"http://127.0.0.1:{port}"


def measure(size: int, work: Path) -> dict:
    from mktgraph.sources import open_source
    from mktgraph.stores import EndpointSpec

    data = work / f"company-{size}.nt"
    generate.write(data, generate.Generator(size, 0.01, 1))
    process, url = start_oxigraph(work / f"oxigraph-{size}")
    try:
        from mktgraph import resources

        began = time.monotonic()
        spec = EndpointSpec(url=url, server="oxigraph")
        with open_source(endpoint=spec, writable=True) as server:
            server.load([*resources.ontology_files(), data])
        server_load = time.monotonic() - began
        with open_source(store=work / f"store-{size}", writable=True) as store:
            store.load([data])
        endpoint = child("endpoint", url, "oxigraph")
        store = child("store", str(work / f"store-{size}"))
    finally:
        process.terminate()
        process.wait(timeout=30)
    nt = ntriples_size(data)
    return {
        "triples": size,
        "nt_bytes": nt,
        "server_load_s": round(server_load, 1),
        "endpoint": endpoint,
        "store": store,
        "received_share": endpoint["received"] / nt,
        "same": endpoint["digest"] == store["digest"],
    }


def table(rows: list[dict]) -> str:
    lines = [
        START,
        "## `validate --endpoint`: bytes received and peak memory",
        "",
        "Written by `python benchmarks/endpoint_bytes.py`. An Oxigraph server holds the "
        "generated company graph with the ontology (loaded by `mktgraph load --with-ontology`, "
        "which also sends the as-written records); mktgraph sends the compiled SHACL queries "
        "and receives only their answers. Same rows = the report of `validate --store` on the "
        "same data (same rows, compared as a digest).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[1]:.1f} over the run's last "
        "5 minutes (the machine is shared: times are indicative, bytes and memory are not "
        "affected).",
        "",
        "| triples | graph as N-Triples | bytes received | share | endpoint: time, peak memory "
        "| --store: time, peak memory | results | same rows |",
        "|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        endpoint, store = row["endpoint"], row["store"]
        lines.append(
            f"| {row['triples']:,} | {row['nt_bytes'] / 1e6:.1f} MB | "
            f"{endpoint['received'] / 1e6:.2f} MB | {row['received_share']:.2%} | "
            f"{endpoint['seconds']} s, {endpoint['rss_mb']:.0f} MB | "
            f"{store['seconds']} s, {store['rss_mb']:.0f} MB | {endpoint['results']:,} | "
            f"{'yes' if row['same'] else 'NO'} |"
        )
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        new = re.sub(re.escape(START) + r".*?" + re.escape(END) + r"\n?", text, old, flags=re.S)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated, e.g. 100k,1m")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    sizes = [generate.parse_size(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            row = measure(size, Path(folder))
            print(json.dumps(row), file=sys.stderr)
            rows.append(row)
    write_section(table(rows), args.output)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0 if all(row["same"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
