#!/bin/bash
# test/bench/helpdesk.sh: the cost of SLA tracking in 1.1 (statement triggers
# with transition tables, per-attachment state, a sweep over due tickets
# only), as ratios against baselines measured here, in the same run:
#  1. a sweep with nothing new to record over BENCH_TICKETS attached tickets
#     versus SELECT count(*) of the ticket table (target: at most 0.5);
#  2. pgbench single-row status updates, BENCH_CLIENTS clients, attached
#     versus the same table unattached (target: at least 0.80 of the tps);
#  3. one UPDATE of the status of 30,000 tickets, attached versus
#     unattached (target: at most 3x);
#  4. COPY of BENCH_TICKETS tickets into an empty attached table versus an
#     empty unattached one (target: at most 2x);
#  5. breached resolutions counted through the SLA view versus a hand-written
#     query calling sla.evaluate on the stored pauses (target: within 3x).
# Statements are timed one transaction (and one connection) each, as psql's
# \timing reports them, and the median of BENCH_RUNS runs taken; pgbench
# takes the best of two rounds.  Attached and unattached runs alternate, so
# that load from elsewhere hits both alike.  The summary has one line per
# ratio: the ratio (measured), its target, the baseline and the attached
# (timed) figure.  Sizes: BENCH_TICKETS (default 1000000), BENCH_CLIENTS
# (8), BENCH_SECONDS (20 per pgbench run), BENCH_RUNS (5).
# Uses the PG* environment (tools/run-bench runs it in a throwaway cluster).
set -uo pipefail
cd "$(dirname "$0")"
db=sla_bench_helpdesk
n=${BENCH_TICKETS:-1000000}
clients=${BENCH_CLIENTS:-8}
seconds=${BENCH_SECONDS:-20}
runs=${BENCH_RUNS:-5}
batch=30000
[ "$n" -ge "$batch" ] || { echo "BENCH_TICKETS must be at least $batch"; exit 1; }
size=$(awk -v n="$n" 'BEGIN { print (n % 1000000 == 0 ? n / 1000000 "M" : n % 1000 == 0 ? n / 1000 "k" : n) }')
work=$(mktemp -d)
chmod 777 "$work"         # the server writes and reads the COPY file
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || exit 1
trap 'dropdb --if-exists "$db" >/dev/null 2>&1; rm -rf "$work"' EXIT

. include/shell.sh
# result NAME TARGET UNIT BASELINE MEASURED: one line of the summary, the
# ratio MEASURED / BASELINE (NaN when a measurement failed)
results=""
result() { results+="('${1//\'/\'\'}', '$2', '$3', '${4:-NaN}', '${5:-NaN}'),"; }

# A helpdesk of n tickets created over the last year (the newest id last):
# older than two weeks almost all resolved, the last two weeks a backlog of
# open, pending and on-hold tickets; priorities weighted; an office calendar
# with holidays and tiered targets (first response 30 minutes to 30 hours,
# resolution 4 to 240 business hours).
q -v n="$n" <<'SQL' || exit 1
CREATE EXTENSION sla;
INSERT INTO sla.calendars VALUES ('office', 'Mo-Fr 08:00-18:00', 'Europe/Berlin');
INSERT INTO sla.holidays
SELECT 'office', d, 'holiday' FROM unnest('{2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03,
                                          2026-12-24,2026-12-25,2026-12-26,2027-01-01,2027-03-26,2027-03-29,2027-05-01,
                                          2027-05-06,2027-05-17,2027-10-03,2027-12-24,2027-12-25,2027-12-26}'::date[]) d;
INSERT INTO sla.policies (name, metric, priority, target, calendar)
SELECT p || ' ' || m, m, p, t * CASE m WHEN 'first_response' THEN 1 ELSE 8 END, 'office'
  FROM (VALUES ('critical', interval '30 minutes'), ('high', '2 hours'), ('medium', '8 hours'), ('low', '30 hours')) x(p, t),
       (VALUES ('first_response'), ('resolution')) y(m);
CREATE TABLE tickets (
    id integer PRIMARY KEY, subject text, status text NOT NULL, priority text NOT NULL,
    created_at timestamptz NOT NULL, first_response_at timestamptz, resolved_at timestamptz);
