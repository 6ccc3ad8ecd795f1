# test/t/include/citus_cluster.sh: a Citus cluster of its own for the Citus
# suite and benchmark (sourced): a coordinator and two workers on loopback
# ports, in a throwaway directory that is removed on exit (the caller's
# EXIT trap calls stop_citus_cluster).  The servers run as postgres when
# the caller is root.
#   citus_installed                     whether citus.so is installed
#   start_citus_cluster [-c name=value ...]   sets cluster, coordinator, workers
#   citus_q -p <port> -d <db> ...       psql on a node (unaligned, stops at the first error)
#   citus_db <db> [citus]               the database on every node (with Citus in it, the workers added)
#   citus_add_nodes <db>                Citus in <db> told its coordinator and workers
citus_bin=/usr/lib/postgresql/15/bin

citus_installed() { [ -f "$("$citus_bin/pg_config" --pkglibdir)/citus.so" ]; }

citus_as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_citus_cluster() {
  local port
  cluster=$(mktemp -d /tmp/sla-citus.XXXXXX)
  chmod 755 "$cluster"
  [ "$(id -u)" = 0 ] && chown postgres "$cluster"
  coordinator=$((20000 + $$ % 20000))
  workers=($((coordinator + 1)) $((coordinator + 2)))
  for port in "$coordinator" "${workers[@]}"; do
    citus_as_server "$citus_bin/initdb" -D "$cluster/$port" -U postgres -A trust --no-sync >"$cluster/initdb-$port.log" 2>&1 &&
      citus_as_server "$citus_bin/pg_ctl" -D "$cluster/$port" -w -t 60 -l "$cluster/$port.log" \
        -o "-p $port -k $cluster -c listen_addresses=localhost -c shared_preload_libraries=citus -c fsync=off -c citus.shard_count=4 -c max_worker_processes=16 $*" \
        start >/dev/null || { tail -5 "$cluster"/*.log >&2; return 1; }
  done
}

stop_citus_cluster() {
  local port
  [ -n "${cluster:-}" ] || return 0
  for port in "$coordinator" "${workers[@]}"; do
    [ -d "$cluster/$port" ] && citus_as_server "$citus_bin/pg_ctl" -D "$cluster/$port" -m immediate stop >/dev/null 2>&1
  done
  rm -rf "$cluster"
}

citus_q() { timeout "${limit:-1800}" psql -X -q -At -v ON_ERROR_STOP=1 -h "$cluster" -U postgres "$@"; }

citus_db() {
  local port
  for port in "$coordinator" "${workers[@]}"; do
    timeout "${limit:-1800}" createdb -h "$cluster" -U postgres -p "$port" "$1" || return 1
    if [ "${2:-}" = citus ]; then citus_q -p "$port" -d "$1" -c "CREATE EXTENSION citus" || return 1; fi
  done
  if [ "${2:-}" = citus ]; then citus_add_nodes "$1"; fi
}

citus_add_nodes() {
  local port
  citus_q -p "$coordinator" -d "$1" -c "SELECT citus_set_coordinator_host('localhost', $coordinator)" >/dev/null || return 1
  for port in "${workers[@]}"; do
    citus_q -p "$coordinator" -d "$1" -c "SELECT citus_add_node('localhost', $port)" >/dev/null || return 1
  done
}
