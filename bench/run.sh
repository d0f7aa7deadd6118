#!/usr/bin/env bash
# The bench harness: one command from nothing to the figures of BENCHMARKS.md.
#
#   bench/run.sh --messages 10000000                 # load up to 10 M messages, measure everything at 10 M
#   bench/run.sh --steps 1000000,5000000,10000000    # latency table at each size (grows the same database), rest at the last
#   bench/run.sh --messages 1000000 --n 50 --skip bdn,wrk
#
# Options: --messages N (default 1000000; a multiple of --layer-messages), --steps LIST (default: --messages),
#          --layer-messages N (default 1000000), --n N (requests per latency case, default 50),
#          --case-seconds S (time cap per latency case and path, default 30), --wrk-seconds S (default 20), --wrk-connections C (default 16),
#          --ingest-messages N (POST /Ingest/Events volume, default 300000), --skip LIST (any of load,latency,wrk,ingest,rss,bdn),
#          --fresh (drop the bench database first).
# Env:     BENCH_PG_PORT (default 55440), BENCH_PGHOME (default /var/lib/koopid-bench or bench/.data), BENCH_AFTER_LOAD (a shell
#          command run after each load step, e.g. a rollup refresh), KOOPID_BENCH_URL_PORT (default 5091).
# Results: bench/results/<UTC time>/ (*.md tables incl. latency-<last step>-alone.md (the rollup path without the raw path
#          between its calls) and floor-<step>.md (bench/floor), *.json raw samples, load.log, machine.txt); the summary is printed last.
# Traffic goes to 127.0.0.1 only. Needs root for the first PostgreSQL install (postgresql-15) and wrk (apt-get install wrk).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DEBIAN_FRONTEND=noninteractive

MESSAGES=1000000 STEPS="" LAYER=1000000 N=50 CASE_SECONDS=30 WRK_SECONDS=20 WRK_CONN=16 INGEST_MESSAGES=300000 SKIP="" FRESH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --layer-messages) LAYER="$2"; shift 2 ;;
    --n) N="$2"; shift 2 ;;
    --case-seconds) CASE_SECONDS="$2"; shift 2 ;;
    --wrk-seconds) WRK_SECONDS="$2"; shift 2 ;;
    --wrk-connections) WRK_CONN="$2"; shift 2 ;;
    --ingest-messages) INGEST_MESSAGES="$2"; shift 2 ;;
    --skip) SKIP="$2"; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    *) echo "unknown option $1 (see the header of bench/run.sh)" >&2; exit 2 ;;
  esac
done
[ -n "$STEPS" ] || STEPS="$MESSAGES"
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

OUT="$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
log "results in $OUT"

# ---------- machine ----------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other work)"
  echo "git: $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD))"
} > "$OUT/machine.txt"

# ---------- PostgreSQL (a cluster of its own) ----------
PGPORT="${BENCH_PG_PORT:-55440}"
is_root() { [ "$(id -u)" -eq 0 ]; }
if [ -n "${BENCH_PGHOME:-}" ]; then PGHOME="$BENCH_PGHOME"; elif is_root; then PGHOME=/var/lib/koopid-bench; else PGHOME="$BENCH/.data"; fi
PGDATA_DIR="$PGHOME/pg" PGSOCK="$PGHOME/run" PGLOG="$PGHOME/pg.log" MARKER="$PGHOME/layers"
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
PGBIN="$(find_pg_bin || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  is_root || { log "PostgreSQL server binaries missing: install postgresql-15"; exit 1; }
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2 && apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql-15 >&2
  PGBIN="$(find_pg_bin)"
fi
mkdir -p "$PGHOME" "$PGSOCK"
if is_root; then chown postgres:postgres "$PGHOME" "$PGSOCK"; chmod 755 "$PGHOME"; fi
if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
  log "initdb $PGDATA_DIR"
  as_pg mkdir -p "$PGDATA_DIR"
  as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  rm -f "$MARKER"
fi
# Settings: a 2-core / 24 GiB box; durability on (fsync, synchronous_commit) so ingest figures are honest.
PGOPTS="-p $PGPORT -k $PGSOCK -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=32MB -c maintenance_work_mem=512MB \
 -c max_wal_size=8GB -c checkpoint_timeout=15min -c effective_cache_size=12GB -c random_page_cost=1.1 -c max_connections=200"
