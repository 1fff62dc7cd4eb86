#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, in a folder of its own:
#   pg_cluster.sh start DIR PORT   initdb (first time) + start; prints the server's URL
#                                  (PORT `auto`: the first free port from 55440)
#   pg_cluster.sh stop DIR         stops it (fast shutdown; the folder stays)
#   pg_cluster.sh restart DIR      stops and starts it again on its port
# Debian's PostgreSQL (>= 15) is installed with apt-get when absent. The cluster
# trusts local connections of role `chronicle`, listens on 127.0.0.1 only and
# runs without fsync: it holds nothing worth keeping. initdb refuses root, so
# under root the cluster runs as the `postgres` user the package creates.
set -euo pipefail
cmd="${1:?start|stop|restart}"; dir="${2:?cluster folder}"

bindir() {
  local b
  b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$b" ] && command -v apt-get >/dev/null 2>&1; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "== installing postgresql (apt-get)" >&2
    $sudo apt-get update -qq >&2 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  fi
  [ -n "$b" ] || { echo "pg_cluster.sh: PostgreSQL not found and not installable" >&2; exit 1; }
  echo "$b"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN="$(bindir)"
case "$cmd" in
  start)
    port="${3:?port (or auto: the first free one from 55440)}"
    if [ "$port" = auto ]; then
      port=55440
      while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    fi
    mkdir -p "$dir"
    # The server runs as postgres under root: it must reach and own its folder.
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; chmod 755 "$(dirname "$dir")"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" -D "$dir/data" -U chronicle --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      echo "$port" > "$dir/port"
    fi
    port="$(cat "$dir/port")"
    as_owner "$BIN/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    echo "postgres://chronicle@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  restart)
    "$0" stop "$dir"
    "$0" start "$dir" "$(cat "$dir/port")" >/dev/null
    ;;
  *) echo "pg_cluster.sh: unknown command $cmd" >&2; exit 2 ;;
esac
