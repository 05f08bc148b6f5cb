# Fresh machine: `make demo` and `make test` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared/data

.PHONY: demo test test-fast bench eval serve install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[spark,eval,test,fit]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/spintrace compare $(SHARED)/seed-pair/source.txt $(SHARED)/seed-pair/suspect.txt
	$(BIN)/spintrace compare $(SHARED)/seed-pair/source.txt $(SHARED)/seed-pair/suspect.txt --format html -o report.html
	@echo "HTML report written to report.html"

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

eval: $(STAMP)
	$(BIN)/python -m spintrace eval all --shared $(SHARED) --out evaluation-run.md

clean:
	rm -rf $(VENV) report.html .pytest_cache

serve: $(STAMP)
	$(BIN)/spintrace serve
