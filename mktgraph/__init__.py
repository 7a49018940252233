"""mktgraph: a knowledge-graph toolkit for marketing and sales (ontology, shapes, queries, CLI)."""

import re as _re

from mktgraph import resources as _resources


def _ontology_version() -> str:
    """The version, written once: owl:versionInfo in ontology/mktgraph.ttl."""
    header = (_resources.data_dir("ontology") / "mktgraph.ttl").read_text(encoding="utf-8")
    return _re.search(r'owl:versionInfo "([^"]+)"', header).group(1)


__version__ = _ontology_version()
