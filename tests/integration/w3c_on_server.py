"""Loading a test's data into an Oxigraph server as mktgraph's store holds it: the data in the
default graph, and the records of the literals the server rewrites (fastshacl/lexical.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import requests

from mktgraph.fastshacl import lexical
from mktgraph.graph import format_for, ox_format


def load_as_written(server_url: str, paths: list[Path], graph: str | None = None) -> None:
    """Replace the server's content with the files and their records, in one N-Quads request
    (one document: the blank nodes of the data and of the records are the same nodes)."""
    recorder = lexical.Recorder(keep_writings=True)  # as send_records
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    quads = []
    for path in paths:
        parsed = ox.parse(
            path=str(path), format=ox_format(format_for(path)), base_iri=path.resolve().as_uri()
        )
        quads += [ox.Quad(q.subject, q.predicate, q.object, target) for q in recorder.watch(parsed)]
    quads += lexical.record_quads(recorder, lexical.RecordGraphs.of(graph))
    body = io.BytesIO()
    ox.serialize(quads, body, ox.RdfFormat.N_QUADS)
    requests.post(
        f"{server_url}/update", data={"update": "DROP SILENT ALL"}, timeout=60
    ).raise_for_status()
    requests.post(
        f"{server_url}/store",
        data=body.getvalue(),
        headers={"Content-Type": "application/n-quads"},
        timeout=60,
    ).raise_for_status()
