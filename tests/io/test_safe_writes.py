"""-o writes safely: never over an input or into a store, through symlinks, in place for FIFOs,
atomically for regular files, with the mode the umask gives."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from mktgraph.errors import InputError
from mktgraph.files import check_output, output_file, write_output
from mktgraph.stores.embedded import EmbeddedStore


@pytest.fixture
def umask():
    """Set the umask for one test, and restore the old one."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_of_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    write_output(tmp_path / "out.ttl", "x\n")
    assert stat.S_IMODE((tmp_path / "out.ttl").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    path = tmp_path / "out.ttl"
    path.write_text("old\n")
    path.chmod(0o640)
    write_output(path, "new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.ttl"
    target.write_text("old\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    write_output(link, "new\n")
    assert link.is_symlink()
    assert target.read_text() == "new\n"
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["link.ttl", "real.ttl"]


def test_a_fifo_is_written_in_place_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_an_input_is_not_overwritten(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text("kept\n")
    link = tmp_path / "alias.ttl"
    link.symlink_to(data)
    for output in (data, link, tmp_path / "." / "data.ttl"):
        with pytest.raises(InputError) as caught:
            write_output(output, "lost\n", inputs=[str(data)])
        assert (
            str(caught.value) == f"{output}: is an input of this command; give another output file"
        )
    assert data.read_text() == "kept\n"


def test_nothing_is_written_inside_a_store(tmp_path):
    store = tmp_path / "st"
    with EmbeddedStore(store, create=True):
        pass
    before = (store / "CURRENT").read_bytes()
    for output in (store / "CURRENT", store / "export.ttl"):
        with pytest.raises(InputError, match=f"is inside the store {store}"):
            check_output(output)
        with pytest.raises(InputError):
            write_output(output, "lost\n", inputs=[store])
    assert (store / "CURRENT").read_bytes() == before
    assert not (store / "export.ttl").exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.ttl"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), output_file(path) as handle:
        handle.write(b"half")
        raise RuntimeError("stopped")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
