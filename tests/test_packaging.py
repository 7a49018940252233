"""The wheel carries the data files: install it in a fresh venv and run from another folder."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_answers_from_any_directory(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("mktgraph-*.whl"))
    env_dir = tmp_path / "venv"
    # Reuse this interpreter's packages for the dependencies (no network), but install
    # mktgraph itself only from the wheel: --ignore-installed because CI has already
    # installed the same version into those packages, and pip would otherwise skip it.
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
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
