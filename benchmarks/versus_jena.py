"""mktgraph against Apache Jena SHACL (and pySHACL), like for like, on realistic company data.

    python benchmarks/versus_jena.py --sizes 100k,1m,3m --runs 2

For each size, ``generate.py --realistic`` writes a company graph (1 % violations, seed 1). Then,
round by round (the engines take turns, so that a change in the shared machine's speed hits all):

- *end to end*, from the file, as a user runs it: mktgraph is ``mktgraph validate FILE
  --format turtle -o REPORT`` (one CLI process; the file loaded into an in-memory store); Jena
  is ``shacl validate --shapes SHAPES --data FILE`` on the same data with the ontology in one
  N-Triples file (Jena reads one data file), its Turtle report on stdout. The store route runs
  too: ``mktgraph load FILE --store DIR`` then ``mktgraph validate --store DIR --format turtle
  -o REPORT`` (two CLI processes, a fresh store each round);
- *validation step*: mktgraph validates the loaded store inside one process, timed around the
  library call; Jena parses the data and shapes, then only ``ShaclValidator.validate`` is timed
  (benchmarks/JenaValidate.java, compiled here against Debian's jars);
- *bulk load*: pyoxigraph's ``Store.bulk_load`` of the data and the ontology (the yardstick of
  issue 12's "validation step within 1.5x of the bulk load").

pySHACL runs once at sizes up to ``--pyshacl-max`` (as `mktgraph validate FILE` runs it: the
ontology with the data, RDFS inference). Every run is a process of its own, bounded by a timeout
that kills its process group; times are wall-clock and CPU (user + system of the process and its
children, every thread); memory is the process's peak RSS. The results of every engine are
compared as (focus, path, component, value, severity) keys (benchmarks/report_diff.py), and each
difference is listed. The section between the markers in docs/benchmarks.md is replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402
import jena  # noqa: E402
import report_diff  # noqa: E402

PYTHON = sys.executable
START = "<!-- versus-jena:start -->"
END = "<!-- versus-jena:end -->"
ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))
SHAPES = ROOT / "shapes" / "company.ttl"


@dataclass
class Run:
    """One process: wall seconds (None: killed at the timeout), CPU seconds, peak MB, and the
    JSON facts it printed (times measured inside it)."""

    wall: float | None
    cpu: float
    rss_mb: float
    facts: dict = field(default_factory=dict)


def run(command: list[str], timeout: float, ok: tuple[int, ...] = (0,), stdout=None) -> Run:
    """Run ``command`` in its own process group (its stdout to the file ``stdout`` if given)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        target = open(stdout, "wb") if stdout else out  # noqa: SIM115 (closed below)
        try:
            start = time.perf_counter()
            process = subprocess.Popen(
                command, stdout=target, stderr=err, cwd=ROOT, start_new_session=True
            )
            deadline = start + timeout
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    _pid, status, usage = os.wait4(process.pid, 0)
                    status = None
                    break
                time.sleep(0.02)
            wall = time.perf_counter() - start
        finally:
            if stdout:
                target.close()
        process.returncode = 0  # reaped by wait4 above
        err.seek(0)
        errors = err.read().decode(errors="replace")
        out.seek(0)
        text = out.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss / 1024
    if status is None:
        return Run(None, cpu, rss)
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise RuntimeError(f"{' '.join(map(str, command[:5]))}...: exit {code}\n{errors[-3000:]}")
    facts = {}
    lines = text.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        facts = json.loads(lines[-1])
    return Run(wall, cpu, rss, facts)


def combined(*runs: Run) -> Run:
    """Processes run one after the other, as one task: times added, the larger peak."""
    if any(r.wall is None for r in runs):
        return Run(None, sum(r.cpu for r in runs), max(r.rss_mb for r in runs))
    return Run(sum(r.wall for r in runs), sum(r.cpu for r in runs), max(r.rss_mb for r in runs), {})


# -- the commands -------------------------------------------------------------------------------


def mktgraph_load(data: Path, store: Path) -> list[str]:
    return [PYTHON, "-m", "mktgraph", "load", str(data), "--store", str(store)]


