"""Command line: parses arguments and calls :mod:`learnsynth.api`; no logic of its own.

Exit codes: 0 success, 2 bad usage or bad input (one ``error:`` line on stderr), 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from learnsynth import api
from learnsynth._version import __version__
from learnsynth.data.sources import redact_url
from learnsynth.errors import InvalidInputError, LearnsynthError
from learnsynth.store import Store

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see '{self.prog} --help')\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None


class _VariabilityHelp(argparse.Action):
    """``sample --variability-help``: print the options of the YAML file and exit 0."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from learnsynth.sample.variability import OPTIONS_HELP

        print(OPTIONS_HELP, end="")
        parser.exit(0)


def _build() -> argparse.ArgumentParser:
    parser = _Parser(prog="learnsynth", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"learnsynth {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("profile", help="learn a model from sample data and store a new version")
    p.add_argument("data", nargs="+", metavar="DATA", help="CSV/Parquet/JSONL file, folder, or URL")
    p.add_argument("--name", required=True, help="model name in the store")
    p.add_argument("--store", help="store path or fsspec URL (default ./models)")
    p.add_argument("--config", help="YAML profile config (overrides, k, holdout, ...)")
    p.add_argument("--html", action="store_true", help="also write an HTML data profile")
    p.add_argument("--seed", type=_int, default=0, help="seed (same data+seed = same artifact)")
    p.add_argument("--profiles", default="profiles", help="folder for profile documents")

    s = sub.add_parser("sample", help="generate synthetic rows from a stored model")
    s.add_argument("model", metavar="NAME[@vN]")
    s.add_argument("--rows", type=_positive_int,
                   help="rows to draw; for related tables, rows of each root table (default: "
                   "the fitted rows)")
    s.add_argument("--scale", type=_positive_float, metavar="F",
                   help="draw F times every table's fitted rows (children follow their parents)")
    s.add_argument("--out", required=True, help="output file (.csv, .parquet, .jsonl, [.gz]) or "
                   "folder (ends in '/' or has no suffix: one part file per chunk)")
    s.add_argument("--format", choices=("csv", "parquet", "jsonl"))
    s.add_argument("--seed", type=_int, default=0)
    s.add_argument("--chunk-rows", type=_positive_int, default=100_000)
    s.add_argument("--store")
    s.add_argument("--table", help="one table to sample (default: every table of the model; "
                   "several go to a folder, one file each, or to a database)")
    s.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    s.add_argument("--jobs", type=_positive_int, default=1, help="worker processes (default 1)")
    s.add_argument("--backend", choices=("loky", "dask"), default="loky",
                   help="loky: local processes; dask: a Dask cluster (see --scheduler)")
    s.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --backend dask)")
    s.add_argument("--no-report", action="store_true",
                   help="do not write reports/<out>-sample-report.json and .html")
    s.add_argument("--variability", metavar="FILE",
                   help="YAML of dirt to inject (typos, missing, format drift, outliers, invalid "
                   "values, near-duplicates); writes a ground-truth log beside --out")
    s.add_argument("--variability-help", action=_VariabilityHelp,
                   help="list every --variability option and exit")

    r = sub.add_parser("report", help="quality and privacy report of synthetic against real data")
    r.add_argument("real", metavar="REAL")
    r.add_argument("synth", metavar="SYNTH")
    r.add_argument("--model", metavar="NAME[@vN]", help="model of SYNTH: enables holdout tests")
    r.add_argument("--store")
    r.add_argument("--table", help="table to compare (default: the only or the model's first)")
    r.add_argument("--out", help="report JSON path, the HTML beside it; or PATH.html, the JSON "
                                 "beside it (default reports/<synth>-vs-<real>-report.json)")
    r.add_argument("--json", action="store_true", help="also print the report JSON on stdout")

    d = sub.add_parser("detect", help="find PII columns")
    d.add_argument("data", metavar="DATA")
    d.add_argument("--json", action="store_true")

    m = sub.add_parser("models", help="list, show or verify stored models")
    m.add_argument("action", choices=("list", "show", "verify"))
    m.add_argument("model", nargs="?", metavar="NAME[@vN]")
    m.add_argument("--store")
    return parser


