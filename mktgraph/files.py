"""Writing output files (-o) safely: never over an input or into a store, through symlinks,
devices and FIFOs written in place, regular files replaced atomically with the umask's mode."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mktgraph.errors import InputError

STDOUT = "-"  # as an output file name: standard output


def is_stdout(output: str | Path | None) -> bool:
    """Whether ``output`` means standard output: no file, or "-"."""
    return output is None or str(output) == STDOUT


def _inside_store(path: Path) -> Path | None:
    """The embedded store folder holding ``path`` (resolved), if any."""
    for folder in path.parents:
        # The marker of a RocksDB folder, as stores.embedded.is_store tests it (without
        # importing pyoxigraph here).
        if (folder / "CURRENT").is_file() and (folder / "IDENTITY").is_file():
            return folder
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(output: str | Path | None, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an output file that is one of ``inputs`` (or inside one, for a store folder), or
    inside an embedded store: writing there would destroy what the command reads."""
    if is_stdout(output):
        return
    target = Path(os.path.realpath(output))
    for given in inputs:
        if str(given) == "-":
            continue
        source = Path(given)
        if _same_file(target, source) or (source.is_dir() and source.resolve() in target.parents):
            raise InputError(f"{output}: is an input of this command; give another output file")
    store = _inside_store(target)
    if store is not None:
        raise InputError(f"{output}: is inside the store {store}; give a file outside it")
    if target.is_dir():
        raise InputError(f"{output}: is a folder; give a file name")


def _new_file_mode() -> int:
    """The mode a new file gets from open(): 0o666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def output_file(
    output: str | Path | None, inputs: Iterable[str | Path] = ()
) -> Iterator[IO[bytes]]:
    """A binary stream for ``output``: standard output for None or "-". A regular file (or a
    new one) is written to a temporary file beside it and renamed over it when complete, so a
    reader never sees half of it and a failure leaves the old file; a symlink is followed (the
    link stays, its target changes); a device or FIFO is written in place."""
    if is_stdout(output):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    check_output(output, inputs)
    target = Path(os.path.realpath(output))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with target.open("wb") as handle:
                yield handle
        except OSError as error:
            raise InputError(f"{output}: cannot write: {error.strerror or error}") from None
        return
    directory = target.parent
    if not directory.is_dir():
        raise InputError(f"{output}: cannot write: folder {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from None
    try:
        # mkstemp makes the file 0600; the result gets the mode of the file it replaces, or
        # that of any new file (the umask's).
        os.fchmod(fd, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_build_target(
    dest: Path, parent: Path, replace: bool, refusals: tuple[str, str, str]
) -> None:
    """Refuse to build the folder ``dest`` (in ``parent``) where it is something else than a
    folder, a folder with contents (unless ``replace``) or where ``parent`` is missing.
    ``refusals`` words the three, with ``{dest}`` and ``{parent}`` filled in."""
    not_folder, not_empty, no_parent = refusals
    if dest.exists() and not dest.is_dir():
        raise InputError(not_folder.format(dest=dest, parent=parent))
    if dest.is_dir() and any(dest.iterdir()) and not replace:
        raise InputError(not_empty.format(dest=dest, parent=parent))
    if not parent.is_dir():
        raise InputError(no_parent.format(dest=dest, parent=parent))


@contextmanager
def folder_built_whole(dest: Path, parent: Path) -> Iterator[Path]:
    """A new temporary folder in ``parent`` (the folder of ``dest``) to build in; when the block
    ends it takes the place of ``dest`` (an old ``dest`` is moved aside, then removed), so that
    ``dest`` never holds half a build. On any failure the temporary folder goes."""
    import shutil

    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=parent))
    try:
        yield staging
        if dest.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=parent))
            os.rename(dest, old / dest.name)
            os.rename(staging, dest)
            shutil.rmtree(old)
        else:
            os.rename(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_output(
    output: str | Path | None, data: str | bytes, inputs: Iterable[str | Path] = ()
) -> None:
    """Write ``data`` to ``output`` all at once (see ``output_file``)."""
    with output_file(output, inputs) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
