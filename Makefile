# Two commands, on a fresh machine with Python 3.11 and the package registry:
#   make build   set up .venv, then build the bundled sample into DuckDB (dbt build and the
#                BI tables on a work copy, swapped in atomically when all passed)
#   make test    set up .venv, then run the whole test suite (lint, Python and dbt tests)
# CI also runs:
#   make test-scale  the equality tests on 20,000 generated tickets (two ways to the same KPIs)
#   make test-superset  install Apache Superset in its own venv, start it on 127.0.0.1 with the
#                       dashboard bundle, compare every chart with the semantic layer, stop it
# and, for Spark (needs Java 17):
#   make test-spark  add dbt-spark and pyspark to .venv, then build the sample on a local
#                    Spark and check every mart and KPI equals the DuckDB build's
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark

.PHONY: build test test-scale test-superset test-spark lint sample clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,spark]"
	touch $(SPARK_STAMP)

WAREHOUSE := $(or $(DBT_DUCKDB_PATH),warehouse/support_kpis.duckdb)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

build: $(STAMP)
	$(BIN)/support-kpis build --project-dir . --database "$(WAREHOUSE)"

test: $(STAMP)
	$(BIN)/python -m pytest

test-scale: $(STAMP)
	$(BIN)/python -m pytest -m scale

test-superset: $(STAMP)
	$(BIN)/python -m pytest -m superset

test-spark: $(SPARK_STAMP)
	@command -v java >/dev/null || { echo "make test-spark needs Java 17 on PATH (Debian: apt-get install openjdk-17-jre-headless)"; exit 1; }
	$(BIN)/python -m pytest -m spark

lint: $(STAMP)
	$(BIN)/sqlfluff lint models tests analyses
	$(BIN)/ruff check src tests/python lint examples bench

# Regenerate the bundled sample (deterministic: the test suite checks it is unchanged).
sample: $(STAMP)
	rm -rf data/sample
	$(BIN)/support-kpis generate data/sample --tickets 3000 --seed 20250101 --invalid-rate 0.02

clean:
	rm -rf $(VENV) target logs warehouse dbt_packages
