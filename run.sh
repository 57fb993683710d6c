#!/usr/bin/env bash
# ./run.sh — start Portal locally.
#
# Uses ConnectionStrings__Portal when it is already set; otherwise makes sure a
# local PostgreSQL is installed and running (scripts/pg.sh) and points the app
# at it. The app applies its migrations, seeds the demo data and prints the URL
# and the demo logins itself.
#
#   ./run.sh                       http://localhost:5000
#   PORT=8080 ./run.sh             http://localhost:8080
#   URLS='http://0.0.0.0:5000' ./run.sh
#   ./run.sh --dev                 Development environment (detailed errors, developer exception page)
#   ./run.sh [extra app arguments...]
#
# Runs as Production by default: errors are problem details without internals,
# HSTS on HTTPS, no launch profile.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/pg.sh
source ./scripts/pg.sh

environment="${ASPNETCORE_ENVIRONMENT:-Production}"
case "${1:-}" in
  --dev) environment=Development; shift ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac

if ! command -v dotnet >/dev/null 2>&1; then
  portal_log "ERROR: 'dotnet' not found. Install the .NET 10 SDK (10.0.100 or a later feature band),"
  portal_log "e.g. Microsoft's package feed for Debian 12 (apt-get install dotnet-sdk-10.0) or dotnet-install.sh:"
  portal_log "https://learn.microsoft.com/dotnet/core/install/linux-debian"
  exit 1
fi
if ! sdk_version="$(dotnet --version 2>&1)"; then
  portal_log "ERROR: no .NET SDK matching global.json (10.0.100, rollForward latestFeature) is installed:"
  printf '%s\n' "$sdk_version" >&2
  portal_log "Install the .NET 10 SDK: https://learn.microsoft.com/dotnet/core/install/linux-debian"
  exit 1
fi

if [ -n "${ConnectionStrings__Portal:-}" ]; then
  portal_log "using ConnectionStrings__Portal from the environment"
else
  portal_pg_ensure
fi

export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
URLS="${URLS:-http://localhost:${PORT:-5000}}"

export ASPNETCORE_ENVIRONMENT="$environment"
portal_log "building and starting Portal.Web ($environment) on $URLS (first build takes a minute)"
exec dotnet run --project Portal.Web -c Release --no-launch-profile -- --urls "$URLS" "$@"
