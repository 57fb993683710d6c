# shellcheck shell=bash
# scripts/pg.sh — shared PostgreSQL helper for run.sh, test.sh and .ci/run.
#
# Source it, then call portal_pg_ensure:
#
#     source scripts/pg.sh
#     portal_pg_ensure
#
# portal_pg_ensure makes sure a PostgreSQL server is installed, running and
# reachable over TCP on 127.0.0.1 with a SUPERUSER LOGIN role portal/portal and
# a database "portal" owned by it, then exports:
#
#     PORTAL_PG_HOST              127.0.0.1
#     PORTAL_PG_PORT              5432 (root, system cluster) or 55432 (user, .data/pg)
#     ConnectionStrings__Portal   Host=127.0.0.1;Port=…;Database=portal;Username=portal;Password=portal
#     PORTAL_TEST_PG              same, with Database=postgres (admin connection for tests)
#
# As root it uses the Debian system cluster (<ver>/main, created if absent,
# started with pg_ctlcluster, works without systemd). As a normal user it runs
# a project-local cluster in .data/pg (port 55432, override with PORTAL_PG_PORT;
# if that port is taken by another server the next free port is used).
#
# The library never changes the caller's shell options and is safe under
# `set -euo pipefail`. Messages go to stderr. Returns non-zero on failure.
#
# Also provides portal_apt_install PKG... (installs only the missing packages,
# with sudo when not root) for the other scripts.

PORTAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

portal_log() { printf '[portal] %s\n' "$*" >&2; }
portal_die() { printf '[portal] ERROR: %s\n' "$*" >&2; return 1; }

# Run a command as root (directly when root, else through sudo).
portal_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    portal_die "need root for: $* (not root and sudo is not installed)"
  fi
}

# True when the Debian package is installed.
portal_pkg_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# portal_apt_install PKG... — apt-get install only those that are missing.
portal_apt_install() {
  local missing=() p
  for p in "$@"; do
    portal_pkg_installed "$p" || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    { portal_die "missing packages (${missing[*]}) and apt-get is not available; install them by hand"; return 1; }
  portal_log "installing apt packages: ${missing[*]}"
  if [ -z "${_PORTAL_APT_UPDATED:-}" ]; then
    portal_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 ||
      { portal_die "apt-get update failed"; return 1; }
    _PORTAL_APT_UPDATED=1
  fi
  portal_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${missing[@]}" >&2 ||
    { portal_die "apt-get install ${missing[*]} failed"; return 1; }
}

# Newest PostgreSQL server version installed under /usr/lib/postgresql (e.g. 15), or empty.
_portal_pg_version() {
  local d v best=""
  for d in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$d" ] || continue
    v="${d#/usr/lib/postgresql/}"; v="${v%%/*}"
    if [ -z "$best" ] || [ "${v%%.*}" -gt "${best%%.*}" ]; then best="$v"; fi
  done
  printf '%s' "$best"
}

_portal_pg_install_if_missing() {
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(_portal_pg_version)" ]; then
    return 0
  fi
  portal_log "PostgreSQL server not found; installing it with apt-get"
  # Installing the package may try to create and start 15/main; either way we start it below.
  portal_apt_install postgresql || return 1
  [ -n "$(_portal_pg_version)" ] || { portal_die "PostgreSQL server binaries still missing after install"; return 1; }
}

# Export the connection variables for host 127.0.0.1 and port $1.
_portal_pg_export() {
  export PORTAL_PG_HOST=127.0.0.1
  export PORTAL_PG_PORT="$1"
  export ConnectionStrings__Portal="Host=127.0.0.1;Port=$1;Database=portal;Username=portal;Password=portal"
  export PORTAL_TEST_PG="Host=127.0.0.1;Port=$1;Username=portal;Password=portal;Database=postgres"
}

# True when portal/portal can log in to db "portal" on 127.0.0.1:$1 as a superuser.
_portal_pg_ready_as_portal() {
  local out
  out="$(PGPASSWORD=portal PGCONNECT_TIMEOUT=3 psql -X -w -q -At -h 127.0.0.1 -p "$1" -U portal -d portal \
    -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" || return 1
  [ "$out" = "t" ]
}

