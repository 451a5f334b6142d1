#!/usr/bin/env bash
# The API fuzzing gate: schemathesis against the running server's own OpenAPI document, on one
# or more stores, each with a fresh server, a fresh database where the store allows it and a
# bounded time. Fails on any check schemathesis reports: a 5xx, a response that breaks its
# schema, status code or content type, a schema-valid request refused as malformed, and so on.
#
#   npm run fuzz                               # the store in STORAGE (default sqlite)
#   bash test/fuzz/run.sh sqlite postgres      # these stores, one after another
#   bash test/fuzz/run.sh --all                # every store of the build (.ci/run)
#
# A store other than sqlite needs its URL (DATABASE_URL, MONGODB_URL, NEO4J_URL; the scripts in
# test/services print them). Knobs, all optional:
#   FUZZ_MAX_TIME      seconds of fuzzing per store (default 75); the run ends when they are spent
#   FUZZ_MAX_EXAMPLES  test cases per operation and cycle (default 25)
#   FUZZ_WORKERS       concurrent schemathesis workers (default 1: with 2 on CPython 3.11, the
#                      coverage phase sometimes dies of "SystemError: AST constructor recursion
#                      depth mismatch", a thread-safety fault of that Python, not of the API)
#   FUZZ_SEED          a seed to replay an earlier run (each run prints its seed)
#   FUZZ_REPORT_DIR    where reports and server logs go (default: a new directory under /tmp)
#   FUZZ_SUMMARY       a file to append each store's one-line verdict to (.ci/run reads it)
# The last line is "fuzz: the gate passed on N of M stores"; the exit code is 0 only if it passed on all.
set -uo pipefail
cd "$(dirname "$0")/../.."
here=test/fuzz
config="$PWD/$here/schemathesis.toml"
hooks="$PWD/$here/hooks.py"

max_time="${FUZZ_MAX_TIME:-75}"
max_examples="${FUZZ_MAX_EXAMPLES:-25}"
workers="${FUZZ_WORKERS:-1}"
reports="${FUZZ_REPORT_DIR:-$(mktemp -d /tmp/agora-fuzz.XXXXXX)}"
log() { echo "fuzz: $*" >&2; }

