# Everything a fresh machine needs: Python 3.11 and make. `make demo` and `make test` set up
# .venv on first use (re-installing when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint typecheck clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,html,dask]'
	touch $(STAMP)

# Committed; regenerated deterministically by the script if missing.
examples/customers.csv: | $(STAMP)
	$(BIN)/python scripts/make_demo_data.py --out $@

demo: $(STAMP) examples/customers.csv
	$(BIN)/learnsynth profile examples/customers.csv --name customers --config examples/demo.yaml
	$(BIN)/learnsynth sample customers --rows 10000 --seed 1 --out out/customers.csv --overwrite
	$(BIN)/learnsynth models verify customers
	$(BIN)/learnsynth report examples/customers.csv out/customers.csv --model customers
	@echo "demo: model in models/, profile document in profiles/, synthetic rows in out/customers.csv,"
	@echo "      quality and privacy report against the real data (holdout-based privacy tests) in"
	@echo "      reports/customers-vs-customers-report.html (and .json)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Headless Chromium (Debian's package) for the HTML report's browser test; a no-op when present,
# and when not root (the test then skips, or fails under LEARNSYNTH_REQUIRE_BROWSER=1).
browser:
	bash scripts/install_browser.sh

# Benchmarks compare against SDV in the same run; SDV (and torch) live in the `bench` extra.
$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,html,dask,bench]'
	touch $@

bench: $(VENV)/.bench
	$(BIN)/python benchmarks/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check learnsynth tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy learnsynth

clean:
	rm -rf $(VENV) out
