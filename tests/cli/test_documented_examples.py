"""The examples of the README and of every command's --help use files that exist (or that an
earlier example writes) and query parameters that the named query declares; shell completion
works as the README says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from mktgraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]
RDF_FILE = re.compile(r".+\.(ttl|nt|nq|trig|jsonld|rdf|owl|xml)(\.gz)?$")
TAKES_VALUE = {
    "-o", "--output", "--format", "--store", "--endpoint", "--server", "--graph", "--user",
    "--password-env", "--reasoner", "--fail-on", "--inference", "--shapes", "--mapping",
    "--base", "--timeout", "--delimiter", "--input-format", "--auth", "--protocol",
    "--update-endpoint", "--gsp-endpoint", "--max-response", "--source",
}  # fmt: skip


def readme_examples() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = re.sub(r"\s+#.*", "", line).strip()
            if line.startswith("mktgraph "):
                lines.append(shlex.split(line.split(" | ")[0].split(" && ")[0]))
    return lines


def help_examples() -> list[list[str]]:
    lines = []
    for command in cli.commands.values():
        help_text = command.help or ""
        joined = help_text.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.strip()
            if line.startswith("mktgraph "):
                lines.append(shlex.split(line))
    return lines


def check_examples(examples: list[list[str]]) -> None:
    from mktgraph.queries import named_queries

    written: set[str] = set()
    queries = named_queries()
    for words in examples:
        for index, word in enumerate(words):
            before = words[index - 1] if index else ""
            if before in ("-o", "--output"):
                written.add(word)
            elif (before == "--data" or before not in TAKES_VALUE) and RDF_FILE.match(word):
                assert (ROOT / word).is_file() or word in written, f"{word} in: {shlex.join(words)}"
            if before in ("-p", "--param"):
                name = word.partition("=")[0]
                query = words[words.index("query") + 1]
                assert query in queries, f"{query} in: {shlex.join(words)}"
                declared = {p.name for p in queries[query].parameters}
                assert name in declared, f"-p {name} in: {shlex.join(words)}"


def test_readme_examples_use_files_and_parameters_that_exist():
    examples = readme_examples()
    assert len(examples) > 20
    check_examples(examples)


def test_help_examples_use_files_and_parameters_that_exist():
    examples = help_examples()
    assert len(examples) > 20
    check_examples(examples)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_readme_gives_it(shell):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"_MKTGRAPH_COMPLETE={shell}_source mktgraph" in readme
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_MKTGRAPH_COMPLETE": f"{shell}_source"}
    script = subprocess.run(
        [sys.executable, "-m", "mktgraph"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "_MKTGRAPH_COMPLETE" in script
    env.update(_MKTGRAPH_COMPLETE="bash_complete", COMP_WORDS="mktgraph exp", COMP_CWORD="1")
    answer = subprocess.run(
        [sys.executable, "-m", "mktgraph"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert answer.split() == ["plain,export"]
