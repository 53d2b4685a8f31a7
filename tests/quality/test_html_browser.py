"""The HTML report opened in headless Chromium: the rendered page has every section a reviewer
needs, its plots, and the command that reproduces the output; and it paints (a screenshot).

Chromium comes from Debian's ``chromium`` package (``make browser`` / scripts/install_browser.sh).
Without it the test skips and says how to install it; with ``LEARNSYNTH_REQUIRE_BROWSER=1`` (as
.ci/run sets) it fails instead, so CI cannot pass by skipping. ``LEARNSYNTH_SCREENSHOT_DIR`` keeps
the screenshot for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest

from learnsynth.profile.profiler import holdout_mask
from learnsynth.quality.html import write_html
from learnsynth.quality.report import compare
from tests.quality.test_html_report import Page

SECTIONS = {"verdict", "pii", "model", "protections", "privacy", "risks", "risk-singling-out",
            "risk-linkability", "risk-inference", "threat-model", "limitations", "fidelity",
            "marginals", "correlations", "lineage", "reproduce", "signoff"}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def _chromium() -> str:
    for candidate in (os.environ.get("LEARNSYNTH_CHROMIUM"), shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    reason = ("Chromium is not installed: run `make browser` (scripts/install_browser.sh, "
              "Debian's chromium package) to run the browser test")
    if os.environ.get("LEARNSYNTH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LEARNSYNTH_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _run(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="learnsynth-chromium-") as profile:
        return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


@pytest.fixture(scope="module")
def page(chromium, tmp_path_factory, customers, customers_synth):
    """The demo data's report (model with a holdout, so every privacy test runs) as HTML."""
    tm = customers_synth.model_.tables[0]
    kinds = {c.name: {"kind": c.kind, "details": c.details} for c in tm.columns}
    fake = customers_synth.sample(1500, seed=3)
    info = customers_synth.holdout_[tm.name]
    holdout = holdout_mask(len(customers), float(info["fraction"]), int(info["seed"]))
    lineage = {"source_fingerprint": "f" * 64, "model": "customers@v1", "model_name": "customers",
               "model_version": 1, "model_sha256": "a" * 64, "seed": 3, "options": {"k": 5},
               "learnsynth_version": "test", "created_at": "2026-01-01T00:00:00+00:00",
               "command": "learnsynth report real.csv synth.csv --model customers@v1 "
                          "--out reports/synth-report.json",
               "real": "real.csv", "synthetic": "synth.csv", "synthetic_rows": len(fake),
               "table": tm.name}
    rep = compare(customers, fake[list(kinds)], kinds, holdout=holdout, lineage=lineage,
                  options={"k": 5}, table=tm.name, seed=0)
    path = write_html(rep, tmp_path_factory.mktemp("browser") / "report.html")
    return {"chromium": chromium, "path": path, "report": rep}


def test_chromium_renders_every_section(page):
    done = _run(page["chromium"], "--dump-dom", page["path"].as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = Page(done.stdout)
    assert SECTIONS <= dom.ids, f"missing sections: {SECTIONS - dom.ids}"
    rep = page["report"]
    assert dom.tags.count("svg") == len(rep["plots"]["columns"]) + 3
    text = dom.all_text
    for heading in ("Verdict", "PII columns and how each was treated", "Privacy tests",
                    "Re-identification risks", "Threat model assumed", "Limitations",
                    "Marginal distributions, worst columns first", "Lineage", "Sign-off"):
        assert heading in text
    assert rep["lineage"]["command"] in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_chromium_screenshot_paints_the_report(page, tmp_path):
    shot = tmp_path / "report.png"
    done = _run(page["chromium"], f"--screenshot={shot}", "--window-size=1280,4000",
                page["path"].as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert _png_size(data) == (1280, 4000)
    blank_page, blank = tmp_path / "blank.html", tmp_path / "blank.png"
    blank_page.write_text("<!DOCTYPE html><html><body></body></html>")
    _run(page["chromium"], f"--screenshot={blank}", "--window-size=1280,4000",
         blank_page.as_uri())
    # a painted page compresses far worse than an empty one of the same size
    assert len(data) > 5 * len(blank.read_bytes()), "the screenshot is (nearly) blank"
    keep = os.environ.get("LEARNSYNTH_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "report.png")
