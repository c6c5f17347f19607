# tryghedlib — one command per output. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PARTNERSHIP ?= tingbjerg-husum
YEAR ?= 2021
DATA ?= data/raw/example

.DEFAULT_GOAL := help
.PHONY: help setup report test fuzz lab example bench clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,lab]'
	@touch $@ $(VENV)/.installed-dev $(VENV)/.installed

setup: $(VENV)/.installed ## Create .venv and install the package (and system libraries, as root)
	@scripts/system-deps.sh report

report: setup ## Build the example status note (2021, Tingbjerg-Husum) into reports/
	$(BIN)/tryghed report --partnership $(PARTNERSHIP) --year $(YEAR) --data-dir $(DATA) \
	  --out reports --force

# One worker per core (pytest-xdist), each test file on one worker so that its module fixtures
# (a report made once for the file's tests) are made once.
test: $(VENV)/.installed-dev ## Set up and run the whole test suite
	@scripts/system-deps.sh test
	$(BIN)/python -m pytest -n auto --dist loadfile

fuzz: $(VENV)/.installed-dev ## Fuzz every reader of deliveries and config (~10 minutes)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

# The repository root is served (reports/, docs/, config/ open too); tracked notebooks are saved
# without outputs (tryghedlib/run/lab.py), so saving leaves git clean. Root needs --allow-root.
# The default URL opens explore.ipynb: the browser started, and the URL printed for one pasted
# by hand (as root on a server no browser starts), open it rather than an empty launcher.
# JupyterLab's own defaults for this install: no pop-up asking to fetch Jupyter news on first
# open, no check for a newer JupyterLab (the analyst updates through make, not pip).
LAB_SETTINGS = $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_SETTINGS): scripts/lab-overrides.json | $(VENV)/.installed-lab
	install -D -m 644 $< $@

lab: $(VENV)/.installed-lab $(LAB_SETTINGS) ## Start JupyterLab on the repository and open notebooks/explore.ipynb
	$(BIN)/jupyter lab --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/explore.ipynb \
	  --ContentsManager.pre_save_hook=tryghedlib.run.lab.pre_save \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_OPTIONS)

example: $(VENV)/.installed ## Regenerate the synthetic example data in data/raw/example
	$(BIN)/python -m tryghedlib.example --out data/raw/example

bench: $(VENV)/.installed-dev ## Run the benchmarks and write docs/performance.md
	$(BIN)/python bench/run_all.py

clean: ## Remove the processed cache and built reports (never data/raw)
	find data/processed -mindepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf reports/
