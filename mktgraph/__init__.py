"""mktgraph: a knowledge-graph toolkit for marketing and sales (ontology, shapes, queries, CLI)."""

__version__ = "0.1.0"
