"""One bulk load of an embedded store fed an import's mapped parts as they come, written into
the store only when the whole import has succeeded (for `mktgraph import --store`)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

# Ends the loader's input with a line no N-Triples parser takes: the loader stops with a
# syntax error and drops what it built.
_UNPARSABLE = b"\n<mktgraph:stop> stop\n"


class StreamedLoad:
    """Oxigraph's bulk loader reading N-Triples from a pipe while a thread copies the mapped
    parts into it, each as soon as it is mapped: loading overlaps the checking and the mapping
    of the next rows, and the whole import is one bulk load (the store's files are ingested
    once, not once a part).

    The bulk loader writes the files it builds into the store only when its input ends.
    Until ``commit()`` the store is unchanged: ``abort()`` (a bad cell, a failed mapping task)
    ends the input with an unparsable line, and the loader drops what it built."""

    def __init__(self, store: Any, workdir: Path) -> None:
        import pyoxigraph as ox

        self._store = store
        self._format = ox.RdfFormat.N_TRIPLES
        self._pipe = workdir / "load.pipe"
        os.mkfifo(self._pipe)
        self._decided = threading.Event()
        self._commit = False
        self._stop = threading.Event()  # stop feeding at once (an abort)
        self.load_error: BaseException | None = None
        self.feed_error: BaseException | None = None
        self.triples = 0
        self._loader: threading.Thread | None = None
        self._feeder: threading.Thread | None = None
        self._started = False

    @property
    def started(self) -> bool:
        return self._started

    def start(self, parts: Callable[[threading.Event], Iterable[Path]], count: Callable) -> None:
        """Start loading: ``parts(stop)`` yields the mapped N-Triples files in order (it ends
        early once ``stop`` is set); ``count(part)`` gives a part's triples."""
        self._loader = threading.Thread(target=self._load, name="mktgraph-load", daemon=True)
        self._feeder = threading.Thread(
            target=self._feed, args=(parts, count), name="mktgraph-feed", daemon=True
        )
        self._started = True
        self._loader.start()
        self._feeder.start()

    def _load(self) -> None:
        try:
            # the bulk loader reads the pipe itself, outside the GIL
            self._store.bulk_load(path=str(self._pipe), format=self._format)
        except BaseException as error:  # reported by commit(); expected after abort()
            self.load_error = error

    def _open_pipe(self) -> int | None:
        """The pipe's writing end, once the loader has opened the other (None if it ended
        before it could)."""
        while True:
            try:
                fd = os.open(self._pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO:  # ENXIO: no reader yet
                    raise
                if self._loader is None or not self._loader.is_alive():
                    return None
                time.sleep(0.005)
                continue
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
            return fd

    def _feed(self, parts: Callable[[threading.Event], Iterable[Path]], count: Callable) -> None:
        fd = None
        try:
            fd = self._open_pipe()
            if fd is None:
                return  # the loader failed at once: commit() reports its error
            for part in parts(self._stop):
                with part.open("rb") as source:
                    while block := source.read(1 << 20):
                        view = memoryview(block)
                        while view:
                            view = view[os.write(fd, view) :]
                self.triples += count(part)
                part.unlink()  # loaded (in the loader's files): its disk space back
            self._decided.wait()
            if not self._commit:
                os.write(fd, _UNPARSABLE)
        except BaseException as error:
            self.feed_error = error
            if fd is not None:
                with contextlib.suppress(OSError):  # the loader ended already
                    os.write(fd, _UNPARSABLE)
        finally:
            if fd is not None:
                os.close(fd)  # the end of the loader's input

    def commit(self) -> int:
        """End the input so that the loader writes everything into the store; the number of
        triples fed. The first error of the feeding (a mapping task's) or of the loading is
        raised here, and then nothing was written."""
        assert self._started, "start() first"
        self._commit = True
        self._decided.set()
        self._end()
        if self.load_error is not None and (
            self.feed_error is None or isinstance(self.feed_error, BrokenPipeError)
        ):
            raise self.load_error  # the loader stopped first (the feeding then broke)
        if self.feed_error is not None:
            raise self.feed_error
        return self.triples

    def abort(self) -> None:
        """Stop: the loader drops what it built, the store stays as it was."""
        self._stop.set()
        self._decided.set()
        self._end()

    def _end(self) -> None:
        """Wait for both threads, then let go of the store (it closes with its last reference)."""
        for thread in (self._feeder, self._loader):
            if thread is not None:
                thread.join()
        self._feeder = self._loader = None
        self._store = None
