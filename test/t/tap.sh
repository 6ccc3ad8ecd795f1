# test/t/tap.sh: what the shell suites share (sourced, after "limit" is set):
# TAP counting (ok, not_ok, skip, check), psql as they call it (psql_q: a
# timeout of $limit seconds, unaligned output, stop at the first error),
# and databases made for the run and dropped at its end (newdb,
# drop_databases).
n=0
failed=0
databases=()

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check() {                      # check <description> <command...>
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
psql_q() { timeout "$limit" psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
newdb() {                      # newdb <name>: (re)create it, drop it at the end
  databases+=("$1")
  timeout "$limit" dropdb --if-exists "$1" >/dev/null 2>&1
  timeout "$limit" createdb "$1"
}
drop_databases() {
  for db in "${databases[@]}"; do timeout "$limit" dropdb --if-exists "$db" >/dev/null 2>&1; done
}