SELECT setseed(0.42) \gset
-- first replies within about a quarter of the target, resolutions mostly
-- within it: some 10 to 20 % of the stopped clocks breached
INSERT INTO tickets
SELECT i, 'Ticket ' || i,
       CASE WHEN resolved THEN (CASE WHEN r2 < 0.5 THEN 'closed' ELSE 'resolved' END)
            WHEN r2 < 0.35 THEN 'pending' WHEN r2 < 0.4 THEN 'on_hold' ELSE 'open' END,
       priority, created,
       CASE WHEN resolved OR now() - created > reply OR r2 < 0.2
            THEN created + least(now() - created, reply * random() ^ 2) END,
       CASE WHEN resolved THEN created + least(now() - created, fix * random() ^ 2) END
  FROM (SELECT i, created, r2, p.priority, p.reply, p.fix,
               CASE WHEN now() - created > interval '14 days' THEN r1 < 0.97 ELSE r1 < 0.55 END AS resolved
          FROM (SELECT i, now() - (:n - i + random()) * interval '365 days' / :n AS created,
                       random() AS r1, random() AS r2, random() AS r3
                  FROM generate_series(1, :n) i) x
          JOIN (VALUES ('critical', 0.0, 0.05, interval '1 hour', interval '1 day'),
                       ('high', 0.05, 0.25, '4 hours', '3 days'),
                       ('medium', 0.25, 0.75, '1 day', '12 days'),
                       ('low', 0.75, 1.0, '3 days', '40 days')) p(priority, lo, hi, reply, fix)
            ON x.r3 >= p.lo AND x.r3 < p.hi) y;
CREATE TABLE tickets_plain (LIKE tickets INCLUDING ALL);
INSERT INTO tickets_plain SELECT * FROM tickets;
-- empty tables for the COPY
CREATE TABLE copy_plain (LIKE tickets INCLUDING ALL);
CREATE TABLE copy_attached (LIKE tickets INCLUDING ALL);
VACUUM ANALYZE tickets, tickets_plain;
SQL
copy_file="$work/tickets.copy"
q -c "COPY tickets TO '$copy_file'" >/dev/null || exit 1

# 1. The sweep.  Attach, sweep until nothing new is recorded (the first
# sweep after the attach computes every ticket's next crossing), then time
# further sweeps against count(*).
attach_ms=$(ms "SELECT sla.attach('tickets')")
q -c "SELECT sla.attach('copy_attached')" >/dev/null || exit 1
state=$(q -A -t -c "SELECT 'sla_state.state_' || id FROM sla.attachments WHERE tickets = 'tickets'::regclass") || exit 1
q -c "ANALYZE $state" >/dev/null
first_sweep_ms=$(ms "SELECT sla.sweep()")
first_events=$(q -A -t -c "SELECT count(*) FROM sla.events")
sweeps=1
while :; do
  out=$(q -A -t -c "SELECT sla.sweep()" 2>&1)
  sweeps=$((sweeps + 1))
  { [ "$out" = 0 ] || [ "$sweeps" -ge 6 ]; } && break
done
[ "$out" = 0 ] || echo "warning: sweep $sweeps still recorded something: $out"
q -c "VACUUM ANALYZE $state" >/dev/null   # as autovacuum does after the first sweep's updates
q -A -t -F ' ' <<SQL | {
SELECT count(*) FILTER (WHERE next_check = 'infinity'), count(*) FILTER (WHERE next_check > now() AND next_check < 'infinity'),
       count(*) FILTER (WHERE next_check <= now()) FROM $state
SQL
  read -r never later due
  echo "attach of $size tickets: $(printf %.0f "$attach_ms") ms; first sweep: $(printf %.0f "$first_sweep_ms") ms, $first_events events;" \
       "after $sweeps sweeps next crossings: $never never, $later later, $due due"
}
sweep=(); count=()
for ((i = 0; i < runs + 2; i++)); do
  count+=("$(ms 'SELECT count(*) FROM tickets')")
  sweep+=("$(ms 'SELECT sla.sweep()')")
done
count_ms=$(printf '%s\n' "${count[@]}" | median)
sweep_ms=$(printf '%s\n' "${sweep[@]}" | median)
result "sweep with nothing new / count(*) of the table, $size attached tickets" "at most 0.50" ms "$count_ms" "$sweep_ms"

# 2. pgbench: single-row status updates of random tickets.
for table in tickets_plain tickets; do
  printf '%s\n' "\\set id random(1, $n)" \
    "UPDATE $table SET status = CASE status WHEN 'open' THEN 'pending' ELSE 'open' END WHERE id = :id;" \
    >"$work/$table.sql"
