# Atlas PVD — the documented entry points.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BUILD  := geodata/build

.PHONY: setup build prepare run serve test test-fast lint format bench bench-load bench-explore screenshots clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(PY) -m pvd_geo assets
	touch $(STAMP)

$(BUILD)/meta.json: | $(STAMP)
	$(PY) -m pvd_geo build

build: setup
	$(PY) -m pvd_geo build

# A missing build is built; a damaged one (check exits 2: unreadable file) is rebuilt; the
# official lists are fetched when online; the default maps are prepared before the first reader.
prepare: setup $(BUILD)/meta.json
	@$(PY) -m pvd_geo check > /dev/null 2>&1; if [ $$? -eq 2 ]; then \
		echo "Données illisibles : reconstruction."; $(PY) -m pvd_geo build; fi
	@$(PY) -m pvd_geo update --setup
	-@$(PY) -m pvd_geo warm

# glibc: two malloc arenas, not one per script thread (lower RSS, measured: README « Capacité »)
run: prepare
	MALLOC_ARENA_MAX=2 $(VENV)/bin/streamlit run pvd_geo/ui/server.py

# REPLICAS processes of the atlas behind HAProxy (Debian package) on PORT, one cookie per browser:
# see deploy/README.md.
REPLICAS ?= 2
PORT ?= 8500
serve: prepare
	$(PY) deploy/serve.py --replicas $(REPLICAS) --port $(PORT) --pin

test: setup
	$(PY) -m pytest

# the fast tier: tiny fixtures only, no browser, no build of all France (about a minute)
test-fast: setup
	$(PY) -m pytest -m "not build and not browser"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup $(BUILD)/meta.json
	$(PY) benchmarks/bench_data.py
	$(PY) benchmarks/bench_app.py
	$(PY) benchmarks/bench_figures.py

# 10 concurrent browser sessions, then 100 in a row (≈ 15 min, loopback only)
bench-load: setup $(BUILD)/meta.json
	$(PY) benchmarks/bench_load.py
	$(PY) benchmarks/bench_floor.py

# The overview against st_folium(gdf.explore()) of the same communes, emulated 4G (explore()
# needs mapclassify: benchmarks only, requirements-bench.txt)
bench-explore: setup $(BUILD)/meta.json
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) benchmarks/bench_explore.py

# The README's pictures: the overview in Chromium and an exported map
screenshots: setup $(BUILD)/meta.json
	$(PY) benchmarks/screenshots.py

clean:
	rm -rf $(BUILD) .pytest_cache
