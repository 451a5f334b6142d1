#!/usr/bin/env bash
# Starts a real PostgreSQL on 127.0.0.1:5432 for the tests on machines without Docker:
# Debian's packages, installed when absent. Idempotent; prints DATABASE_URL last on stdout.
#   bash test/services/postgres.sh        start (or reuse) and print DATABASE_URL=...
#   bash test/services/postgres.sh stop   stop it
set -euo pipefail

PORT=5432
URL="postgres://agora:agora@127.0.0.1:${PORT}/agora"
log() { echo "postgres.sh: $*" >&2; }

# One run at a time: .ci/run starts every test/services/*.sh at once and mongodb.sh (FerretDB's
# PostgreSQL backend) runs this script too, so two runs could race on apt, the cluster or the
# role. The lock is held on fd 9 until this script exits; commands that may leave a daemon
# behind (apt's postinst, pg_ctlcluster) run with fd 9 closed, so the server never holds it.
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
mkdir -p "$cache"
exec 9>"$cache/postgres.lock"
flock 9

as_postgres() { runuser -u postgres -- "$@"; }

major_version() {
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1
}

if [ "${1:-}" = "stop" ]; then
  v=$(major_version)
  [ -n "$v" ] && pg_ctlcluster "$v" main stop 2>/dev/null || true
  log "stopped"
  exit 0
fi

# Already answering: only make sure the role and database exist (cheap and idempotent).
if ! pg_isready -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  if [ -z "$(major_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >&2 9>&-
  fi
  v=$(major_version)
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}' | grep -qx "$v/main"; then
    log "creating cluster $v/main"
    pg_createcluster "$v" main -p "$PORT" >&2 9>&-
  fi
  # Loopback only; room for the test suites' parallel pools.
  conf="/etc/postgresql/$v/main/conf.d/agora.conf"
  printf "listen_addresses = '127.0.0.1'\nport = %s\nmax_connections = 300\n" "$PORT" >"$conf"
  log "starting cluster $v/main"
  pg_ctlcluster "$v" main start >&2 9>&- || true
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 0.5
  done
  if ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    log "PostgreSQL did not become ready; log tail:"
    tail -n 30 "/var/log/postgresql/postgresql-$v-main.log" >&2 || true
    exit 1
  fi
fi

# Over the local socket as the postgres superuser (peer authentication).
as_postgres psql -q -p "$PORT" -d postgres -v ON_ERROR_STOP=1 >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'agora') THEN
    CREATE ROLE agora LOGIN CREATEDB PASSWORD 'agora';
  END IF;
END $$;
SELECT 'CREATE DATABASE agora OWNER agora' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'agora')\gexec
SQL

log "ready on 127.0.0.1:$PORT"
echo "DATABASE_URL=$URL"
