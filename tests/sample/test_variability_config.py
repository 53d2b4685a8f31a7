"""Bad --variability configs: one 'error:' line naming the file and the key or column, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsynth.cli import main
from learnsynth.sample.variability import DEFAULT_VARIANTS, OPTIONS_HELP

DEMO = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("cfgstore")
    assert main(["profile", str(DEMO / "customers.csv"), "--name", "customers", "--store",
                 str(root / "m"), "--profiles", str(root / "p")]) == 0
    return str(root / "m")


BAD = [
    ("defaults: {typo: 1.5}\n", ["'defaults.typo'", "[0, 1]", "1.5"]),
    ("defaults: {typo: -0.1}\n", ["'defaults.typo'", "-0.1"]),
    ("defaults: {smudge: 0.1}\n", ["unknown kind 'smudge'"]),
    ("defaults: {typo: 0.6, missing: 0.5}\n", ["'defaults'", "add up to 1.1"]),
    ("columns: {shoe_size: {typo: 0.1}}\n", ["column 'shoe_size'", "is not in table"]),
    ("columns: {email: {outlier: 0.1}}\n", ["column 'email'", "cannot take kind 'outlier'"]),
    ("columns: {age: {typo: 0.1}}\n", ["column 'age'", "cannot take kind 'typo'"]),
    ("defaults: {missing: 0.6}\ncolumns: {email: {typo: 0.5}}\n",
     ["column 'email'", "add up to 1.1"]),
    ("variants: {typo: [smudge]}\n", ["'variants.typo'", "unknown variant 'smudge'"]),
    ("near_duplicates: {rate: 2}\n", ["'near_duplicates.rate'"]),
    ("near_duplicates: {fields: x}\n", ["'near_duplicates.fields'"]),
    ("colums: {}\n", ["unknown key(s) ['colums']"]),
    ("defaults: [typo]\n", ["'defaults' must map kinds to rates"]),
    ("- just a list\n", ["must be a mapping"]),
    ("defaults: {typo: 0.1\n", ["cannot be read as YAML"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_bad_config_is_one_line_exit_2_naming_file_and_key(
        store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
        expected: list[str]) -> None:
    cfg = tmp_path / "dirt.yaml"
    cfg.write_text(text)
    out = tmp_path / "out.csv"
    code = main(["sample", "customers", "--rows", "10", "--out", str(out), "--store", store,
                 "--variability", str(cfg), "--no-report"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert str(cfg) in err
    for piece in expected:
        assert piece in err
    assert not out.exists() and not list(tmp_path.glob("out.variability*"))


def test_missing_config_file(store: str, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sample", "customers", "--rows", "10", "--out", str(tmp_path / "o.csv"),
                 "--store", store, "--variability", str(tmp_path / "nope.yaml")])
    assert code == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_database_out_is_refused_before_anything_is_written(
        store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "out.db"
    code = main(["sample", "customers", "--rows", "10", "--store", store,
                 "--out", f"sqlite:///{db}?table=customers",
                 "--variability", str(DEMO / "variability.yaml")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--variability" in err and "database" in err
    assert not db.exists()


def test_variability_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sample", "--variability-help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text == OPTIONS_HELP
    for key in ("defaults:", "columns:", "variants:", "near_duplicates:", "rate:", "fields:",
                "kinds:"):
        assert key in text
    for kind, variants in DEFAULT_VARIANTS.items():
        assert kind in text
        for v in variants:
            assert v in text, v
    for marker in ("N/A", "unknown", "~", '""'):
        assert marker in text


def test_existing_log_is_not_overwritten(store: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "o.variability.csv").write_text("keep me")
    code = main(["sample", "customers", "--rows", "10", "--out", str(tmp_path / "o.csv"),
                 "--store", store, "--variability", str(DEMO / "variability.yaml"),
                 "--no-report"])
    assert code == 2 and "already exists" in capsys.readouterr().err
    assert (tmp_path / "o.variability.csv").read_text() == "keep me"
    assert not (tmp_path / "o.csv").exists()


def test_example_config_runs_on_the_demo(store: str, tmp_path: Path) -> None:
    code = main(["sample", "customers", "--rows", "3000", "--out", str(tmp_path / "c.csv"),
                 "--store", store, "--variability", str(DEMO / "variability.yaml"),
                 "--no-report", "--seed", "3"])
    assert code == 0
    assert (tmp_path / "c.variability.csv").stat().st_size > 1000
    assert (tmp_path / "c.variability.json").exists()
