#!/usr/bin/env bash
# Validates docker-compose.yml with Docker Compose v2 itself (`docker compose config -q`: the
# compose-spec schema, interpolation, anchors, depends_on), with no Docker engine needed.
# Uses `docker compose` or a v2 `docker-compose` when one is installed; otherwise builds Compose
# from its Go module (github.com/docker/compose/v2, through the Go module proxy; Go 1.24+ needed)
# into ${AGORA_CACHE:-$HOME/.cache/agora} once (a few minutes on two cores) and reuses it.
#   bash test/deploy/compose-config.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "compose-config: $*" >&2; }

compose_version=v2.40.3
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
bin="$cache/docker-compose-$compose_version"

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null && docker-compose version 2>/dev/null | grep -q 'version v2'; then
  compose=(docker-compose)
else
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || { log "no docker compose and no Go toolchain to build one"; exit 1; }
    log "building Docker Compose $compose_version from its Go module into $bin"
    # `go install module@version` refuses a go.mod with exclude directives (compose has some), so
    # build inside the downloaded module, where its go.mod is the main module's.
    dir=$(go mod download -json "github.com/docker/compose/v2@$compose_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "$dir" ] || { log "go mod download gave no module directory"; exit 1; }
    mkdir -p "$cache"
    (cd "$dir" && go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$compose_version" -o "$bin.tmp" ./cmd)
    mv "$bin.tmp" "$bin"
  fi
  compose=("$bin")
fi

log "$("${compose[@]}" version)"
# AUTH_SECRET is required by the file (${AUTH_SECRET:?...}); any value does for validation.
AUTH_SECRET=compose-config-validation-only "${compose[@]}" -f docker-compose.yml config -q
log "docker-compose.yml is valid"
