#!/usr/bin/env bash
# A MariaDB primary and a GTID replica on 127.0.0.1, for the scale-out tests.
#   mariadb-replica.sh up     install both data directories, start both, replicate the primary (GTID, slave_pos)
#   mariadb-replica.sh down   stop both and delete their directories (also after a half-finished up)
# Ports: ATHANOR_MARIADB_PRIMARY_PORT (3307) and ATHANOR_MARIADB_REPLICA_PORT (3308); data under ATHANOR_SCALEOUT_DIR
# (/tmp/athanor-scaleout). Users: root (empty password, all privileges: writes on the replica succeed) and athanor
# (empty password, all privileges on database test only, as an application has: writes on the read-only replica
# fail with 1290). The server on 3306 is not touched.
set -euo pipefail
primary_port=${ATHANOR_MARIADB_PRIMARY_PORT:-3307}
replica_port=${ATHANOR_MARIADB_REPLICA_PORT:-3308}
base=${ATHANOR_SCALEOUT_DIR:-/tmp/athanor-scaleout}/mariadb-$primary_port

sql() {  # sql PORT STATEMENTS
    mariadb --no-defaults -h 127.0.0.1 -P "$1" -u root -e "$2"
}

stop_one() {  # stop_one NAME
    local pidfile=$base/$1/mariadbd.pid
    if [ -f "$pidfile" ]; then
        local pid; pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
}

down() {
    stop_one replica
    stop_one primary
    rm -rf "$base"
}

start_one() {  # start_one NAME PORT SERVER_ID EXTRA...
    local name=$1 port=$2 id=$3; shift 3
    local dir=$base/$name
    mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user=mysql --auth-root-authentication-method=normal \
        --skip-test-db >"$dir/install.log" 2>&1
    chown -R mysql: "$dir"
    mariadbd --no-defaults --user=mysql --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
        --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
        --server-id="$id" --log-bin=mariadb-bin --binlog-format=ROW --gtid-strict-mode=1 \
        --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 --skip-name-resolve "$@" >"$dir/stdout.log" 2>&1 &
    for _ in $(seq 1 120); do
        if mariadb-admin --no-defaults -h 127.0.0.1 -P "$port" -u root ping >/dev/null 2>&1; then return 0; fi
        sleep 0.25
    done
    echo "mariadb-replica: the $name on $port did not come up; see $dir/error.log" >&2
    exit 1
}

up() {
    down
    mkdir -p "$base"
    start_one primary "$primary_port" 1
    start_one replica "$replica_port" 2 --read-only=1 --log-slave-updates=1
    sql "$primary_port" "
        CREATE DATABASE test;
        CREATE USER 'repl'@'127.0.0.1'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
        CREATE USER 'athanor'@'127.0.0.1'; GRANT ALL PRIVILEGES ON test.* TO 'athanor'@'127.0.0.1';"
    # The replica starts from the primary's first GTID: everything above (database and users) replicates.
    sql "$replica_port" "
        SET GLOBAL gtid_slave_pos = '';
        CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='repl',
            MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
        START SLAVE;"
    local want; want=$(mariadb --no-defaults -h 127.0.0.1 -P "$primary_port" -u root -N -e "SELECT @@gtid_binlog_pos")
    for _ in $(seq 1 120); do
        if [ "$(mariadb --no-defaults -h 127.0.0.1 -P "$replica_port" -u root -N -e \
                "SELECT MASTER_GTID_WAIT('$want', 0)" 2>/dev/null)" = 0 ]; then return 0; fi
        sleep 0.25
    done
    echo "mariadb-replica: the replica on $replica_port did not catch up; see $base/replica/error.log" >&2
    exit 1
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
