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
#     combined on the coordinator;
#   - an attached distributed ticket table of BENCH_DESK tickets (default
#     1000000) against the same attached on the coordinator: the SLA view's
#     count of breached resolutions (evaluated on the workers), a sweep with
#     nothing due, a busy sweep (BENCH_BUSY tickets changed, default 10000:
#     folded and evaluated on the workers, shard group by shard group), and
#     single-row status updates with pgbench through the coordinator
#     (BENCH_CLIENTS clients, default 4, BENCH_SECONDS seconds, default 15:
#     the ratio is local over distributed throughput, so above 1 is slower).
# On this 2-core machine the three nodes share the cores: a ratio near 1
# means the distributed plan costs no more than one node doing all the
# work; on separate machines each worker scans only its shards, so the
# pushed-down part divides by the number of workers.  Skipped without Citus.
set -uo pipefail
cd "$(dirname "$0")/../.."
tickets=${BENCH_TICKETS:-1000000}
history=${BENCH_HISTORY:-2000000}
runs=${BENCH_RUNS:-3}
desk=${BENCH_DESK:-1000000}
busy=${BENCH_BUSY:-10000}
clients=${BENCH_CLIENTS:-4}
seconds=${BENCH_SECONDS:-15}
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

# the attached desks: 1M tickets over a year, a fifth resolved, every
# seventh pending; first response and resolution by priority
q -v desk="$desk" >/dev/null <<'SQL' || exit 1
INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES
    ('urgent answer', 'first_response', 'high', '2 hours', 'desk 0'), ('answer', 'first_response', NULL, '8 hours', 'desk 1'),
    ('urgent fix', 'resolution', 'high', '2 days', 'desk 2'), ('fix', 'resolution', NULL, '5 days', 'desk 3');
CREATE TABLE desk (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, status text NOT NULL, priority text,
                   first_response_at timestamptz, resolved_at timestamptz);
SELECT create_distributed_table('desk', 'id');
INSERT INTO desk
SELECT i, c, CASE WHEN i % 5 = 0 THEN 'resolved' WHEN i % 7 = 0 THEN 'pending' ELSE 'open' END,
       CASE WHEN i % 3 = 0 THEN 'high' END, CASE WHEN i % 2 = 0 THEN c + (i % 600) * interval '1 minute' END,
       CASE WHEN i % 5 = 0 THEN c + (i % 300) * interval '1 hour' END
  FROM generate_series(1, :desk) i, LATERAL (SELECT now() - interval '365 days' + (i % 525600) * interval '1 minute' AS c) x;
CREATE TABLE local_desk (LIKE desk INCLUDING ALL);
INSERT INTO local_desk SELECT * FROM desk;
SELECT sla.attach('desk'), sla.attach('local_desk');
SELECT sla.sweep();
VACUUM ANALYZE local_desk;
SQL
view_count="SELECT count(*) FILTER (WHERE resolution_state = 'breached') FROM %s_sla"
# one attachment's sweep (sla.sweep sweeps them all)
sweep_one="SELECT sla_private.sweep_attachment(a, now(), (SELECT v.version FROM sla_private.config_version v))
             FROM sla.attachments a WHERE a.tickets = '%s'::regclass"
sweep_busy="UPDATE %s SET status = CASE status WHEN 'open' THEN 'pending' ELSE 'open' END WHERE id OPERATOR(pg_catalog.%) $((desk / busy)) = 1"
work=$cluster/pgbench
mkdir -p "$work"
for t in desk local_desk; do
  printf '\\set id random(1, %s)\nUPDATE %s SET status = CASE status WHEN %s THEN %s ELSE %s END WHERE id = :id;\n' \
    "$desk" "$t" "'open'" "'pending'" "'open'" >"$work/$t.sql"
done
tps() { pgbench -n -c "$clients" -j "$clients" -T "$seconds" -f "$work/$1.sql" "$db" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }

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
  echo "view distributed $(ms "$(printf "$view_count" desk)")"
  echo "view local $(ms "$(printf "$view_count" local_desk)")"
  echo "quiet distributed $(ms "$(printf "$sweep_one" desk)")"
  echo "quiet local $(ms "$(printf "$sweep_one" local_desk)")"
  q -c "${sweep_busy//%s/desk}" -c "${sweep_busy//%s/local_desk}" >/dev/null
  echo "busy distributed $(ms "$(printf "$sweep_one" desk)")"
  echo "busy local $(ms "$(printf "$sweep_one" local_desk)")"
  echo "updates distributed $(tps desk)"
  echo "updates local $(tps local_desk)"
  q -c "SELECT sla.sweep()" >/dev/null
done >"$cluster/times"
m() { grep "^$1 $2 " "$cluster/times" | awk '{ print $3 }' | median; }
printf '%-75s %9s %9s %7s\n' "what (median of $runs runs)" "Citus" "local" "ratio"
for what in breaches pauses view quiet busy updates; do
  d=$(m $what distributed); l=$(m $what local)
  case $what in
    breaches) label="breaches of $tickets tickets, evaluate + named calendars, pushed down" ;;
    pauses) label="sla.pauses over $history rows grouped by team, partial on the workers" ;;
    view) label="SLA view of $desk attached tickets: count of breached resolutions" ;;
    quiet) label="sweep of the $desk attached tickets, nothing due" ;;
    busy) label="sweep after $busy status changes" ;;
    updates) label="pgbench status updates, $clients clients (tps; ratio: local / Citus)" ;;
  esac
  if [ $what = updates ]; then
    printf '%-75s %9.0f %9.0f %7.2f\n' "$label" "$d" "$l" "$(awk -v d="$d" -v l="$l" 'BEGIN { print l / d }')"
  else
    printf '%-75s %9.0f %9.0f %7.2f\n' "$label" "$d" "$l" "$(awk -v d="$d" -v l="$l" 'BEGIN { print d / l }')"
  fi
done
