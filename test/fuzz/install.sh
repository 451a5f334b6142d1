#!/usr/bin/env bash
# Installs schemathesis (pinned in requirements.txt) into a virtualenv outside the work tree,
# ${AGORA_CACHE:-$HOME/.cache/agora}/fuzz-venv-<hash of requirements.txt>, from PyPI.
# Idempotent: a complete venv is reused. Prints the venv path last.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
key=$(sha256sum "$here/requirements.txt" | cut -c1-12)
venv="$cache/fuzz-venv-$key"
log() { echo "fuzz/install.sh: $*" >&2; }

# .complete is written last, so a venv left half-built by an interrupted install is rebuilt.
if [ -f "$venv/.complete" ] && "$venv/bin/st" --version >/dev/null 2>&1; then
  echo "$venv"
  exit 0
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || { log "Python 3.10+ is required for schemathesis"; exit 1; }

log "installing schemathesis into $venv"
mkdir -p "$cache"
rm -rf "$venv"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt" >&2
"$venv/bin/st" --version >&2
touch "$venv/.complete"
echo "$venv"
