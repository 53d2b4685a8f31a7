"""The HTML quality and privacy report: one self-contained page for the reviewer who signs off.

It is rendered from the report JSON (:class:`learnsynth.quality.report.Report`) and nothing else,
so it can show no more than the JSON holds: aggregates, never a raw value, row or rare category.
The page carries its own CSS and draws its plots as inline SVG here, in Python: no JavaScript, no
external URL, no font or image to fetch, so it opens the same offline, in an archive, or printed.

Everything that comes from data (column names, category labels, paths, the command) is escaped:
the template autoescapes, and the SVG helpers escape every string they place. The order follows
a compliance reviewer's reading: the verdict, what was found to be PII and how it was treated,
what the model keeps, the privacy tests and the three re-identification risks, then fidelity,
lineage with the command that reproduces the output, and room for sign-off.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from learnsynth.data.sinks import write_text_atomic

__all__ = ["html_path", "render_html", "write_html", "write_html_beside"]

MAX_PLOTS = 30          # marginal overlays drawn (worst columns first); the rest are listed
MAX_HEATMAP = 24        # columns in a correlation heatmap (those of the worst pairs first)
TOP_PAIRS = 15          # pairs shown before the rest fold away
REAL, SYNTH = "#6baed6", "#e6550d"

TESTS = {"dcr_share": "Distance to closest record (DCR)",
         "exact_copies": "Exact copies of training rows",
         "pii_leaks": "Real PII values found in the output"}
FIGURES = {
    "exact_copies_share": "synthetic rows equal to a training row (share)",
    "expected_copies_share": "share expected by chance (holdout rows equal to a training row)",
    "direct_pii_leaks": "real direct-identifier values found in the output",
    "dcr_share": "DCR share: synthetic rows closer to training than to holdout (0.5 ideal)",
    "median_dcr_train": "median distance to the closest training row",
    "median_dcr_holdout": "median distance to the closest holdout row",
    "max_quasi_overlap_minus_baseline": "largest quasi-identifier overlap above its baseline",
    "fidelity_overall": "overall fidelity score (0-1)",
    "detection_roc_auc": "ROC AUC of a classifier telling real from synthetic (0.5 ideal)",
}
_OPS = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">"}


# ---------------------------------------------------------------- formatting


def num(value: Any, digits: int = 3) -> str:
    """A number for people: ``n/a`` for null, integers as integers, else ``digits`` decimals."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def pct(value: Any) -> str:
    return "n/a" if value is None else f"{100 * float(value):.1f}%"


