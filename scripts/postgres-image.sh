#!/usr/bin/env bash
# Build a local PostgreSQL 15 image for Testcontainers when no registry is reachable.
#
# Usage:  scripts/postgres-image.sh [--force] [IMAGE]
#   IMAGE defaults to $KOOPID_TEST_POSTGRES_IMAGE, else koopid-local/postgres:15.
#   Prints the image name on stdout; progress goes to stderr.
#
# Why this way: Docker Hub is unreachable on the build machines, but the Debian apt mirror is.
# debootstrap builds a bookworm rootfs with postgresql-15 from that mirror, and `docker import`
# turns it into an image (no base image needed). The entrypoint mimics the official image closely
# enough for Testcontainers' PostgreSqlBuilder (POSTGRES_USER/PASSWORD/DB, pg_isready on PATH).
# Needs root (debootstrap) and a running engine (scripts/ensure-docker.sh).
set -euo pipefail

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
IMAGE="${1:-${KOOPID_TEST_POSTGRES_IMAGE:-koopid-local/postgres:15}}"
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${KOOPID_CACHE_DIR:-$ROOT_DIR/.cache}"      # git-ignored
ROOTFS="$CACHE_DIR/postgres-rootfs/bookworm-pg15"
PGBIN=/usr/lib/postgresql/15/bin
export DEBIAN_FRONTEND=noninteractive

log() { printf 'postgres-image: %s\n' "$*" >&2; }

# Cached: an image with this name already exists -> nothing to do.
if [ "$force" -eq 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE already present"
  echo "$IMAGE"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  log "building $IMAGE needs root (debootstrap); run as root or set KOOPID_TEST_POSTGRES_IMAGE"
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -q debootstrap >&2
fi

# Use the same Debian mirror apt uses: it is the only one reachable on these machines.
find_mirror() {
  local f uri
  # deb822 sources: take the URIs of the stanza whose Suites list "bookworm".
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri="$(awk 'BEGIN{RS=""} /(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ && /(^|\n)Types:[^\n]*deb([ \t]|\n|$)/ {
                  if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) { s=substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[ \t]*/, "", s); print s; exit } }' "$f")"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  # one-line sources: "deb [opts] URI bookworm ..."
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(sed -E 's/\[[^]]*\]//' "$f" | awk '$1=="deb" && $3=="bookworm" {print $2; exit}')"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  echo "http://deb.debian.org/debian"
}
MIRROR="${KOOPID_DEBIAN_MIRROR:-$(find_mirror)}"

# Rootfs cache: debootstrap is the slow part (~45 s); the marker says it finished.
if [ "$force" -eq 1 ] || [ ! -f "$ROOTFS/.koopid-complete" ]; then
  log "debootstrap bookworm + postgresql-15 from $MIRROR into $ROOTFS"
  rm -rf "$ROOTFS.tmp" "$ROOTFS"
  mkdir -p "$(dirname "$ROOTFS")"
  debootstrap --variant=minbase --include=postgresql-15 bookworm "$ROOTFS.tmp" "$MIRROR" >&2
  # Drop what the image does not need: the package-default cluster, apt caches, docs.
  rm -rf "$ROOTFS.tmp"/var/lib/postgresql/15 "$ROOTFS.tmp"/etc/postgresql/15 \
         "$ROOTFS.tmp"/var/cache/apt/archives/*.deb "$ROOTFS.tmp"/var/lib/apt/lists/* \
         "$ROOTFS.tmp"/usr/share/doc/* "$ROOTFS.tmp"/usr/share/man/*
  mv "$ROOTFS.tmp" "$ROOTFS"
  touch "$ROOTFS/.koopid-complete"
else
  log "reusing cached rootfs $ROOTFS"
fi

# Entrypoint modelled on the official image's docker-entrypoint.sh (simplified).
cat > "$ROOTFS/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/bash
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"

# `docker run IMAGE -c fsync=off` -> run postgres with those options.
if [ "${1:-}" = "" ] || [ "${1:0:1}" = "-" ]; then set -- postgres "$@"; fi
# Anything else (bash, psql, ...) just runs.
if [ "$1" != "postgres" ]; then exec "$@"; fi

# As root: prepare folders, then re-run this script as postgres (the server refuses root).
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    echo "Error: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
         --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
         ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$pwfile"
  printf 'host all all 0.0.0.0/0 %s\nhost all all ::/0 %s\n' \
    "$POSTGRES_HOST_AUTH_METHOD" "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"

  # Socket-only temporary server (TCP stays closed, so pg_isready on localhost is not
  # fooled) to create POSTGRES_DB and run init scripts, like the official image.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc -q -U "$POSTGRES_USER" -d postgres)
  if [ "$POSTGRES_DB" != postgres ]; then
    # via stdin: psql does not interpolate :"db" in -c commands
    "${psql[@]}" -v db="$POSTGRES_DB" <<< 'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)  . "$f" ;;
      *.sql) "${psql[@]}" -d "$POSTGRES_DB" -f "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "PostgreSQL init process complete; ready for start up."
fi

shift
# Later -c options win, so callers can still override listen_addresses.
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
ENTRYPOINT
chmod 755 "$ROOTFS/usr/local/bin/docker-entrypoint.sh"
mkdir -p "$ROOTFS/docker-entrypoint-initdb.d"

log "importing rootfs as $IMAGE"
# Real binaries first on PATH: pg_isready, initdb, pg_ctl, postgres (Testcontainers needs pg_isready).
tar --numeric-owner -C "$ROOTFS" --exclude='./proc/*' --exclude='./sys/*' --exclude=./.koopid-complete -c . |
  docker import \
    -c "ENV PATH=$PGBIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    -c 'ENV PGDATA=/var/lib/postgresql/data' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    -c 'CMD ["postgres"]' \
    -c 'EXPOSE 5432' \
    - "$IMAGE" >&2
log "built $IMAGE"
echo "$IMAGE"
