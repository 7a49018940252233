"""The README's Python API example runs as written and prints what the README says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _example() -> tuple[str, str]:
    """The Python block of the README's "Python API" section, and the text block after it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    printed = re.search(r"prints:\n\n```text\n(.*?)```", section, re.S)
    assert code and printed, "the README's Python API section lost its example"
    return code.group(1), printed.group(1)


def test_the_readme_example_prints_what_the_readme_says(tmp_path):
    code, printed = _example()
    assert "from mktgraph import" in code
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert done.stderr == ""
    assert done.returncode == 0
    assert done.stdout == printed
