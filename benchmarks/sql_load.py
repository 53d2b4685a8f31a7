"""Rows per second loaded into PostgreSQL (COPY) and SQLite (executemany), one transaction each.

Two shapes: a parent/child pair with a primary and a foreign key (what ``write_tables`` does for
a database round trip), and one wide table streamed chunk by chunk through the ``sample --out
DATABASE_URL?table=T`` sink. Target (issue #7): >= 100,000 rows/s into PostgreSQL.

    .venv/bin/python benchmarks/sql_load.py [--rows N] [--postgres URL]

Without ``--postgres`` a throwaway server is started with scripts/start_postgres.sh and stopped
at the end. The URL is never printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learnsynth.data._sql_write import write_tables  # noqa: E402
from learnsynth.data.sinks import write_chunks  # noqa: E402
from learnsynth.data.sql import Catalog, Column, ForeignKey, TableSchema  # noqa: E402


def frames(n_rows: int) -> tuple[dict[str, pd.DataFrame], Catalog]:
    rng = np.random.default_rng(0)
    n_parents = max(1, n_rows // 10)
    parents = pd.DataFrame({"id": np.arange(1, n_parents + 1),
                            "segment": rng.choice(["retail", "business", "public"], n_parents),
                            "joined": pd.Timestamp("2020-01-01") + pd.to_timedelta(
                                rng.integers(0, 1500, n_parents), unit="D")})
    children = pd.DataFrame({"id": np.arange(1, n_rows + 1),
                             "parent_id": rng.integers(1, n_parents + 1, n_rows),
                             "amount": rng.gamma(2.0, 30.0, n_rows).round(2),
                             "sku": pd.Series(rng.integers(0, 5000, n_rows)).map(
                                 "SKU-{:05d}".format),
                             "placed": pd.Timestamp("2021-01-01") + pd.to_timedelta(
                                 rng.integers(0, 10**7, n_rows), unit="s")})

    def schema(name: str, frame: pd.DataFrame, fks: tuple[ForeignKey, ...] = ()) -> TableSchema:
        return TableSchema(name, tuple(Column(c, "") for c in frame.columns), ("id",), fks)

    catalog = Catalog("bench", {
        "parents": schema("parents", parents),
        "children": schema("children", children, (ForeignKey(("parent_id",), "parents",
                                                             ("id",)),))})
    return {"parents": parents, "children": children}, catalog


@contextmanager
def postgres(url: str | None) -> Iterator[str | None]:
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="learnsynth-pg-bench-")
    script = str(ROOT / "scripts" / "start_postgres.sh")
    proc = subprocess.run(["bash", script, folder], capture_output=True, text=True)
    if proc.returncode != 0:
        print("PostgreSQL unavailable: " + (proc.stderr.strip().splitlines() or ["?"])[-1],
              file=sys.stderr)
        yield None
        return
    try:
        yield proc.stdout.strip()
    finally:
        subprocess.run(["bash", script, "--stop", folder], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_pg(server: str) -> str:
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


def timed(work: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    rows = work()
    return rows, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="child rows (parents: 1/10)")
    parser.add_argument("--postgres", help="server URL (default: start a throwaway one)")
    args = parser.parse_args()
    tables, catalog = frames(args.rows)
    wide = tables["children"]
    chunks = [wide.iloc[i:i + 100_000] for i in range(0, len(wide), 100_000)]
    results = []
    with tempfile.TemporaryDirectory() as tmp, postgres(args.postgres) as server:
        targets = [("sqlite", lambda: f"sqlite:///{tmp}/{uuid.uuid4().hex}.db")]
        if server:
            targets.append(("postgresql", lambda: fresh_pg(server)))
        for engine, make in targets:
            url = make()
            rows, secs = timed(lambda u=url: sum(write_tables(u, tables, catalog=catalog).rows
                                                 .values()))
            results.append((engine, "parent+child, PK/FK (write_tables)", rows, secs))
            url = make()
            rows, secs = timed(lambda u=url: write_chunks(iter(chunks), u + "?table=synthetic"))
            results.append((engine, "one table, 100k-row chunks (sample sink)", rows, secs))
    print(f"{'engine':<11} {'shape':<42} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
    for engine, shape, rows, secs in results:
        print(f"{engine:<11} {shape:<42} {rows:>10,} {secs:>8.2f} {rows / secs:>10,.0f}")


if __name__ == "__main__":
    main()
