#!/usr/bin/env bash
# Runs a real Neo4j 5.26 Community for the tests on machines without Docker: embedded in
# neo4j/ (jars from Maven Central), Bolt on 127.0.0.1:7687, auth off. Idempotent: reuses a
# running server and the resolved jars. Prints NEO4J_URL last on stdout.
#   bash test/services/neo4j.sh        start (or reuse) and print NEO4J_URL=...
#   bash test/services/neo4j.sh stop   stop it
# NEO4J_PAGECACHE_MB (default 256, enough for the tests) and NEO4J_HEAP (default 1g) size a
# server this starts (one already running is reused as it is): a benchmark at 1M posts wants
# the store's size, e.g. NEO4J_PAGECACHE_MB=4096 NEO4J_HEAP=2g.
set -euo pipefail

here="$(cd "$(dirname "$0")/neo4j" && pwd)"
cache="${AGORA_CACHE:-$HOME/.cache/agora}/neo4j-launcher"
port=7687
pidfile="$cache/neo4j.pid"
logfile="$cache/neo4j.log"
log() { echo "neo4j.sh: $*" >&2; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
mkdir -p "$cache"

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

pagecache_mb="${NEO4J_PAGECACHE_MB:-256}"
heap="${NEO4J_HEAP:-1g}"
[[ "$pagecache_mb" =~ ^[1-9][0-9]{0,6}$ ]] || { log "NEO4J_PAGECACHE_MB must be a whole number of MiB, got '$pagecache_mb'"; exit 1; }
[[ "$heap" =~ ^[1-9][0-9]{0,5}[mg]$ ]] || { log "NEO4J_HEAP must be like 1g or 512m, got '$heap'"; exit 1; }

if answers; then
  log "already serving Bolt on 127.0.0.1:$port"
  echo "NEO4J_URL=bolt://127.0.0.1:$port"
  exit 0
fi

# Resolve and compile only when the launcher changes (Maven's ~/.m2 makes a re-resolve fast).
key=$(cat "$here/pom.xml" "$here/src/main/java/agora/Neo4jLauncher.java" | sha256sum | cut -c1-16)
build="$cache/build-$key"
if [ ! -f "$build/classpath.txt" ]; then
  command -v mvn >/dev/null || { log "Maven and a JDK 17+ are required"; exit 1; }
  log "resolving Neo4j from Maven Central (first run takes a few minutes)"
  rm -rf "$build.tmp" && mkdir -p "$build.tmp/classes"
  mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$build.tmp/classpath.txt" >&2
  javac -d "$build.tmp/classes" -cp "$(cat "$build.tmp/classpath.txt")" "$here/src/main/java/agora/Neo4jLauncher.java" >&2
  rm -rf "$build" && mv "$build.tmp" "$build"
fi

# A fresh store per start: Neo4j Community has one database, so runs stay apart this way.
data="$cache/data"
rm -rf "$data"
log "starting Neo4j on 127.0.0.1:$port (page cache ${pagecache_mb} MiB, heap $heap)"
setsid nohup java -Xms256m "-Xmx$heap" -XX:+UseG1GC \
  -cp "$build/classes:$(cat "$build/classpath.txt")" agora.Neo4jLauncher "$data" "$port" "$pagecache_mb" \
  >"$logfile" 2>&1 </dev/null &
echo $! >"$pidfile"

for _ in $(seq 1 240); do
  if grep -q '^ready:' "$logfile" 2>/dev/null && answers; then
    log "ready"
    echo "NEO4J_URL=bolt://127.0.0.1:$port"
    exit 0
  fi
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
  sleep 0.5
done
log "Neo4j did not start; log tail:"
tail -n 40 "$logfile" >&2 || true
exit 1
