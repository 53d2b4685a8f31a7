"""Real OS processes publishing to one local store: no lost, shared or half-written version."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from learnsynth.artifact import canonical_json
from learnsynth.store import SIGNING_KEY_ENV, Store

WORKERS = 4
PUBLISHES = 3

# Each worker waits for the go file, so all of them publish at the same moment.
PUBLISHER = """
import os, sys, time
from learnsynth.artifact import canonical_json
from learnsynth.store import Store

store_dir, go_file, worker = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(store_dir)
print("ready", flush=True)
deadline = time.monotonic() + 60
while not os.path.exists(go_file):
    if time.monotonic() > deadline:
        sys.exit("no go signal")
    time.sleep(0.001)
for i in range(int(sys.argv[4])):
    files = {"model.json": canonical_json({"worker": worker, "publish": i})}
    print(store.publish("shared", files, source_fingerprint=f"w{worker}").version, flush=True)
"""

# Publishes with os.rename replaced by a hang: everything is staged, nothing is published yet.
CRASHER = """
import sys, time
from learnsynth.artifact import canonical_json
from learnsynth import store as store_module

def hang(src, dst):
    print("staged", flush=True)
    time.sleep(120)

store_module.os.rename = hang
files = {"model.json": canonical_json({"doomed": True})}
store_module.Store(sys.argv[1]).publish("crashy", files, source_fingerprint="x")
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != SIGNING_KEY_ENV}
    env["PYTHONWARNINGS"] = "error"
    return env


def test_concurrent_publishes_get_distinct_complete_versions(tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                PUBLISHER,
                str(tmp_path / "models"),
                str(go),
                str(w),
                str(PUBLISHES),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for w in range(WORKERS)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        go.touch()
        outputs = [proc.communicate(timeout=120) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    assert [p.returncode for p in procs] == [0] * WORKERS, [err for _, err in outputs]
    claimed = sorted(int(v) for out, _ in outputs for v in out.split())
    total = WORKERS * PUBLISHES
    assert claimed == list(range(1, total + 1))

    store = Store(tmp_path / "models")
    assert store.versions("shared") == list(range(1, total + 1))
    contents = set()
    for version in range(1, total + 1):
        loaded = store.load(f"shared@v{version}")
        assert loaded.manifest["parent_version"] == (version - 1 or None)
        body = json.loads(loaded.files["model.json"])
        contents.add((body["worker"], body["publish"]))
    assert contents == {(w, i) for w in range(WORKERS) for i in range(PUBLISHES)}
    leftovers = sorted(p.name for p in (tmp_path / "models" / "shared").iterdir())
    assert leftovers == sorted(f"v{v}" for v in range(1, total + 1))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_publisher_killed_mid_publish_leaves_no_visible_version(tmp_path: Path) -> None:
    models = tmp_path / "models"
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(models)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "staged"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert proc.returncode == -signal.SIGKILL
    staged = list((models / "crashy").iterdir())
    assert [p.name.startswith(".staging-") for p in staged] == [True]  # the crash left it aside
    assert sorted(p.name for p in staged[0].iterdir()) == ["manifest.json", "model.json"]
    store = Store(models)
    assert (store.versions("crashy"), store.names()) == ([], [])

    ref = store.publish("crashy", {"model.json": canonical_json({"ok": 1})}, source_fingerprint="y")

    assert ref.version == 1
    assert store.load("crashy").files == {"model.json": canonical_json({"ok": 1})}
    assert store.load("crashy").manifest["parent_version"] is None
