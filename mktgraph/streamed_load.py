"""Oxigraph's bulk loader reading N-Triples from a pipe in a thread of its own, outside the GIL,
written into the store only when the whole input has succeeded: fed an import's mapped parts
as they come (`mktgraph import --store`), or a file's lines as they are read (`load`)."""

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


def _open_writer(pipe: Path, loading: Callable[[], bool]) -> int | None:
    """The writing end of ``pipe``, blocking, once its loader has opened the other; None if
    ``loading()`` turns false first (the loader failed before it opened the pipe)."""
    while True:
        try:
            fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            if not loading():
                return None
            time.sleep(0.005)
            continue
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        with contextlib.suppress(OSError):  # a bigger pipe: fewer switches between the two
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        return fd


class PipeLoad:
    """``store.bulk_load`` reading N-Triples from a pipe, in a thread, while the caller writes
    into it (``write``): the loader parses outside the GIL as the caller reads on. Nothing
    reaches the store before ``commit()``; ``abort()`` (or leaving the ``with`` block on an
    error) ends the input with an unparsable line, and the loader drops what it built.

    A store on disk takes other bulk loads meanwhile (one may wait for ``commit()`` to end
    with it); a store in memory locks itself for the length of the load."""

    def __init__(self, store: Any) -> None:
        import tempfile

        import pyoxigraph as ox

        self._folder = tempfile.TemporaryDirectory(prefix="mktgraph-pipe-")
        self._pipe = Path(self._folder.name) / "load.pipe"
        os.mkfifo(self._pipe)
        self.error: BaseException | None = None
        load = (store, ox.RdfFormat.N_TRIPLES)
        self._loader = threading.Thread(target=self._load, args=load, daemon=True)
        self._loader.start()
        self._fd = _open_writer(self._pipe, self._loader.is_alive)
        self.done = False

    def _load(self, store: Any, format: Any) -> None:
        try:
            store.bulk_load(path=str(self._pipe), format=format)
        except BaseException as error:  # raised by write() or commit()
            self.error = error

    def write(self, data: Any) -> None:
        """Add N-Triples lines (bytes or a buffer); the loader's error if it stopped."""
        view = memoryview(data)
        try:
            if self._fd is None:
                raise BrokenPipeError
            while view:
                view = view[os.write(self._fd, view) :]
        except BrokenPipeError:  # the loader stopped (a syntax error): say why
            self._finish()
            raise self.error or RuntimeError("the bulk loader stopped") from None

    def end_input(self) -> None:
        """End the input and return at once: the loader sorts what it parsed and writes it into
        the store on its own while the caller goes on; ``commit()`` then waits for it. Nothing
        can stop the load after this (``abort()`` only waits)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def input_ended(self) -> bool:
        return self._fd is None

    def commit(self) -> None:
        """End the input: the loader writes what it built into the store (its error, if any,
        raised here, and then nothing was written)."""
        if not self.done:
            self._finish()
            if self.error is not None:
                raise self.error

    def abort(self) -> None:
        """End the input with an unparsable line: the store stays as it was (unless the input
        was ended already: then wait for the load)."""
        if not self.done and self._fd is not None:
            with contextlib.suppress(OSError):  # the loader ended already
                os.write(self._fd, _UNPARSABLE)
        self._finish()

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self.end_input()
        self._loader.join()
        self._folder.cleanup()

    def __enter__(self) -> PipeLoad:
        return self

    def __exit__(self, kind, *_rest) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


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
        loader = self._loader
        return _open_writer(self._pipe, lambda: loader is not None and loader.is_alive())

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