if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  as_pg touch "$PGLOG"
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 -o "$PGOPTS" start >/dev/null
fi
psql_() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
if [ "$FRESH" -eq 1 ]; then psql_ -d postgres -c "DROP DATABASE IF EXISTS koopid_bench" && rm -f "$MARKER"; fi
psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'koopid_bench'" | grep -q 1 || { psql_ -d postgres -c "CREATE DATABASE koopid_bench"; rm -f "$MARKER"; }
export ConnectionStrings__Koopid="Host=127.0.0.1;Port=$PGPORT;Database=koopid_bench;Username=postgres;Maximum Pool Size=64"
echo "postgres: $("$PGBIN/postgres" --version), shared_buffers=2GB, port $PGPORT" >> "$OUT/machine.txt"

# ---------- build ----------
log "building the service, the bench tools and the baseline (Release)"
dotnet build KoopidDashboard.csproj -c Release -nologo -v q >&2
dotnet build bench/Koopid.Bench/Koopid.Bench.csproj -c Release -nologo -v q >&2
skipped wrk || dotnet build bench/baseline/Koopid.Baseline.csproj -c Release -nologo -v q >&2
APP="$ROOT/bin/Release/net10.0/KoopidDashboard.dll"
TOOL="$ROOT/bench/Koopid.Bench/bin/Release/net10.0/Koopid.Bench.dll"
BASELINE="$ROOT/bench/baseline/bin/Release/net10.0/Koopid.Baseline.dll"
export Auth__SigningKey="bench-signing-key-0123456789abcdef0123456789abcdef"
export Retention__Enabled=false            # the data spans 400 days; the 365-day purge must not run during the bench
export Logging__LogLevel__Default=Warning  # no per-request console log lines in the measurements
export ASPNETCORE_ENVIRONMENT=Production
dotnet "$APP" migrate >/dev/null
BIG=7001   # the tenant holding a fifth of the traffic (America/New_York)

# ---------- load (grows the database layer by layer) ----------
loaded() { cat "$MARKER" 2>/dev/null | awk -v l="$LAYER" '$1 == l {print $2}' || true; }
load_to() { # $1 = target message count
  local want=$(( $1 / LAYER )) have; have="$(loaded)"; have="${have:-0}"
  if [ "$want" -le "$have" ]; then log "database already holds $have layers of $LAYER messages"; return; fi
  local from="$have" to=$((want - 1)) t0 t1 t2
  if [ "$from" -eq 0 ]; then
    # Layer 0 through a file: generation and the `ingest FILE` command timed apart. Bulk loads run without dynamic PGO
    # (docs/ingest.md, "Bulk loads"): its instrumented tier costs the command ≈ 16 % of its CPU.
    t0=$(date +%s.%N)
    dotnet "$TOOL" generate --layers 0-0 --layer-messages "$LAYER" --out "$PGHOME/layer0.ndjson" 2>>"$OUT/load.log"
    t1=$(date +%s.%N)
    DOTNET_TieredPGO=0 dotnet "$APP" ingest "$PGHOME/layer0.ndjson" >>"$OUT/load.log" 2>&1
    t2=$(date +%s.%N)
    echo "layer 0: generate $(echo "$t1 - $t0" | bc) s to a $(du -m "$PGHOME/layer0.ndjson" | cut -f1) MB file; ingest FILE $(echo "$t2 - $t1" | bc) s" >> "$OUT/load.log"
    rm -f "$PGHOME/layer0.ndjson"
    echo "$LAYER 1" > "$MARKER"; from=1
  fi
  if [ "$from" -le "$to" ]; then
    # Later layers streamed: generator | ingest /dev/stdin (the same pipeline; no multi-GB file).
    t0=$(date +%s.%N)
    dotnet "$TOOL" generate --layers "$from-$to" --layer-messages "$LAYER" 2>>"$OUT/load.log" | DOTNET_TieredPGO=0 dotnet "$APP" ingest /dev/stdin >>"$OUT/load.log" 2>&1
    t1=$(date +%s.%N)
    echo "layers $from-$to: generate | ingest /dev/stdin $(echo "$t1 - $t0" | bc) s" >> "$OUT/load.log"
    echo "$LAYER $want" > "$MARKER"
  fi
  t0=$(date +%s.%N)
  psql_ -d koopid_bench -c "VACUUM ANALYZE"
  echo "VACUUM ANALYZE $(echo "$(date +%s.%N) - $t0" | bc) s" >> "$OUT/load.log"
  if [ -n "${BENCH_AFTER_LOAD:-}" ]; then
    t0=$(date +%s.%N); bash -c "$BENCH_AFTER_LOAD" >>"$OUT/load.log" 2>&1
    echo "BENCH_AFTER_LOAD ($BENCH_AFTER_LOAD) $(echo "$(date +%s.%N) - $t0" | bc) s" >> "$OUT/load.log"
  fi
  psql_ -d koopid_bench -tAc "SELECT 'rows: messages ' || (SELECT count(*) FROM messages) || ', interactions ' || (SELECT count(*) FROM interactions)
    || ', big tenant messages ' || (SELECT count(*) FROM messages WHERE provider_id = $BIG) || ', database ' || pg_size_pretty(pg_database_size('koopid_bench'))" | tee -a "$OUT/load.log" >&2
}

