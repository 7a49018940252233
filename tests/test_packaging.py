"""The wheel carries the data files: install it in a fresh venv and run from another folder."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_answers_from_any_directory(tmp_path, wheel):
    env_dir = tmp_path / "venv"
    # A venv of its own (no system site packages: from inside a venv those would be the base
    # interpreter's, not this environment's). mktgraph goes in from the wheel alone, before
    # anything else is visible, so nothing already installed can stand in for it.
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies come from the environment under test (no network): its site-packages
    # go after the venv's own on sys.path, through a .pth file of plain paths (an editable
    # mktgraph there, if any, is a finder in a .pth of its own, which this does not run).
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    here = dict.fromkeys(
        [sysconfig.get_paths()[key] for key in ("purelib", "platlib")]
        + [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    )
    (Path(site_packages) / "environment-under-test.pth").write_text("\n".join(here) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run(
        [str(env_dir / "bin" / "mktgraph"), "query", "sales-vs-marketing", "--format", "csv"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "dimension,marketing,sales"
    assert len(lines) == 9
    where = subprocess.run(
        [str(python), "-c", "import mktgraph.resources as r; print(r.data_root())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)), "the installed wheel must use its own data files"
    # The lint checks (queries/lint) and the documentation's templates are in the wheel.
    lint = subprocess.run(
        [str(env_dir / "bin" / "mktgraph"), "lint", "--format", "csv"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stderr
    assert lint.stderr.startswith("mktgraph's ontology: 0 errors, ")
    assert "(12 checks)" in lint.stderr
    docs = subprocess.run(
        [str(env_dir / "bin" / "mktgraph"), "docs", "-o", "site"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert docs.returncode == 0, docs.stderr
    assert (elsewhere / "site" / "frameworks" / "GapModel.html").is_file()
    assert (elsewhere / "site" / "style.css").is_file()
