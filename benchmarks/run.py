"""Benchmark mktgraph's embedded store against its baselines and write docs/benchmarks.md.

    python benchmarks/run.py --sizes 10k,100k,1m

For each size a company graph is generated (benchmarks/generate.py, 1 % violations) and timed:
load, validate, each named query and export, for mktgraph (embedded store, fast validation) and
the baselines: raw pyoxigraph, rdflib in memory, pySHACL, and Apache Jena's SHACL where Java and
Debian's Jena are installed. Every measurement runs in its own process, bounded by a timeout
after which its whole process group is killed (a run over time is reported as "> N s"); peak
memory is that process's ru_maxrss. The table gives the median of ``--runs`` runs (slow
baselines run once) and the ratios the targets of issue 7 are about.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import jena  # noqa: E402

PYTHON = sys.executable
# Values for the parameters of named queries that have no default.
SAMPLE_PARAMS = {"framework": "mkt:FourPs"}


@dataclass
class Measure:
    """The runs of one task: seconds (None: over time or failed), peak memory, and facts."""

    seconds: list[float | None] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    timeout: float = 0.0
    error: str = ""

    @property
    def median(self) -> float | None:
        done = [s for s in self.seconds if s is not None]
        if not done or len(done) < len(self.seconds):
            return None
        return statistics.median(done)

    def text(self) -> str:
        if self.error:
            return "failed"
        median = self.median
        if median is None:
            return f"> {self.timeout:.0f} s"
        if median < 0.1:
            return f"{median * 1000:.1f} ms"
        return f"{median:.2f} s" if median < 100 else f"{median:.0f} s"

    def memory(self) -> str:
        return f"{max(self.rss_mb):.0f} MB" if self.rss_mb else ""


def run_process(command: list[str], timeout: float, cwd: Path | None = None) -> tuple:
    """Run ``command`` in its own process group; (seconds or None, peak MB, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
        deadline = start + timeout
        status = rusage = None
        while True:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                _pid, status, rusage = os.wait4(process.pid, 0)
                status = None
                break
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        process.returncode = 0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    rss_mb = rusage.ru_maxrss / 1024 if rusage else 0.0
    if status is None:
        return None, rss_mb, stdout, stderr
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[:4])}...: exit {status}\n{stderr[-2000:]}")
    return elapsed, rss_mb, stdout, stderr


def measure(command: list[str], runs: int, timeout: float, inner: bool = False) -> Measure:
    """Run ``command`` ``runs`` times. With ``inner`` the process prints JSON whose "seconds"
    (timed inside it, without interpreter start-up) replaces the wall-clock time."""
    result = Measure(timeout=timeout)
    for _ in range(runs):
        try:
            seconds, rss, stdout, _stderr = run_process(command, timeout)
        except RuntimeError as error:
            result.error = str(error)
            print(f"  failed: {error}", file=sys.stderr)
            return result
        result.rss_mb.append(rss)
        if seconds is not None and command[0] == "java":
            result.info["results"] = stdout.count("sh:focusNode")
        if seconds is not None and stdout.strip().startswith("{"):
            facts = json.loads(stdout.strip().splitlines()[-1])
            result.info.update(facts)
            if inner:
                seconds = facts.get("seconds")
        result.seconds.append(seconds)
        if seconds is None:
            break  # over time once: no point in waiting again
    return result


def snippet(code: str) -> list[str]:
    return [PYTHON, "-c", code]


# -- the tasks ------------------------------------------------------------------------------------

ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))
SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))


