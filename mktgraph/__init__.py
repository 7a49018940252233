"""mktgraph: a knowledge-graph toolkit for marketing and sales (ontology, shapes, queries, CLI).

The Python API (see the README): ``open_source``, ``run_query``, ``validate_data``,
``export_graph``, ``load_data`` and ``reason_over``, on files, rdflib Graphs, an embedded store
or a SPARQL server. They are imported when first used, so that ``mktgraph --help`` stays fast.
"""

import re as _re
from typing import TYPE_CHECKING

from mktgraph import resources as _resources


def _ontology_version() -> str:
    """The version, written once: owl:versionInfo in ontology/mktgraph.ttl."""
    header = (_resources.data_dir("ontology") / "mktgraph.ttl").read_text(encoding="utf-8")
    return _re.search(r'owl:versionInfo "([^"]+)"', header).group(1)


__version__ = _ontology_version()

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports them when used
    from mktgraph.api import (
        export_graph,
        load_data,
        reason_over,
        remove_inferences,
        run_query,
        validate_data,
    )
    from mktgraph.sources import GraphSource, SourceSpec, open_source

# name -> the module that defines it (mktgraph.api re-exports the source layer).
_API = {
    "open_source": "mktgraph.sources",
    "SourceSpec": "mktgraph.sources",
    "GraphSource": "mktgraph.sources",
    "run_query": "mktgraph.api",
    "validate_data": "mktgraph.api",
    "export_graph": "mktgraph.api",
    "load_data": "mktgraph.api",
    "reason_over": "mktgraph.api",
    "remove_inferences": "mktgraph.api",
}

__all__ = [
    "GraphSource",
    "SourceSpec",
    "__version__",
    "export_graph",
    "load_data",
    "open_source",
    "reason_over",
    "remove_inferences",
    "run_query",
    "validate_data",
]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'mktgraph' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
