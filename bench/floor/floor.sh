#!/usr/bin/env bash
# Floor probe: how fast can the exact parts of a slice be at all? Each <Slice>.sql here computes only the figures that
# must read raw rows (exact percentiles, distinct counts, service level, botContained) with the leanest SQL we know, for
# the big tenant at 30 local days by day (P1D) and 400 days by week (P1W), the bench shapes (bench/Koopid.Bench).
# Prints a markdown table: slice | shape | floor p50 ms | cpu ms | rows read.
#   floor p50 ms: p50 of --n runs of EXPLAIN (ANALYZE, TIMING OFF) execution time (wall clock; jit off like the service)
#   cpu ms:       the server backend's CPU time per run (/proc, so only for a server on this machine): steadier than the
#                 wall clock on a shared machine
#   rows read:    rows returned by the plan's scan nodes (all loops)
#
#   bench/floor/floor.sh [--db koopid_bench] [--port 55440] [--host 127.0.0.1] [--provider 7001] [--end 2026-11-20] [--n 10] [--only Slice]
# Read-only: it runs SELECTs and EXPLAIN ANALYZE of SELECTs only.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DB=koopid_bench PORT=55440 HOST=127.0.0.1 PROVIDER=7001 END=2026-11-20 N=10 ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;; --port) PORT="$2"; shift 2 ;; --host) HOST="$2"; shift 2 ;;
    --provider) PROVIDER="$2"; shift 2 ;; --end) END="$2"; shift 2 ;; --n) N="$2"; shift 2 ;; --only) ONLY="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
export PGOPTIONS="-c jit=off"
PSQL=(psql -h "$HOST" -p "$PORT" -U postgres -d "$DB" -X -At -q -v ON_ERROR_STOP=1)

# The bench's ranges in the tenant's zone: the last full local day before --end; 30 local days by day; 400 × 24 h by
# week (local Mondays inside, the range's ends outside).
shape_vars() { # $1 = 30d | 400d → "S|E|B"
  "${PSQL[@]}" -F'|' -c "
    WITH z AS (SELECT time_zone AS tz FROM providers WHERE provider_id = $PROVIDER),
         l AS (SELECT tz, date_trunc('day', timestamptz '$END' AT TIME ZONE tz) AS local_end FROM z),
         r AS (SELECT tz, local_end, local_end AT TIME ZONE tz AS e,
                      CASE '$1' WHEN '30d' THEN (local_end - interval '30 days') AT TIME ZONE tz
                                ELSE (local_end AT TIME ZONE tz) - interval '9600 hours' END AS s FROM l)
    SELECT s, e,
           CASE '$1' WHEN '30d' THEN
             (SELECT array_agg(d AT TIME ZONE tz ORDER BY d) FROM generate_series(local_end - interval '30 days', local_end, interval '1 day') d)
           ELSE
             ARRAY[s] || (SELECT coalesce(array_agg(w AT TIME ZONE tz ORDER BY w), '{}')
                          FROM generate_series(date_trunc('week', s AT TIME ZONE tz) + interval '1 week', local_end, interval '1 week') w
                          WHERE w AT TIME ZONE tz > s AND w AT TIME ZONE tz < e) || ARRAY[e]
           END
    FROM r"
}

echo "| slice | shape | floor p50 ms | cpu ms | rows read |"
echo "| --- | --- | ---: | ---: | ---: |"
for f in "$DIR"/*.sql; do
  slice="$(basename "$f" .sql)"
  [ -n "$ONLY" ] && [[ "$slice" != *"$ONLY"* ]] && continue
  for shape in 30d/P1D 400d/P1W; do
    IFS='|' read -r S E B <<<"$(shape_vars "${shape%%/*}")"
    python3 "$DIR/probe.py" "$slice" "$shape" "$N" "$f" "${PSQL[@]}" -v P="$PROVIDER" -v S="$S" -v E="$E" -v B="$B"
  done
done
