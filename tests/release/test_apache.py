"""Content negotiation of the release folder on a real web server: Apache httpd (Debian
apache2) serves it with its own .htaccess on a loopback port, and each Accept header gets the
right file with the right media type, for the ontology, a term, the version IRI and the
context; a browser gets HTML."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from mktgraph import __version__
from mktgraph.release import build_release

pytestmark = pytest.mark.integration  # starts a web server

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "negotiation", "headers")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
VERSION = __version__

# Accept header -> (release file, media type) for the ontology IRI and the version IRI.
ONTOLOGY_ANSWERS = {
    "text/turtle": ("mktgraph.ttl", "text/turtle"),
    "application/rdf+xml": ("mktgraph.owl", "application/rdf+xml"),
    "application/ld+json": ("mktgraph.jsonld", "application/ld+json"),
    "application/n-triples": ("mktgraph.nt", "application/n-triples"),
    "*/*": ("mktgraph.ttl", "text/turtle"),  # no preference: Turtle
    "text/html;q=0.5, application/rdf+xml": ("mktgraph.owl", "application/rdf+xml"),
    "application/ld+json;q=0.9, text/turtle;q=0.2": ("mktgraph.jsonld", "application/ld+json"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The release folder served at http://127.0.0.1:PORT/mktgraph/ by Apache, stopped after."""
    missing = [m for m in NEEDED if not (MODULES / f"mod_{m}.so").is_file()]
    if not Path(APACHE).is_file() or missing:
        pytest.skip(f"Debian apache2 is not installed (missing: {missing or APACHE})")
    root = tmp_path_factory.mktemp("apache")
    www = root / "www"
    www.mkdir()
    release = www / "mktgraph"
    build_release(release)
    port = free_port()
    modules = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in NEEDED)
    conf = root / "httpd.conf"
    conf.write_text(
        f"""ServerName 127.0.0.1
Listen 127.0.0.1:{port}
DefaultRuntimeDir {root}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
LogLevel warn
{modules}
TypesConfig /etc/mime.types
DocumentRoot {www}
<Directory {www}>
    AllowOverride All
    Require all granted
</Directory>
"""
    )
    server = subprocess.Popen(
        [APACHE, "-f", str(conf), "-DFOREGROUND"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/mktgraph/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(base + "terms.txt", timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
                    raise RuntimeError(f"apache2 did not start: {log}") from None
                time.sleep(0.1)
        yield base, release
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        error_log = root / "error.log"
        errors = error_log.read_text() if error_log.exists() else ""
        # Apache warns that it cannot name the user it runs as (not root): harmless.
        assert [line for line in errors.splitlines() if "[core:error]" in line] == []


def get(url: str, accept: str) -> requests.Response:
    response = requests.get(url, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200, (url, accept, response.status_code)
    return response


def media_type(response: requests.Response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


@pytest.mark.parametrize("accept", list(ONTOLOGY_ANSWERS))
@pytest.mark.parametrize(
    "path", ["def", f"def/{VERSION}", "def/SalesActivity", "source/ohmae-1982"]
)
def test_rdf_clients_get_the_ontology_in_the_format_they_ask_for(site, path, accept):
    base, release = site
    name, media = ONTOLOGY_ANSWERS[accept]
    response = get(base + path, accept)
    assert media_type(response) == media
    folder = release / "ontology" / (VERSION if path.startswith(f"def/{VERSION}") else "")
    assert response.content == (folder / name).read_bytes()
    assert "accept" in response.headers.get("Vary", "").lower()


@pytest.mark.parametrize("path", ["def", f"def/{VERSION}"])
def test_a_browser_gets_the_documentation(site, path):
    base, release = site
    response = get(base + path, BROWSER)
    assert media_type(response) == "text/html"
    assert response.content == (release / "doc" / "index.html").read_bytes()


def test_a_browser_asking_for_a_term_lands_on_its_entry(site):
    base, release = site
    response = requests.get(
        base + "def/SalesActivity", headers={"Accept": BROWSER}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/mktgraph/doc/index.html#SalesActivity")
    page = get(base + "doc/index.html", BROWSER)
    assert media_type(page) == "text/html"
    assert 'id="SalesActivity"' in page.text


@pytest.mark.parametrize("path", ["context", "context.jsonld"])
@pytest.mark.parametrize("accept", ["application/ld+json", "application/json", "*/*", BROWSER])
def test_the_context_is_json_ld_whatever_is_asked(site, path, accept):
    base, release = site
    response = get(base + path, accept)
    assert media_type(response) == "application/ld+json"
    assert response.content == (release / "context.jsonld").read_bytes()
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("path", "file", "media"),
    [
        ("def.ttl", "ontology/mktgraph.ttl", "text/turtle"),
        ("def.owl", "ontology/mktgraph.owl", "application/rdf+xml"),
        (f"def/{VERSION}.jsonld", f"ontology/{VERSION}/mktgraph.jsonld", "application/ld+json"),
        (f"def/{VERSION}.nt", f"ontology/{VERSION}/mktgraph.nt", "application/n-triples"),
        ("shapes", "shapes.ttl", "text/turtle"),
        ("shapes/DealShape", "shapes.ttl", "text/turtle"),
        ("catalog-v001.xml", "catalog-v001.xml", "application/xml"),
        ("module/core", "module/core.ttl", "text/turtle"),
    ],
)
def test_files_by_extension_shapes_and_catalog(site, path, file, media):
    base, release = site
    response = get(base + path, "*/*")
    assert media_type(response) == media
    assert response.content == (release / file).read_bytes()
