# datapakke: the two commands a newcomer needs are `make demo` and `make test`.
# Both create .venv and install what they need; nothing outside the repository is read.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
OUT    ?= out
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: demo demo-dst test test-all test-update lint format typecheck bench bench-registers \
	browser-deps sample-data system-check clean help wheelhouse

help:
	@echo "make demo         build out/horsensklyngen.pdf (and .html) from sample_data/"
	@echo "make demo-dst     the same from synthetic data in DST's delivered layouts (out/dst-sample)"
	@echo "make test         lint, type-check and run the fast tests (all but the end-to-end builds)"
	@echo "make test-all     lint, type-check and run every test (what CI runs)"
	@echo "make test-update  rewrite the snapshots (tests/__snapshots__/) after a deliberate change"
	@echo "make bench        time the engine (against pandas, the I/O floor), the render and a batch"
	@echo "                  build (against BENCH_BASELINE, default main)"
	@echo "make bench-registers [SCALE=1]  export from the DST layouts against the contract layout"
	@echo "make browser-deps install Chromium for the preview's browser test (if it can)"
	@echo "make sample-data  regenerate sample_data/ with 'datapakke sample'"
	@echo "make wheelhouse   every wheel datapakke needs in wheelhouse/, for an offline install"
	@echo "                  (for Windows: make wheelhouse WHEEL_PLATFORMS=win_amd64)"

# WeasyPrint needs Pango (and HarfBuzz) from the system, and the packs the DejaVu fonts;
# say so in one line if one is missing (datapakke checks them again before a PDF build).
system-check:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "datapakke needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so' || \
		{ echo "Pango is missing (WeasyPrint needs it): run 'sudo apt-get install -y $(APT_PACKAGES)'"; exit 1; }
	@fc-list 'DejaVu Sans' family 2>/dev/null | grep -q . || \
		{ echo "The packs' font (DejaVu Sans) is missing: run 'sudo apt-get install -y $(APT_PACKAGES)'"; exit 1; }

$(VENV)/.runtime: pyproject.toml | system-check
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(PIP) install -e '.[dev]'
	@touch $@

demo: $(VENV)/.runtime
	$(BIN)/datapakke build --klynge Horsensklyngen --data sample_data --out $(OUT) --format both

# The real path: registers as DST delivers them (BEF, DOD, LPR_A, LMDB), read and chained.
demo-dst: $(VENV)/.runtime
	$(BIN)/datapakke sample --out $(OUT)/dst-sample --layout dst --scale 0.02
	$(BIN)/datapakke validate --data $(OUT)/dst-sample
	$(BIN)/datapakke build --klynge Horsensklyngen --data $(OUT)/dst-sample --out $(OUT) --format both

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(VENV)/.dev
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

typecheck: $(VENV)/.dev
	$(BIN)/mypy

# pytest-xdist spreads the tests over TEST_JOBS processes (one per CPU); the tests of
# a module that share one server stay together (--dist loadgroup). Add options with
# PYTEST_ARGS, e.g. make test PYTEST_ARGS="-k preview".
TEST_JOBS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_JOBS) --dist loadgroup

# The fast tier: everything but the end-to-end builds (marked slow), slowest listed.
test: lint typecheck
	$(PYTEST) -m "not slow" --durations=15 $(PYTEST_ARGS)

# Everything: the fast tier, the batch of 22 packs, the browser, the wheel, the kill test.
# Its long tests wait on processes of their own (a batch's workers, a killed run, a
# preview server), so one worker more than CPUs keeps every CPU busy (on the 2-core
# machine 8 min 55 s against 10 min 10 s with two).
TEST_ALL_JOBS ?= $(shell echo $$(( $$(nproc) + 1 )))
test-all: lint typecheck
	$(BIN)/pytest -n $(TEST_ALL_JOBS) --dist loadgroup --durations=25 $(PYTEST_ARGS)

# Snapshots are only ever written here; a missing or changed one fails `make test`.
test-update: $(VENV)/.dev
	$(BIN)/pytest -m "not slow" --snapshot-update $(PYTEST_ARGS)