def mktgraph_validate_file(data: Path, report: Path) -> list[str]:
    return [PYTHON, "-m", "mktgraph", "validate", str(data), "--format", "turtle",
            "-o", str(report)]  # fmt: skip


def mktgraph_validate(store: Path, report: Path) -> list[str]:
    return [PYTHON, "-m", "mktgraph", "validate", "--store", str(store), "--format", "turtle",
            "-o", str(report)]  # fmt: skip


def _inner(code: str) -> list[str]:
    return [PYTHON, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{code}"]


def mktgraph_step(store: Path) -> list[str]:
    """mktgraph's validation of a loaded store in one process, timed around the library call
    (the imports and the shapes' parse before the clock starts, as in Jena's step)."""
    return _inner(
        "import json, time\n"
        "from mktgraph import api, graph, resources\n"
        "import mktgraph.fastshacl.engine, mktgraph.fastshacl.report, mktgraph.validate\n"
        "from mktgraph.sources import open_source\n"
        "shapes = graph.load(resources.shape_files())\n"
        f"with open_source(store={str(store)!r}) as source:\n"
        "    wall, cpu = time.perf_counter(), time.process_time()\n"
        "    result = source.validate(shapes, 'rdfs')\n"
        "    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
        "print(json.dumps({'seconds': wall, 'cpu': cpu, 'results': len(result.rows)}))\n"
    )


def pyoxigraph_bulk_load(data: Path, store: Path) -> list[str]:
    files = [*map(str, ONTOLOGY), str(data)]
    return _inner(
        "import json, time, pyoxigraph as ox\n"
        "wall, cpu = time.perf_counter(), time.process_time()\n"
        f"s = ox.Store({str(store)!r})\n"
        f"for f in {files!r}:\n"
        "    s.bulk_load(path=f, format=ox.RdfFormat.N_TRIPLES if f.endswith('.nt') "
        "else ox.RdfFormat.TURTLE)\n"
        "s.flush()\n"
        "wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
        "print(json.dumps({'seconds': wall, 'cpu': cpu}))\n"
    )


def pyshacl_validate(data: Path, report: Path) -> list[str]:
    """pySHACL as mktgraph runs it for rdflib Graphs and --reason (and ran it for files before
    they went to an in-memory store; mktgraph.validate.validate_graph): the ontology with the
    data, mktgraph's shapes, RDFS inference."""
    return _inner(
        "import json, time\n"
        "from mktgraph import graph\n"
        "from mktgraph.validate import validate_graph\n"
        "wall, cpu = time.perf_counter(), time.process_time()\n"
        f"result = validate_graph(graph.load([{str(data)!r}]))\n"
        "wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
        f"result.report.serialize({str(report)!r}, format='turtle')\n"
        "print(json.dumps({'seconds': wall, 'cpu': cpu, 'results': len(result.rows)}))\n"
    )


def with_ontology(data: Path, full: Path) -> None:
    """``data`` and the bundled ontology in one N-Triples file (Jena's --data takes one file)."""
    import pyoxigraph as ox

    with full.open("wb") as out:
        with data.open("rb") as source:
            shutil.copyfileobj(source, out)
        for path in ONTOLOGY:
            ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), out,
                         ox.RdfFormat.N_TRIPLES)  # fmt: skip


# -- one size -----------------------------------------------------------------------------------


def _given_data(size: int, args) -> Path | None:
    """The data file of ``size`` in --data-dir, as benchmarks/bench_load.py names it
    (realistic-1m.nt), if there is one."""
    if args.data_dir is None:
        return None
    label = {1_000: "k", 1_000_000: "m"}
    for unit in (1_000_000, 1_000):
        if size % unit == 0:
            path = args.data_dir / f"realistic-{size // unit}{label[unit]}.nt"
            return path if path.exists() else None
    return None


