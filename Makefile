# Every target sets itself up: a fresh clone needs only `make train` or `make test`.
# `make help` lists the targets.
#
# One venv, .venv, in two sizes. The kata's and the book's targets (kata, check, train, data, ...)
# need only the learner's lock requirements-kata.txt (numpy, pytest, matplotlib, the notebook
# kernel: no TensorFlow). `make test`, `test-tf`, `lint` and the benchmarks install the full
# lock requirements.txt into the same .venv; it pins every package of the learner's lock to the
# same version (kata/tests/test_setup.py checks), so adding it never changes one. Each lock has
# its stamp (.venv/.installed-<cksum> for the full one, .venv/.kata-installed-<cksum>); a full
# install counts as a learner's install too.

PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
KATA_STAMP := $(VENV)/.kata-installed-$(shell cat requirements-kata.txt | cksum | cut -d' ' -f1)

# Tests and benchmarks default to one BLAS thread per process (reproducible
# timings, no oversubscription on 2 cores); override on the command line.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export TF_CPP_MIN_LOG_LEVEL ?= 2

# The kata's language: `make check LANG=ko` (or LANG=ja, KATA_LANG=ko|ja). LANG given on make's
# command line becomes KATA_LANG for the kata, which wins over LC_ALL/LC_MESSAGES from the shell
# (those would otherwise decide before LANG); KATA_LANG on the command line is exported as it is.
KATA_ENV := $(if $(filter command line,$(origin KATA_LANG)),,$(if $(filter command line,$(origin LANG)),KATA_LANG=$(LANG)))

.DEFAULT_GOAL := help
.PHONY: help venv kata-venv data data-ready test train gradcheck test-tf test-core lint lock lock-kata clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  The kata's targets take LANG=ko or LANG=ja (or KATA_LANG=...): messages in Korean/Japanese."

$(STAMP): requirements.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@
	rm -f $(VENV)/.kata-installed-* && touch $(KATA_STAMP)

# With the full lock installed (its stamp there) the learner's is too: nothing to install.
$(KATA_STAMP): requirements-kata.txt
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	test -e $(STAMP) || $(PYTHON) -m pip install --quiet --upgrade pip
	test -e $(STAMP) || $(PYTHON) -m pip install --quiet -r requirements-kata.txt
	rm -f $(VENV)/.kata-installed-* && touch $@

venv: $(STAMP) ## create .venv with all the pinned packages (requirements.txt: TensorFlow, ruff, ...; 2.4 GB)

kata-venv: $(KATA_STAMP) ## create .venv with the learner's packages only (requirements-kata.txt: no TensorFlow; 0.3 GB)

data: kata-venv ## fetch and verify MNIST into the cache (data/, or the folder in MNIST_DIR)
	$(PYTHON) mnist.py

# What test/train/check/... run first: silent when the verified cache is there
# (a learner's every `make check` would otherwise begin with 7 lines about MNIST),
# fetches and reports like `make data` when it is not.
data-ready: kata-venv
	@$(PYTHON) mnist.py --quiet

test: venv data-ready ## run the whole test suite (HYPOTHESIS_PROFILE=ci for CI's derandomized run)
	$(PYTHON) -m pytest tests kata/tests benchmarks --benchmark-disable

train: kata-venv data-ready ## train the book's network on MNIST (section 5.7.4); flags via ARGS="--iters 2000 --quiet"
	$(PYTHON) train_neuralnet.py $(ARGS)

gradcheck: kata-venv data-ready ## backprop vs numerical gradient on 3 images (section 5.7.3)
	$(PYTHON) gradient_check.py

test-tf: venv ## only the TensorFlow autodiff oracle tests (every backward vs tf.GradientTape)
	$(PYTHON) -m pytest -m tf

test-core: kata-venv ## the numerical core, no MNIST/TF: book numbers, numerical VJPs, edge cases, mistake catalog
	$(PYTHON) -m pytest tests/test_book_numbers.py tests/test_layers_numerical.py tests/test_edge_cases.py tests/test_mistakes.py

