#!/usr/bin/env bash
# Make sure a Docker engine is usable, starting (and if needed installing) one.
#
# Usage:  eval "$(scripts/ensure-docker.sh)"
# Progress goes to stderr; stdout carries only `export NAME=value` lines for the caller
# (DOCKER_API_VERSION when the engine is older than the clients expect).
#
# Why: CI machines here have no engine running by default; Debian's docker.io (20.10) starts
# fine as root. Its API tops out at 1.41, while the docker CLI on PATH (28.x, API 1.50) and
# Testcontainers (asks for 1.44) are newer, so DOCKER_API_VERSION must be pinned down.
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/koopid-dockerd.log}"
DOCKER_WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
export DEBIAN_FRONTEND=noninteractive

log() { printf 'ensure-docker: %s\n' "$*" >&2; }

engine_ok() { docker info >/dev/null 2>&1; }

# A DOCKER_API_VERSION inherited from elsewhere could be too new for this engine; probe without it.
unset DOCKER_API_VERSION

if ! command -v docker >/dev/null 2>&1 || ! engine_ok; then
  if [ "$(id -u)" -ne 0 ]; then
    log "no usable Docker engine and not root: start Docker yourself (or run as root)"
    exit 1
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    log "installing docker.io from apt"
    # Lock timeout: another apt run (e.g. a provisioning job) may still hold the lock.
    apt-get -o DPkg::Lock::Timeout=600 update -q >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends docker.io >&2
  fi
  # Only start an engine if none is running (it may just be slow to come up).
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: $DOCKERD_LOG)"
    # setsid+nohup: the engine must outlive this script and the CI step that called it.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  start=$SECONDS
  until engine_ok; do
    if (( SECONDS - start >= DOCKER_WAIT_SECONDS )); then
      log "dockerd not ready after ${DOCKER_WAIT_SECONDS}s; last log lines:"
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  log "engine ready after $(( SECONDS - start ))s"
fi

# Compare the engine's API with what Testcontainers 4.x asks for (1.44); pin the older one.
server_api="$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || true)"
needed_api="1.44"
if [ -n "$server_api" ] && [ "$(printf '%s\n%s\n' "$server_api" "$needed_api" | sort -V | head -n1)" != "$needed_api" ]; then
  log "engine API $server_api is older than $needed_api: DOCKER_API_VERSION=$server_api"
  export DOCKER_API_VERSION="$server_api"
  echo "export DOCKER_API_VERSION=$server_api"
fi
