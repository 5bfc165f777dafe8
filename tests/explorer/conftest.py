"""Browser fixtures: Debian's chromium driven headless by Playwright, against a real ``modelatlas serve``.

The server runs in production mode with trusted documents only (the explorer's manifest) and the imported catalogs
on, on the fixed test date. Screenshots go to ``tests/explorer/screenshots/`` (git-ignored). Without chromium the
tests skip on a developer's machine and fail in CI (``CI=true``), where ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveServer, start_server

HERE = Path(__file__).parent
SCREENSHOTS = HERE / "screenshots"
AXE = HERE / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), vendored: no download at test time
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000  # any one wait of a journey


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "chromium is not installed (apt-get install -y chromium); the explorer's browser tests need it"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[test]'")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with start_server(tmp_path_factory.mktemp("explorer-server"), imports="true", trusted_documents="true") as live:
        yield live


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    """Module-scoped: Playwright's sync API runs an event loop in this thread while it is open, and the tests after
    these (asyncio.run in doctests) need it gone."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Session:
    """One browser page on the live server: what it logged, what it asked the API, screenshots, axe."""

    def __init__(self, page: Any, server: LiveServer, name: str) -> None:
        self.page, self.server, self.name = page, server, name
        self.errors: list[str] = []
        self.graphql: list[Any] = []  # every request to /graphql
        page.set_default_timeout(TIMEOUT_MS)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("request", lambda r: self.graphql.append(r) if "/graphql" in r.url else None)

    def open(self, route: str = "") -> None:
        self.page.goto(self.server.url("/" + route))

    def shot(self, step: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's serious and critical violations on the page as it is now."""
        self.page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"][:3]]}
                for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def session(browser: Any, server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Session]:
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected inline
    s = Session(context.new_page(), server, request.node.name.removeprefix("test_"))
    yield s
    context.close()
    assert not s.errors, s.errors