lint: venv ## ruff check: pycodestyle, pyflakes, bugbear (config in pyproject.toml; formatting is not checked)
	$(PYTHON) -m ruff check --no-cache .

# --- the other supported Pythons (3.11 is .venv's, `make test`'s): 3.12 and 3.13 -------------
# Each gets its own venv, .venv-py3.12 and .venv-py3.13, with the learner's lock and nbconvert
# (the notebook tests' HTML, pinned by requirements.txt): no TensorFlow, as a learner's machine.
# The interpreter is pythonX.Y on PATH when it runs (a pyenv shim of a version pyenv has not
# selected does not), else pyenv's own (PYENV_ROOT/versions/X.Y.*); PY312=/path, PY313=/path choose.
PYTHONS ?= 3.12 3.13
PYENV_ROOT ?= $(HOME)/.pyenv
python_of = $(firstword $(foreach p,$(shell command -v python$(1)) $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1)),$(if $(shell $(p) -c 'print(1)' 2>/dev/null),$(p))))
PY312 ?= $(call python_of,3.12)
PY313 ?= $(call python_of,3.13)
PY_FOR = $(or $(PY$(subst .,,$(1))),$(call python_of,$(1)))
MATRIX_STAMP := .matrix-installed-$(shell cat requirements-kata.txt requirements.txt | cksum | cut -d' ' -f1)
.PHONY: test-pythons test-pythons-quick

.venv-py%/$(MATRIX_STAMP): requirements-kata.txt requirements.txt
	@test -n "$(call PY_FOR,$*)" || { echo "no Python $* here: python$* on PATH or $(PYENV_ROOT)/versions/$*.* (or PY$(subst .,,$*)=/path/to/python$*)"; exit 1; }
	test -x .venv-py$*/bin/python || $(call PY_FOR,$*) -m venv .venv-py$*
	.venv-py$*/bin/python -m pip install --quiet --upgrade pip
	.venv-py$*/bin/python -m pip install --quiet -r requirements-kata.txt nbconvert -c requirements.txt
	rm -f .venv-py$*/.matrix-installed-* && touch $@

# The learner's path on each Python: every test of tests/ and kata/tests/ but TensorFlow's (-m "not tf").
# QUICK=1 (CI's, `make test-pythons-quick`): the kata's fast tests, the numerical gradients, the
# training outputs, then the notebook in a real kernel. A run that collects no test (exit 5) fails.
PYTHONS_PYTEST = .venv-py$$v/bin/python -m pytest -p no:cacheprovider
test-pythons: kata-venv data-ready $(foreach v,$(PYTHONS),.venv-py$(v)/$(MATRIX_STAMP)) ## the learner's tests (no TensorFlow) on Python 3.12 and 3.13, each in its own venv (PYTHONS="3.13"; QUICK=1: CI's part)
	@for v in $(PYTHONS); do \
	  start=$$(date +%s); \
	  echo "== Python $$(.venv-py$$v/bin/python -c 'import platform; print(platform.python_version())') (.venv-py$$v)$(if $(QUICK),: CI's part)"; \
	  if [ -n "$(QUICK)" ]; then \
	    $(PYTHONS_PYTEST) -q -m "not tf and not slow" kata/tests tests/test_layers_numerical.py tests/test_train_outputs.py $(ARGS) \
	      && $(PYTHONS_PYTEST) -q -m "not tf" kata/tests/test_notebook.py $(ARGS) || exit 1; \
	  else \
	    $(PYTHONS_PYTEST) -m "not tf" tests kata/tests $(ARGS) || exit 1; \
	  fi; \
	  echo "== Python $$v: passed in $$(( $$(date +%s) - start )) s"; \
	done

test-pythons-quick: ## CI's part of test-pythons on 3.12 and 3.13 (kata/tests not slow, numerical gradients, training outputs, notebook)
	@$(MAKE) --no-print-directory test-pythons QUICK=1

# --- the kata (python -m kata <command> does the same without make) ---
.PHONY: setup kata check hint watch kata-reset restore compare export

