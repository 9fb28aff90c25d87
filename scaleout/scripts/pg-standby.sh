#!/usr/bin/env bash
# A PostgreSQL primary and a hot standby (streaming replication) on 127.0.0.1, for the scale-out tests.
#   pg-standby.sh up     initdb the primary, pg_basebackup the standby, start both; prints nothing else on success
#   pg-standby.sh down   stop both and delete their directories (also after a half-finished up)
# Ports: ATHANOR_PG_PRIMARY_PORT (5434) and ATHANOR_PG_STANDBY_PORT (5435); data under ATHANOR_SCALEOUT_DIR
# (/tmp/athanor-scaleout). User postgres, trust authentication, database test. The servers on 5432 are not touched.
# PostgreSQL refuses to run as root: when run as root, the servers run as the postgres user.
set -euo pipefail
primary_port=${ATHANOR_PG_PRIMARY_PORT:-5434}
standby_port=${ATHANOR_PG_STANDBY_PORT:-5435}
base=${ATHANOR_SCALEOUT_DIR:-/tmp/athanor-scaleout}/pg-$primary_port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-standby: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_one() {  # stop_one DATADIR
    if [ -f "$1/postmaster.pid" ]; then as_postgres "$bin/pg_ctl" -D "$1" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
}

down() {
    stop_one "$base/standby"
    stop_one "$base/primary"
    rm -rf "$base"
}

start_one() {  # start_one DATADIR PORT
    as_postgres "$bin/pg_ctl" -D "$1" -l "$1/server.log" -w -t 60 \
        -o "-p $2 -k $base -c listen_addresses=127.0.0.1" start >/dev/null
}

up() {
    down
    mkdir -p "$base"
    [ "$(id -u)" = 0 ] && chown postgres: "$base"
    as_postgres "$bin/initdb" -D "$base/primary" -U postgres -A trust --no-sync >/dev/null
    cat >> "$base/primary/postgresql.conf" <<CONF
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
fsync = off
synchronous_commit = on
max_connections = 100
CONF
    echo "host replication postgres 127.0.0.1/32 trust" >> "$base/primary/pg_hba.conf"
    start_one "$base/primary" "$primary_port"
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d postgres -qc "CREATE DATABASE test"
    as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$base/standby" \
        -R -X stream -C -S athanor_standby -c fast >/dev/null 2>&1
    start_one "$base/standby" "$standby_port"
    # The standby is usable once it accepts read-only connections and has replayed what the primary had.
    for _ in $(seq 1 60); do
        if [ "$(as_postgres "$bin/psql" -h 127.0.0.1 -p "$standby_port" -U postgres -d test -tAc \
                "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ]; then return 0; fi
        sleep 0.5
    done
    echo "pg-standby: the standby on $standby_port did not come up; see $base/standby/server.log" >&2
    exit 1
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
