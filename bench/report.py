"""The bench's results: one row per query, cache mode and transport; the table, the files, BENCHMARKS.md.

>>> from modelatlas.bench.wrk import WrkResult
>>> run = WrkResult(1000.0, 1.0, 1.5, 2.0, 5.0, 10000)
>>> row = Row("model_page", "off", run, run)
>>> row.ratio, row.verdict()
(1.0, 'pass')
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelatlas.bench.wrk import WrkResult

__all__ = [
    "END",
    "HEADER",
    "START",
    "TARGETS",
    "Row",
    "progress_line",
    "render_markdown",
    "render_table",
    "update_benchmarks_doc",
    "write_results",
]

#: Per query, cache mode and worker count, for the compiled executor: minimum req/s ratio to the ceiling, and
#: maximum p99 in ms (inf: none). Printed, never asserted. The reference executor's rows are the baseline.
TARGETS: dict[tuple[str, str, int], tuple[float, float]] = {
    ("model_page", "off", 1): (0.25, math.inf),
    ("lineage", "off", 1): (0.3, math.inf),
    ("migration_path", "off", 1): (0.3, math.inf),
    ("alternatives", "off", 1): (0.3, math.inf),
    ("model_page", "on", 1): (0.9, 20.0),
    ("model_page", "off", 2): (0.25, 20.0),
}


@dataclass(frozen=True)
class Row:
    query: str
    mode: str  # response cache "off" or "on"
    graphql: WrkResult
    ceiling: WrkResult
    same_bytes: bool = True
    response_bytes: int = 0
    via: str = "POST"  # or "APQ GET"
    executor: str = "compiled"  # or "reference" (MODELATLAS_EXECUTOR)
    workers: int = 1

    @property
    def target(self) -> tuple[float, float] | None:
        return TARGETS.get((self.query, self.mode, self.workers)) if self.executor == "compiled" else None

    @property
    def ratio(self) -> float:
        ceiling = self.ceiling.requests_per_sec
        return round(self.graphql.requests_per_sec / ceiling, 3) if ceiling else 0.0

    def verdict(self) -> str:
        """``pass`` or ``miss`` against TARGETS (``-`` when the query has none); ``invalid`` if a run was not clean."""
        if not (self.graphql.clean and self.ceiling.clean and self.same_bytes):
            return "invalid"
        target = self.target
        if target is None:
            return "-"
        min_ratio, max_p99 = target
        return "pass" if self.ratio >= min_ratio and self.graphql.p99_ms <= max_p99 else "miss"

    def as_dict(self) -> dict[str, Any]:
        target = self.target
        return {"query": self.query, "via": self.via, "response_cache": self.mode, "executor": self.executor,
                "workers": self.workers, "graphql": self.graphql.as_dict(),
                "ceiling": self.ceiling.as_dict(), "ratio": self.ratio, "same_bytes": self.same_bytes,
                "response_bytes": self.response_bytes, "verdict": self.verdict(),
                "target": {"min_ratio": target[0], "max_p99_ms": target[1] if target[1] < math.inf else None}
                if target else None}


def write_results(output: Path, results: dict[str, Any], rows: list[Row], echo: Callable[[str], None]) -> None:
    output.mkdir(parents=True, exist_ok=True)
    stamp = results["when"].replace(":", "").replace("-", "")[:15]
    text = json.dumps(results, indent=2) + "\n"
    markdown = render_markdown(results, rows)
    for name in (f"http-{stamp}", "http-latest"):
        (output / f"{name}.json").write_text(text, encoding="utf-8")
        (output / f"{name}.md").write_text(markdown, encoding="utf-8")
    echo("\n" + render_table(rows))
    echo(f"\nwrote {output / f'http-{stamp}.json'} and .md (copies: {output / 'http-latest.json'}, .md)")


HEADER = ("query", "via", "cache", "executor", "workers", "req/s", "p50 ms", "p99 ms", "ceiling req/s", "ceiling p99", "ratio", "target")


TEXT_COLUMNS = (0, 1, 2, 3, 11)


def _cells(row: Row) -> tuple[str, ...]:
    target = row.target
    verdict = row.verdict()
    if target and verdict in ("pass", "miss"):
        verdict += f" (>= {target[0]:g}x" + (f", p99 <= {target[1]:g} ms)" if target[1] < math.inf else ")")
    return (row.query, row.via, row.mode, row.executor, str(row.workers), f"{row.graphql.requests_per_sec:.0f}", f"{row.graphql.p50_ms:.2f}",
            f"{row.graphql.p99_ms:.2f}", f"{row.ceiling.requests_per_sec:.0f}", f"{row.ceiling.p99_ms:.2f}",
            f"{row.ratio:.3f}", verdict)


def progress_line(row: Row) -> str:
    """One row as a progress line."""
    g = row.graphql
    return (f"  {row.query} ({row.via}), cache {row.mode}, {row.executor}, {row.workers} worker(s): "
            f"{g.requests_per_sec:.0f} req/s, "
            f"p50 {g.p50_ms:.2f} ms, p99 {g.p99_ms:.2f} ms;"
            f" ceiling {row.ceiling.requests_per_sec:.0f} req/s; ratio {row.ratio:.3f}; {row.verdict()}"
            + "".join(f"; {name}: {r.non_2xx} non-2xx, {r.socket_errors} socket errors of {r.requests} (rate limited?)"
                      for name, r in (("graphql", g), ("ceiling", row.ceiling)) if not r.clean))


def render_table(rows: list[Row]) -> str:
    """The plain-text table printed at the end of a run."""
    table = [HEADER, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.ljust(w) if i in TEXT_COLUMNS else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(line, widths))) for line in table)


def render_markdown(results: dict[str, Any], rows: list[Row]) -> str:
    """The results as the markdown that goes under BENCHMARKS.md's "## HTTP"."""
    m, o, c = results["machine"], results["options"], results["commands"]
    lines = [
        (f"Run {results['when']} (git {m['git']}), {results['seconds']:.0f} s in all. Machine: {m['cpus']} CPUs "
         f"({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}, {m['wrk']}. Load average before "
         f"{m['loadavg'][0]:.2f}, after {results['loadavg_after'][0]:.2f}. Data: {results['data']['models']} models "
         f"(data version {results['data']['version']})."),
        *([(f"**Other work was running (load average {m['loadavg'][0]:.2f} on {m['cpus']} CPUs): these figures are "
            "noisy.**")] if m["loadavg"][0] > 0.5 else []),
        "",
        f"One uvicorn worker unless the row says 2 (then server and wrk share both CPUs, unpinned), production "
        f"settings, rate limit off (the bench factory sets it); executor as in the row (MODELATLAS_EXECUTOR); "
        f"wrk -t{o['threads']} -c{o['connections']}, "
        f"{o['warmup']:g} s warm-up then {o['duration']:g} s per run"
        + (f", {o['rounds']} alternating rounds (medians)" if o.get("rounds", 1) > 1 else "")
        + ("; server pinned to CPU 0 and wrk to CPU 1." if o["pinned"] else "; not pinned."),
        ("The ceiling is a bare route of the same server returning the same response bytes, precomputed; "
         "ratio = req/s over the ceiling's req/s."),
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" if i in TEXT_COLUMNS else "---:" for i in range(len(HEADER))) + "|",
        *("| " + " | ".join(_cells(r)) + " |" for r in rows),
        "",
        "Commands:",
        "",
        "```sh",
        c["bench"],
        f"{c['server_env']} \\",
        f"  {c['server']}",
        *([f"  {c['server_workers2']}  # the 2-worker row, unpinned"] if "server_workers2" in c else []),
        c["wrk"],
        *([c["wrk_apq"]] if "wrk_apq" in c else []),
        "```",
        "",
    ]
    return "\n".join(lines)


START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"


def update_benchmarks_doc(path: Path, markdown: str, heading: str = "## HTTP") -> None:
    """Put ``markdown`` between the START and END markers of ``path`` (made at the end of ``heading`` if absent).

    Hand-written text around the markers and every other section stay as they are.
    """
    text = path.read_text(encoding="utf-8")
    block = f"{START}\n{markdown.rstrip()}\n{END}"
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        start = text.index(heading + "\n") + len(heading) + 1
        end = text.find("\n## ", start)
        end = len(text) if end < 0 else end + 1
        text = text[:end].rstrip("\n") + "\n\n" + block + "\n" + ("\n" + text[end:] if text[end:] else "")
    path.write_text(text, encoding="utf-8")
