# eduanalytics front door.  `make report` = set up + year-end report on the bundled example;
# `make test` = set up + the test suite.  Everything installs into ./.venv from PyPI
# (and, for the browser test, Debian's chromium + a CJK font via apt when run as root).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CONFIG ?= config/luqiao.yaml
YEAR   ?= 2023
AS_OF  ?= 2023-12-31
FORMAT ?= png,svg,pdf
SIZE   ?= slide

.PHONY: help setup report clean-data charts test lint bench browser-deps generate lab distclean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $@

setup: $(BIN)/.installed  ## create .venv and install the package with its dependencies

report: setup  ## FIRST COMMAND: year-end report on the bundled example -> reports/<region>/<year>/
	$(BIN)/eduanalytics report --config $(CONFIG) --year $(YEAR) --as-of $(AS_OF)

clean-data: setup  ## only the cleaning step -> data/processed/<region>/<year>/
	$(BIN)/eduanalytics clean --config $(CONFIG) --year $(YEAR) --as-of $(AS_OF)

charts: setup  ## briefing charts only (FORMAT=png,svg,pdf SIZE=slide|half_a4)
	$(BIN)/eduanalytics charts --config $(CONFIG) --year $(YEAR) --as-of $(AS_OF) --format $(FORMAT) --size $(SIZE)

generate: setup  ## regenerate the synthetic example inputs (seeded; identical every time)
	$(BIN)/eduanalytics generate --config $(CONFIG) --year $(YEAR)

browser-deps:  ## Debian chromium + Noto CJK for the HTML screenshot test (needs root/apt)
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'cjk'; then \
	  echo "chromium and a CJK font are present"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "note: chromium not installed and no root apt; the browser test will be skipped"; fi

test: setup browser-deps  ## SECOND COMMAND: set up and run the tests
	$(BIN)/python -m pytest

lint: setup  ## ruff
	$(BIN)/ruff check src tests scripts

bench: setup  ## benchmarks (ingest, projection, report vs papermill floor) -> reports/bench.json
	@for s in benchmark_ingest benchmark_projection; do \
	  if [ -f scripts/$$s.py ]; then echo "== scripts/$$s.py"; $(BIN)/python scripts/$$s.py || exit 1; fi; \
	done
	@echo "== scripts/benchmark_report.py"
	$(BIN)/python scripts/benchmark_report.py --config $(CONFIG) --year $(YEAR)

lab: setup  ## JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

distclean:  ## remove the venv and every derived output
	rm -rf $(VENV) data/processed/* reports/
