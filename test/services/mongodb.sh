#!/usr/bin/env bash
# Serves the MongoDB wire protocol on 127.0.0.1:27017 for the tests on machines without
# Docker: FerretDB v1.24.2 (from the Go module proxy) embedded in ferretdb/main.go, PostgreSQL
# backend on the server test/services/postgres.sh starts (run from here; it is idempotent),
# in the database `ferretdb` (one schema per MongoDB database). Idempotent: reuses a running
# server and a built binary. Each fresh start drops and recreates `ferretdb`, so a run never
# sees an earlier run's data. Prints MONGODB_URL last.
#   bash test/services/mongodb.sh        start (or reuse) and print MONGODB_URL=...
#   bash test/services/mongodb.sh stop   stop it (PostgreSQL keeps running)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
port=27017
url="mongodb://127.0.0.1:${port}/agora"
pgport=5432
pgdb=ferretdb
# FerretDB keeps one pgx pool per MongoDB user (one here: the tests connect without one); its
# default is 50 connections. 20 covers the suites' concurrency and leaves PostgreSQL's
# max_connections (300, postgres.sh) to the PostgreSQL store's own test databases.
pgurl="postgres://agora:agora@127.0.0.1:${pgport}/${pgdb}?pool_max_conns=60"
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

# One start at a time (a second one waits, then reuses the first one's server). The lock is on
# fd 8; FerretDB is started with it closed so the server never holds it.
exec 8>"$cache/ferretdb.lock"
flock 8

# PostgreSQL first, also when FerretDB already answers (it is useless without its backend).
# postgres.sh prints DATABASE_URL on stdout: kept off ours, whose last line is MONGODB_URL.
bash "$here/postgres.sh" >&2 8>&- # (without our lock: its PostgreSQL server must not hold it)

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

# A fresh database per start: runs never see an earlier run's data. As the postgres superuser
# (peer authentication), so FORCE may end any session, autovacuum's included. FerretDB accepts
# only UTF8 databases with a C/POSIX/en_US.UTF8 collation, whatever the cluster's default.
log "recreating PostgreSQL database $pgdb"
runuser -u postgres -- psql -q -p "$pgport" -d postgres -v ON_ERROR_STOP=1 >&2 <<SQL
DROP DATABASE IF EXISTS $pgdb WITH (FORCE);
CREATE DATABASE $pgdb OWNER agora ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
SQL
rm -rf "$cache/ferretdb-data" # the SQLite backend's files from before the switch
log "starting FerretDB on 127.0.0.1:$port"
setsid nohup "$binary" -listen-addr "127.0.0.1:$port" -postgresql-url "$pgurl" >"$logfile" 2>&1 </dev/null 8>&- &
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
