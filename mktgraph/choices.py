"""The fixed choices of mktgraph's options, declared once (no imports: `--help` lists them)."""

from __future__ import annotations

# The reasoners: hermit and pellet (OWL 2 DL, Java), rl (OWL 2 RL inside Oxigraph), owlrl (OWL 2
# RL in pure Python).
REASONERS = ("hermit", "pellet", "rl", "owlrl")
# Inference run before SHACL validation.
INFERENCE_MODES = ("none", "rdfs", "owlrl")
# Most severe first; a fail level fails on its own severity and every one above it.
VALIDATION_SEVERITIES = ("violation", "warning", "info")
LINT_SEVERITIES = ("error", "warning", "info")
