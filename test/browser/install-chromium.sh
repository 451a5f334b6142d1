#!/usr/bin/env bash
# Installs Debian's chromium for test/browser/ (playwright-core drives it; no browser download),
# unless $CHROMIUM_PATH or /usr/bin/chromium is already there. Idempotent and quiet; the last line
# printed is the browser's path (.ci/run exports it as CHROMIUM_PATH). Needs root, or sudo.
set -euo pipefail

fail() {
  echo "install-chromium: $*" >&2
  exit 1
}

for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done

command -v apt-get >/dev/null || fail "no apt-get here: install Chromium yourself and set CHROMIUM_PATH"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not root and no passwordless sudo: run 'apt-get install chromium' as root, or set CHROMIUM_PATH"
fi

log=$(mktemp)
# apt checks signatures as its unprivileged _apt user, in $TMPDIR: where /tmp is not writable by
# all (mode 755 on some machines: "Couldn't create temporary file /tmp/apt.conf.* for passing
# config to apt-key", then "is not signed"), give it a directory of its own.
apt_tmp=$(mktemp -d)
chmod 1777 "$apt_tmp"
trap 'rm -rf "$log" "$apt_tmp"' EXIT
# Another apt (test/services/postgres.sh installs PostgreSQL the same way, at the same time in
# .ci/run) holds the package locks for a while: wait for it rather than fail. apt-get waits on
# dpkg's lock by itself (DPkg::Lock::Timeout) but not on the package lists', hence the loop.
apt_get() {
  local attempt out
  for attempt in $(seq 1 120); do
    if out=$("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive TMPDIR="$apt_tmp" apt-get -qq -o=Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=600 "$@" 2>&1); then
      echo "$out" >>"$log"
      return 0
    fi
    echo "$out" >>"$log"
    grep -qE 'Could not get lock|Unable to lock' <<<"$out" && [ "$attempt" -lt 120 ] || return 1
    sleep 5
  done
}
# Recommends would add ~90 packages (avahi, CUPS tools, perl) that a headless browser never uses.
# A fresh machine has no package lists yet, so an install that fails is retried after an update.
if ! apt_get install -y --no-install-recommends chromium; then
  apt_get update && apt_get install -y --no-install-recommends chromium \
    || fail "apt-get install chromium failed: $(grep -E '^(E|W):' "$log" | tail -n 1)"
fi
[ -x /usr/bin/chromium ] || fail "chromium installed but /usr/bin/chromium is missing"
echo /usr/bin/chromium
