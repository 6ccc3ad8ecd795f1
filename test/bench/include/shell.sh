# test/bench/include/shell.sh: what the shell benchmarks share (sourced
# once "db" names their database): q runs psql on it, ms times one
# statement, median takes the median of numbers on stdin.
q() { psql -X -q -d "$db" -v ON_ERROR_STOP=1 "$@"; }
# ms SQL: the time of one statement in milliseconds, in a transaction and a
# connection of its own (as pg_cron runs a sweep)
ms() {
  local out
  if ! out=$(q -c '\timing on' -c "$1" 2>&1); then
    echo "failed: $1" >&2; echo "$out" >&2; echo NaN; return
  fi
  if grep -q -E '^(WARNING|ERROR)' <<<"$out"; then echo "$out" | grep -E '^(WARNING|ERROR)' >&2; fi
  sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out" | tail -1
}
median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