# ---------- service ----------
APP_PID="" APP_PIDS=() PORT="${KOOPID_BENCH_URL_PORT:-5091}" RAW_PORT=5093 BASE_PORT=5092
start_app() { # $1 = Rollups:Enabled value, $2 = port (default PORT); sets APP_PID
  local port="${2:-$PORT}"
  Rollups__Enabled="$1" Protection__RequestsPerMinute=100000000 Protection__RequestTimeout=00:05:00 \
    dotnet "$APP" --urls "http://127.0.0.1:$port" >"$OUT/service-rollups-$1.log" 2>&1 &
  APP_PID=$!; APP_PIDS+=("$APP_PID")
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "service did not become ready"; tail -n 30 "$OUT/service-rollups-$1.log" >&2; exit 1
}
stop_app() { local p; for p in "${APP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; APP_PIDS=(); APP_PID=""; }
trap 'stop_app; [ -n "${BASE_PID:-}" ] && kill "$BASE_PID" 2>/dev/null || true' EXIT
TOKEN="$(dotnet "$APP" token --role ProviderAdmin --provider "$BIG" --hours 24 | tail -n1)"
ADMIN_TOKEN="$(dotnet "$APP" token --role KoopidAdmin --hours 24 | tail -n1)"

# ---------- latency at each step ----------
LAST="${STEPS##*,}"
for step in ${STEPS//,/ }; do
  skipped load || { log "loading to $step messages"; load_to "$step"; }
  # TopWords' word tier: the service computes waiting days in the background; after a load (or migration 0024 on an
  # older database) compute them all now, so no latency case shares the machine with that work.
  t0=$(date +%s.%N); dotnet "$APP" rollups words >>"$OUT/load.log" 2>&1
  echo "rollups words $(echo "$(date +%s.%N) - $t0" | bc) s" >> "$OUT/load.log"
  if ! skipped latency; then
    # Both paths at once: the same service twice (Rollups:Enabled=true on PORT, false on RAW_PORT), measured request by
    # request in alternation, so the ratio compares the same moments of a shared machine.
    log "latency at $step messages: Rollups:Enabled=true against false"
    start_app true "$PORT"; start_app false "$RAW_PORT"
    dotnet "$TOOL" latency --url "http://127.0.0.1:$PORT" --label "rollups=true" --out "$OUT/latency-$step-rollups-true.json" \
      --url2 "http://127.0.0.1:$RAW_PORT" --label2 "rollups=false" --out2 "$OUT/latency-$step-rollups-false.json" \
      --token "$TOKEN" --provider "$BIG" --n "$N" --case-seconds "$CASE_SECONDS" >&2
    stop_app
    dotnet "$TOOL" latency-report --rollups "$OUT/latency-$step-rollups-true.json" --raw "$OUT/latency-$step-rollups-false.json" \
      --title "Latency at $step messages" --out "$OUT/latency-$step.md" >/dev/null
    if [ "$step" = "${STEPS##*,}" ]; then
      # The rollup path alone, as a dashboard user meets it: the same cases without a raw-path call (up to seconds of
      # PostgreSQL and service work on the same two cores) before each request. The p95 targets are read on both passes.
      # A longer warm-up than the alternated pass: back to back, 200 calls of a 10 ms case take 2 s, and .NET's background
      # JIT (tiered compilation, dynamic PGO) gets no idle core to finish in (two runs with the default warm-up measured
      # AgentSessionStats 30 d at p50 14–17 ms alone against 10.5–11 alternated).
      log "latency at $step messages: Rollups:Enabled=true alone"
      start_app true "$PORT"
      dotnet "$TOOL" latency --url "http://127.0.0.1:$PORT" --label "alone" --out "$OUT/latency-$step-alone.json" \
        --token "$TOKEN" --provider "$BIG" --n "$N" --case-seconds "$CASE_SECONDS" --warmup 1000 --warmup-seconds 10 >&2
      stop_app
      dotnet "$TOOL" latency-report --rollups "$OUT/latency-$step-alone.json" --raw "$OUT/latency-$step-rollups-true.json" \
        --names "alone,alternated" --latency-targets-only --title "Rollup path alone at $step messages (against the alternated pass)" \
        --out "$OUT/latency-$step-alone.md" >/dev/null
    fi
    # the floor of the exact parts (bench/floor): what the raw reads cost at least, next to what the slices take
    bench/floor/floor.sh --db koopid_bench --port "$PGPORT" --provider "$BIG" > "$OUT/floor-$step.md" || log "floor probe failed"
  fi
done
if ! skipped latency && [ "$STEPS" != "$LAST" ]; then
  for mode in true false; do
    files="$(for step in ${STEPS//,/ }; do printf '%s=%s,' "$step" "$OUT/latency-$step-rollups-$mode.json"; done)"
    dotnet "$TOOL" latency-growth --files "${files%,}" --title "How latency grows with the data (Rollups:Enabled=$mode)" --out "$OUT/growth-rollups-$mode.md" >/dev/null
  done
fi

# ---------- throughput: the service vs the bare baseline, same queries, same concurrency ----------
if ! skipped wrk; then
  command -v wrk >/dev/null || { is_root && apt-get -o DPkg::Lock::Timeout=600 install -y -q wrk >&2; }
  start_app true
  dotnet "$BASELINE" --urls "http://127.0.0.1:$BASE_PORT" >"$OUT/baseline.log" 2>&1 &
  BASE_PID=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$BASE_PORT/health" >/dev/null 2>&1 && break; sleep 0.5; done
  bash "$BENCH/wrk/throughput.sh" "$PORT" "$BASE_PORT" "$TOKEN" "$BIG" "$WRK_SECONDS" "$WRK_CONN" > "$OUT/throughput.md"
  kill "$BASE_PID" 2>/dev/null || true; wait "$BASE_PID" 2>/dev/null || true; BASE_PID=""
  stop_app
fi

# ---------- ingest over HTTP (a fresh tenant each run) ----------
if ! skipped ingest; then
  start_app true
  dotnet "$TOOL" ingest-http --url "http://127.0.0.1:$PORT" --token "$ADMIN_TOKEN" --messages "$INGEST_MESSAGES" --batch 10000 \
    --provider-base "$((800000 + $(date +%s) % 100000 * 10))" > "$OUT/ingest-http.md"
  stop_app
  # Leave the bench database as the generator made it (the ingest tenants are 800000 and up).
  # rollups and side tables first (no foreign keys), then the rows, children before parents
  for table in $(psql_ -d koopid_bench -tAc "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND NOT c.relispartition
                  AND (c.relname LIKE '%rollup%' OR c.relname LIKE 'message\\_words\\_%'
                       OR c.relname IN ('interaction_first_agent_message', 'customer_first_interaction'))") \
               messages_raw messages bot_sessions agent_sessions interactions customer_endpoints customers agents queues bots providers; do
    psql_ -d koopid_bench -c "DELETE FROM $table WHERE provider_id >= 800000" >/dev/null
  done
fi

# ---------- export memory: RSS of the service while it streams a million redacted messages ----------
if ! skipped rss; then
  start_app true
  dotnet "$TOOL" export-rss --url "http://127.0.0.1:$PORT" --token "$TOKEN" --provider "$BIG" --pid "$APP_PID" \
    --connection "$ConnectionStrings__Koopid" --messages 1000000 > "$OUT/export-rss.md"
  stop_app
fi

# ---------- the redactor's own cost (BenchmarkDotNet) ----------
if ! skipped bdn; then
  (cd bench/RedactorBench && dotnet run -c Release -- --filter '*' --artifacts "$OUT/bdn" >"$OUT/bdn.log" 2>&1) || log "BenchmarkDotNet failed: see $OUT/bdn.log"
  cat "$OUT"/bdn/results/*-report-github.md > "$OUT/redactor.md" 2>/dev/null || true
fi

log "done"
{
  echo "# Bench run $(basename "$OUT")"; echo; echo '```'; cat "$OUT/machine.txt"; echo '```'; echo
  echo "## Load"; echo; echo '```'; grep -E "^layer|^VACUUM|^rows|lines:|generated|BENCH_AFTER" "$OUT/load.log" 2>/dev/null || true; echo '```'; echo
  for f in "$OUT"/latency-*.md "$OUT"/growth-*.md "$OUT"/floor-*.md; do [ -f "$f" ] && cat "$f" && echo; done
  for f in throughput ingest-http export-rss redactor; do [ -f "$OUT/$f.md" ] && { cat "$OUT/$f.md"; echo; }; done
} > "$OUT/summary.md"
cat "$OUT/summary.md"
