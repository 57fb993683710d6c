#!/usr/bin/env bash
# ./test.sh — build the solution once and run every test project.
#
#   ./test.sh                          run all tests
#   ./test.sh 'FullyQualifiedName~Tenant'   run tests matching a filter expression
#   ./test.sh --filter 'Category!=Slow' [other dotnet test args...]
#
# Starts/uses PostgreSQL through scripts/pg.sh (or uses PORTAL_TEST_PG when it is
# already set), installs missing apt packages the tests need (chromium,
# espeak-ng, fonts-liberation), builds Portal.sln -c Release, then runs each
# tests/*/*.csproj with a TRX logger into artifacts/test-results/, continuing
# after a failing project. The last line printed is "N passed, M failed";
# the exit status is non-zero when M > 0. A project's fixtures may write what the
# runner reports by type only (an app that failed to stop) to
# artifacts/test-results/<project>.diagnostics.log; it is printed after the project.
#
# Environment: PORTAL_TEST_TIMEOUT (seconds per test project, default 1500),
# PORTAL_CHROMIUM (browser for the E2E tests, default /usr/bin/chromium).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(pwd)"
RESULTS="$ROOT/artifacts/test-results"
# shellcheck source=scripts/pg.sh
source "$ROOT/scripts/pg.sh"

case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
test_args=()
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  test_args=(--filter "$1"); shift
fi
test_args+=("$@")

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
if [ -n "${CI:-}" ]; then
  # Lingering MSBuild worker nodes can keep CI's output pipe open; don't keep them.
  export MSBUILDDISABLENODEREUSE=1
fi

# ---- prerequisites --------------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  portal_log "ERROR: 'dotnet' not found. Install the .NET 10 SDK (10.0.100 or a later feature band),"
  portal_log "e.g. Microsoft's package feed for Debian 12 (apt-get install dotnet-sdk-10.0) or dotnet-install.sh:"
  portal_log "https://learn.microsoft.com/dotnet/core/install/linux-debian"
  echo "0 passed, 1 failed"
  exit 1
fi

pkgs=(espeak-ng fonts-liberation)
if [ -z "${PORTAL_CHROMIUM:-}" ] || [ ! -x "${PORTAL_CHROMIUM}" ]; then
  pkgs=(chromium "${pkgs[@]}")
fi
portal_apt_install "${pkgs[@]}" ||
  portal_log "WARNING: could not install ${pkgs[*]}; tests that need them will fail"

if [ -n "${PORTAL_TEST_PG:-}" ]; then
  portal_log "using PORTAL_TEST_PG from the environment"
else
  portal_pg_ensure ||
    portal_log "WARNING: PostgreSQL is not available; database tests will fail"
fi
# Tests get only the admin connection and create their own databases; never let a
# test fall back to the developer's demo database.
unset ConnectionStrings__Portal

# ---- build once -----------------------------------------------------------------------------
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.trx "$RESULTS"/*.diagnostics.log

build_ok=1
portal_log "dotnet build Portal.sln -c Release"
if ! dotnet build "$ROOT/Portal.sln" -c Release; then
  build_ok=0
  portal_log "WARNING: solution build failed; each test project will be built on its own"
fi
no_build=()
[ "$build_ok" -eq 1 ] && no_build=(--no-build)

# ---- run each test project ------------------------------------------------------------------
projects=()
for p in "$ROOT"/tests/*/*.csproj; do
  [ -f "$p" ] && projects+=("$p")
done

names=(); passed=(); failed=(); skipped=(); notes=()
for proj in ${projects[@]+"${projects[@]}"}; do
  name="$(basename "$proj" .csproj)"
  trx="$RESULTS/$name.trx"
  portal_log "=== $name"
  rc=0
  # Failures the runner reports by type only (an app that failed to stop) are written here in full by the fixtures.
  export PORTAL_TEST_DIAGNOSTICS="$RESULTS/$name.diagnostics.log"
  rm -f "$PORTAL_TEST_DIAGNOSTICS"
  timeout -k 30 "${PORTAL_TEST_TIMEOUT:-1500}" \
    dotnet test "$proj" -c Release ${no_build[@]+"${no_build[@]}"} \
      --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
      ${test_args[@]+"${test_args[@]}"} || rc=$?

  if [ -s "$PORTAL_TEST_DIAGNOSTICS" ]; then
    portal_log "$name: diagnostics ($PORTAL_TEST_DIAGNOSTICS, first 120 lines)"
    head -n 120 "$PORTAL_TEST_DIAGNOSTICS"
  fi

  p=0; f=0; s=0; note=""
  if [ -f "$trx" ] && line="$("$ROOT/scripts/summarize-trx.sh" "$trx")"; then
    IFS=$'\t' read -r _ p f s <<<"$line"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      f=1; note="dotnet test exited $rc without a failed test (crash/abort/timeout): counted as 1 failed"
    fi
  else
    f=1; note="no TRX (build or run crashed, exit $rc): counted as 1 failed"
  fi
  [ "$rc" -eq 124 ] && note="timed out after ${PORTAL_TEST_TIMEOUT:-1500}s; $note"
  names+=("$name"); passed+=("$p"); failed+=("$f"); skipped+=("$s"); notes+=("$note")
done

if [ -n "${CI:-}" ]; then
  dotnet build-server shutdown >/dev/null 2>&1 || true
fi

# ---- summary --------------------------------------------------------------------------------
total_p=0; total_f=0
echo
echo "Test results (TRX files in ${RESULTS#"$ROOT"/}):"
if [ "${#names[@]}" -eq 0 ]; then
  echo "  no test projects found under tests/"
fi
for i in ${names[@]+"${!names[@]}"}; do
  printf '  %-28s %5d passed, %5d failed, %5d skipped%s\n' \
    "${names[$i]}" "${passed[$i]}" "${failed[$i]}" "${skipped[$i]}" \
    "${notes[$i]:+  [${notes[$i]}]}"
  total_p=$((total_p + passed[i]))
  total_f=$((total_f + failed[i]))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