def load_pyoxigraph(store: Path, data: Path) -> list[str]:
    # In mktgraph's order: the ontology (which `mktgraph load` puts in a new store first), then
    # the data. RocksDB's layout follows the order, and queries of the ontology alone take a
    # third longer when it went in first: the same order keeps the query comparison fair.
    files = [*map(str, ONTOLOGY), str(data)]
    return snippet(
        "import json, time, pyoxigraph as ox\n"
        f"start = time.perf_counter(); s = ox.Store({str(store)!r})\n"
        f"for f in {files!r}:\n"
        "    s.bulk_load(path=f, format=ox.RdfFormat.N_TRIPLES if f.endswith('.nt') "
        "else ox.RdfFormat.TURTLE)\n"
        "s.flush(); print(json.dumps({'seconds': time.perf_counter() - start}))\n"
    )


def load_mktgraph(store: Path, data: Path) -> list[str]:
    return [PYTHON, "-m", "mktgraph", "load", str(data), "--store", str(store)]


def validate_mktgraph(store: Path) -> list[str]:
    return snippet(
        "import json, time\n"
        "import mktgraph.fastshacl.engine, mktgraph.fastshacl.report, mktgraph.validate\n"
        "from mktgraph.api import validate_data\n"
        "from mktgraph.sources import SourceSpec\n"
        "start = time.perf_counter()\n"
        f"r = validate_data(SourceSpec(store={str(store)!r}))\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'results': len(r.rows)}))\n"
    )


def validate_pyshacl(data: Path) -> list[str]:
    # As mktgraph validate runs pySHACL: the shapes, the ontology with the data, RDFS.
    return snippet(
        "import json, time, pyshacl\n"
        "from mktgraph import graph, resources\n"
        "from mktgraph.validate import DEFAULT_INFERENCE\n"
        "start = time.perf_counter()\n"
        f"data = graph.load([{str(data)!r}, *resources.ontology_files()])\n"
        "shapes = graph.load(resources.shape_files())\n"
        "ok, report, text = pyshacl.validate(data, shacl_graph=shapes, "
        "inference=DEFAULT_INFERENCE, abort_on_first=False, meta_shacl=False, advanced=False)\n"
        "from rdflib.namespace import SH\n"
        "n = sum(1 for _ in report.subjects(None, SH.ValidationResult))\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'results': n}))\n"
    )


def params_for(name: str) -> dict[str, str] | None:
    """Sample values for the query's required parameters (None: one has no sample)."""
    from mktgraph.queries import named_queries

    values = {}
    for parameter in named_queries()[name].parameters:
        if parameter.required:
            if parameter.name not in SAMPLE_PARAMS:
                return None
            values[parameter.name] = SAMPLE_PARAMS[parameter.name]
    return values


# mktgraph and pyoxigraph answer every query in one process, each on its own store, taking
# turns run by run so that a change in the machine's speed (it is shared) hits both alike. The
# stores are open and rdflib's graph is parsed before the clock starts: what is timed is the
# query and writing its rows as CSV.
def queries_side_by_side(store_mkt: Path, store_ox: Path, names: list[str], runs: int) -> list:
    params = {name: params_for(name) for name in names}
    return snippet(
        "import json, time, statistics, csv, io, pyoxigraph as ox\n"
        "from mktgraph.stores.embedded import EmbeddedStore\n"
        "from mktgraph.queries import named_queries, bind_parameters\n"
        f"params = {params!r}\n"
        "start = time.perf_counter()\n"
        f"mkt = EmbeddedStore({str(store_mkt)!r}, read_only=True)\n"
        "facts = {'open:mktgraph': time.perf_counter() - start}\n"
        "start = time.perf_counter()\n"
        f"raw = ox.Store.read_only({str(store_ox)!r})\n"
        "facts['open:pyoxigraph'] = time.perf_counter() - start\n"
        "engines = {\n"
        "    'mktgraph': lambda text, name: mkt.query(text, name, csv=True),\n"
        "    'pyoxigraph': lambda text, name: raw.query(text).serialize(\n"
        "        io.BytesIO(), ox.QueryResultsFormat.CSV),\n"
        "}\n"
        f"for name in {names!r}:\n"
        "    times = {engine: [] for engine in engines}\n"
        "    # At least `runs` turns; a query of a few milliseconds goes on until half a second\n"
        "    # has passed (at most 100 turns), so that its median is not one cold start.\n"
        "    while True:\n"
        "        for engine, run in engines.items():\n"
        "            text = bind_parameters(named_queries()[name], params[name])\n"
        "            start = time.perf_counter(); answer = run(text, name)\n"
        "            times[engine].append(time.perf_counter() - start)\n"
        "            if engine == 'mktgraph': last = answer\n"
        "        spent = sum(times['mktgraph'])\n"
        "        turns = len(times['mktgraph'])\n"
        f"        if turns >= {runs} and (spent >= 0.5 or turns >= 100 or spent / turns > 5):\n"
        "            break\n"
        "    for engine, seconds in times.items():\n"
        "        facts[f'query:{engine}:{name}'] = statistics.median(seconds)\n"
        "    table = csv.reader(io.StringIO(last.text, newline=''))\n"
        "    facts['rows:' + name] = len(list(table)) - 1\n"
        "print(json.dumps(facts))\n"
    )


