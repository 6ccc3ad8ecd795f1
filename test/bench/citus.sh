#!/bin/bash
# test/bench/citus.sh: sla's functions in a Citus cluster of its own (a
# coordinator and two workers, test/t/include/citus_cluster.sh), as ratios
# against the same data in tables of the coordinator alone, measured in the
# same run (BENCH_RUNS runs each, default 3, alternating; the median):
#   - breaches of BENCH_TICKETS tickets (default 1000000) with sla.evaluate
#     and the named calendars joined from sla.calendar_values (reference
#     tables): pushed down to the workers;
#   - sla.pauses over BENCH_HISTORY status rows (default 2000000) grouped by
#     team, not the distribution column: aggregated in parts on the workers,
#     combined on the coordinator.
# On this 2-core machine the three nodes share the cores: a ratio near 1
# means the distributed plan costs no more than one node doing all the
# work; on separate machines each worker scans only its shards, so the
# pushed-down part divides by the number of workers.  Skipped without Citus.
set -uo pipefail
cd "$(dirname "$0")/../.."
tickets=${BENCH_TICKETS:-1000000}
history=${BENCH_HISTORY:-2000000}
runs=${BENCH_RUNS:-3}
. test/t/include/citus_cluster.sh
. test/bench/include/shell.sh
if ! citus_installed; then
  echo "skipped: Citus is not installed (../shared/tools/install-citus installs it)"
  exit 0
fi
trap stop_citus_cluster EXIT
start_citus_cluster -c shared_buffers=512MB -c work_mem=256MB -c max_wal_size=4GB -c jit=off || exit 1
db=sla_bench_citus
citus_db $db citus || exit 1
export PGHOST=$cluster PGPORT=$coordinator PGUSER=postgres

q -v tickets="$tickets" -v history="$history" >/dev/null <<'SQL' || exit 1
CREATE EXTENSION sla;
INSERT INTO sla.calendars
SELECT 'desk ' || i, format('Mo-Fr %s:00-%s:00', 7 + i % 3, 16 + i % 3),
       (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Pacific/Chatham'])[1 + i % 5]
  FROM generate_series(0, 19) i;
CREATE TABLE tickets (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, resolved_at timestamptz, calendar text NOT NULL);
SELECT create_distributed_table('tickets', 'id');
INSERT INTO tickets
SELECT i, timestamptz '2026-01-01 00:00+00' + (i % 500000) * interval '1 minute',
       CASE WHEN i % 4 <> 0 THEN timestamptz '2026-01-01 00:00+00' + (i % 500000) * interval '1 minute' + (i % 97) * interval '1 hour' END,
       'desk ' || i % 20
  FROM generate_series(1, :tickets) i;
CREATE TABLE local_tickets AS SELECT * FROM tickets;
CREATE TABLE history (ticket bigint NOT NULL, team int NOT NULL, at timestamptz NOT NULL, paused boolean NOT NULL);
SELECT create_distributed_table('history', 'ticket');
INSERT INTO history
SELECT 1 + i % 100000, i % 7, timestamptz '2026-01-01 00:00+00' + i * interval '1 second', i % 5 < 2
  FROM generate_series(1, :history) i;
CREATE TABLE local_history AS SELECT * FROM history;
VACUUM ANALYZE local_tickets;
VACUUM ANALYZE local_history;
SQL

breaches="SELECT count(*) FILTER (WHERE (sla.evaluate(t.created_at, '8 hours', v.cal, t.resolved_at, '{}',
                                                       '2027-01-01 00:00+00')).state = 'breached')
            FROM %s t JOIN sla.calendar_values v ON v.name = t.calendar"
# (upper() over the aggregate, not an outer query: Citus would plan the
# grouped query as a subplan and send its ranges to the workers)
pauses="SELECT team, upper(sla.pauses(at, paused)) FROM %s GROUP BY team"
same=$(q -At -c "$(printf "$breaches" tickets)" -c "$(printf "$breaches" local_tickets)" | sort -u | wc -l)
[ "$same" = 1 ] || echo "the distributed and the local breach counts differ" >&2
for i in $(seq "$runs"); do
  echo "breaches distributed $(ms "$(printf "$breaches" tickets)")"
  echo "breaches local $(ms "$(printf "$breaches" local_tickets)")"
  echo "pauses distributed $(ms "$(printf "$pauses" history)")"
  echo "pauses local $(ms "$(printf "$pauses" local_history)")"
done >"$cluster/times"
m() { grep "^$1 $2 " "$cluster/times" | awk '{ print $3 }' | median; }
printf '%-75s %9s %9s %7s\n' "what (median of $runs runs)" "Citus ms" "local ms" "ratio"
for what in breaches pauses; do
  d=$(m $what distributed); l=$(m $what local)
  case $what in
    breaches) label="breaches of $tickets tickets, evaluate + named calendars, pushed down" ;;
    pauses) label="sla.pauses over $history rows grouped by team, partial on the workers" ;;
  esac
  printf '%-75s %9.0f %9.0f %7.2f\n' "$label" "$d" "$l" "$(awk -v d="$d" -v l="$l" 'BEGIN { print d / l }')"
done
