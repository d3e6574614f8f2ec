#!/usr/bin/env bash
# Creates .venv with the locked dependencies and gendan itself (idempotent, quick when done).
# Usage: bash scripts/bootstrap.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "gendan needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2; exit 1; }

stamp=.venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  # Bytecode up front: with PYTHONDONTWRITEBYTECODE set, every command would compile its
  # imports again (about half a second per `gendan` run). A few packages ship files that
  # do not compile (templates, other Pythons' code); they are never imported, so no failure.
  .venv/bin/python -m compileall -q -j 0 .venv/lib >/dev/null || true
  rm -f .venv/.installed-*
  touch "$stamp"
fi
.venv/bin/python -m compileall -q -j 0 dashboard etl gendan warehouse >/dev/null || true

if [ "${1:-}" = "--dev" ]; then
  # The browser test drives Debian's Chromium (never a downloaded browser) and needs CJK fonts.
  if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
      echo "note: install Debian's chromium and fonts-noto-cjk for the browser test" >&2
    fi
  fi
fi