done
tps() {
  pgbench -n -c "$clients" -j "$clients" -T "$seconds" -f "$work/$1.sql" "$db" 2>&1 |
    sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -1
}
q -c "VACUUM ANALYZE tickets, tickets_plain, $state" >/dev/null
plain=0; attached=0
for round in 1 2; do
  plain=$(awk -v a="$plain" -v b="$(tps tickets_plain)" 'BEGIN { print (b > a ? b : a) }')
  attached=$(awk -v a="$attached" -v b="$(tps tickets)" 'BEGIN { print (b > a ? b : a) }')
done
result "pgbench single-row status updates, $clients clients: attached / unattached tps" "at least 0.80" tps "$plain" "$attached"

# 3. One UPDATE of 30,000 tickets' status (each run its own 30,000 of the
# recent tickets, the same ids in both tables).
q -c "VACUUM ANALYZE tickets, tickets_plain, $state" >/dev/null
plain=(); attached=()
for ((i = 0; i < runs; i++)); do
  k=$((i % (n / batch)))
  lo=$((n - (k + 1) * batch + 1)); hi=$((n - k * batch))
  for table in tickets_plain tickets; do
    t=$(ms "UPDATE $table SET status = CASE status WHEN 'open' THEN 'pending' ELSE 'open' END WHERE id BETWEEN $lo AND $hi")
    if [ "$table" = tickets ]; then attached+=("$t"); else plain+=("$t"); fi
  done
done
plain_ms=$(printf '%s\n' "${plain[@]}" | median)
attached_ms=$(printf '%s\n' "${attached[@]}" | median)
result "UPDATE of 30,000 tickets' status: attached / unattached" "at most 3" ms "$plain_ms" "$attached_ms"

# 4. COPY into an empty table.
plain=(); attached=()
for ((i = 0; i < runs; i++)); do
  for table in copy_plain copy_attached; do
    q -c "TRUNCATE $table" -c "CHECKPOINT" >/dev/null
    t=$(ms "COPY $table FROM '$copy_file'")
    if [ "$table" = copy_attached ]; then attached+=("$t"); else plain+=("$t"); fi
  done
done
plain_ms=$(printf '%s\n' "${plain[@]}" | median)
attached_ms=$(printf '%s\n' "${attached[@]}" | median)
result "COPY of $size tickets into an empty table: attached / unattached" "at most 2" ms "$plain_ms" "$attached_ms"
q -c "TRUNCATE copy_plain, copy_attached" >/dev/null

# 5. The SLA view against evaluate written by hand (the same answer first),
# and the summary: one line per ratio.  The changes of the runs above (well
# over a million, where a helpdesk makes a few thousand a minute) are
# folded first, as the scheduled sweep would have done every minute.
q -c "SELECT sla.sweep()" -c "VACUUM ANALYZE $state" >/dev/null || exit 1
q <<SQL
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE pauses AS SELECT ticket_id AS id, paused FROM $state;
CREATE TEMP TABLE targets AS SELECT priority, target, warn_at FROM sla.policies WHERE metric = 'resolution';
ANALYZE pauses, targets;
\ir timing.sql
\set hand 'SELECT count(*) FILTER (WHERE r.state = ''breached'') FROM tickets t JOIN pauses p USING (id) JOIN targets g USING (priority) CROSS JOIN LATERAL sla.evaluate(t.created_at, g.target, (SELECT cal FROM sla.calendar_values WHERE name = ''office''), t.resolved_at, p.paused, now(), g.warn_at) r'
\set view 'SELECT count(*) FILTER (WHERE resolution_state = ''breached'') FROM tickets_sla'
SELECT (:view) = (:hand) AS same_answer \gset
\if :same_answer
CREATE TEMP TABLE m AS SELECT pg_temp.time_ms(:'view') AS view_ms, pg_temp.time_ms(:'hand') AS hand_ms;
\else
\echo 'the SLA view and the hand-written query disagree: no timing'
CREATE TEMP TABLE m AS SELECT 'NaN'::float8 AS view_ms, 'NaN'::float8 AS hand_ms;
\endif
CREATE TEMP TABLE results (ratio text, target text, unit text, baseline float8, measured float8);
INSERT INTO results VALUES $results
  ('breached resolutions: SLA view / evaluate by hand, $size tickets', 'within 3x', 'ms',
   (SELECT hand_ms FROM m), (SELECT view_ms FROM m));
SELECT ratio, round((CASE WHEN baseline > 0 THEN measured / baseline END)::numeric, 2) AS measured, target,
       round(baseline::numeric, CASE WHEN baseline < 100 THEN 1 ELSE 0 END) || ' ' || unit AS baseline,
       round(measured::numeric, CASE WHEN measured < 100 THEN 1 ELSE 0 END) || ' ' || unit AS timed
  FROM results;
SQL
