"""How long `mktgraph reason` takes with each reasoner, on the sample graph and generated data.

Each run is the real command in its own process group, killed (group and all, Java included)
after a time limit and reported as "> N s". A reasoner that exceeds the limit at one size is not
run at the larger ones. Results go to docs/benchmarks-reasoning.md (or --out).

    python benchmarks/bench_reason.py                      # sample, 1k, 3k, 10k, 100k; 300 s
    python benchmarks/bench_reason.py --sizes 1000 --limit 60 --out -
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, XSD

from mktgraph.namespaces import MKT, SCHEMA, bind_prefixes

REPO = Path(__file__).resolve().parent.parent
REASONERS = ("hermit", "pellet", "owlrl")
EX = Namespace("https://example.org/bench/")
CHANNELS = ("EmailChannel", "WebinarChannel", "SocialMediaChannel", "SearchChannel")
STAGES = (MKT.WonStage, MKT.LostStage, MKT.OpenStage)


def generate(individuals: int) -> Graph:
    """Company data of about ``individuals`` individuals: campaigns, prospects, leads (two in
    three worked by a deal, in every stage), and promotions, half of them with a discount."""
    graph = bind_prefixes(Graph())
    graph.bind("ex", EX)
    add = graph.add
    campaigns = max(1, individuals // 100)
    promotions = max(1, individuals // 50)
    leads = max(1, (individuals - campaigns - promotions) * 3 // 8)
    for c in range(campaigns):
        campaign = EX[f"campaign-{c}"]
        add((campaign, RDF.type, MKT.MarketingCampaign))
        add((campaign, MKT.channel, MKT[CHANNELS[c % len(CHANNELS)]]))
        add((campaign, MKT.startDate, Literal(f"2024-{c % 12 + 1:02d}-01", datatype=XSD.date)))
    for p in range(promotions):
        promotion = EX[f"promotion-{p}"]
        add((promotion, RDF.type, MKT.Promotion))
        if p % 2 == 0:
            add((promotion, MKT.discountPercent, Literal(f"{5 + p % 20}.0", datatype=XSD.decimal)))
    for i in range(leads):
        prospect, lead = EX[f"prospect-{i}"], EX[f"lead-{i}"]
        add((prospect, RDF.type, SCHEMA.Organization))
        add((prospect, RDF.type, MKT.Prospect))
        add((lead, RDF.type, MKT.Lead))
        add((lead, MKT.prospect, prospect))
        add((lead, MKT.generatedBy, EX[f"campaign-{i % campaigns}"]))
        created = f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}T09:00:00Z"
        add((lead, MKT.createdAt, Literal(created, datatype=XSD.dateTime)))
        if i % 3:
            deal = EX[f"deal-{i}"]
            add((deal, RDF.type, MKT.Deal))
            add((deal, MKT.worksLead, lead))
            add((deal, MKT.dealStage, STAGES[i % len(STAGES)]))
    return graph


def run(files: list[str], reasoner: str, limit: float) -> tuple[str, float | None]:
    """(outcome, seconds) of one `mktgraph reason` run; seconds is None past the limit."""
    command = [sys.executable, "-m", "mktgraph", "reason", *files, "--reasoner", reasoner]
    command += ["--timeout", str(limit + 60)]  # our own limit below is the one that bites
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=REPO,
    )
    try:
        out, err = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI, its worker and the JVM
        process.wait()
        return "stopped", None
    seconds = time.monotonic() - started
    if process.returncode not in (0, 1):
        return f"error: {err.decode(errors='replace').strip()[:200]}", seconds
    first = out.decode(errors="replace").splitlines()[0] if out else ""
    return first.split(";")[0].split(":")[0], seconds


def count_individuals(files: list[str]) -> int:
    from mktgraph.graph import load_with_ontology
    from mktgraph.reason import individuals

    return len(individuals(load_with_ontology(files)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 10_000, 100_000])
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--reasoners", nargs="*", default=list(REASONERS), choices=REASONERS)
    parser.add_argument("--no-sample", action="store_true", help="skip the sample graph")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks-reasoning.md"))
    args = parser.parse_args()

    from mktgraph import resources

    rows = []
    over: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="mktgraph-bench-") as tmp:
        cases = (
            []
            if args.no_sample
            else [("sample graph", [str(p) for p in resources.example_files()])]
        )
        for size in args.sizes:
            path = Path(tmp) / f"generated-{size}.nt"
            generate(size).serialize(path, format="nt", encoding="utf-8")
            cases.append((f"generated {size:,}", [str(path)]))
        for label, files in cases:
            individuals = count_individuals(files)
            cells = [label, f"{individuals:,}"]
            for reasoner in args.reasoners:
                if reasoner in over:
                    cells.append(f"not run (> {args.limit:g} s at {over[reasoner]:,})")
                    continue
                outcome, seconds = run(files, reasoner, args.limit)
                if seconds is None:
                    over[reasoner] = individuals
                    cells.append(f"> {args.limit:g} s")
                else:
                    cells.append(f"{seconds:.1f} s ({outcome})")
                print(label, reasoner, cells[-1], file=sys.stderr, flush=True)
            rows.append(cells)
    header = ["data", "individuals", *args.reasoners]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python " + (
        platform.python_version()
    )
    text = RESULTS_TEMPLATE.format(table="\n".join(table), limit=f"{args.limit:g}", machine=machine)
    if args.out == "-":
        print(text)
    else:
        write_results(Path(args.out), text)


def write_results(path: Path, text: str) -> None:
    """Replace the results between the markers of ``path`` (keeping the prose around them)."""
    start, end = "<!-- results: written by benchmarks/bench_reason.py -->", "<!-- /results -->"
    old = path.read_text(encoding="utf-8") if path.is_file() else f"{start}\n{end}\n"
    if start not in old or end not in old:
        old = old.rstrip("\n") + f"\n\n{start}\n{end}\n"
    before, rest = old.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(f"{before}{start}\n{text}{end}{after}", encoding="utf-8")


RESULTS_TEMPLATE = """Wall-clock time of `mktgraph reason FILE --reasoner R` (loading, reasoning,
summary), each run in its own process group, killed after {limit} s. Machine: {machine}.

{table}
"""


if __name__ == "__main__":
    main()
