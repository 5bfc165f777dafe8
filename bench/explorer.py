"""The explorer's benchmark: a model page's interactive time from a cold browser, the next page's, the asset budget.

A real ``modelatlas serve`` in production mode with trusted documents (on loopback), driven by Debian's chromium
through Playwright. "Interactive" is the model page with its card, its price ladder and its conflicts panel drawn
(all three of its queries answered), timed in the page from the navigation's start (``performance.now()``). The
baseline in the same run is the same cold browser opening ``/healthz`` (no app at all): what a browser costs. The
service is warmed by one uncounted page of another model first (a new process's first requests build its caches).

>>> summary([3.0, 1.0, 2.0])
{'median': 2.0, 'p90': 3.0, 'max': 3.0}
>>> compressed_assets(EXPLORER_DIR / "assets")["total"] > 0
True
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from modelatlas.api.http.explorer import EXPLORER_DIR
from modelatlas.bench.server import launch

__all__ = ["TARGETS", "compressed_assets", "run", "summary"]

TARGETS = {"cold_ms": 1000.0, "next_ms": 200.0, "assets_kb": 300.0}
WARM_MODEL = "mistral-medium-2508"  # opened once, uncounted: the service is warm, the browser never is
COLD_MODELS = ("mistral-small-2402", "gpt-4o", "mistral-small-2603", "claude-sonnet-4.5-2509", "llama-3.3-70b-instruct")
NEXT_MODELS = ("mistral-small-2409", "mistral-small-2501", "mistral-small-2503", "mistral-small-2506",
               "gpt-4o-2411", "mistral-large-2402", "pixtral-large-2502", "jamba-1.5-mini", "gpt-4.1-mini-2504",
               "devstral-small-2507")
# Interactive: the card and the price ladder drawn, nothing loading outside the conflicts panel (which may still be
# fetching every recorded claim, the page's heaviest query). Complete: nothing loading anywhere.
INTERACTIVE = ("() => !!(document.querySelector('#card') && document.querySelector('svg.chart, #prices ~ p') && "
               "document.querySelector('#prices') && ![...document.querySelectorAll('.loading')]"
               ".some(e => !e.closest('[aria-labelledby=conflicts]')))")
COMPLETE = ("() => !!(document.querySelector('#card') && document.querySelector('#conflicts') && "
            "!document.querySelector('.loading'))")
NEXT_PAGE_JS = """async (slug) => {
  const t0 = performance.now();
  location.hash = '#/model/' + slug;
  const here = () => { const c = document.querySelector('.page-head code'); return c && c.textContent === slug; };
  const until = async (test) => { while (!(here() && test())) await new Promise(requestAnimationFrame); return performance.now() - t0; };
  return [await until(INTERACTIVE), await until(COMPLETE)];
}""".replace("INTERACTIVE", INTERACTIVE).replace("COMPLETE", COMPLETE)


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, 90th percentile (nearest rank) and maximum."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, max(0, -(-9 * len(ordered) // 10) - 1))]
    return {"median": round(statistics.median(ordered), 1), "p90": round(p90, 1), "max": round(ordered[-1], 1)}


def compressed_assets(directory: Path) -> dict[str, int]:
    """Bytes of each gzip'd asset as served, and their total."""
    sizes = {p.name.removesuffix(".gz"): p.stat().st_size for p in sorted(directory.glob("*.gz"))}
    return {**sizes, "total": sum(sizes.values())}


def _chromium() -> str:
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(path).exists():
            return path
    raise RuntimeError("chromium is not installed: apt-get install -y chromium")


def _cold(playwright: Any, url: str, ready: tuple[str, ...]) -> list[float]:
    """One fresh browser process, one page: milliseconds from navigation start until each of ``ready`` holds (or,
    with none, until the load event)."""
    browser = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
    try:
        page = browser.new_page()
        page.goto(url, wait_until="load")
        times: list[float] = []
        for condition in ready or ("() => true",):
            page.wait_for_function(condition, polling="raf", timeout=30_000)
            times.append(float(page.evaluate("() => performance.now()")))
        return times
    finally:
        browser.close()