def _cmd_profile(args: argparse.Namespace) -> None:
    result = api.profile(args.data, args.name, store=args.store, config=args.config,
                         seed=args.seed, profiles_dir=args.profiles, html=args.html)
    copied = api.copied_tables(result.synthesizer.model_)
    for table in result.synthesizer.profiles_:
        done = "copied as they are (reference table)" if table.table in copied else "fitted"
        print(f"table {table.table}: {table.n_rows} rows {done}", file=sys.stderr)
        for col in table.columns:
            if col.get("excluded"):
                print(f"  {col['column']:<24} excluded", file=sys.stderr)
                continue
            found = col.get("pii") or {}  # key columns of a relational model have no PII entry
            pii = f" pii={found['kind']}" if found.get("pii") else ""
            dist = f" {col['distribution']}" if "distribution" in col else ""
            dist += f" {col['type']}" if "type" in col else ""  # a reference column's type
            print(f"  {col['column']:<24} {col['kind']}{dist}{pii}", file=sys.stderr)
    plan = result.relationships
    for line in plan.table() + [f"note: {n}" for n in plan.notes] + [
            f"warning: {w}" for w in plan.warnings]:
        print(line, file=sys.stderr)
    print(f"profile document: {result.document}", file=sys.stderr)
    print(f"stored {result.ref.spec} sha256:{result.ref.sha256}")


def _cmd_sample(args: argparse.Namespace) -> None:
    ref, rows = api.sample(args.model, args.rows, args.out, scale=args.scale, store=args.store,
                           seed=args.seed,
                           fmt=args.format, chunk_rows=args.chunk_rows, overwrite=args.overwrite,
                           table=args.table, jobs=args.jobs, backend=args.backend,
                           scheduler=args.scheduler, no_report=args.no_report,
                           variability=args.variability)
    if isinstance(rows, dict):  # related tables: one file (or database table) each
        tables = ", ".join(f"{name} {n}" for name, n in rows.items())
        print(f"wrote {sum(rows.values())} rows of {ref.spec} to {redact_url(str(args.out))} "
              f"({tables})")
        if not args.no_report:  # one report per table written, against the model
            from learnsynth.quality.run import default_report_path
            from learnsynth.synthesizer import Synthesizer

            copied = api.copied_tables(Synthesizer.load(ref.spec, args.store).model_)
            paths = [str(default_report_path(args.out, table=name))
                     for name, n in rows.items() if n and name not in copied]
            print(f"sample reports (and .html beside each): {', '.join(paths)}; against the real "
                  "data: learnsynth report REAL SYNTH --model NAME --table T", file=sys.stderr)
            if copied:
                print(f"copied as they are (reference tables, no report): {', '.join(copied)}",
                      file=sys.stderr)
        return
    print(f"wrote {rows} rows of {ref.spec} to {redact_url(str(args.out))}")
    if args.variability:
        from learnsynth.sample.variability import log_locations

        log, summary = log_locations(args.out, args.format)
        print(f"variability log: {log}; injected rates: {summary}", file=sys.stderr)


def _cmd_report(args: argparse.Namespace) -> None:
    rep, path = api.report(args.real, args.synth, model=args.model, store=args.store,
                           table=args.table, out=args.out)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False))
    fid, priv = rep["fidelity"], rep["privacy"]
    overall = "n/a" if fid["overall"] is None else f"{fid['overall']:.3f}"
    print(f"fidelity {overall}, privacy {priv['status']}: wrote {path} and "
          f"{path.with_suffix('.html')}", file=sys.stderr)


def _cmd_detect(args: argparse.Namespace) -> None:
    from learnsynth.profile.pii.report import detect_document, detect_table

    findings = api.detect(args.data)
    if args.json:
        print(json.dumps(detect_document(findings), ensure_ascii=False))
        return
    print(detect_table(findings))


def _cmd_models(args: argparse.Namespace) -> None:
    store = Store(args.store)
    if args.action == "list":
        rows = store.list()
        if not rows:
            print(f"no models in {store.uri}")
        for row in rows:
            print(f"{row['name']}@v{row['version']}  sha256:{row['sha256']}  "
                  f"{row['created_at']}  learnsynth {row['learnsynth_version']}")
        return
    if not args.model:
        raise InvalidInputError(f"'models {args.action}' needs a model: NAME or NAME@vN.")
    if args.action == "verify":
        ref = store.verify(args.model)
        print(f"ok {ref.spec} sha256:{ref.sha256}")
        return
    stored = store.load(args.model)
    show: dict[str, Any] = {"manifest": stored.manifest,
                            "model": json.loads(stored.files["model.json"])}
    print(json.dumps(show, indent=2, ensure_ascii=False))


_COMMANDS = {"profile": _cmd_profile, "sample": _cmd_sample, "detect": _cmd_detect,
             "models": _cmd_models, "report": _cmd_report}


def main(argv: Sequence[str] | None = None) -> int:
    args = _build().parse_args(argv)
    try:
        _COMMANDS[args.command](args)
    except LearnsynthError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not the user's fault: say so in one line
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}. Please report it; rerun with "
              "--debug for the traceback.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
