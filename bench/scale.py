"""The scale benchmark: load time, memory and in-process query latency on synthetic catalogs of growing size.

For each size: write the catalog (``graph.synth``), then in a fresh process load it the way the service does
(``graph.load_graph``: parse, validate, build, store the compiled cache), settle memory as the service
does (``api.http.app.settle_memory``: one collection, then ``gc.freeze``) and time ``lineage``, ``migration_paths``
and ``alternatives`` on a fixed sample of models; then, in another fresh process, load it
again from the compiled cache (a restart). Each size runs in its own processes, so RSS is that size's own.

    python -m modelatlas.bench.scale measure DATA_DIR CACHE_DIR --queries 300 --seed 7    # one size, JSON on stdout

>>> format_table([])[0].startswith("| models")
True
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modelatlas.graph.knowledge import KnowledgeGraph

__all__ = ["TARGETS", "format_remote_table", "format_table", "run_remote", "run_size"]

#: the 100k-model targets (checked here, never in tests)
TARGETS = {"load_s": 30.0, "rss_mb": 2048.0, "restart_s": 3.0, "p50_ms": 5.0}
ALGORITHMS = ("lineage", "migration", "alternatives")


def _rss_now_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_load(data_dir: Path, cache_dir: Path, queries: int, seed: int) -> dict[str, Any]:
    """In this process: a cold load through the compiled cache (which stores it), then query latencies."""
    from modelatlas.graph import load_graph
    from modelatlas.graph.build import LoadReport
    from modelatlas.graph.cache import wait_for_writes

    report = LoadReport()
    wall, cpu = time.perf_counter(), _cpu_s()
    # as `modelatlas serve` does: ready to answer once built; the cache entry is written from a thread meanwhile
    kg = load_graph([data_dir], imports=False, cache=True, cache_dir=cache_dir, report=report,
                    background_write=True)
    out = {"load_s": time.perf_counter() - wall, "load_cpu_s": _cpu_s() - cpu, "phases": report.timings,
           "models": len(kg.models), "offerings": len(kg.offerings), "links": len(kg.links)}
    start = time.perf_counter()
    wait_for_writes()  # before timing queries, so they do not compete with the write
    out["cache_write_s"] = time.perf_counter() - start
    out.update(peak_rss_mb=_peak_rss_mb(), rss_mb=_rss_now_mb())
    from modelatlas.api.http.app import (
        settle_memory,  # what the service does after a load: collect once, then gc.freeze
    )

    start = time.perf_counter()
    settle_memory()
    out["settle_s"] = time.perf_counter() - start
    out["latency_ms"] = measure_queries(kg, queries, seed)
    return out


def measure_restart(data_dir: Path, cache_dir: Path) -> dict[str, Any]:
    """In this process: load the same data again, which the compiled cache now holds."""
    from modelatlas.graph import load_graph
    from modelatlas.graph.catalog import catalog_key

    hit = (cache_dir / f"kg-{catalog_key([data_dir], imports=False)}.pickle").exists()  # else it is no restart
    wall, cpu = time.perf_counter(), _cpu_s()
    kg = load_graph([data_dir], imports=False, cache=True, cache_dir=cache_dir)
    return {"restart_s": time.perf_counter() - wall, "restart_cpu_s": _cpu_s() - cpu, "restart_rss_mb": _rss_now_mb(),
            "restart_hit": hit, "models": len(kg.models)}


def measure_queries(kg: KnowledgeGraph, queries: int, seed: int) -> dict[str, dict[str, float]]:
    """p50 / p99 / max in ms of each algorithm over the same ``queries`` models (a seeded sample, after a warm-up)."""
    from modelatlas.graph.algorithms.alternatives import alternatives
    from modelatlas.graph.algorithms.lineage import lineage
    from modelatlas.graph.algorithms.migration import migration_paths
    from modelatlas.graph.synth import AS_OF

    slugs = sorted(kg.models)
    sample = random.Random(seed).choices(slugs, k=queries)
    calls: dict[str, Callable[[str], object]] = {
        "lineage": lambda s: lineage(kg, s),
        "migration": lambda s: migration_paths(kg, s, today=AS_OF),
        "alternatives": lambda s: alternatives(kg, s, today=AS_OF),
    }
    result: dict[str, dict[str, float]] = {}
    for name, call in calls.items():
        for slug in sample[:10]:  # warm-up
            call(slug)
        times = []
        for slug in sample:
            start = time.perf_counter_ns()
            call(slug)
            times.append((time.perf_counter_ns() - start) / 1e6)
        result[name] = {"p50": _percentile(times, 0.5), "p99": _percentile(times, 0.99), "max": max(times)}
    return result


def _child(*args: str) -> dict[str, Any]:
    """Run ``measure`` or ``restart`` in a fresh interpreter and read its JSON."""
    done = subprocess.run([sys.executable, "-m", "modelatlas.bench.scale", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scale benchmark step {args[0]} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_size(models: int, out_dir: Path, *, queries: int, seed: int,
             log: Callable[[str], None] = print) -> dict[str, Any]:
    """Synthesize (unless already there), cold-load with queries, restart from the cache: one row of the table."""
    from modelatlas.graph.synth import write_catalog

    data_dir = out_dir / f"synth-{models}-s{seed}"
    stamp = data_dir / ".complete"
    start = time.perf_counter()
    if not stamp.exists():
        log(f"  synth {models} models -> {data_dir}")
        report = write_catalog(data_dir, models=models, seed=seed)
        stamp.write_text(json.dumps(report.counts))
    synth_s = time.perf_counter() - start
    cache_dir = out_dir / f"cache-{models}-s{seed}"
    for old in cache_dir.glob("kg-*.pickle"):  # a cold load every run
        old.unlink()
    log(f"  cold load + {queries} queries per algorithm")
    row = {"size": models, "synth_s": synth_s, "counts": json.loads(stamp.read_text()),
           "files": sum(1 for _ in data_dir.rglob("*.ttl")), "bytes": sum(p.stat().st_size for p in data_dir.rglob("*.ttl"))}
    row.update(_child("measure", str(data_dir), str(cache_dir), "--queries", str(queries), "--seed", str(seed)))
    log("  restart from the compiled cache")
    row.update(_child("restart", str(data_dir), str(cache_dir)))
    row["cache_mb"] = sum(p.stat().st_size for p in cache_dir.glob("kg-*.pickle")) / 2**20
    return row


def format_table(rows: list[dict[str, Any]]) -> list[str]:
    """The markdown table: size against load, memory, restart and latency."""
    lines = [("| models | Turtle MB | files | ready s (cpu s) | parse / validate / build / cache key s | cache write s "
              "| peak RSS MB | RSS after MB | settle s | restart s | lineage p50 / p99 ms | migration p50 / p99 ms "
              "| alternatives p50 / p99 ms |"),
             "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ph = r.get("phases", {})
        lat = r["latency_ms"]
        rest = r["load_s"] - sum(ph.get(k, 0) for k in ("parse", "validate", "build"))
        lines.append(
            f"| {r['models']:,} | {r['bytes'] / 2**20:.0f} | {r['files']:,} | {r['load_s']:.1f} ({r['load_cpu_s']:.1f}) "
            f"| {ph.get('parse', 0):.1f} / {ph.get('validate', 0):.1f} / {ph.get('build', 0):.1f} / {rest:.1f} "
            f"| {r.get('cache_write_s', 0):.1f} "
            f"| {r['peak_rss_mb']:.0f} | {r['rss_mb']:.0f} | {r.get('settle_s', 0):.2f} "
            f"| {r['restart_s']:.2f}{'' if r.get('restart_hit', True) else ' (cache miss!)'} | "
            + " | ".join(f"{lat[a]['p50']:.2f} / {lat[a]['p99']:.2f}" for a in ALGORITHMS) + " |"
        )
    return lines


def target_lines(row: dict[str, Any]) -> list[str]:
    """Met or missed, for the 100k targets."""
    lat = row["latency_ms"]
    built = sum(row.get("phases", {}).get(k, 0) for k in ("parse", "validate", "build"))
    checks = [("load (ready to answer)", row["load_s"], TARGETS["load_s"], "s"),
              ("  of which parse + validate + build", built, TARGETS["load_s"], "s"),
              ("peak RSS", row["peak_rss_mb"], TARGETS["rss_mb"], "MB"),
              ("restart from cache", row["restart_s"], TARGETS["restart_s"], "s")]
    checks += [(f"{a} p50", lat[a]["p50"], TARGETS["p50_ms"], "ms") for a in ALGORITHMS]
    return [f"{'met   ' if value <= limit else 'MISSED'} {name}: {value:.2f} {unit} (target <= {limit:g} {unit})"
            for name, value, limit, unit in checks]


def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def run_remote(models: int, out_dir: Path, *, queries: int, seed: int, log: Callable[[str], None] = print,
               nice: int = 10) -> dict[str, Any]:
    """The remote-store row: the synthetic catalog of ``models`` as N-Quads, its index graph derived from them
    (``graph.store.index``), both put into a store directory by ``oxigraph load`` (at ``nice``), ``oxigraph serve``
    on it, then p50 / p99 of lineage and alternatives over HTTP SPARQL on a seeded sample of models."""
    import shutil

    from modelatlas.graph.algorithms.lineage import ALL_KINDS
    from modelatlas.graph.store.backend import StoreSignatures, walk
    from modelatlas.graph.store.client import SparqlClient
    from modelatlas.graph.store.index import index_of_files
    from modelatlas.graph.store.server import OxigraphServer, bulk_load, turtle_to_nquads
    from modelatlas.graph.synth import write_catalog

    data_dir = out_dir / f"synth-{models}-s{seed}"
    stamp = data_dir / ".complete"
    if not stamp.exists():
        log(f"  synth {models} models -> {data_dir}")
        report = write_catalog(data_dir, models=models, seed=seed)
        stamp.write_text(json.dumps(report.counts))
    row: dict[str, Any] = {"models": models}
    dump, index = out_dir / f"store-{models}-s{seed}.nq", out_dir / f"store-{models}-s{seed}.index.nq"
    location = out_dir / f"store-{models}-s{seed}"
    loaded = out_dir / f"store-{models}-s{seed}.loaded.json"  # a store loaded by an earlier run: its figures
    if loaded.exists() and location.exists():
        log(f"  reusing the store loaded earlier ({location})")
        row.update(json.loads(loaded.read_text()))
    else:
        start = time.perf_counter()
        row["quads"] = turtle_to_nquads(data_dir, dump)
        row["convert_s"] = time.perf_counter() - start
        row["nquads_mb"] = dump.stat().st_size / 2**20
        log(f"  index graph from {row['quads']:,} quads ({row['nquads_mb']:.0f} MB of N-Quads)")
        start = time.perf_counter()
        builder = index_of_files([dump])
        with open(index, "wb") as sink:
            sink.writelines(builder.nquads())
        row["index_s"] = time.perf_counter() - start
        with open(index, "rb") as written:
            row["index_quads"] = sum(1 for _ in written)
        del builder
        log(f"  oxigraph load (+{row['index_quads']:,} index quads)")
        if location.exists():
            shutil.rmtree(location)
        start = time.perf_counter()
        bulk_load(location, [dump, index], nice=nice)
        row["load_s"] = time.perf_counter() - start
        dump.unlink()
        index.unlink()
        loaded.write_text(json.dumps({k: row[k] for k in ("quads", "convert_s", "nquads_mb", "index_s",
                                                          "index_quads", "load_s")}))
    with OxigraphServer(location, nice=nice) as server:
        client = SparqlClient(server.url, timeout=3600)
        row["disk_mb"] = _du_mb(location)
        row["rss_loaded_mb"] = server.rss_mb()
        start = time.perf_counter()
        signatures = StoreSignatures(client)  # read once, as a SparqlStore does per snapshot
        row["table_s"] = time.perf_counter() - start
        row["signatures"] = len(signatures.table.sizes)
        slugs = sorted(r["m"]["value"].rsplit("/", 1)[-1] for r in client.select(
            "SELECT ?m WHERE { ?m a <https://modelatlas.dev/ns#Model> }"))
        sample = random.Random(seed).choices(slugs, k=queries)
        calls: dict[str, Callable[[str], object]] = {
            "lineage": lambda s: walk(client, s, "BOTH", ALL_KINDS),  # closure, then its edges: two round trips
            "alternatives": lambda s: list(islice((m for m in signatures.matches(s) if m[1] != s), 10)),
        }
        latency: dict[str, dict[str, float]] = {}
        for name, call in calls.items():
            log(f"  {queries} {name} queries over HTTP")
            for slug in sample[:5]:  # warm-up
                call(slug)
            times = []
            for slug in sample:
                begin = time.perf_counter_ns()
                call(slug)
                times.append((time.perf_counter_ns() - begin) / 1e6)
            latency[name] = {"p50": _percentile(times, 0.5), "p99": _percentile(times, 0.99), "max": max(times)}
        row["latency_ms"] = latency
        row["rss_mb"] = server.rss_mb()
        row["peak_rss_mb"] = server.peak_rss_mb()
    return row


def format_remote_table(rows: list[dict[str, Any]]) -> list[str]:
    """The remote-store table: load, disk, server memory and HTTP SPARQL latency."""
    lines = [("| models (Oxigraph server) | quads (+ index) | to N-Quads s | index s | oxigraph load s | disk MB "
              "| server RSS loaded / after / peak MB | signatures (table read s) | lineage p50 / p99 ms "
              "| alternatives p50 / p99 ms |"),
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lat = r["latency_ms"]
        lines.append(
            f"| {r['models']:,} | {r['quads']:,} (+ {r['index_quads']:,}) | {r['convert_s']:.1f} | {r['index_s']:.1f} "
            f"| {r['load_s']:.1f} | {r['disk_mb']:.0f} | {r['rss_loaded_mb']:.0f} / {r['rss_mb']:.0f} / "
            f"{r['peak_rss_mb']:.0f} | {r['signatures']:,} ({r['table_s']:.1f}) | "
            + " | ".join(f"{lat[a]['p50']:.2f} / {lat[a]['p99']:.2f}" for a in ("lineage", "alternatives")) + " |")
    return lines


def _main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m modelatlas.bench.scale")
    parser.add_argument("step", choices=["measure", "restart"])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("cache_dir", type=Path)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.step == "measure":
        result = measure_load(args.data_dir, args.cache_dir, args.queries, args.seed)
    else:
        result = measure_restart(args.data_dir, args.cache_dir)
    print(json.dumps(result))


if __name__ == "__main__":
    _main(sys.argv[1:])