_portal_pg_wait() { # port, label
  local i
  for i in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$1" -t 1 >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  portal_die "PostgreSQL ($2) did not accept connections on 127.0.0.1:$1 within 30 s"
}

# SQL that creates/repairs role portal and database portal (run as a superuser through psql).
_portal_pg_bootstrap_sql() {
  cat <<'SQL'
\set ON_ERROR_STOP on
SELECT 'CREATE ROLE portal' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal') \gexec
ALTER ROLE portal WITH LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD 'portal';
SELECT 'CREATE DATABASE portal OWNER portal' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'portal') \gexec
SQL
}

_portal_pg_check_extensions() { # port
  local n
  n="$(PGPASSWORD=portal psql -X -w -q -At -h 127.0.0.1 -p "$1" -U portal -d portal \
    -c "SELECT count(*) FROM pg_available_extensions WHERE name IN ('pg_trgm','btree_gist')" 2>/dev/null)" || n=0
  if [ "$n" != "2" ]; then
    portal_log "WARNING: extensions pg_trgm/btree_gist are not available on this server (install postgresql-contrib / postgresql-<ver>)"
  fi
}

# ---- root: the Debian system cluster --------------------------------------------------------
_portal_pg_ensure_system() {
  local ver port status line
  ver="$(_portal_pg_version)"
  # pg_lsclusters columns: Ver Cluster Port Status Owner Datadir Logfile
  line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main" { print; exit }')"
  if [ -z "$line" ]; then
    portal_log "creating cluster $ver/main"
    pg_createcluster "$ver" main >&2 || { portal_die "pg_createcluster $ver main failed"; return 1; }
    line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main" { print; exit }')"
  fi
  port="$(printf '%s\n' "$line" | awk '{ print $3 }')"
  status="$(printf '%s\n' "$line" | awk '{ print $4 }')"
  [ -n "$port" ] || { portal_die "cannot find the port of cluster $ver/main"; return 1; }

  if [ "$status" = "online" ] && _portal_pg_ready_as_portal "$port"; then
    _portal_pg_export "$port"; return 0          # fast path
  fi

  if [ "$status" != "online" ] && [ "${status#online}" = "$status" ]; then
    portal_log "starting PostgreSQL cluster $ver/main (port $port)"
    # The socket directory lives on /run, which is empty after a container restart.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql 2>/dev/null || true
    if ! pg_ctlcluster "$ver" main start >&2; then
      portal_log "last lines of /var/log/postgresql/postgresql-$ver-main.log:"
      tail -n 20 "/var/log/postgresql/postgresql-$ver-main.log" >&2 2>/dev/null || true
      portal_die "pg_ctlcluster $ver main start failed"; return 1
    fi
  fi
  _portal_pg_wait "$port" "cluster $ver/main" || return 1

  if ! _portal_pg_ready_as_portal "$port"; then
    portal_log "creating role portal (SUPERUSER) and database portal"
    _portal_pg_bootstrap_sql | (cd / && runuser -u postgres -- psql -X -q --cluster "$ver/main" -d postgres) >&2 ||
      { portal_die "creating role/database portal failed"; return 1; }
  fi
  _portal_pg_ready_as_portal "$port" ||
    { portal_die "cannot log in as portal/portal on 127.0.0.1:$port (check pg_hba.conf allows scram/md5 on 127.0.0.1)"; return 1; }
  _portal_pg_check_extensions "$port"
  _portal_pg_export "$port"
}