# What `make venv data` does, in Python alone (the command for a machine without make).
setup: ## python -m kata setup: venv, pinned packages and MNIST without make (Windows: python -m kata setup)
	$(KATA_ENV) $(PY) -m kata setup

kata: kata-venv ## create workspace/ with the stubs to fill in (refuses to touch an existing one)
	$(KATA_ENV) $(PYTHON) -m kata init

# `|| test -t 1`: in a terminal the screen has said everything, so make adds no
# "*** [check] Error 1" line under it; for scripts and CI (no terminal) the exit status stays non-zero.
check: kata-venv ## run the kata's exercises in book order against workspace/ (EX=5.6.2: only it and its prerequisites; STRICT=1: notes required too; WS=dir: another workspace; LANG=ko|ja: Korean/Japanese)
	@$(if $(WS),KATA_WORKSPACE=$(WS)) $(KATA_ENV) $(PYTHON) -m kata check $(EX) $(if $(STRICT),--strict) || test -t 1

hint: kata-venv ## next hint level for the current exercise (or EX=5.6.2)
	$(KATA_ENV) $(PYTHON) -m kata hint $(EX)

watch: kata-venv ## re-run check whenever a workspace file is saved (polling; Ctrl-C stops)
	$(KATA_ENV) $(PYTHON) -m kata watch

kata-reset: kata-venv ## restore one exercise's stubs, EX=5.6.2 (backs up your file first)
	$(KATA_ENV) $(PYTHON) -m kata reset $(EX)

restore: kata-venv ## list workspace backups; B=<number> restores one (backs up the current file first)
	$(KATA_ENV) $(PYTHON) -m kata restore $(B)

compare: kata-venv ## after an exercise passes: your functions beside the reference's (EX=5.6.2, default the last done)
	$(KATA_ENV) $(PYTHON) -m kata compare $(EX)

export: kata-venv ## write a standalone learner repository to DIR=... (stubs, tests, tooling; no solutions)
	$(KATA_ENV) $(PYTHON) -m kata export $(DIR)

# After 5.7.4: the book's training run with the learner's own layers and network.
.PHONY: kata-train
kata-train: kata-venv data-ready ## after 5.7.4: train on MNIST with YOUR workspace's code (ARGS="--iters 2000 --no-plot")
	$(if $(WS),KATA_WORKSPACE=$(WS)) $(KATA_ENV) $(PYTHON) -m kata train -- $(ARGS)

# The kata in a notebook (kata/notebook.py): the same tests and screens, from cells.
.PHONY: notebook lab
notebook: kata-venv ## write workspace/chapter5.ipynb, the kata in Jupyter/Colab (LANG=ko|ja: Korean/Japanese; an existing one is backed up)
	$(if $(WS),KATA_WORKSPACE=$(WS)) $(KATA_ENV) $(PYTHON) -m kata notebook

# JupyterLab is the optional extra `notebook` (pyproject.toml): installed here on first use only.
lab: kata-venv ## open workspace/chapter5.ipynb in JupyterLab (installs jupyterlab into .venv the first time)
	@test -f $(if $(WS),$(WS),workspace)/chapter5.ipynb || $(if $(WS),KATA_WORKSPACE=$(WS)) $(KATA_ENV) $(PYTHON) -m kata notebook
	@$(PYTHON) -c "import jupyterlab" 2>/dev/null || $(PYTHON) -m pip install --quiet jupyterlab
	$(PYTHON) -m jupyter lab $(if $(WS),$(WS),workspace)/chapter5.ipynb

# The graphs are SVG written by kata/graph.py (no Graphviz). PNGs need a renderer:
# cairosvg when it imports, else a Chromium; graph-renderer installs Debian's.
.PHONY: graph graph-renderer
graph: kata-venv ## draw the chapter's computational graphs with your values (NAME=buy_apple_orange, a layer or 5.4.1; default all)
	$(KATA_ENV) $(PYTHON) -m kata graph $(NAME)

