#!/usr/bin/env bash
# Starts the dashboard on demo data: installs, builds the demo store if there is none, serves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
db=${GENDAN_DB:-demo/gendan.duckdb}
[ -f "$db" ] || .venv/bin/gendan demo --db "$db"
exec .venv/bin/gendan serve --db "$db" "$@"