$(VENV)/.bench: pyproject.toml $(VENV)/.dev
	$(PIP) install -e '.[dev,bench]'
	@touch $@

# Benchmarks run one at a time on a shared machine (the lock); BENCH_ARGS=--national for
# the engine at national size. The render (CPU-s per full pack and profile) and the batch
# (wall time with --jobs 1 and 2) are timed against BENCH_BASELINE (a git ref) in the same run.
BENCH_BASELINE ?= main
bench: $(VENV)/.bench
	flock /tmp/datapakke-heavy.lock $(BIN)/python benchmarks/bench_engine.py $(BENCH_ARGS)
	flock /tmp/datapakke-heavy.lock $(BIN)/python benchmarks/bench_render.py --baseline $(BENCH_BASELINE)
	flock /tmp/datapakke-heavy.lock $(BIN)/python benchmarks/bench_build.py --baseline $(BENCH_BASELINE)

# National scale (SCALE=1) needs ~5 GB and ~50 minutes (most of it writing the two samples);
# like every benchmark it runs under the shared lock.
SCALE ?= 0.05
bench-registers: $(VENV)/.dev
	flock /tmp/datapakke-heavy.lock $(BIN)/python benchmarks/bench_registers.py --scale $(SCALE)

# The preview's browser test drives Debian's chromium with its chromedriver. Install
# them when missing and apt-get can run (as root, or with password-less sudo). This
# never fails: without Chromium the browser test is skipped and says why.
browser-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
		echo "Chromium and ChromeDriver are installed."; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "No apt-get here: the browser test will be skipped (install chromium + chromedriver)."; \
	else \
		if [ "$$(id -u)" = 0 ]; then sudo=""; \
		elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
		else echo "Not root and no sudo: the browser test will be skipped."; exit 0; fi; \
		echo "Installing chromium and chromium-driver for the browser test..."; \
		{ timeout 900 $$sudo apt-get update -qq && \
		  DEBIAN_FRONTEND=noninteractive timeout 900 $$sudo apt-get install -y -qq \
		    --no-install-recommends chromium chromium-driver; } >/dev/null 2>&1 \
		&& echo "Installed $$(chromium --version 2>/dev/null)." \
		|| echo "Could not install chromium: the browser test will be skipped."; \
	fi

# Keep sample_data/README.md in step with these settings.
SAMPLE_SETTINGS := --scale 0.045 --seed 2027 --years 2020-2024

sample-data: $(VENV)/.runtime
	$(BIN)/datapakke sample --out sample_data $(SAMPLE_SETTINGS)
	$(BIN)/datapakke validate --data sample_data

# Every wheel datapakke needs, in one folder, for a research server without internet:
# datapakke's own and each dependency's, for the target's platform(s) and Python
# (default: this machine's). On the server: pip install --no-index --find-links DIR datapakke
WHEELHOUSE ?= wheelhouse
WHEEL_PLATFORMS ?=
WHEEL_PYTHON ?= 3.11
# pip judges a dependency's environment marker by this machine, not by the target, so
# what only Windows needs is named here (tests/test_packaging_offline.py keeps it complete).
WINDOWS_ONLY := colorama

wheelhouse: $(VENV)/.runtime
	rm -rf $(WHEELHOUSE)
	$(PIP) wheel --no-deps --wheel-dir $(WHEELHOUSE) .
	$(PIP) download --only-binary=:all: --dest $(WHEELHOUSE) --python-version $(WHEEL_PYTHON) \
		$(foreach p,$(WHEEL_PLATFORMS),--platform $(p)) $(WHEELHOUSE)/datapakke-*.whl \
		$(if $(findstring win,$(WHEEL_PLATFORMS)),$(WINDOWS_ONLY))
	@echo "$(WHEELHOUSE)/: $$(ls $(WHEELHOUSE) | wc -l) wheels for Python $(WHEEL_PYTHON)" \
		"$(if $(WHEEL_PLATFORMS),on $(WHEEL_PLATFORMS),on this platform)."

clean:
	rm -rf $(OUT) $(WHEELHOUSE) .pytest_cache .mypy_cache .ruff_cache build dist
