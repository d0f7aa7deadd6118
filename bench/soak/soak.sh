#!/usr/bin/env bash
# Soak: the service against a local PostgreSQL under a steady mixed load (not run in CI).
#   bench/soak/soak.sh [minutes=10] [rate=50]
# Starts ./run.sh db (KOOPID_PG_PORT, default 55491 here), builds the app (Release), seeds the demo data at
# --scale 0.1 once, serves on 127.0.0.1:${SOAK_PORT:-5391}, runs the soak client (Program.cs) and prints its
# per-minute table. Exit status: non-zero when any request failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$PWD"
MINUTES="${1:-10}" RATE="${2:-50}"
export KOOPID_PG_PORT="${KOOPID_PG_PORT:-55491}"
PORT="${SOAK_PORT:-5391}"
APP_DLL="$ROOT/bin/Release/net10.0/KoopidDashboard.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT=Production

eval "$(./run.sh db | grep '^ConnectionStrings__Koopid=' | sed 's/^/export /; s/=/="/; s/$/"/')"
export Auth__SigningKey="soak-signing-key-0123456789abcdef0123456789"
# The soak's two credentials make ~3000 requests a minute each: lift the per-credential budget.
export Protection__RequestsPerMinute=1000000

dotnet build KoopidDashboard.csproj -c Release -nologo -v q
dotnet build bench/soak/Soak.csproj -c Release -nologo -v q
marker="$ROOT/.data/soak-seeded"
if [ ! -f "$marker" ]; then
  dotnet "$APP_DLL" seed --demo --scale 0.1
  touch "$marker"
fi
admin="$(dotnet "$APP_DLL" token --role KoopidAdmin | tail -n1)"
ingest="$(dotnet "$APP_DLL" token --role Ingest --provider 1001 | tail -n1)"

dotnet "$APP_DLL" --urls "http://127.0.0.1:$PORT" > "$ROOT/.data/soak-server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
echo "soak: server pid $server ready; $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
dotnet bench/soak/bin/Release/net10.0/Soak.dll --url "http://127.0.0.1:$PORT" --pid "$server" \
  --minutes "$MINUTES" --rate "$RATE" --admin-token "$admin" --ingest-token "$ingest"
