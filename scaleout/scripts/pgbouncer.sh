#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of the PostgreSQL primary of pg-standby.sh, for the scale-out tests.
#   pgbouncer.sh up     write the configuration, start PgBouncer, wait until a query passes through it
#   pgbouncer.sh down   stop it and delete its directory (also after a half-finished up)
# Port: ATHANOR_PGBOUNCER_PORT (6432), in front of ATHANOR_PG_PRIMARY_PORT (5434), which must be up. One server
# connection per database and user (ATHANOR_PGBOUNCER_POOL_SIZE, default 1): every client of the same user shares it,
# so what one client leaves in a server session is what the next one sees. Data under ATHANOR_SCALEOUT_DIR
# (/tmp/athanor-scaleout). User postgres, trust, database test. PgBouncer refuses to run as root: when run as root,
# it runs as the postgres user.
set -euo pipefail
port=${ATHANOR_PGBOUNCER_PORT:-6432}
primary_port=${ATHANOR_PG_PRIMARY_PORT:-5434}
pool_size=${ATHANOR_PGBOUNCER_POOL_SIZE:-1}
dir=${ATHANOR_SCALEOUT_DIR:-/tmp/athanor-scaleout}/pgbouncer-$port
bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$bin" ] || { echo "pgbouncer: no pgbouncer binary (Debian package pgbouncer)" >&2; exit 1; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

down() {
    if [ -f "$dir/pgbouncer.pid" ]; then
        local pid; pid=$(cat "$dir/pgbouncer.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}

up() {
    down
    mkdir -p "$dir"
    echo '"postgres" ""' > "$dir/userlist.txt"
    # ignore_startup_parameters: pgjdbc sends extra_float_digits at startup, which PgBouncer does not track.
    cat > "$dir/pgbouncer.ini" <<CONF
[databases]
* = host=127.0.0.1 port=$primary_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = $pool_size
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 500
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
CONF
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_postgres "$bin" -d -q "$dir/pgbouncer.ini"
    for _ in $(seq 1 100); do
        if [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -d test -tAc "SELECT 1" 2>/dev/null)" = 1 ]; then
            return 0
        fi
        sleep 0.1
    done
    echo "pgbouncer: not answering on $port in front of $primary_port; see $dir/pgbouncer.log" >&2
    exit 1
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