def bench_size(size: int, args, work: Path) -> dict:
    print(f"== {size:,} triples", file=sys.stderr)
    data = _given_data(size, args)
    if data is not None:  # made by generate.py with the same settings: counted, not remade
        with data.open("rb") as lines:
            triples, injected = sum(1 for _ in lines), None
    else:
        data = work / f"company-{size}.nt"
        generator = generate.Generator(size, args.violations, args.seed, realistic=True)
        generate.write(data, generator)
        triples, injected = generator.count, sum(generator.injected.values())
    use_jena = jena.available() and not args.no_jena
    full = work / f"company-{size}-with-ontology.nt"
    if use_jena:
        with_ontology(data, full)
    cache = work / "jena-cache"
    reports = work / f"reports-{size}"
    reports.mkdir(exist_ok=True)
    timeout = args.timeout
    tasks: dict[str, list[Run]] = {
        name: []
        for name in (
            "mktgraph validate FILE",
            "mktgraph end to end",
            "mktgraph load",
            "mktgraph validate",
            "Jena end to end",
            "pyoxigraph bulk load",
            "mktgraph validation step",
            "Jena validation step",
        )  # fmt: skip
    }
    for round_ in range(args.runs):
        print(f"  round {round_ + 1}", file=sys.stderr)
        tasks["mktgraph validate FILE"].append(
            run(mktgraph_validate_file(data, reports / "mktgraph-file.ttl"), timeout, ok=(0, 1))
        )
        store = work / "store-mkt"
        shutil.rmtree(store, ignore_errors=True)
        load = run(mktgraph_load(data, store), timeout)
        tasks["mktgraph load"].append(load)
        if load.wall is None:
            break
        check = run(mktgraph_validate(store, reports / "mktgraph.ttl"), timeout, ok=(0, 1))
        tasks["mktgraph validate"].append(check)
        tasks["mktgraph end to end"].append(combined(load, check))
        if use_jena:
            tasks["Jena end to end"].append(
                run(
                    jena.shacl_command(SHAPES, full, cache, heap=args.jena_heap),
                    timeout,
                    stdout=reports / "jena.ttl",
                )  # fmt: skip
            )
        ox_store = work / "store-ox"
        shutil.rmtree(ox_store, ignore_errors=True)
        tasks["pyoxigraph bulk load"].append(run(pyoxigraph_bulk_load(data, ox_store), timeout))
        shutil.rmtree(ox_store, ignore_errors=True)
        tasks["mktgraph validation step"].append(run(mktgraph_step(store), timeout))
        if use_jena:
            step = jena.step_command(
                SHAPES, reports / "jena-step.ttl", [data, *ONTOLOGY], cache, heap=args.jena_heap
            )
            tasks["Jena validation step"].append(run(step, timeout))
    if size <= args.pyshacl_max:
        print("  pySHACL", file=sys.stderr)
        tasks["pySHACL"] = [run(pyshacl_validate(data, reports / "pyshacl.ttl"), timeout)]
    engines = {
        "mktgraph": reports / "mktgraph-file.ttl",
        "mktgraph --store": reports / "mktgraph.ttl",
    }
    if tasks["Jena end to end"] and tasks["Jena end to end"][-1].wall is not None:
        engines["Jena"] = reports / "jena.ttl"
    if tasks["Jena validation step"] and tasks["Jena validation step"][-1].wall is not None:
        engines["Jena (step)"] = reports / "jena-step.ttl"
    if "pySHACL" in tasks and tasks["pySHACL"][0].wall is not None:
        engines["pySHACL"] = reports / "pyshacl.ttl"
    keys = {name: report_diff.file_keys(path) for name, path in engines.items() if path.exists()}
    return {
        "size": size,
        "triples": triples,
        "injected": injected,
        "tasks": tasks,
        "results": {name: sum(k.values()) for name, k in keys.items()},
        "differences": _differences(keys, data),
        "load_average": os.getloadavg(),
    }


def _differences(keys: dict, data: Path) -> list[dict]:
    """The engines' differences, each labelled when it is a known one (report_diff.label_known)."""
    from rdflib import Graph

    if len(keys) < 2:
        return []
    rows = report_diff.differences(keys)
    return report_diff.label_known(rows, [data], Graph().parse(SHAPES)) if rows else rows


# -- the report ---------------------------------------------------------------------------------


def median(runs: list[Run], what: str) -> float | None:
    """The median wall-clock or CPU seconds ("inner": as timed inside the process)."""
    if not runs or any(r.wall is None for r in runs):
        return None
    if what == "wall":
        return statistics.median(r.facts.get("seconds", r.wall) for r in runs)
    return statistics.median(r.facts.get("cpu", r.cpu) for r in runs)


