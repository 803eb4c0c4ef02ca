# Everyday commands; `make test` is the gate CI runs (see .ci/run for the PostgreSQL set-up).
PYTHON_FOR_VENV := $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= $(HOME)/.local/share/diary/demo.sqlite3

.PHONY: venv run demo test lint pytest pytest-moved-clock bench soak screenshots translations icons package clean

venv: $(VENV)/.stamp

# Rebuilt whenever the dependencies change; constraints.txt pins every version installed.
$(VENV)/.stamp: pyproject.toml setup.py constraints.txt
	$(PYTHON_FOR_VENV) -m venv $(VENV)
	$(BIN)/pip install -c constraints.txt -e '.[dev]'
	touch $@

# Both first check that the system libraries Qt needs are there (else print the apt-get line).
run: venv
	$(BIN)/python packaging/linux/qt_system_libs.py --install
	$(BIN)/diary

demo: venv
	$(BIN)/python packaging/linux/qt_system_libs.py --install
	mkdir -p "$(dir $(DEMO_DB))"
	$(BIN)/diary --db "$(DEMO_DB)" demo --reset
	$(BIN)/diary --db "$(DEMO_DB)"

# `make -k test` runs the tests even when a lint gate fails (CI does that); all must pass.
test: lint pytest pytest-moved-clock

lint: venv
	$(BIN)/ruff check diary tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# The whole suite again with the process clock moved (time-machine's process-wide travel,
# see tests/conftest.py): about three years ahead, and onto the night the clocks go back in
# Europe/London (it starts at 01:58 BST, so the local clock falls back to 01:00 GMT while the
# suite runs). A test that depends on today's date fails here.
MOVED := QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -p no:cacheprovider
pytest-moved-clock: venv
	DIARY_TEST_TRAVEL=+1100d $(MOVED)
	TZ=Europe/London DIARY_TEST_TRAVEL=2027-10-31T00:58:00+00:00 $(MOVED)

bench: venv
	$(BIN)/python bench/run_all.py

# The long runs of the property tests that `make test` runs briefly (junk on the command line).
# The kill, race and fuzz loops of issue 16 at their full counts (5,000 junk command lines,
# 500 mutated calendars, 200 kills, 2-16 racing bookers x 80 rounds) and the figures, as a
# table (bench/soak.py). The PostgreSQL rows need DIARY_TEST_POSTGRES_URL (see .ci/run).
soak: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.soak

screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m diary.ui.screenshots resources/screenshots

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Re-extract the user-visible strings and recompile the catalogues (the .mo files are kept
# in git, so a clean clone runs translated without this step).
translations: venv
	$(BIN)/pybabel extract -k _ -k gettext -o resources/translations/diary.pot diary
	$(BIN)/pybabel update -i resources/translations/diary.pot -d resources/translations -D diary
	$(BIN)/pybabel compile -d resources/translations -D diary

# Render packaging/icons/diary.svg into the PNG sizes, the ICO and the ICNS (kept in git).
icons: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icons.py

# The wheel and a one-folder bundle (PyInstaller, built from that wheel) into dist/.
package: venv
	$(BIN)/python packaging/make_dist.py