# ---- normal user: project-local cluster in .data/pg ----------------------------------------
_portal_pg_ensure_local() {
  local ver bin base data sock logf port pidport p rc
  ver="$(_portal_pg_version)"
  bin="/usr/lib/postgresql/$ver/bin"
  base="$PORTAL_ROOT/.data/pg"
  data="$base/data"
  logf="$base/postgresql.log"
  sock="$base/run"
  # A unix socket path must fit in ~107 bytes; fall back to a per-user directory in /tmp.
  if [ "${#sock}" -gt 90 ]; then
    sock="/tmp/portal-pg-$(id -u)-$(printf '%s' "$base" | cksum | awk '{ print $1 }')"
  fi

  # Already running? (postmaster.pid line 4 is the port.)
  if [ -f "$data/postmaster.pid" ] && "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    pidport="$(sed -n 4p "$data/postmaster.pid")"
    if _portal_pg_ready_as_portal "$pidport"; then
      _portal_pg_export "$pidport"; return 0      # fast path
    fi
    port="$pidport"
  else
    mkdir -p "$base" "$sock" || { portal_die "cannot create $base"; return 1; }
    chmod 700 "$sock" 2>/dev/null || true
    if [ ! -f "$data/PG_VERSION" ]; then
      portal_log "initialising project-local PostgreSQL $ver cluster in $data"
      "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$base/initdb.log" 2>&1 ||
        "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
          --auth-local=trust --auth-host=scram-sha-256 >"$base/initdb.log" 2>&1 ||
        { cat "$base/initdb.log" >&2; portal_die "initdb failed"; return 1; }
      {
        echo "# --- added by scripts/pg.sh ---"
        echo "listen_addresses = '127.0.0.1'"
        echo "max_connections = 200"
        echo "synchronous_commit = off         # dev/test cluster: faster, loses at most the last commits on a crash"
      } >>"$data/postgresql.conf"
    elif [ "$(cat "$data/PG_VERSION")" != "${ver%%.*}" ]; then
      portal_die "$data was created by PostgreSQL $(cat "$data/PG_VERSION") but $ver is installed; remove .data/pg to recreate it"
      return 1
    fi
    # Pick the port: PORTAL_PG_PORT or 55432, skipping ports some other server already answers on.
    port="${PORTAL_PG_PORT:-55432}"
    # pg_isready exits 2 when nothing answers on the port.
    for p in $(seq "$port" $((port + 20))); do
      rc=0; pg_isready -q -h 127.0.0.1 -p "$p" -t 1 >/dev/null 2>&1 || rc=$?
      if [ "$rc" -eq 2 ]; then port="$p"; break; fi
    done
    if [ "$port" != "${PORTAL_PG_PORT:-55432}" ]; then
      portal_log "port ${PORTAL_PG_PORT:-55432} is taken by another server; using $port"
    fi
    portal_log "starting project-local PostgreSQL on 127.0.0.1:$port (log: $logf)"
    rm -f "$data/postmaster.pid" 2>/dev/null || true   # stale pid file from a killed server
    if ! "$bin/pg_ctl" -D "$data" -l "$logf" -w -t 30 \
        -o "-p $port -k '$sock' -c listen_addresses=127.0.0.1" start >/dev/null 2>&1; then
      tail -n 20 "$logf" >&2 2>/dev/null || true
      portal_die "pg_ctl start failed (see $logf)"; return 1
    fi
  fi
  _portal_pg_wait "$port" "project-local cluster" || return 1

  if ! _portal_pg_ready_as_portal "$port"; then
    portal_log "creating role portal (SUPERUSER) and database portal"
    _portal_pg_bootstrap_sql | psql -X -q -h "$sock" -p "$port" -U postgres -d postgres >&2 ||
      { portal_die "creating role/database portal failed"; return 1; }
  fi
  _portal_pg_ready_as_portal "$port" || { portal_die "cannot log in as portal/portal on 127.0.0.1:$port"; return 1; }
  _portal_pg_check_extensions "$port"
  _portal_pg_export "$port"
}

# portal_pg_ensure — install, start and bootstrap PostgreSQL; export the connection variables.
portal_pg_ensure() {
  _portal_pg_install_if_missing || return 1
  if [ "$(id -u)" -eq 0 ]; then
    _portal_pg_ensure_system || return 1
  else
    _portal_pg_ensure_local || return 1
  fi
  portal_log "PostgreSQL ready: $ConnectionStrings__Portal"
}

# portal_pg_stop — stop the project-local cluster (normal-user mode only; no-op as root).
portal_pg_stop() {
  local ver data
  [ "$(id -u)" -eq 0 ] && return 0
  ver="$(_portal_pg_version)"; data="$PORTAL_ROOT/.data/pg/data"
  [ -f "$data/postmaster.pid" ] || return 0
  "/usr/lib/postgresql/$ver/bin/pg_ctl" -D "$data" -m fast -w stop >&2
}
