"""What a one-shot command leaves to its process's exit: large in-memory stores, unfreed."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

# Freeing an in-memory Oxigraph store of 3M triples takes 2.4 s of CPU (0.8 s at 1M) while
# holding the GIL, and the operating system takes the pages back at exit for nothing. The
# console script says that its process ends with the command; a library caller's stores are
# always closed.
_one_shot = False
_kept: list[Any] = []


def process_ends_with_command() -> None:
    """Called by the console script only: what `release` is given may stay until exit."""
    global _one_shot
    _one_shot = True


def release(holder: Any, close: Any) -> None:
    """Let go of ``holder``: ``close()`` it, or, in a one-shot process, keep it until exit."""
    if _one_shot:
        _kept.append(holder)
    else:
        close()


def end(code: int | str | None) -> None:
    """End a one-shot process that kept something, without freeing it: the output flushed,
    then the exit status of ``SystemExit(code)``. Returns if nothing was kept."""
    if not _kept:
        return
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or vanished reader
            stream.flush()
    os._exit(code or 0)