def short(text: Any, size: int = 22) -> str:
    text = str(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def threshold(test: Mapping[str, Any]) -> str:
    """'≤ 0.600' from comparison and threshold; a comparison in words is shown as it is."""
    comparison = str(test.get("comparison", ""))
    if comparison in _OPS:
        return f"{_OPS[comparison]} {num(test.get('threshold'))}"
    return comparison.replace("<=", "≤").replace(">=", "≥").replace("==", "=")


def badge(status: Any) -> Markup:
    """A status as words and colour (the words alone carry it when printed in black and white)."""
    label = {"pass": "✓ PASS", "fail": "✗ FAIL", "not_run": "– NOT RUN"}.get(str(status),
                                                                            str(status))
    return Markup('<span class="badge {}">{}</span>').format(str(status), label)


def risk_status(assessment: str) -> str:
    """The status word of a risk's assessment sentence (see reviewer.risks)."""
    if "at risk" in assessment:
        return "fail"
    if "not fully assessed" in assessment:
        return "not_run"
    return "pass" if "low" in assessment else "unknown"


# ---------------------------------------------------------------- verdict


def verdict(report: Mapping[str, Any]) -> dict[str, Any]:
    """The summary verdict: privacy first (it decides sharing), then a fidelity sentence."""
    privacy, fidelity = report["privacy"], report["fidelity"]
    tests = [(TESTS[k], privacy[k]) for k in TESTS]
    failed = [f"{name}: {num(t['value'])} (pass when {threshold(t)})" for name, t in tests
              if t["status"] == "fail"]
    missing = [f"{name}: {t.get('reason') or 'not run'}" for name, t in tests
               if t["status"] == "not_run"]
    if failed:
        status = "fail"
        headline = f"Not ready to share: {len(failed)} privacy test(s) failed."
    elif missing:
        status = "not_run"
        headline = f"Privacy not fully assessed: {len(missing)} privacy test(s) did not run."
    else:
        status = "pass"
        headline = "Every privacy test passed."
    ref = "the real data" if fidelity.get("reference") == "real" else "the model's own " \
        "distributions (real data was not at hand)"
    det = fidelity["detection"]
    quality = (f"Fidelity {num(fidelity.get('overall'))} of 1 (SDMetrics quality score), "
               f"compared with {ref}.")
    if det.get("status") != "not_run":
        quality += (f" A classifier tells real from synthetic rows with ROC AUC "
                    f"{num(det.get('roc_auc'))} (0.5 = cannot tell; pass when ≤ "
                    f"{num(det.get('threshold'), 2)}): {str(det.get('status')).upper()}.")
    return {"status": status, "headline": headline, "failed": failed, "missing": missing,
            "quality": quality}


# ---------------------------------------------------------------- SVG plots


def _svg(width: float, height: float, label: str, body: Sequence[str]) -> Markup:
    head = (f'<svg class="plot" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" role="img" aria-label="{escape(label)}">'
            f"<title>{escape(label)}</title>")
    return Markup(head + "".join(body) + "</svg>")


def _legend(x: float, y: float, names: Sequence[tuple[str, str]]) -> list[str]:
    out = []
    for i, (name, colour) in enumerate(names):
        dx = x + i * 78
        out.append(f'<rect x="{dx:.1f}" y="{y - 8:.1f}" width="10" height="10" '
                   f'fill="{colour}"/><text x="{dx + 14:.1f}" y="{y + 1:.1f}">'
                   f"{escape(name)}</text>")
    return out


def overlay_svg(plot: Mapping[str, Any], ref_name: str = "real") -> Markup:
    """A marginal overlay: histogram bars (real) under a step line (synthetic), or paired bars."""
    if plot["type"] == "histogram":
        return _histogram_svg(plot, ref_name)
    return _frequencies_svg(plot, ref_name)


def _histogram_svg(plot: Mapping[str, Any], ref_name: str) -> Markup:
    w, h, left, top, bottom = 380.0, 190.0, 44.0, 22.0, 30.0
    real, synth = [float(v) for v in plot["real"]], [float(v) for v in plot["synthetic"]]
    n = max(len(real), 1)
    peak = max(real + synth + [1e-9]) * 1.1
    bw = (w - left - 8) / n
    y = lambda v: top + (h - top - bottom) * (1 - v / peak)  # noqa: E731
    body = [f'<line class="axis" x1="{left}" y1="{h - bottom}" x2="{w - 8}" y2="{h - bottom}"/>',
            f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{pct(peak)}</text>',
            f'<text x="{left - 4}" y="{h - bottom}" text-anchor="end">0%</text>']
    labels = [str(lb) for lb in plot["labels"]]
    for i, (r, s) in enumerate(zip(real, synth, strict=False)):
        x = left + i * bw
        tip = f"{labels[i] if i < len(labels) else ''}: {ref_name} {pct(r)}, synthetic {pct(s)}"
        body.append(f'<rect x="{x + 0.5:.1f}" y="{y(r):.1f}" width="{max(bw - 1, 0.5):.1f}" '
                    f'height="{h - bottom - y(r):.1f}" fill="{REAL}"><title>{escape(tip)}'
                    "</title></rect>")
    step = " ".join(f"{left + i * bw:.1f},{y(s):.1f} {left + (i + 1) * bw:.1f},{y(s):.1f}"
                    for i, s in enumerate(synth))
    if synth:
        body.append(f'<polyline points="{step}" fill="none" stroke="{SYNTH}" stroke-width="2"/>')
    if labels:
        lo, hi = _ends(plot, labels)
        body.append(f'<text x="{left}" y="{h - bottom + 14}">{escape(short(lo, 16))}</text>')
        body.append(f'<text x="{w - 8}" y="{h - bottom + 14}" text-anchor="end">'
                    f"{escape(short(hi, 16))}</text>")
    body += _legend(w - 170, 12, [(ref_name, REAL), ("synthetic", SYNTH)])
    return _svg(w, h, f"Distribution of {plot['column']}: {ref_name} and synthetic", body)


def _ends(plot: Mapping[str, Any], labels: Sequence[str]) -> tuple[str, str]:
    """The x axis's end labels: the outer bin edges, numbers in plain digits (dates as given)."""
    bins = plot.get("bins")
    if bins and plot.get("kind") != "datetime":
        return _plain(bins[0]), _plain(bins[-1])
    return labels[0].split(" – ")[0], labels[-1].split(" – ")[-1]


def _plain(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _frequencies_svg(plot: Mapping[str, Any], ref_name: str) -> Markup:
    labels = [str(lb) for lb in plot["labels"]]
    real, synth = [float(v) for v in plot["real"]], [float(v) for v in plot["synthetic"]]
    w, left, top, row = 380.0, 120.0, 24.0, 20.0
    h = top + row * max(len(labels), 1) + 8
    peak = max(real + synth + [1e-9])
    scale = (w - left - 92) / peak
    body = _legend(w - 170, 12, [(ref_name, REAL), ("synthetic", SYNTH)])
    for i, label in enumerate(labels):
        y0 = top + i * row
        r, s = (real[i] if i < len(real) else 0.0), (synth[i] if i < len(synth) else 0.0)
        body.append(f'<text x="{left - 6}" y="{y0 + 13:.1f}" text-anchor="end">'
                    f"<title>{escape(label)}</title>{escape(short(label, 20))}</text>")
        body.append(f'<rect x="{left}" y="{y0 + 2:.1f}" width="{r * scale:.1f}" height="7" '
                    f'fill="{REAL}"><title>{escape(label)}: {ref_name} {pct(r)}</title></rect>')
        body.append(f'<rect x="{left}" y="{y0 + 10:.1f}" width="{s * scale:.1f}" height="7" '
                    f'fill="{SYNTH}"><title>{escape(label)}: synthetic {pct(s)}</title></rect>')
        body.append(f'<text x="{left + max(r, s) * scale + 4:.1f}" y="{y0 + 13:.1f}">'
                    f"{pct(r)} / {pct(s)}</text>")
    return _svg(w, h, f"Category shares of {plot['column']}: {ref_name} and synthetic", body)


def _colour(value: float | None, signed: bool) -> str:
    """Diverging blue-white-red for correlations in [-1, 1]; white-purple for differences."""
    if value is None:
        return "#d9d9d9"
    v = max(-1.0, min(1.0, float(value)))
    if not signed:
        v = abs(v)
        r, g, b = 255 - 138 * v, 255 - 175 * v, 255 - 92 * v
    elif v >= 0:
        r, g, b = 255 - 77 * v, 255 - 231 * v, 255 - 212 * v
    else:
        r, g, b = 255 - 222 * -v, 255 - 153 * -v, 255 - 83 * -v
    return f"rgb({r:.0f},{g:.0f},{b:.0f})"


def heatmap_svg(columns: Sequence[str], matrix: Sequence[Sequence[float | None]], title: str,
                signed: bool = True) -> Markup:
    """A correlation matrix as coloured cells, labelled left and top; values written if few."""
    n = len(columns)
    cell = max(12.0, min(34.0, 300.0 / max(n, 1)))
    left, top = 110.0, 96.0
    w, h = left + n * cell + 48, top + n * cell + 8
    body = []
    for i, name in enumerate(columns):
        yc = top + i * cell + cell / 2 + 4
        xc = left + i * cell + cell / 2 + 4
        body.append(f'<text x="{left - 4}" y="{yc:.1f}" text-anchor="end">'
                    f"<title>{escape(name)}</title>{escape(short(name, 16))}</text>")
        body.append(f'<text transform="translate({xc:.1f},{top - 4}) rotate(-60)">'
                    f"<title>{escape(name)}</title>{escape(short(name, 16))}</text>")
        for j in range(n):
            value = matrix[i][j]
            tip = f"{columns[i]} × {columns[j]}: {num(value, 2)}"
            body.append(f'<rect x="{left + j * cell:.1f}" y="{top + i * cell:.1f}" '
                        f'width="{cell - 1:.1f}" height="{cell - 1:.1f}" '
                        f'fill="{_colour(value, signed)}"><title>{escape(tip)}</title></rect>')
            if n <= 10 and value is not None:
                ink = ' fill="#fff"' if abs(value) > 0.6 else ""
                body.append(f'<text class="cell"{ink} x="{left + j * cell + cell / 2:.1f}" '
                            f'y="{top + i * cell + cell / 2 + 3:.1f}" text-anchor="middle">'
                            f"{value:.2f}</text>")
    body.append(f'<text class="title" x="4" y="14">{escape(title)}</text>')
    return _svg(w, h, title, body)


# ---------------------------------------------------------------- section data


def _fidelity_plots(report: Mapping[str, Any]) -> dict[str, Any]:
    fidelity, plots = report["fidelity"], report["plots"]
    ref_name = "real" if fidelity.get("reference") == "real" else "model"
    order = {c["column"]: i for i, c in enumerate(fidelity["column_shapes"]["columns"])}
    scores = {c["column"]: c["score"] for c in fidelity["column_shapes"]["columns"]}
    ranked = sorted(plots["columns"], key=lambda p: order.get(p["column"], len(order)))
    overlays = [{"column": p["column"], "kind": p["kind"], "score": scores.get(p["column"]),
                 "svg": overlay_svg(p, ref_name)} for p in ranked[:MAX_PLOTS]]
    return {"overlays": overlays, "not_plotted": [p["column"] for p in ranked[MAX_PLOTS:]],
            "heatmaps": _heatmaps(plots["correlation"], fidelity, ref_name),
            "ref_name": ref_name}


def _heatmaps(corr: Mapping[str, Any], fidelity: Mapping[str, Any],
              ref_name: str) -> list[Markup]:
    names = list(corr["columns"])
    if len(names) < 2:
        return []
    keep = names
    if len(names) > MAX_HEATMAP:  # the columns of the worst pairs first
        ranked: list[str] = []
        for p in fidelity["column_pair_trends"]["pairs"]:
            for c in (p["column_1"], p["column_2"]):
                if c in names and c not in ranked:
                    ranked.append(c)
        keep = (ranked + [c for c in names if c not in ranked])[:MAX_HEATMAP]
    idx = [names.index(c) for c in keep]
    real = [[corr["real"][i][j] for j in idx] for i in idx]
    synth = [[corr["synthetic"][i][j] for j in idx] for i in idx]
    diff = [[None if a is None or b is None else abs(a - b) for a, b in zip(ra, rb, strict=True)]
            for ra, rb in zip(real, synth, strict=True)]
    label = "Real" if ref_name == "real" else "Model (copula)"
    return [heatmap_svg(keep, real, f"{label} correlation"),
            heatmap_svg(keep, synth, "Synthetic correlation"),
            heatmap_svg(keep, diff, "Absolute difference", signed=False)]


def _pii_tables(report: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    rows = report["pii_columns"]
    flagged = [c for c in rows if c["pii"] or c["detector_kind"] or c["overridden"]]
    rank = {"direct": 0, "quasi": 1, "none": 2}
    flagged.sort(key=lambda c: rank.get(c["role"], 3))
    return {"flagged": flagged, "other": [c for c in rows if c not in flagged]}


def _pairs(report: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    pairs = report["fidelity"]["column_pair_trends"]["pairs"]
    counted = [p for p in pairs if p.get("meets_threshold", True)]
    rest = [p for p in pairs if not p.get("meets_threshold", True)]
    return {"top": counted[:TOP_PAIRS], "more": counted[TOP_PAIRS:], "uncounted": rest}


def context(report: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the template needs, computed once (the template only lays it out)."""
    return {"r": report, "verdict": verdict(report), "pii": _pii_tables(report),
            "pairs": _pairs(report), "fid": _fidelity_plots(report), "tests": TESTS,
            "figures": FIGURES,
            "options": json.dumps(report["lineage"].get("options") or {}, sort_keys=True,
                                  ensure_ascii=False)}


# ---------------------------------------------------------------- rendering and writing


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=num, pct=pct, threshold=threshold, badge=badge, short=short,
                       risk_status=risk_status)
    return env


def render_html(report: Mapping[str, Any]) -> str:
    """The report as one self-contained HTML page."""
    return _environment().get_template("report.html.j2").render(**context(report))


def html_path(json_path: str | os.PathLike[str]) -> Path:
    """Where the HTML of a report JSON goes: beside it, ``.html`` for the suffix."""
    return Path(json_path).with_suffix(".html")


def write_html(report: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Render and write the page atomically (aside, then moved into place)."""
    # 0644: a page to hand to a reviewer, not mkstemp's owner-only 0600
    return write_text_atomic(path, render_html(report), mode=0o644)


def write_html_beside(json_path: str | os.PathLike[str]) -> Path:
    """Read a written report JSON and write its HTML beside it (what ``sample`` does)."""
    report = json.loads(Path(json_path).read_text(encoding="utf-8"))
    return write_html(report, html_path(json_path))
