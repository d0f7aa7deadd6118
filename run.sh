#!/usr/bin/env bash
# The one run command.
#   ./run.sh          start (or reuse) a local PostgreSQL, build, migrate, seed once, print URLs
#                     and tokens, then serve in the foreground
#   ./run.sh db       only start the local PostgreSQL and print its connection string
#   ./run.sh stop     stop the local PostgreSQL cluster
#
# Env: ConnectionStrings__Koopid (use this database instead of the local cluster),
#      KOOPID_PG_PORT (default 55432), KOOPID_URLS (default http://127.0.0.1:5080).
# State lives in .data/ (git-ignored): pg/ cluster, pg-run/ socket, pg.log, pg-password,
# signing-key, seeded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"

DATA="$ROOT/.data"
PGDATA_DIR="$DATA/pg"
PGSOCK="$DATA/pg-run"
PGLOG="$DATA/pg.log"
PGPORT="${KOOPID_PG_PORT:-55432}"
URLS="${KOOPID_URLS:-http://127.0.0.1:5080}"
APP_DLL="bin/Release/net10.0/KoopidDashboard.dll"
DB_NAME=koopid DB_USER=koopid

# As root the server runs as user postgres, which cannot enter a clone in a private folder (/root/…,
# mktemp -d): then the cluster lives under /var/lib/koopid-dashboard/<hash of this path> instead.
if [ "$(id -u)" -eq 0 ] && ! runuser -u nobody -- test -x "$ROOT" 2>/dev/null; then
  PGHOME="/var/lib/koopid-dashboard/$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
  mkdir -p "$PGHOME" && chmod 755 /var/lib/koopid-dashboard "$PGHOME"
  PGDATA_DIR="$PGHOME/pg" PGSOCK="$PGHOME/pg-run" PGLOG="$PGHOME/pg.log"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive
# Development: the app maps Scalar/OpenAPI and dev defaults there; overridable.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-$ASPNETCORE_ENVIRONMENT}"

log() { printf 'run.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
rand_hex() { od -An -vtx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# Secrets generated once, readable only by the current user.
secret_file() { # $1 = path, $2 = bytes
  if [ ! -s "$1" ]; then (umask 077; rand_hex "$2" > "$1"); fi
  cat "$1"
}

# ---------- local PostgreSQL ----------

# The server refuses to run as root: as root, run server tools as user postgres.
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

find_pg_bin() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  return 1
}

pg_bin() {
  local d
  if d="$(find_pg_bin)"; then echo "$d"; return; fi
  is_root || die "PostgreSQL server binaries not found; install postgresql-15 or set ConnectionStrings__Koopid"
  log "installing postgresql-15 (server binaries only; the packaged cluster is not used)"
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql-15 >&2
  find_pg_bin || die "postgresql-15 installed but initdb/pg_ctl not found"
}

pg_running() { [ -s "$PGDATA_DIR/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

psql_admin() { # superuser over the Unix socket (local connections use trust)
  local psql="$BIN/psql"; [ -x "$psql" ] || psql=psql
  "$psql" -h "$PGSOCK" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -X -q "$@"
}

start_local_pg() {
  BIN="$(pg_bin)"
  mkdir -p "$DATA"
  chmod 711 "$DATA"   # postgres must traverse it; secrets inside stay 600
  if is_root; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  mkdir -p "$PGSOCK"
  if is_root; then chown postgres:postgres "$PGSOCK"; fi

  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    log "initialising a PostgreSQL cluster in $PGDATA_DIR"
    rm -rf "$PGDATA_DIR"; mkdir -p "$PGDATA_DIR"
    if is_root; then chown postgres:postgres "$PGDATA_DIR"; fi
    chmod 700 "$PGDATA_DIR"
    as_pg "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --no-locale >/dev/null
    rm -f "$DATA/seeded"   # a new cluster has no demo data yet
  fi

  if pg_running; then
    # Reuse: connect to the port it actually listens on (postmaster.pid line 4).
    PGPORT="$(sed -n 4p "$PGDATA_DIR/postmaster.pid")"
    log "PostgreSQL already running on port $PGPORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PGPORT (log: $PGLOG)"
    touch "$PGLOG"
    if is_root; then chown postgres:postgres "$PGLOG"; fi
    as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 \
      -o "-p $PGPORT -k $PGSOCK -c listen_addresses=127.0.0.1" start >/dev/null \
      || { tail -n 20 "$PGLOG" >&2; die "PostgreSQL did not start (port $PGPORT in use? set KOOPID_PG_PORT)"; }
  fi

  # Database and a password user for the app; idempotent, password kept in .data/pg-password.
  local pw; pw="$(secret_file "$DATA/pg-password" 16)"
  psql_admin -v u="$DB_USER" -v pw="$pw" -v db="$DB_NAME" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
ALTER ROLE :"u" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
  export ConnectionStrings__Koopid="Host=127.0.0.1;Port=$PGPORT;Database=$DB_NAME;Username=$DB_USER;Password=$pw"
}

stop_local_pg() {
  [ -s "$PGDATA_DIR/PG_VERSION" ] || { log "no local cluster in $PGDATA_DIR"; return 0; }
  BIN="$(find_pg_bin)" || die "PostgreSQL binaries not found"
  if pg_running; then
    as_pg "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
    log "PostgreSQL stopped"
  else
    log "PostgreSQL was not running"
  fi
}

# ---------- app ----------

app() { dotnet "$APP_DLL" "$@"; }

# Last JWT-looking line of a command's output (console logging may add other lines).
token_for() {
  local out tok
  out="$(app token "$@")" || die "token $* failed"
  tok="$(grep -E '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$' <<< "$out" | tail -n1 || true)"
  echo "${tok:-$out}"
}

case "${1:-}" in
  stop) stop_local_pg; exit 0 ;;
  db)
    start_local_pg
    echo "ConnectionStrings__Koopid=$ConnectionStrings__Koopid"
    echo "psql: psql -h $PGSOCK -p $PGPORT -U postgres $DB_NAME    (stop: ./run.sh stop)"
    exit 0 ;;
  "") ;;
  *) die "usage: ./run.sh [db|stop]" ;;