def run(repeats: int = 5, out: Path | None = None) -> dict[str, Any]:
    """Start the server, measure, stop it; the figures (also written to ``out`` as JSON when given)."""
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODELATLAS_")}
    env.update({"MODELATLAS_HOST": "127.0.0.1", "MODELATLAS_TRUSTED_DOCUMENTS": "true", "MODELATLAS_RATE_LIMIT": "",
                "MODELATLAS_CACHE_DIR": str(tmp / "cache"), "MODELATLAS_TODAY": "2026-11-25"})
    script = Path(sys.executable).with_name("modelatlas")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "modelatlas.api.cli"]
    with launch(lambda port: [*command, "serve"], env, tmp / "server.log", cwd=tmp, deadline=120) as server, \
            sync_playwright() as p:
        _cold(p, server.url(f"/#/model/{WARM_MODEL}"), (COMPLETE,))  # first requests of a new process: not counted
        baseline = [_cold(p, server.url("/healthz"), ())[0] for _ in range(repeats)]
        cold = [_cold(p, server.url(f"/#/model/{COLD_MODELS[i % len(COLD_MODELS)]}"), (INTERACTIVE, COMPLETE))
                for i in range(repeats)]
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(server.url("/#/model/mistral-small-2402"))
            page.wait_for_function(INTERACTIVE, polling="raf", timeout=30_000)
            following = [page.evaluate(NEXT_PAGE_JS, slug) for slug in NEXT_MODELS]
        finally:
            browser.close()
    figures = {
        "baseline_cold_healthz_ms": summary(baseline),
        "cold_model_page_ms": summary([c[0] for c in cold]),
        "cold_model_page_complete_ms": summary([c[1] for c in cold]),
        "next_model_page_ms": summary([float(f[0]) for f in following]),
        "next_model_page_complete_ms": summary([float(f[1]) for f in following]),
        "assets_gzip_bytes": compressed_assets(EXPLORER_DIR / "assets"),
        "targets": TARGETS,
        "runs": {"baseline": baseline, "cold": cold, "next": following},
    }
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def report(figures: dict[str, Any]) -> list[str]:
    """The figures as lines, each target with its verdict."""
    cold, nxt = figures["cold_model_page_ms"], figures["next_model_page_ms"]
    cold_all, nxt_all = figures["cold_model_page_complete_ms"], figures["next_model_page_complete_ms"]
    kb = figures["assets_gzip_bytes"]["total"] / 1024
    base = figures["baseline_cold_healthz_ms"]

    def verdict(ok: bool) -> str:
        return "ok" if ok else "OVER TARGET"

    cold_ok, next_ok, size_ok = (verdict(cold["max"] <= TARGETS["cold_ms"]), verdict(nxt["p90"] <= TARGETS["next_ms"]),
                                 verdict(kb <= TARGETS["assets_kb"]))
    lines = [
        ("baseline: cold browser, /healthz (no app)", f"median {base['median']} ms, max {base['max']} ms"),
        ("model page, cold browser → interactive", (f"median {cold['median']} ms, p90 {cold['p90']} ms, max "
                                                     f"{cold['max']} ms (target ≤ {TARGETS['cold_ms']:.0f} ms: {cold_ok})")),
        ("next model page → interactive", (f"median {nxt['median']} ms, p90 {nxt['p90']} ms, max {nxt['max']} ms "
                                            f"(target ≤ {TARGETS['next_ms']:.0f} ms at p90: {next_ok})")),
        ("  … complete (conflicts panel too)", (f"cold median {cold_all['median']} ms, max {cold_all['max']} ms; "
                                                f"next median {nxt_all['median']} ms, p90 {nxt_all['p90']} ms")),
        ("JS + CSS, gzip", f"{kb:.1f} KB (target ≤ {TARGETS['assets_kb']:.0f} KB: {size_ok})"),
    ]
    return [f"{label:<44} {value}" for label, value in lines]