tsx=node_modules/.bin/tsx
[ -x "$tsx" ] || { log "node_modules/.bin/tsx is missing: run npm install first"; exit 1; }
# The stores and modules of this build, from the store descriptors (test/support/stores-cli.ts).
stores_cli() { "$tsx" test/support/stores-cli.ts "$@"; }
mapfile -t known < <(stores_cli kinds)
mapfile -t modules < <(stores_cli modules)
[ ${#known[@]} -gt 0 ] && [ ${#modules[@]} -gt 0 ] || { log "could not read the store descriptors"; exit 1; }

stores=("$@")
[ "${1:-}" != --all ] || stores=("${known[@]}")
[ ${#stores[@]} -gt 0 ] || stores=("${STORAGE:-${known[0]}}")
for store in "${stores[@]}"; do
  case " ${known[*]} " in
    *" $store "*) ;;
    *) log "unknown store '$store': expected one of ${known[*]}"; exit 2 ;;
  esac
done

venv=$(bash "$here/install.sh") || { log "could not install schemathesis"; exit 1; }
mkdir -p "$reports"

random_alnum() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }
free_port() { "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json_field() { "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# A fresh database per run on the store's server (its descriptor's recipe), dropped after it. A
# single-database server (Neo4j Community) is shared: the users a run creates have random names,
# so earlier data only gives the fuzzer more to read.
server_pid=""
cleanup_store=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$server_pid" 2>/dev/null
  fi
  wait "$server_pid" 2>/dev/null
  server_pid=""
  if [ -n "$cleanup_store" ]; then eval "$cleanup_store" >/dev/null 2>&1 || true; fi
  cleanup_store=""
}
trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

passed=0
failed=0
verdicts=()
# fuzz_store STORE: one server, one schemathesis run; returns schemathesis's exit code.
fuzz_store() {
  local store=$1 dir="$reports/$1" tag env=() url port token username password started
  rm -rf "$dir"
  mkdir -p "$dir"
  tag="agora_fuzz_$(date +%s)_$(random_alnum 6 | tr 'A-Z' 'a-z')"
  # The modules the store provides live in it; any other (a store of one module: Redis holds
  # the timelines) in the default in-memory SQLite.
  local provided=() module
  mapfile -t provided < <(stores_cli modules "$store")
  env=()
  for module in "${provided[@]}"; do env+=("STORAGE_${module^^}=$store"); done
  local db_env
  db_env=$(stores_cli create "$store" "$tag") || { log "$store: could not create database $tag"; return 1; }
  cleanup_store="stores_cli drop $store $tag"
  [ -z "$db_env" ] || mapfile -t -O "${#env[@]}" env <<<"$db_env"

  port=$(free_port)
  local base="http://127.0.0.1:$port"
  # Whatever placement the caller's environment had is cleared first.
  local unset=(-u STORAGE)
  for module in "${modules[@]}"; do unset+=(-u "STORAGE_${module^^}"); done
  env "${unset[@]}" \
    "${env[@]}" PORT="$port" HOST=127.0.0.1 AUTO_MIGRATE=true \
    AUTH_SECRET="$(random_alnum 48)" PASSWORD_HASH_LOG2_COST=10 AUTH_RATE_LIMIT_PER_MINUTE=0 \
    LOGIN_FAILURE_LIMIT=0 RATE_LIMIT_PER_MINUTE=0 LOG_LEVEL=warn \
    "$tsx" cmd/server.ts >"$dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 240); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.25
  done
  if ! curl -fsS "$base/healthz" >/dev/null 2>&1; then
    log "$store: the server did not answer /healthz; its log:"
    tail -n 30 "$dir/server.log" >&2
    return 1
  fi

  username="fz$(random_alnum 10)"
  password="$(random_alnum 24)"
  if ! curl -fsS -X POST "$base/api/users" -H 'content-type: application/json' \
    -d "{\"username\":\"$username\",\"password\":\"$password\"}" >/dev/null; then
    log "$store: sign-up of the fuzzing user failed"; return 1
  fi
  token=$(curl -fsS -X POST "$base/api/sessions" -H 'content-type: application/json' \
    -d "{\"username\":\"$username\",\"password\":\"$password\"}" | json_field token) || token=""
  if [ -z "$token" ] || ! curl -fsS "$base/api/me" -H "authorization: Bearer $token" >/dev/null; then
    log "$store: log-in of the fuzzing user failed"; return 1
  fi

  log "$store: fuzzing $base for ${max_time}s (server log: $dir/server.log)"
  started=$SECONDS
  local seed=() code=0
  [ -z "${FUZZ_SEED:-}" ] || seed=(--seed "$FUZZ_SEED")
  # schemathesis keeps state (.hypothesis, .schemathesis) in its working directory: run it in $dir.
  # The outer timeout only guards against a hang: --max-time bounds the run itself.
  (
    cd "$dir" &&
      SCHEMATHESIS_HOOKS="$hooks" FUZZ_USERNAME="$username" FUZZ_PASSWORD="$password" timeout -k 10 $((max_time + 180)) \
        "$venv/bin/st" --config-file "$config" run "$base/api/openapi.json" \
        --checks all \
        --phases examples,coverage,fuzzing,stateful \
        --max-time "$max_time" \
        --max-examples "$max_examples" \
        --workers "$workers" \
        --request-timeout 15 \
        --generation-database none \
        --report junit,json,ndjson --report-dir "$dir" \
        --report-junit-path "$dir/junit.xml" --report-json-path "$dir/report.json" \
        --report-ndjson-path "$dir/events.ndjson" \
        --no-color "${seed[@]}" >"$dir/schemathesis.txt" 2>&1
  ) || code=$?
  local seconds=$((SECONDS - started))
  local died=no
  if ! kill -0 "$server_pid" 2>/dev/null; then
    died=yes
    [ "$code" -ne 0 ] || code=1
  fi
  # What the server itself counted, as a check on the number read from schemathesis's events.
  local served
  served=$(curl -fsS "$base/metrics" 2>/dev/null | awk '/^agora_http_requests_total/ { n += $NF } END { print n + 0 }')
  # Failures in full, as schemathesis words them, then one line per distinct failure.
  sed -n '/^=* FAILURES =*$/,$p' "$dir/schemathesis.txt" | grep -v '^    curl' | head -n 400 >&2
  if [ "$code" -ne 0 ] && ! grep -q '^=* FAILURES' "$dir/schemathesis.txt"; then tail -n 40 "$dir/schemathesis.txt" >&2; fi
  if [ -s "$dir/events.ndjson" ]; then
    "$venv/bin/python" "$here/summarize.py" "$store" "$dir/events.ndjson" "$base" "$seconds" "$code" >"$dir/summary.txt"
  else
    echo "fuzz: $store: FAILED (schemathesis exit $code): no report in ${seconds}s" >"$dir/summary.txt"
  fi
  echo "  the server counted $served requests in all (agora_http_requests_total, sign-up and probes included)" >>"$dir/summary.txt"
  if [ "$died" = yes ]; then
    echo "fuzz: $store: the server died during the run; the end of its log:" >>"$dir/summary.txt"
    tail -n 20 "$dir/server.log" | cut -c1-300 | sed 's/^/  /' >>"$dir/summary.txt"
  fi
  # Answers of 500 come with the server's own log line: show what it said.
  if grep -q '"level":50' "$dir/server.log"; then
    echo "fuzz: $store: server errors logged (first 5, from $dir/server.log):" >>"$dir/summary.txt"
    grep '"level":50' "$dir/server.log" | head -n 5 | cut -c1-600 | sed 's/^/  /' >>"$dir/summary.txt"
  fi
  cat "$dir/summary.txt"
  stop_server
  return "$code"
}

for store in "${stores[@]}"; do
  if fuzz_store "$store"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  stop_server
  line=$(head -n 1 "$reports/$store/summary.txt" 2>/dev/null || echo "fuzz: $store: FAILED before fuzzing")
  verdicts+=("$line")
  [ -z "${FUZZ_SUMMARY:-}" ] || echo "$line" >>"$FUZZ_SUMMARY"
done

echo
for line in "${verdicts[@]}"; do echo "$line"; done
echo "fuzz: reports in $reports"
echo "fuzz: the gate passed on $passed of ${#stores[@]} stores"
[ "$failed" -eq 0 ]