def step_seconds(runs: list[Run], what: str) -> float | None:
    """Jena's step as timed inside the JVM (validate_s, validate_cpu_s)."""
    if not runs or any(r.wall is None for r in runs):
        return None
    key = "validate_s" if what == "wall" else "validate_cpu_s"
    return statistics.median(r.facts[key] for r in runs)


def seconds_of(name: str, runs: list[Run], what: str) -> float | None:
    return step_seconds(runs, what) if name == "Jena validation step" else median(runs, what)


def _each(name: str, runs: list[Run], what: str) -> str:
    if not runs:
        return "not run"
    if any(r.wall is None for r in runs):
        return "> timeout"
    if name == "Jena validation step":
        key = "validate_s" if what == "wall" else "validate_cpu_s"
        return " / ".join(f"{r.facts[key]:.2f}" for r in runs)
    if what == "wall":
        return " / ".join(f"{r.facts.get('seconds', r.wall):.2f}" for r in runs)
    return " / ".join(f"{r.facts.get('cpu', r.cpu):.2f}" for r in runs)


def ratio_text(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return "-"
    return f"{numerator / denominator:.2f}x"


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "**not met**")


def targets(rows: list[dict]) -> list[str]:
    """Issue 12's targets for validation, each judged from the figures of the sizes it names
    (wall-clock and CPU time alike: a target is met when both ratios meet it)."""
    by_size = {row["size"]: row for row in rows}
    lines = ["| target (issue 12) | size | measured | |", "|---|---|---|---|"]
    for size in (1_000_000, 3_000_000):
        row = by_size.get(size)
        if row is None:
            continue
        t = row["tasks"]
        mkt, jen = t["mktgraph validate FILE"], t["Jena end to end"]
        wall = _over(median(jen, "wall"), median(mkt, "wall"))
        cpu = _over(median(jen, "cpu"), median(mkt, "cpu"))
        ok = None if wall is None or cpu is None else wall >= 3 and cpu >= 3
        lines.append(
            f"| validate end to end (`validate FILE`) >= 3x faster than Jena SHACL | "
            f"{_size(row)} | {_x(wall)} wall, {_x(cpu)} CPU | {_verdict(ok)} |"
        )
    row = by_size.get(1_000_000)
    if row is not None:
        t = row["tasks"]
        step, bulk = t["mktgraph validation step"], t["pyoxigraph bulk load"]
        wall = _over(median(step, "wall"), median(bulk, "wall"))
        cpu = _over(median(step, "cpu"), median(bulk, "cpu"))
        ok = None if wall is None or cpu is None else wall <= 1.5 and cpu <= 1.5
        lines.append(
            f"| validation step <= 1.5x pyoxigraph's bulk load | {_size(row)} | "
            f"{_x(wall)} wall, {_x(cpu)} CPU | {_verdict(ok)} |"
        )
    row = by_size.get(3_000_000)
    if row is not None:
        t = row["tasks"]
        peaks = {
            name: max((r.rss_mb for r in t[name]), default=None)
            for name in ("mktgraph validation step", "mktgraph validate", "mktgraph load")
        }
        step = peaks["mktgraph validation step"]
        ok = None if step is None else max(peaks["mktgraph validate"] or 0, step) < 1024
        lines.append(
            f"| validation: peak memory < 1 GB | {_size(row)} | "
            + ", ".join(f"{name} {mb:.0f} MB" for name, mb in peaks.items() if mb)
            + f" | {_verdict(ok)} |"
        )
        whole = max((r.rss_mb for r in t["mktgraph validate FILE"]), default=None)
        if whole:
            lines.append(
                f"| (reported) `validate FILE` peak memory: the graph in an in-memory store | "
                f"{_size(row)} | {whole:.0f} MB | - |"
            )
    for row in rows:
        # Known differences (report_diff.label_known: values that cannot be compared, which
        # pySHACL orders) are named, not counted against the engines.
        known = sum(1 for diff in row["differences"] if diff.get("known"))
        equal = len(row["differences"]) == known and len(row["results"]) > 1
        lines.append(
            f"| results equal across the engines | {_size(row)} | "
            + ", ".join(f"{name} {n:,}" for name, n in row["results"].items())
            + (f" ({known} known differences)" if known else "")
            + f" | {_verdict(equal)} |"
        )
    return lines


