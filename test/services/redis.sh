#!/usr/bin/env bash
# Starts a real Redis on 127.0.0.1:6379 for the tests on machines without Docker: Debian's
# redis-server package, installed when absent, run with a configuration of its own (loopback
# only, append-only file fsynced every second, as docker-compose.yml runs it). Idempotent:
# reuses a server it started. Each fresh start wipes its data directory, so a run never sees
# an earlier run's keys. Prints REDIS_URL last on stdout; everything else goes to stderr.
#   bash test/services/redis.sh        start (or reuse) and print REDIS_URL=...
#   bash test/services/redis.sh stop   stop it
set -euo pipefail

port=6379
url="redis://127.0.0.1:${port}"
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
data="$cache/redis-data"
conf="$cache/redis.conf"
pidfile="$cache/redis.pid"
logfile="$cache/redis.log"
log() { echo "redis.sh: $*" >&2; }
answers() { redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -qx PONG; }
mkdir -p "$cache"

if [ "${1:-}" = "stop" ]; then
  # SHUTDOWN flushes the append-only file; wait for the process to exit (and free the port) so
  # a start right after cannot find a dying server still answering.
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "stopped"
  exit 0
fi

# One start at a time (a second one waits, then reuses the first one's server). The lock is on
# fd 8; commands that may leave a daemon behind (apt's postinst, redis-server) run with it closed.
exec 8>"$cache/redis.lock"
flock 8

# .ci/run starts every test/services/*.sh at once, and other scripts run apt too: apt-get waits
# for dpkg's lock (DPkg::Lock::Timeout) but not for the package lists', hence the retries.
apt_get() {
  local out
  for attempt in $(seq 1 120); do
    if out=$(DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600 "$@" 2>&1 8>&-); then
      return 0
    fi
    echo "$out" >&2
    grep -qE 'Could not get lock|Unable to lock' <<<"$out" && [ "$attempt" -lt 120 ] || return 1
    sleep 5
  done
}

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  log "installing redis-server from Debian's packages"
  # A fresh machine has no package lists yet: an install that fails is retried after an update.
  apt_get install -y redis-server || { apt_get update && apt_get install -y redis-server; }
  # The package's own service (its configuration, no append-only file) is not the one we want.
  if [ -x /etc/init.d/redis-server ]; then /etc/init.d/redis-server stop >&2 8>&- || true; fi
fi

if answers; then
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "already serving on 127.0.0.1:$port"
  else
    log "a Redis this script did not start answers on 127.0.0.1:$port: using it as it is"
  fi
  echo "REDIS_URL=$url"
  exit 0
fi

rm -rf "$data"
mkdir -p "$data"
# Bound to loopback, so protected mode (which refuses other hosts only) never gets in the way.
cat >"$conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
daemonize yes
pidfile $pidfile
logfile $logfile
dir $data
appendonly yes
appendfsync everysec
save ""
CONF
log "starting redis-server $(redis-server --version | grep -o 'v=[^ ]*') on 127.0.0.1:$port (data in $data)"
redis-server "$conf" >&2 8>&-

for _ in $(seq 1 60); do
  if answers; then
    log "ready"
    echo "REDIS_URL=$url"
    exit 0
  fi
  sleep 0.5
done
log "Redis did not start; log tail:"
tail -n 30 "$logfile" >&2 || true
exit 1
