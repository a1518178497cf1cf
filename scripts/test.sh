#!/usr/bin/env bash
# Runs every rnnlab test on a fresh machine: installs what the tests need
# (Jupyter, GoNB and friends, through scripts/setup.sh), then vets and tests
# every package, the notebooks included (notebooks/notebooks_test.go).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== go vet ./..."
go vet ./...
echo "== go test ./..."
go test -timeout 60m ./...