def rdflib_all(data: Path, names: list[str], query_timeout: int, export_timeout: int) -> list:
    """One process: parse into rdflib, then each query and each export under an alarm."""
    params = {name: params_for(name) for name in names}
    return snippet(
        "import json, signal, time, io\n"
        "from rdflib import Graph\n"
        "from mktgraph import resources\n"
        "from mktgraph.queries import named_queries, bind_parameters\n"
        "class Late(Exception): pass\n"
        "def late(*a): raise Late()\n"
        "signal.signal(signal.SIGALRM, late)\n"
        "facts = {}\n"
        "start = time.perf_counter()\n"
        f"g = Graph().parse({str(data)!r}, format='nt')\n"
        "for f in resources.ontology_files(): g.parse(f, format='turtle')\n"
        "facts['load'] = time.perf_counter() - start\n"
        f"params = {params!r}\n"
        f"for name in {names!r}:\n"
        "    text = bind_parameters(named_queries()[name], params[name])\n"
        f"    signal.alarm({query_timeout}); start = time.perf_counter()\n"
        "    try:\n"
        "        g.query(text).serialize(io.BytesIO(), format='csv')\n"
        "        facts['query:' + name] = time.perf_counter() - start\n"
        "    except Late:\n"
        "        facts['query:' + name] = None\n"
        "    signal.alarm(0)\n"
        "for fmt in ('nt', 'turtle'):\n"
        f"    signal.alarm({export_timeout}); start = time.perf_counter()\n"
        "    try:\n"
        "        g.serialize(io.BytesIO(), format=fmt)\n"
        "        facts['export:' + fmt] = time.perf_counter() - start\n"
        "    except Late:\n"
        "        facts['export:' + fmt] = None\n"
        "    signal.alarm(0)\n"
        "print(json.dumps(facts))\n"
    )


def export_mktgraph(store: Path, fmt: str, out: Path) -> list[str]:
    return snippet(
        "import json, time\n"
        "import mktgraph.namespaces\n"
        "from mktgraph.api import export_graph\n"
        "from mktgraph.sources import SourceSpec\n"
        "start = time.perf_counter()\n"
        f"with open({str(out)!r}, 'wb') as out:\n"
        f"    export_graph(SourceSpec(store={str(store)!r}), {fmt!r}, out=out)\n"
        "print(json.dumps({'seconds': time.perf_counter() - start}))\n"
    )


def export_pyoxigraph(store: Path, fmt: str, out: Path) -> list[str]:
    kind = "N_TRIPLES" if fmt == "nt" else "TURTLE"
    return snippet(
        "import json, time, pyoxigraph as ox\n"
        "start = time.perf_counter()\n"
        f"s = ox.Store.read_only({str(store)!r})\n"
        f"s.dump({str(out)!r}, ox.RdfFormat.{kind}, from_graph=ox.DefaultGraph())\n"
        "print(json.dumps({'seconds': time.perf_counter() - start}))\n"
    )


