#!/usr/bin/env bash
# Serves the MongoDB wire protocol on 127.0.0.1:27017 for the tests on machines without
# Docker: FerretDB v1.24.2 (from the Go module proxy) embedded in ferretdb/main.go, SQLite
# backend. Idempotent: reuses a running server and a built binary. Prints MONGODB_URL last.
#   bash test/services/mongodb.sh        start (or reuse) and print MONGODB_URL=...
#   bash test/services/mongodb.sh stop   stop it
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
port=27017
url="mongodb://127.0.0.1:${port}/agora"
pidfile="$cache/ferretdb.pid"
logfile="$cache/ferretdb.log"
log() { echo "mongodb.sh: $*" >&2; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
mkdir -p "$cache/bin"

if [ "${1:-}" = "stop" ]; then
  # Wait for the process to exit (and free its port) so a start right after cannot find
  # a dying server still answering; after 30 s it is killed outright.
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "stopped"
  exit 0
fi

if answers; then
  log "already serving on 127.0.0.1:$port"
  echo "MONGODB_URL=$url"
  exit 0
fi

# Rebuild only when the launcher's sources change; Go's module and build caches make a
# rebuild fast on a machine that keeps them, and it works from scratch without them.
key=$(cat "$here/ferretdb/go.mod" "$here/ferretdb/go.sum" "$here/ferretdb/main.go" | sha256sum | cut -c1-16)
binary="$cache/bin/ferretdb-$key"
if [ ! -x "$binary" ]; then
  command -v go >/dev/null || { log "Go is required to build FerretDB"; exit 1; }
  log "building FerretDB v1.24.2 (first run takes a few minutes)"
  (cd "$here/ferretdb" && GOFLAGS=-mod=mod go build -trimpath -o "$binary.tmp" .) >&2
  mv "$binary.tmp" "$binary"
fi

# A fresh data directory per start: runs never see an earlier run's data.
data="$cache/ferretdb-data"
rm -rf "$data"
mkdir -p "$data"
log "starting FerretDB on 127.0.0.1:$port"
setsid nohup "$binary" -listen-addr "127.0.0.1:$port" -data-dir "$data" >"$logfile" 2>&1 </dev/null &
echo $! >"$pidfile"

for _ in $(seq 1 120); do
  if answers; then
    log "ready"
    echo "MONGODB_URL=$url"
    exit 0
  fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
  sleep 0.5
done
log "FerretDB did not start; log tail:"
tail -n 30 "$logfile" >&2 || true
exit 1
