#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on 127.0.0.1, for the scale-out tests.
#   galera.sh up          bootstrap node 0, join nodes 1 and 2 (rsync state transfer), create database test
#   galera.sh down        stop every node and delete the directories (also after a half-finished up)
#   galera.sh stop N      stop node N (0, 1 or 2) the way a crash does (SIGKILL): the others carry on
#   galera.sh start N     start node N again; it rejoins the cluster (incremental or full state transfer)
# Ports: SQL ATHANOR_GALERA_PORT + N (3311-3313); group communication ATHANOR_GALERA_GCOMM_PORT + 10 N (4567, 4577,
# 4587), incremental state transfer one above it, rsync state transfer ATHANOR_GALERA_SST_PORT + N (4444-4446).
# Data under ATHANOR_SCALEOUT_DIR (/tmp/athanor-scaleout). User root, empty password. 3306 is not touched.
set -euo pipefail
sql_port=${ATHANOR_GALERA_PORT:-3311}
gcomm_port=${ATHANOR_GALERA_GCOMM_PORT:-4567}
sst_port=${ATHANOR_GALERA_SST_PORT:-4444}
base=${ATHANOR_SCALEOUT_DIR:-/tmp/athanor-scaleout}/galera-$sql_port
provider=$(ls /usr/lib/galera/libgalera_smm.so /usr/lib/libgalera_smm.so 2>/dev/null | head -n 1)
[ -n "$provider" ] || { echo "galera: libgalera_smm.so not found (Debian package galera-4)" >&2; exit 1; }
cluster="gcomm://127.0.0.1:$gcomm_port,127.0.0.1:$((gcomm_port + 10)),127.0.0.1:$((gcomm_port + 20))"

port_of() { echo $((sql_port + $1)); }

ready() {  # ready N: the node accepts SQL and is a synced member of the primary component
    [ "$(mariadb --no-defaults -h 127.0.0.1 -P "$(port_of "$1")" -u root -N -e \
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT'" \
        2>/dev/null)" = Synced ]
}

start_node() {  # start_node N [--wsrep-new-cluster]
    local n=$1; shift
    local dir=$base/node$n g=$((gcomm_port + 10 * n))
    if [ ! -d "$dir/data" ]; then
        mkdir -p "$dir/data"
        if [ "$n" = 0 ]; then
            mariadb-install-db --no-defaults --datadir="$dir/data" --user=mysql \
                --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
        fi
        chown -R mysql: "$dir"
    fi
    mariadbd --no-defaults --user=mysql --datadir="$dir/data" --port="$(port_of "$n")" --bind-address=127.0.0.1 \
        --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
        --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
        --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 --skip-name-resolve \
        --wsrep-on=ON --wsrep-provider="$provider" --wsrep-cluster-name=athanor --wsrep-cluster-address="$cluster" \
        --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:$g" \
        --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;gcache.size=64M" \
        --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((sst_port + n))" \
        --wsrep-slave-threads=2 "$@" >"$dir/stdout.log" 2>&1 &
    for _ in $(seq 1 240); do
        if ready "$n"; then return 0; fi
        sleep 0.25
    done
    echo "galera: node $n did not join; see $dir/error.log" >&2
    exit 1
}

stop_node() {  # stop_node N SIGNAL
    local pidfile=$base/node$1/mariadbd.pid
    if [ -f "$pidfile" ]; then
        local pid; pid=$(cat "$pidfile")
        kill "-$2" "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    fi
}

down() {
    for n in 2 1 0; do stop_node "$n" KILL; done
    pkill -f "rsync --daemon.*$base" 2>/dev/null || true
    rm -rf "$base"
}

up() {
    down
    mkdir -p "$base"
    start_node 0 --wsrep-new-cluster
    start_node 1
    start_node 2
    mariadb --no-defaults -h 127.0.0.1 -P "$sql_port" -u root -e "CREATE DATABASE test"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    stop) stop_node "${2:?node}" KILL ;;
    start) start_node "${2:?node}" ;;
    *) echo "usage: $0 up|down|stop N|start N" >&2; exit 2 ;;
esac
