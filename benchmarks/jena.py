"""Apache Jena's SHACL validator (Debian's libapache-jena-java) as a benchmark baseline.

Debian's jars need two fixes (see shared platform notes): an explicit classpath, since the
/usr/share/java glob holds two SLF4J bindings, and the message bundles of Jena's relocated
xerces copied to where the relocated classes look for them, in a small jar built here from
jena-core.jar itself.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEP_SOURCE = HERE / "JenaValidate.java"

JAVA_DIR = Path("/usr/share/java")
JARS = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "commons-logging",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "httpclient-cache",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-simple",
    "jcl-over-slf4j",
]
_RELOCATED = "org/apache/jena/ext/xerces/"


def available() -> bool:
    """Whether Java and Debian's Jena jars are installed."""
    return shutil.which("java") is not None and (JAVA_DIR / "jena-shacl.jar").is_file()


def _xerces_fix(cache: Path) -> Path:
    fix = cache / "jena-xerces-messages.jar"
    if fix.is_file():
        return fix
    cache.mkdir(parents=True, exist_ok=True)
    partial = fix.with_suffix(".part")
    with (
        zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as source,
        zipfile.ZipFile(partial, "w") as target,
    ):
        for name in source.namelist():
            if name.startswith(_RELOCATED) and name.endswith(".properties"):
                target.writestr("xerces/" + name[len(_RELOCATED) :], source.read(name))
    partial.replace(fix)
    return fix


def classpath(cache: Path) -> str:
    jars = [JAVA_DIR / f"{name}.jar" for name in JARS]
    missing = [str(j) for j in jars if not j.is_file()]
    if missing:
        raise FileNotFoundError(f"Jena jars missing: {', '.join(missing)}")
    return ":".join(str(j) for j in [*jars, _xerces_fix(cache)])


def shacl_command(shapes: Path, data: Path, cache: Path, heap: str | None = "2g") -> list[str]:
    """The command that validates ``data`` against ``shapes`` and prints a Turtle report
    (``heap``: the JVM's -Xmx; None leaves the JVM's default, a quarter of the memory)."""
    return [
        "java",
        *([f"-Xmx{heap}"] if heap else []),
        "-cp",
        classpath(cache),
        "shacl.shacl",
        "validate",
        "--shapes",
        str(shapes),
        "--data",
        str(data),
    ]


def _compiled_step(cache: Path) -> Path:
    """JenaValidate.java compiled into ``cache`` (a folder per source digest, built once)."""
    digest = hashlib.sha256(STEP_SOURCE.read_bytes()).hexdigest()[:12]
    classes = cache / f"jena-validate-{digest}"
    if (classes / "JenaValidate.class").is_file():
        return classes
    partial = cache / f"jena-validate-{digest}.part"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    subprocess.run(
        ["javac", "-d", str(partial), "-cp", classpath(cache), str(STEP_SOURCE)],
        check=True,
        capture_output=True,
    )
    partial.replace(classes)
    return classes


def step_command(
    shapes: Path, report: Path, data: list[Path], cache: Path, heap: str | None = None
) -> list[str]:
    """The command that parses ``data`` and ``shapes``, then times Jena's validation alone;
    it writes the Turtle report to ``report`` and prints one JSON line (JenaValidate.java)."""
    classes = _compiled_step(cache)
    return [
        "java",
        *([f"-Xmx{heap}"] if heap else []),
        "-cp",
        f"{classpath(cache)}:{classes}",
        "JenaValidate",
        str(shapes),
        str(report),
        *map(str, data),
    ]
