#!/usr/bin/env bash
# Requests/s of the service against the bare baseline (bench/baseline), same query, same concurrency, same run:
#   throughput.sh SERVICE_PORT BASELINE_PORT TOKEN PROVIDER SECONDS CONNECTIONS
# For each slice (POST /Dashboard/Interactions, /Messages, /BotAccessStats; the last 30 local days by day for the tenant)
# wrk runs against the service and then the baseline, three rounds, alternating; the ratio uses the median of each side.
# Prints a markdown section on stdout. Only 127.0.0.1 is targeted.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SVC="$1" BASE="$2" TOKEN_VALUE="$3" PROVIDER="$4" SECONDS_="$5" CONN="$6"
END="$(TZ=America/New_York date -d "2026-11-19 00:00" +%s)000"
START="$(TZ=America/New_York date -d "2026-10-20 00:00" +%s)000"
BODY_VALUE="{\"providerId\":$PROVIDER,\"start\":$START,\"end\":$END,\"interval\":\"P1D\"}"

run_wrk() { # $1 = port, $2 = path, $3 = token, $4 = seconds (default SECONDS) → "rps p50ms p99ms non2xx"
  local out rps p50 p99 bad
  out="$(BODY="$BODY_VALUE" TOKEN="$3" wrk -t2 -c"$CONN" -d"${4:-$SECONDS_}s" --latency -s "$HERE/post.lua" "http://127.0.0.1:$1$2")"
  rps="$(awk '/Requests\/sec:/ {print $2}' <<< "$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<< "$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
  bad="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<< "$out")"
  echo "$rps $p50 $p99 ${bad:-0}"
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

echo "## Throughput: the service against the bare baseline (wrk)"
echo
echo "wrk -t2 -c$CONN -d${SECONDS_}s --latency, body \`$BODY_VALUE\`; after a 5 s warm-up each, service and baseline alternate,"
echo "three rounds each; req/s is the median round, p50 / p99 from the first round; the ratio divides the medians."
echo "wrk, the service, the baseline and PostgreSQL share the same 2 cores."
echo
echo "| slice | service req/s (rounds) | baseline req/s (rounds) | service p50 / p99 | baseline p50 / p99 | service ÷ baseline | non-2xx |"
echo "|---|--:|--:|--:|--:|--:|--:|"
worst=""
for slice in Interactions Messages BotAccessStats; do
  # Warm both (JIT, pools) before measuring.
  run_wrk "$SVC" "/Dashboard/$slice" "$TOKEN_VALUE" 5 >/dev/null; run_wrk "$BASE" "/Dashboard/$slice" "" 5 >/dev/null
  svc=() base=()
  for round in 1 2 3; do
    read -r rps p50 p99 bad <<< "$(run_wrk "$SVC" "/Dashboard/$slice" "$TOKEN_VALUE")"
    svc+=("$rps"); sbad=$(( ${sbad:-0} + bad )); [ "$round" -eq 1 ] && { sp50="$p50"; sp99="$p99"; }
    read -r rps p50 p99 bad <<< "$(run_wrk "$BASE" "/Dashboard/$slice" "")"
    base+=("$rps"); bbad=$(( ${bbad:-0} + bad )); [ "$round" -eq 1 ] && { bp50="$p50"; bp99="$p99"; }
  done
  s="$(median3 "${svc[@]}")" b="$(median3 "${base[@]}")"
  ratio="$(awk -v s="$s" -v b="$b" 'BEGIN {printf "%.2f", s / b}')"
  echo "| $slice | $s (${svc[*]}) | $b (${base[*]}) | $sp50 / $sp99 | $bp50 / $bp99 | $ratio | $sbad / $bbad |"
  sbad=0 bbad=0
  worst="$(awk -v w="${worst:-9}" -v r="$ratio" 'BEGIN {print (r < w ? r : w)}')"
done
echo
verdict="$(awk -v w="$worst" 'BEGIN {print (w >= 0.8 ? "met" : "not met")}')"
echo "- ≥ 0.8 of the baseline's requests/s: **$verdict** — lowest ratio $worst."