esac

# (a) Database
if [ -n "${ConnectionStrings__Koopid:-}" ]; then
  log "using ConnectionStrings__Koopid from the environment"
else
  start_local_pg
fi

# Development signing key, generated once (the app also has a dev default; this is explicit).
mkdir -p "$DATA"; chmod 711 "$DATA"
Auth__SigningKey="$(secret_file "$DATA/signing-key" 32)"   # 64 hex chars
export Auth__SigningKey

# (b) Build, migrate, seed demo data once per database
log "building (Release)"
if [ -f KoopidDashboard.csproj ]; then
  dotnet build KoopidDashboard.csproj -c Release -nologo -v q   # the app only; tests not needed
else
  dotnet build -c Release -nologo -v q
fi
log "migrating"
app migrate

# The marker records which database was seeded, so pointing at another database seeds it too.
db_id="$(sed -E 's/(^|;)[Pp]assword=[^;]*//' <<< "$ConnectionStrings__Koopid")"
if [ "$(cat "$DATA/seeded" 2>/dev/null || true)" != "$db_id" ]; then
  log "seeding demo data"
  app seed --demo
  printf '%s\n' "$db_id" > "$DATA/seeded"   # only after seed succeeded (set -e)
fi

# (c) What to paste
admin_token="$(token_for --role KoopidAdmin)"
provider_token="$(token_for --role ProviderAdmin --provider 1001)"
url="${URLS%%;*}"; url="${url/\/\/0.0.0.0/\/\/127.0.0.1}"; url="${url/\/\/\*/\/\/127.0.0.1}"; url="${url/\/\/+/\/\/127.0.0.1}"
url="${url%/}"
cat <<INFO

  API:     $url
  Scalar:  $url/scalar

  KoopidAdmin token:
    Authorization: Bearer $admin_token

  ProviderAdmin (provider 1001) token:
    Authorization: Bearer $provider_token

  Local database keeps running after the server exits; stop it with ./run.sh stop

INFO

# (d) Serve in the foreground
exec dotnet "$APP_DLL" --urls "$URLS"
