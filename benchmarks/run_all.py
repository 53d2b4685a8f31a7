"""Run every benchmark script in this folder, one after another, and stop at the first failure.

Each script prints its own table (rows/s, peak RSS, ratio against SDV in the same run); the
latest figures are copied by hand into ``docs/benchmarks.md``. ``make bench`` calls this.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    scripts = sorted(p for p in here.glob("*.py") if p.name not in {"run_all.py", "_common.py"}
                     and not p.name.startswith("_"))
    if not scripts:
        print("no benchmark scripts found", file=sys.stderr)
        return 1
    for script in scripts:
        print(f"\n== {script.name}", flush=True)
        rc = subprocess.call([sys.executable, str(script)], cwd=here.parent)
        if rc != 0:
            print(f"error: {script.name} exited with {rc}", file=sys.stderr)
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