graph-renderer: ## install Chromium and CJK fonts (Debian/Ubuntu apt): make graph also writes PNGs, Korean/Japanese included
	@need=""; command -v chromium >/dev/null 2>&1 || need="chromium"; \
	fc-list :lang=ko 2>/dev/null | grep -q . || need="$$need fonts-noto-cjk"; \
	if [ -z "$$need" ]; then echo "chromium and CJK fonts are installed: $$(command -v chromium)"; exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y $$need; \
	else echo "no apt-get here: install$$need yourself (make graph still writes the SVGs)"; exit 1; fi

# In a throw-away venv: freezing .venv would also pin what `make bench` added (torch).
# The learner's lock is resolved with the full one as constraints: the same version of every
# package the two share. Both are frozen with $(PY) (3.11); `make test-pythons` installs the
# learner's on 3.12 and 3.13.
lock: ## re-pin requirements.txt from requirements.in, then requirements-kata.txt from requirements-kata.in
	rm -rf .lock-venv && $(PY) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Generated from requirements.in by 'make lock'; do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze | LC_ALL=C sort -f; } > requirements.txt
	rm -rf .lock-venv
	$(MAKE) --no-print-directory lock-kata

lock-kata: ## re-pin requirements-kata.txt only (from requirements-kata.in, within requirements.txt's versions)
	rm -rf .lock-venv && $(PY) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements-kata.in -c requirements.txt
	{ echo "# The learner's lock: generated from requirements-kata.in by 'make lock', with requirements.txt"; \
	  echo "# as constraints (the same versions); do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze | LC_ALL=C sort -f; } > requirements-kata.txt
	rm -rf .lock-venv

clean: ## remove caches (keeps .venv, .venv-py3.*, data/, any kata workspace and saved benchmark runs)
	rm -rf .pytest_cache .hypothesis __pycache__ */__pycache__

# --- benchmarks (benchmarks/, PyTorch from requirements-bench.txt) ---
.PHONY: bench bench-compare bench-kata
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat requirements-bench.txt | cksum | cut -d' ' -f1)
BENCH_JSON := .benchmarks/last.json
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine for older
# OpenBLAS builds; they slow current numpy. Unset both, for the benchmarks only
# (tests and CI keep them); report.py shows which kernel then runs.
BENCH_ENV := env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE

$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(PYTHON) -m pip install --quiet -r requirements-bench.txt -c requirements.txt
	rm -f $(VENV)/.bench-installed-* && touch $@

bench: venv data-ready $(BENCH_STAMP) ## time the hot path vs GEMM limit, loop, book, TF, PyTorch; ratio tables (~5 min)
	@mkdir -p .benchmarks
	$(BENCH_ENV) $(PYTHON) -m pytest benchmarks -q --benchmark-only --benchmark-autosave \
	  --benchmark-json=$(BENCH_JSON) --benchmark-columns=min,median,rounds $(ARGS)
	$(BENCH_ENV) $(PYTHON) benchmarks/report.py $(BENCH_JSON)

bench-compare: venv data-ready $(BENCH_STAMP) ## rerun our variants; fail if one is >20% slower than the last saved make bench
	@ls .benchmarks/*/*.json >/dev/null 2>&1 || { echo "no saved run in .benchmarks/: run make bench first"; exit 2; }
	$(BENCH_ENV) $(PYTHON) -m pytest benchmarks -q -k ours --benchmark-only --benchmark-compare \
	  --benchmark-compare-fail=min:20% --benchmark-columns=min,median,rounds $(ARGS)

# The kata's own speed (benchmarks/test_bench_kata.py): make check on fresh / half-done /
# finished workspaces, watch's save-to-verdict time, and `import pytest` as the floor.
bench-kata: venv data-ready ## time the kata: make check (fresh, half-done, finished) and watch's save-to-verdict (~1 min)
	$(PYTHON) -m pytest benchmarks/test_bench_kata.py -q --benchmark-only \
	  --benchmark-columns=min,median,max,rounds --benchmark-sort=name $(ARGS)