def _over(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def table(rows: list[dict], args) -> str:
    lines = [
        START,
        "## mktgraph against Jena SHACL and pySHACL, like for like (issues 11 and 12)",
        "",
        *targets(rows),
        "",
        f"Written by `python benchmarks/versus_jena.py --sizes {args.sizes} --runs {args.runs}`"
        f" (generate.py --realistic, {args.violations:.0%} violations, seed {args.seed}). Each "
        'figure is a process of its own; the engines take turns round by round; "a / b" are '
        "the rounds. CPU is user + system time of the process and its children (every thread: "
        "Jena's JIT and garbage collector count). Apache Jena 4.5 (Debian), OpenJDK "
        f"{_java_version()}, JVM heap {args.jena_heap or 'default (a quarter of the memory)'}.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; shared with other work (load average given per size).",
        "",
        "End to end, from the file, like for like: mktgraph = `mktgraph validate FILE --format "
        "turtle -o REPORT` (one process; the file loaded into an in-memory store, then the "
        "compiled SHACL); Jena = `shacl validate --shapes --data` (data and ontology in one "
        "N-Triples file). The store route beside them: `mktgraph load FILE --store DIR` + "
        "`mktgraph validate --store DIR --format turtle -o REPORT` (peak MB: load, validate).",
        "",
        "| size | load avg | route | wall s | CPU s | peak MB | Jena / it, wall | CPU |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        t = row["tasks"]
        jen = t["Jena end to end"]
        stored = (
            f"{max(r.rss_mb for r in t['mktgraph load']):.0f}, "
            f"{max(r.rss_mb for r in t['mktgraph validate']):.0f}"
            if t["mktgraph validate"]
            else "-"
        )
        for route, runs, peak in (
            ("mktgraph validate FILE", t["mktgraph validate FILE"], None),
            ("mktgraph load + validate --store", t["mktgraph end to end"], stored),
            ("Jena shacl validate", jen, None),
        ):
            if peak is None:
                peak = f"{max(r.rss_mb for r in runs):.0f}" if runs else "-"
            lines.append(
                f"| {_size(row)} | {row['load_average'][1]:.1f} | {route} | "
                f"{_each('', runs, 'wall')} | {_each('', runs, 'cpu')} | {peak} | "
                f"{ratio_text(median(jen, 'wall'), median(runs, 'wall'))} | "
                f"{ratio_text(median(jen, 'cpu'), median(runs, 'cpu'))} |"
            )
    lines += [
        "",
        "Validation step alone (data already loaded or parsed; timed inside the process) and "
        "pyoxigraph's bulk load of the same data with the ontology:",
        "",
        "| size | mktgraph step wall s | CPU s | peak MB | Jena step wall s | CPU s | Jena parse "
        "s | pyoxigraph bulk load wall s | CPU s | Jena / mktgraph step, wall | CPU | "
        "mktgraph step / bulk load, wall | CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        t = row["tasks"]
        step, jstep, bulk = (
            t["mktgraph validation step"],
            t["Jena validation step"],
            t["pyoxigraph bulk load"],
        )
        parse = (
            " / ".join(f"{r.facts['parse_s']:.2f}" for r in jstep)
            if jstep and all(r.wall is not None for r in jstep)
            else "-"
        )
        lines.append(
            f"| {_size(row)} | {_each('', step, 'wall')} | {_each('', step, 'cpu')} | "
            f"{max((r.rss_mb for r in step), default=0):.0f} | "
            f"{_each('Jena validation step', jstep, 'wall')} | "
            f"{_each('Jena validation step', jstep, 'cpu')} | {parse} | "
            f"{_each('', bulk, 'wall')} | {_each('', bulk, 'cpu')} | "
            f"{ratio_text(step_seconds(jstep, 'wall'), median(step, 'wall'))} | "
            f"{ratio_text(step_seconds(jstep, 'cpu'), median(step, 'cpu'))} | "
            f"{ratio_text(median(step, 'wall'), median(bulk, 'wall'))} | "
            f"{ratio_text(median(step, 'cpu'), median(bulk, 'cpu'))} |"
        )
    pyshacl_rows = [row for row in rows if "pySHACL" in row["tasks"]]
    if pyshacl_rows:
        lines += [
            "",
            "pySHACL (once, as mktgraph runs it for rdflib Graphs and --reason, and ran it "
            "for files before: parse, RDFS inference, validation), against `mktgraph validate "
            "FILE`:",
            "",
            "| size | pySHACL wall s | CPU s | peak MB | pySHACL / `validate FILE`, wall |",
            "|---|---|---|---|---|",
        ]
        for row in pyshacl_rows:
            t = row["tasks"]
            p = t["pySHACL"]
            lines.append(
                f"| {_size(row)} | {_each('', p, 'wall')} | {_each('', p, 'cpu')} | "
                f"{p[0].rss_mb:.0f} | "
                f"{ratio_text(median(p, 'wall'), median(t['mktgraph validate FILE'], 'wall'))} |"
            )
    lines += [
        "",
        "Results, compared as (focus, path, constraint component, value, severity), blank "
        'nodes as anonymous (benchmarks/report_diff.py); "Jena (step)" is JenaValidate\'s '
        "report:",
        "",
        "| size | injected | results per engine | differences |",
        "|---|---|---|---|",
    ]
    for row in rows:
        counts = ", ".join(f"{name} {n:,}" for name, n in row["results"].items())
        injected = "-" if row["injected"] is None else f"{row['injected']:,}"
        lines.append(
            f"| {_size(row)} | {injected} | {counts} | {len(row['differences']) or 'none'} |"
        )
    for row in rows:
        if row["differences"]:
            lines += ["", f"Differences at {_size(row)} (count per engine):", ""]
            for diff in row["differences"][:40]:
                counts = ", ".join(f"{k} {v}" for k, v in diff["counts"].items())
                other = (
                    f"; other engines: {', '.join(diff['other values'])}"
                    if diff["other values"]
                    else ""
                )
                known = f" (known: {diff['known']})" if diff.get("known") else ""
                lines.append(
                    f"- `{diff['focus']}` {diff['path'] or '(node)'} {diff['component']} "
                    f"`{diff['value']}` {diff['severity']}: {counts}{other}{known}"
                )
            if len(row["differences"]) > 40:
                lines.append(f"- ... and {len(row['differences']) - 40} more")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _size(row: dict) -> str:
    return f"{row['triples']:,}"


def _java_version() -> str:
    if not shutil.which("java"):
        return "none"
    done = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    found = re.search(r'version "([^"]+)"', done.stderr)
    return found.group(1) if found else "?"


def write_section(text: str, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        new = re.sub(re.escape(START) + r".*?" + re.escape(END) + r"\n?", lambda _: text, old,
                     flags=re.S)  # fmt: skip
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new, encoding="utf-8")


def as_json(rows: list[dict]) -> list[dict]:
    out = []
    for row in rows:
        row = dict(row)
        row["tasks"] = {
            name: [vars(r) for r in runs] for name, runs in row["tasks"].items()
        }  # fmt: skip
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated: 100k,1m,3m")
    parser.add_argument("--runs", type=int, default=2, help="rounds (the engines take turns)")
    parser.add_argument("--violations", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per process")
    parser.add_argument("--pyshacl-max", type=generate.parse_size, default=100_000,
                        help="run pySHACL at sizes up to this")  # fmt: skip
    parser.add_argument("--jena-heap", default=None, help="the JVM's -Xmx (default: the JVM's)")
    parser.add_argument("--no-jena", action="store_true")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="take realistic-1m.nt etc. from here (as bench_load.py makes them)",
    )
    parser.add_argument("--work", type=Path, help="a folder for data and stores (default: temp)")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="mktgraph-versus-jena-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in [generate.parse_size(s) for s in args.sizes.split(",") if s.strip()]:
            rows.append(bench_size(size, args, work))
            if args.json:
                args.json.write_text(json.dumps(as_json(rows), indent=1))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = table(rows, args)
    write_section(text, args.output)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