def help_time(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([PYTHON, "-m", "mktgraph", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# -- one size ---------------------------------------------------------------------------------


def bench_size(size: int, args, work: Path) -> dict:
    from mktgraph.queries import named_queries

    slow = size >= 500_000
    runs = args.runs
    timeout = args.timeout
    print(f"== {size:,} triples", file=sys.stderr)
    data = work / f"company-{size}.nt"
    gen = generate.Generator(size, args.violations, args.seed)
    generate.write(data, gen)
    full = work / f"company-{size}-with-ontology.nt"
    _with_ontology(data, full)
    rows: dict = {"triples": gen.count, "violations": sum(gen.injected.values())}

    def fresh(name: str) -> Path:
        path = work / name
        shutil.rmtree(path, ignore_errors=True)
        return path

    print("  load", file=sys.stderr)
    load_mkt, load_ox = Measure(timeout=timeout), Measure(timeout=timeout)
    for _ in range(runs):
        for target, command in ((load_mkt, load_mktgraph), (load_ox, load_pyoxigraph)):
            store = fresh("store-mkt" if target is load_mkt else "store-ox")
            once = measure(command(store, data), 1, timeout, inner=target is load_ox)
            target.seconds += once.seconds
            target.rss_mb += once.rss_mb
    rows["load"] = {"mktgraph": load_mkt, "pyoxigraph": load_ox}
    store_mkt, store_ox = work / "store-mkt", work / "store-ox"

    print("  validate", file=sys.stderr)
    validate = {"mktgraph": measure(validate_mktgraph(store_mkt), runs, timeout, inner=True)}
    cap = args.pyshacl_timeout if slow else timeout
    validate["pySHACL"] = measure(validate_pyshacl(data), 1, cap, inner=True)
    if jena.available() and not args.no_jena:
        command = jena.shacl_command(SHAPES[0], full, work / "cache")
        jena_run = measure(command, 1 if slow else runs, timeout)
        validate["Jena SHACL"] = jena_run
    rows["validate"] = validate

    names = [name for name in sorted(named_queries()) if params_for(name) is not None]
    print("  queries", file=sys.stderr)
    both = measure(queries_side_by_side(store_mkt, store_ox, names, runs), 1, timeout * len(names))
    queries = {}
    for name in names:
        queries[name] = {}
        for engine in ("mktgraph", "pyoxigraph"):
            m = Measure(timeout=timeout, error=both.error)
            m.seconds = [both.info.get(f"query:{engine}:{name}")]
            m.info["rows"] = both.info.get(f"rows:{name}", "")
            queries[name][engine] = m
    rows["queries"] = queries

    print("  export", file=sys.stderr)
    exports = {}
    for fmt in ("nt", "turtle"):
        out = work / f"export.{fmt}"
        exports[fmt] = {
            "mktgraph": measure(export_mktgraph(store_mkt, fmt, out), runs, timeout, inner=True),
            "pyoxigraph": measure(export_pyoxigraph(store_ox, fmt, out), runs, timeout, inner=True),
        }
    rows["export"] = exports

    print("  rdflib", file=sys.stderr)
    # Long enough to show a 10x speed-up on queries that take mktgraph a few seconds.
    query_cap, export_cap = (60, 90) if slow else (60, 120)
    budget = 200 + len(names) * query_cap + 2 * export_cap
    rdflib_run = measure(rdflib_all(data, names, query_cap, export_cap), 1, budget)
    facts = rdflib_run.info

    def from_rdflib(key: str, cap: float) -> Measure:
        value = facts.get(key)
        m = Measure(timeout=cap, rss_mb=rdflib_run.rss_mb)
        m.seconds = [value] if key in facts else [None]
        return m

    rows["load"]["rdflib"] = from_rdflib("load", budget)
    for name in names:
        rows["queries"][name]["rdflib"] = from_rdflib(f"query:{name}", query_cap)
    for fmt in ("nt", "turtle"):
        rows["export"][fmt]["rdflib"] = from_rdflib(f"export:{fmt}", export_cap)
    shutil.rmtree(work / "store-ox", ignore_errors=True)
    return rows


def _with_ontology(data: Path, full: Path) -> None:
    import pyoxigraph as ox

    with full.open("wb") as out:
        with data.open("rb") as source:
            shutil.copyfileobj(source, out)
        for path in ONTOLOGY:
            quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            ox.serialize(quads, out, ox.RdfFormat.N_TRIPLES)


# -- the report -------------------------------------------------------------------------------


def ratio(a: Measure, b: Measure) -> str:
    """a / b as "0.85x"; with b over time, "< a/cap"; with a over time, "> cap/b"."""
    am, bm = a.median, b.median
    if am is None and bm is None:
        return ""
    if bm is None:
        return f"< {am / b.timeout:.2f}x" if am is not None else ""
    if am is None:
        return f"> {a.timeout / bm:.1f}x"
    return f"{am / bm:.2f}x"


def speedup(fast: Measure, slow: Measure) -> str:
    """How many times faster ``fast`` is than ``slow`` ("> N x" when ``slow`` ran over time)."""
    fm, sm = fast.median, slow.median
    if fm is None or fm == 0:
        return ""
    if sm is None:
        return f"> {slow.timeout / fm:.1f}x" if not slow.error else ""
    return f"{sm / fm:.1f}x"


def _times(fast: Measure, slow: Measure) -> float | None:
    """slow / fast; when ``slow`` ran over time, its timeout / fast (a lower bound); None when
    there is no figure."""
    fm, sm = fast.median, slow.median
    if not fm or fast.error or slow.error:
        return None
    if sm is None:
        return slow.timeout / fm
    return sm / fm


def targets(size: str, rows: dict, help_seconds: float) -> list[str]:
    """The targets of issue 7, each checked against this size's measurements."""

    def line(what: str, ok: bool | None, figure: str) -> str:
        verdict = "met" if ok else ("not measured" if ok is None else "**not met**")
        return f"| {what} | {figure} | {verdict} |"

    load, validate = rows["load"], rows["validate"]
    lines = [
        f"## Targets, checked at {size}",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    load_ratio = _times(load["pyoxigraph"], load["mktgraph"])  # mktgraph / pyoxigraph
    lines.append(
        line(
            "load within 1.3x of pyoxigraph's bulk load",
            None if load_ratio is None else load_ratio <= 1.3,
            ratio(load["mktgraph"], load["pyoxigraph"]),
        )
    )
    mkt = validate["mktgraph"]
    if "Jena SHACL" in validate:
        over_jena = _times(mkt, validate["Jena SHACL"])
        lines.append(
            line(
                "validate faster than Jena SHACL",
                None if over_jena is None else over_jena > 1,
                speedup(mkt, validate["Jena SHACL"]),
            )
        )
    over_pyshacl = _times(mkt, validate["pySHACL"])
    lines.append(
        line(
            "validate at least 10x faster than pySHACL",
            None if over_pyshacl is None else over_pyshacl >= 10,
            speedup(mkt, validate["pySHACL"]),
        )
    )
    counts = {e: validate[e].info.get("results") for e in validate}
    finished = {n for n in counts.values() if n is not None}
    lines.append(
        line(
            "validate: the same results as the other engines",
            len(finished) == 1 if len(finished) and counts["mktgraph"] is not None else None,
            ", ".join(f"{e} {'did not finish' if n is None else n}" for e, n in counts.items()),
        )
    )
    peak = max(mkt.rss_mb) if mkt.rss_mb else None
    lines.append(
        line(
            "validate: peak memory under 1.5 GB",
            None if peak is None else peak < 1536,
            mkt.memory(),
        )
    )
    slow_vs_ox, slow_vs_rdflib = [], []
    for name, engines in rows["queries"].items():
        m, o, r = engines["mktgraph"], engines["pyoxigraph"], engines["rdflib"]
        against_ox = _times(o, m)  # mktgraph / pyoxigraph
        if against_ox is None or against_ox > 1.5:
            slow_vs_ox.append(f"{name} {ratio(m, o)}")
        against_rdflib = _times(m, r)
        if (against_rdflib is None and r.median is not None) or (
            against_rdflib is not None and against_rdflib < 10
        ):
            slow_vs_rdflib.append(f"{name} {speedup(m, r)}")
    count = len(rows["queries"])
    lines.append(
        line(
            "each named query within 1.5x of pyoxigraph",
            not slow_vs_ox,
            "; ".join(slow_vs_ox) or f"all {count}",
        )
    )
    lines.append(
        line(
            "each named query at least 10x faster than rdflib in memory",
            not slow_vs_rdflib,
            "; ".join(slow_vs_rdflib) or f"all {count}",
        )
    )
    for fmt, engines in rows["export"].items():
        m, r = engines["mktgraph"], engines["rdflib"]
        times = _times(m, r)
        lines.append(
            line(
                f"export {fmt} at least 5x faster than rdflib's serializer",
                None if times is None else times >= 5,
                speedup(m, r),
            )
        )
    lines.append(line("`mktgraph --help` under 0.3 s", help_seconds < 0.3, f"{help_seconds:.2f} s"))
    return lines + [""]


def report(results: dict, args, help_seconds: float) -> str:
    lines = [
        "# Benchmarks: mktgraph on million-triple company graphs",
        "",
        "Written by `python benchmarks/run.py "
        f"--sizes {args.sizes}` (seed {args.seed}, {args.violations:.0%} violations, "
        f"median of {args.runs} runs; slow baselines at 1M run once). Each measurement is a "
        "process of its own, bounded by a timeout that kills its process group ("
        '"> N s": still running then); memory is that process\'s peak RSS.',
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} (shared by other work while it ran, "
        "so compare within a row rather than across runs).",
        "",
        f"`mktgraph --help`: {help_seconds:.2f} s (target < 0.3 s).",
        "",
        "What is timed: *load* fills a store from N-Triples (mktgraph: `mktgraph load --store`, "
        "the CLI end to end; pyoxigraph: `Store.bulk_load` of the data and ontology files; "
        "rdflib: parsing into memory). *validate*: mktgraph validates the loaded store (fast "
        "path, RDFS inference as `mktgraph validate`); pySHACL and Jena have no store, so their "
        "time includes parsing the data and ontology. *queries*: each engine has its data open "
        "(the store opened, rdflib's graph parsed) and answers each named query with its rows "
        "written as CSV (mktgraph: `EmbeddedStore.query(..., csv=True)`, what `mktgraph query "
        "--store` runs; pyoxigraph: `Store.query` serialised as CSV; rdflib: `Graph.query` "
        "serialised as CSV); mktgraph and pyoxigraph take turns in one process, run by run, "
        "and a query of milliseconds is repeated for half a second; the median. *export* is "
        "timed inside the process: "
        "mktgraph and pyoxigraph stream the store to a file; rdflib serialises its in-memory "
        "graph (its parse time is under *load*: an rdflib user whose graph is in files pays "
        "both, hence the last column).",
        "",
    ]
    largest = list(results)[-1]
    lines += targets(largest, results[largest], help_seconds)
    for size, rows in results.items():
        lines += [
            f"## {size} ({rows['triples']:,} triples, {rows['violations']} violations)",
            "",
            f"This size took {rows.get('elapsed', 0):.0f} s in all (generation, every run of "
            "every engine).",
            "",
        ]
        load = rows["load"]
        lines += [
            "| load | mktgraph | pyoxigraph | rdflib | mktgraph / pyoxigraph (target <= 1.3x) |",
            "|---|---|---|---|---|",
            f"| time | {load['mktgraph'].text()} | {load['pyoxigraph'].text()} | "
            f"{load['rdflib'].text()} | {ratio(load['mktgraph'], load['pyoxigraph'])} |",
            f"| peak memory | {load['mktgraph'].memory()} | {load['pyoxigraph'].memory()} | "
            f"{load['rdflib'].memory()} | |",
            "",
        ]
        validate = rows["validate"]
        engines = list(validate)
        lines += [
            "| validate | " + " | ".join(engines) + " | speed-up over pySHACL (target >= 10x) | "
            "over Jena (target > 1x) |",
            "|---|" + "---|" * (len(engines) + 2),
            "| time | "
            + " | ".join(validate[e].text() for e in engines)
            + f" | {speedup(validate['mktgraph'], validate['pySHACL'])} | "
            + (
                speedup(validate["mktgraph"], validate["Jena SHACL"])
                if "Jena SHACL" in validate
                else "no Java"
            )
            + " |",
            "| peak memory (target < 1.5 GB) | "
            + " | ".join(validate[e].memory() for e in engines)
            + " | | |",
            "| results | "
            + " | ".join(str(validate[e].info.get("results", "")) for e in engines)
            + " | | |",
            "",
            "| query | mktgraph | pyoxigraph | rdflib | rows | mktgraph / pyoxigraph "
            "(target <= 1.5x) | speed-up over rdflib (target >= 10x) |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, engines_ in rows["queries"].items():
            m, o, r = engines_["mktgraph"], engines_["pyoxigraph"], engines_["rdflib"]
            lines.append(
                f"| {name} | {m.text()} | {o.text()} | {r.text()} | {m.info.get('rows', '')} | "
                f"{ratio(m, o)} | {speedup(m, r)} |"
            )
        lines += [
            "",
            "| export | mktgraph | pyoxigraph | rdflib | speed-up over rdflib (target >= 5x) "
            "| over rdflib parse + export |",
            "|---|---|---|---|---|---|",
        ]
        for fmt, engines_ in rows["export"].items():
            m, o, r = engines_["mktgraph"], engines_["pyoxigraph"], engines_["rdflib"]
            both = Measure(timeout=r.timeout)
            parse, written = load["rdflib"].median, r.median
            both.seconds = [parse + written if parse is not None and written is not None else None]
            lines.append(
                f"| {fmt} | {m.text()} | {o.text()} | {r.text()} | {speedup(m, r)} "
                f"| {speedup(m, both)} |"
            )
        lines.append("")
    return "\n".join(lines)


def kept_sections(path: Path) -> str:
    """Sections of the old report written by other benchmark scripts, between their markers
    (benchmarks/endpoint_bytes.py's): kept when this script rewrites the file."""
    import re

    if not path.exists():
        return ""
    marked = re.compile(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->\n?", re.S)
    return "".join("\n" + found.group(0) for found in marked.finditer(path.read_text("utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1m,10m")
    parser.add_argument("--runs", type=int, default=3, help="runs per fast measurement")
    parser.add_argument("--violations", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300, help="seconds per run")
    parser.add_argument(
        "--pyshacl-timeout", type=float, default=480, help="seconds for pySHACL at 1M and more"
    )
    parser.add_argument("--no-jena", action="store_true", help="skip Jena even if installed")
    parser.add_argument("--work", type=Path, help="a folder for data and stores (default: temp)")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="mktgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = {}
        for size in sizes:
            begun = time.perf_counter()
            results[size] = bench_size(generate.parse_size(size), args, work)
            results[size]["elapsed"] = time.perf_counter() - begun
        text = report(results, args, help_time())
        text += f"\nWhole run: {time.perf_counter() - started:.0f} s.\n"
        args.output.parent.mkdir(parents=True, exist_ok=True)
        text += kept_sections(args.output)
        args.output.write_text(text, encoding="utf-8")
        print(text)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
