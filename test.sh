#!/usr/bin/env bash
# The one test command: ./test.sh [extra dotnet test args]
#
# Ensures a Docker engine, picks a PostgreSQL image for Testcontainers, runs the solution's
# tests and ends with a single summary line "N passed, N failed[, N skipped]" parsed from
# the TRX files. Exits non-zero if the build failed, any test failed, or no test ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
OFFICIAL_IMAGE="postgres:17-alpine"   # the C# default when KOOPID_TEST_POSTGRES_IMAGE is unset
RESULTS_DIR="TestResults"

log() { printf 'test.sh: %s\n' "$*" >&2; }

# (a) Docker engine (starts/installs one if needed; may export DOCKER_API_VERSION).
eval "$(bash scripts/ensure-docker.sh)"

# (a2) Headless Chromium renders the plot pages in the RedactedMessagesWithPlot tests.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ] && [ "${KOOPID_SKIP_BROWSER_TESTS:-}" != "1" ]; then
  log "installing chromium (plot rendering tests)"
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends chromium >&2
fi

# (b) PostgreSQL image: explicit choice > official image (present or pullable) > local build.
registry_ok=0
if [ -n "${KOOPID_TEST_POSTGRES_IMAGE:-}" ]; then
  log "using KOOPID_TEST_POSTGRES_IMAGE=$KOOPID_TEST_POSTGRES_IMAGE"
  # Build it if it is our local recipe's name and missing (e.g. a fresh machine).
  if ! docker image inspect "$KOOPID_TEST_POSTGRES_IMAGE" >/dev/null 2>&1 \
     && [[ "$KOOPID_TEST_POSTGRES_IMAGE" == koopid-local/* ]]; then
    bash scripts/postgres-image.sh "$KOOPID_TEST_POSTGRES_IMAGE" >/dev/null
  fi
elif docker image inspect "$OFFICIAL_IMAGE" >/dev/null 2>&1; then
  log "using $OFFICIAL_IMAGE (already present)"
  export KOOPID_TEST_POSTGRES_IMAGE="$OFFICIAL_IMAGE"
elif timeout 30 docker pull -q "$OFFICIAL_IMAGE" >/dev/null 2>&1; then
  log "using $OFFICIAL_IMAGE (pulled)"
  export KOOPID_TEST_POSTGRES_IMAGE="$OFFICIAL_IMAGE"
  registry_ok=1
else
  log "no registry: building/using a local PostgreSQL image"
  KOOPID_TEST_POSTGRES_IMAGE="$(bash scripts/postgres-image.sh)"
  export KOOPID_TEST_POSTGRES_IMAGE
fi

# (c) Ryuk (Testcontainers' reaper) is another image to pull: disable it unless a registry
# was just proven reachable; the tests dispose their containers themselves.
if [ "$registry_ok" -eq 0 ]; then
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
fi
log "KOOPID_TEST_POSTGRES_IMAGE=$KOOPID_TEST_POSTGRES_IMAGE" \
    "TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-}" \
    "DOCKER_API_VERSION=${DOCKER_API_VERSION:-}"

# (d) Run the tests. Only TRX files written by this run count (marker file + find -newer).
mkdir -p "$RESULTS_DIR"
marker="$(mktemp)"
trap 'rm -f "$marker"' EXIT
set +e
dotnet test KoopidDashboard.sln --logger "trx;LogFileName=results.trx" --results-directory "$RESULTS_DIR" "$@"
rc=$?
set -e

# (e) Sum the <Counters> of every TRX produced. Failed counts errors/timeouts/aborts too;
# skipped = total - executed (VSTest leaves notExecuted at 0 for xUnit's Skip).
passed=0 failed=0 skipped=0 files=0
counter() { # $1 = attribute name, $2 = the <Counters .../> element
  local v
  v="$(grep -o " $1=\"[0-9]*\"" <<< "$2" | head -n1 | tr -dc '0-9')"
  echo "${v:-0}"
}
while IFS= read -r -d '' trx; do
  files=$((files + 1))
  c="$(tr '\n' ' ' < "$trx" | grep -o '<Counters [^>]*>' | head -n1 || true)"
  passed=$((passed + $(counter passed "$c")))
  failed=$((failed + $(counter failed "$c") + $(counter error "$c") + $(counter timeout "$c") + $(counter aborted "$c")))
  skipped=$((skipped + $(counter total "$c") - $(counter executed "$c")))
done < <(find "$RESULTS_DIR" -name '*.trx' -newer "$marker" -print0)

status=0
if [ "$rc" -ne 0 ]; then log "dotnet test exited with $rc"; status=1; fi
if [ "$files" -eq 0 ]; then log "no TRX file produced (build failure?)"; status=1; fi
if [ $((passed + failed)) -eq 0 ]; then log "no tests ran"; status=1; fi
if [ "$failed" -gt 0 ]; then status=1; fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"   # must stay the last line of output
exit "$status"
