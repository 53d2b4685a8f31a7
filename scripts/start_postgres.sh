#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for tests and benchmarks.
#
#   scripts/start_postgres.sh [DIR]      start; prints postgresql://learnsynth:PASSWORD@127.0.0.1:PORT/postgres
#   scripts/start_postgres.sh --stop DIR stop the server started in DIR (DIR itself is left)
#
# DIR (default: a new temporary folder) holds the cluster, its socket and log. If no PostgreSQL
# server binaries are found and we are root, Debian's `postgresql` package is installed with
# apt-get. initdb refuses to run as root, so as root the cluster belongs to the `postgres` user
# (created by the package) or `nobody`. The server listens on loopback only, on a free port, with
# password (scram-sha-256) authentication for TCP and a random password; durability is switched
# off (fsync, synchronous_commit) because the data is thrown away. Progress goes to stderr; the
# URL is the only line on stdout. Exit 3: PostgreSQL cannot be installed or started here.
set -euo pipefail

log() { echo "start_postgres: $*" >&2; }

find_bindir() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

install_postgres() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL server binaries not found, and cannot install them (needs root and apt-get)"
    exit 3
  fi
  log "installing Debian's postgresql package with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql; } \
      >&2; then
    log "apt-get install postgresql failed"
    exit 3
  fi
}

run_as() {  # run_as USER CMD...: as USER when root, else as ourselves
  local user=$1
  shift
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

owner() {
  if [ "$(id -u)" != 0 ]; then id -un; elif id postgres >/dev/null 2>&1; then echo postgres;
  else echo nobody; fi
}

if [ "${1:-}" = "--stop" ]; then
  dir=${2:?usage: start_postgres.sh --stop DIR}
  bindir=$(find_bindir) || { log "pg_ctl not found"; exit 3; }
  user=$(stat -c %U "$dir/data")
  run_as "$user" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2
  exit 0
fi

bindir=$(find_bindir) || { install_postgres; bindir=$(find_bindir) || { log "no pg_ctl after install"; exit 3; }; }
dir=${1:-$(mktemp -d /tmp/learnsynth-pg.XXXXXX)}
mkdir -p "$dir"
user=$(owner)
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$(id -u)" = 0 ]; then chown "$user" "$dir"; fi
chmod 700 "$dir"
printf '%s\n' "$password" > "$dir/pwfile"
if [ "$(id -u)" = 0 ]; then chown "$user" "$dir/pwfile"; fi

log "initdb in $dir/data as $user ($bindir)"
run_as "$user" "$bindir/initdb" -D "$dir/data" -U learnsynth --pwfile="$dir/pwfile" \
  -E UTF8 --locale=C --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; log "initdb failed"; exit 3; }
rm -f "$dir/pwfile"
run_as "$user" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >&2 || { cat "$dir/server.log" >&2; log "the server did not start"; exit 3; }
log "server running on 127.0.0.1:$port (data in $dir; stop with: $0 --stop $dir)"
echo "postgresql://learnsynth:$password@127.0.0.1:$port/postgres"
