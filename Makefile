# Two commands do everything on a fresh machine (Python >= 3.11):
#   make run    install into .venv, then run the main job on the bundled sample articles
#   make test   install into .venv, then run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install lint bench clean

$(BIN)/marsad: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/marsad

# the web page's libraries (Leaflet, Natural Earth boundaries, ...) from the npm registry, copied
# into the package so `marsad serve` needs no CDN; the API works without them
VENDOR := src/marsad/web/static/vendor/leaflet.js
$(VENDOR): src/marsad/web/frontend/package-lock.json
	./scripts/build_web_assets.sh || echo "warning: web page libraries not built (needs npm); the API still works"

install: $(BIN)/marsad $(VENDOR)

run: install
	$(BIN)/marsad run

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: install
	$(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) marsad.db out .pytest_cache
