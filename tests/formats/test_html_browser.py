"""The HTML report in a real headless browser: it renders, and answer text never runs."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from alignaudit.core.types import Format
from alignaudit.features.auditor import audit
from alignaudit.formats import render
from alignaudit.inputs.answers import load_team
from tests.conftest import FakeEmbedder, write_manager

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no chromium on this machine (apt-get install chromium)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    team = root / "team"
    attack = (
        "<script>document.title='PWNED';document.body.innerHTML='PWNED'</script>"
        "<img src=x onerror=\"document.title='PWNED'\">"
    )
    write_manager(
        team, "ana.yaml", yaml.safe_dump({"manager": "Ana", "vision": f"{attack} Green freight."})
    )
    write_manager(team, "ben.yaml", "manager: Ben\nvision: Green freight for Europe.\n")
    write_manager(team, "cy.yaml", "manager: Cy\nvision: The cheapest trucks in town.\n")
    path = root / "report.html"
    path.write_text(render(audit(load_team(team), FakeEmbedder()), Format.HTML), "utf-8")
    return path


def test_renders_and_scripts_in_answers_never_run(page: Path, tmp_path: Path):
    result = browse(page, tmp_path / "profile", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<title>Alignment audit: team</title>" in dom
    # The attack is on the page as text, and created no element: no script ran, no image
    # handler fired, the title and the body are the report's own.
    assert "&lt;script&gt;document.title='PWNED'" in dom
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
    assert "<h2>Vision" in dom and "Key findings" in dom


def test_screenshot(page: Path, tmp_path: Path):
    shot = tmp_path / "report.png"
    result = browse(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1100,1400")
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
