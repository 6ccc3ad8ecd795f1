#!/bin/bash
# test/bench/metrics.sh: the cost of metric definitions, as a ratio against
# a baseline measured here, in the same run: the SLA view over BENCH_TICKETS
# tickets with the five definitions of the README's "Metric definitions"
# (first response by column; resolution by statuses, counted per cycle;
# requester wait and agent work by statuses with pauses of their own; time
# to own by columns, never paused) against the same tickets in a table
# attached with the two 1.0 metrics (first response and resolution by
# column), per metric: (time / 5) / (time / 2).  Target: at most 2.5.
# Both tables hold the same rows and the same status histories, made by
# the application's own statements (inserts, then status updates in
# transactions of their own: pending, open again, resolved, reopened,
# closed), folded into the state as the sweep does.  Each view is timed
# BENCH_RUNS times, alternating, as a count of breached clocks over every
# metric (which evaluates them all); the median is taken.  Sizes:
# BENCH_TICKETS (default 1000000), BENCH_RUNS (3); BENCH_KEEP=1 keeps the
# database (sla_bench_metrics) for EXPLAIN afterwards.
# Uses the PG* environment (tools/run-bench runs it in a throwaway cluster).
set -uo pipefail
cd "$(dirname "$0")"
db=sla_bench_metrics
n=${BENCH_TICKETS:-1000000}
runs=${BENCH_RUNS:-3}
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || exit 1
[ -n "${BENCH_KEEP:-}" ] || trap 'dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
. include/shell.sh

# n tickets created over the last year, priorities weighted, first replies
# and assignments some hours after creation (some not yet); the office
# calendar and targets of helpdesk.sh, one policy per metric and priority.
q -v n="$n" <<'SQL' || exit 1
CREATE EXTENSION sla;
INSERT INTO sla.calendars VALUES ('office', 'Mo-Fr 08:00-18:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, priority, target, calendar)
SELECT p || ' ' || m, m, p, t * f, 'office'
  FROM (VALUES ('critical', interval '30 minutes'), ('high', '2 hours'), ('medium', '8 hours'), ('low', '30 hours')) x(p, t),
       (VALUES ('first_response', 1), ('resolution', 8), ('requester_wait', 8), ('agent_work', 6), ('time_to_own', 2)) y(m, f);
CREATE TABLE tickets2 (
    id integer PRIMARY KEY, status text NOT NULL, priority text NOT NULL, created_at timestamptz NOT NULL,
    first_response_at timestamptz, assigned_at timestamptz, resolved_at timestamptz);
CREATE TABLE tickets5 (LIKE tickets2 INCLUDING ALL);
SELECT sla.attach('tickets2', metrics => '{"first_response": "first_response_at", "resolution": "resolved_at"}');
SELECT sla.attach('tickets5', metrics => '{
  "first_response": "first_response_at",
  "resolution":     {"stop_statuses": ["resolved", "closed"], "cycles": "each"},
  "requester_wait": {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["pending"]},
  "agent_work":     {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["pending", "on_hold"]},
  "time_to_own":    {"start": "created_at", "stop": "assigned_at", "pause_statuses": []}}');
SELECT setseed(0.42) \gset
CREATE TEMP TABLE rows AS
SELECT i, 'open' AS status, (ARRAY['critical', 'high', 'medium', 'medium', 'low'])[1 + abs(hashint4(i)) % 5] AS priority, created,
       CASE WHEN random() < 0.9 THEN created + random() * interval '6 hours' END AS first_response_at,
       CASE WHEN random() < 0.8 THEN created + random() * interval '4 hours' END AS assigned_at,
       NULL::timestamptz AS resolved_at
  FROM (SELECT i, now() - (:n - i + random()) * interval '365 days' / :n AS created FROM generate_series(1, :n) i) x;
INSERT INTO tickets2 SELECT * FROM rows;
INSERT INTO tickets5 SELECT * FROM rows;
SQL
# The status histories, each step a transaction of its own in both tables.
for step in "status = 'pending' WHERE id % 5 < 2" \
            "status = 'on_hold' WHERE id % 10 = 2" \
            "status = 'open' WHERE id % 5 = 0" \
            "status = 'resolved', resolved_at = now() WHERE id % 10 < 7" \
            "status = 'open', resolved_at = NULL WHERE id % 10 = 6" \
            "status = 'closed', resolved_at = coalesce(resolved_at, now()) WHERE id % 10 < 5"; do
  for table in tickets2 tickets5; do
    q -c "UPDATE $table SET $step" || exit 1
  done
done
q <<'SQL' || exit 1
SELECT sla_private.fold_changes(a) FROM sla.attachments a;
VACUUM ANALYZE tickets2, tickets5;
SELECT format('VACUUM ANALYZE sla_state.state_%1$s, sla_state.history_%1$s, sla_state.changes_%1$s', id) FROM sla.attachments \gexec
SQL

q <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\ir timing.sql
\set two 'SELECT count(*) FILTER (WHERE first_response_state = ''breached''), count(*) FILTER (WHERE resolution_state = ''breached'') FROM tickets2_sla'
\set five 'SELECT count(*) FILTER (WHERE first_response_state = ''breached''), count(*) FILTER (WHERE resolution_state = ''breached''), count(*) FILTER (WHERE requester_wait_state = ''breached''), count(*) FILTER (WHERE agent_work_state = ''breached''), count(*) FILTER (WHERE time_to_own_state = ''breached'') FROM tickets5_sla'
CREATE TEMP TABLE m (two_ms float8, five_ms float8);
SELECT format('INSERT INTO m SELECT pg_temp.time_ms(%L, 1), pg_temp.time_ms(%L, 1)', :'two', :'five') FROM generate_series(1, $runs) \gexec
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY two_ms) AS two_ms, percentile_cont(0.5) WITHIN GROUP (ORDER BY five_ms) AS five_ms FROM m \gset
SELECT 'SLA view per metric: five definitions / two 1.0 metrics, $n tickets' AS ratio,
       round(((:five_ms / 5) / (:two_ms / 2))::numeric, 2) AS measured, 'at most 2.5' AS target,
       round(:two_ms::numeric) || ' ms for 2' AS baseline, round(:five_ms::numeric) || ' ms for 5' AS timed;
SQL
