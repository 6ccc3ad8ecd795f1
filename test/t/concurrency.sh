#!/bin/bash
# test/t/concurrency.sh: the tracking trigger and the sweep under load.
# pgbench runs 8 clients for CONCURRENCY_SECONDS (default 60): 6 change the
# status of random tickets of an attached table the way an application does
# (read the ticket, think for up to 3 ms, update it, commit; now and then
# open a new ticket), 2 run SELECT sla.sweep() over and over.  So two
# transactions often change the same ticket, the one that began first
# writing last.  Afterwards, with a
# last sweep as of an instant T when everything has committed:
#   - no client failed: no deadlock, no serialization failure, no error;
#   - no status change was lost or recorded twice: the status history
#     equals, ticket by ticket and in order, an audit trail the test keeps
#     with a trigger of its own;
#   - every ticket's state (status, paused ranges, times reopened) equals
#     what its status history gives, and its status is the ticket's;
#   - no event is duplicated, and none is lost: the crossings recomputed
#     here from the status history (sla.pauses over sla.status_history,
#     sla.evaluate as of T) are exactly the events recorded, at the same
#     instants.  An event recorded by a sweep that could not see a status
#     change still in flight (one that began before the sweep and
#     committed after its snapshot) may legitimately differ; such events
#     are counted and shown, any other difference fails.
# The calendar is 24/7 and the targets are seconds, so that crossings
# happen all through the run.  It runs twice: with a plain ticket table, and
# with a partitioned one (by status, the open ones partitioned again by id)
# in which every change between open and done moves the row to another
# partition.  In both, one more client imports old status changes of random
# tickets with sla.record_status while the others change them, so that the
# import and the trigger race for the same tickets: neither may lose the
# other's change.
#
# Run: bash test/t/concurrency.sh   (PGHOST, PGPORT, PGUSER of a superuser;
# CONCURRENCY_SECONDS per layout, CONCURRENCY_TICKETS; creates and drops
# the databases sla_concurrency_<pid>_<layout>)
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${CONCURRENCY_SECONDS:-30}
tickets=${CONCURRENCY_TICKETS:-200}
export PGDATABASE=postgres
db=""
work=$(mktemp -d)
limit=$((seconds + 300))       # no step may take longer than this
. test/t/tap.sh
q() { psql_q -d "$db" "$@"; }
# zero <description> <query>: the query counts problems; show them when there are any
zero() {
  local count
  count=$(q -c "SELECT count(*) FROM ($2) problems" 2>&1)
  if [ "$count" = "0" ]; then
    ok "$1"
  else
    not_ok "$1 ($count)"
    q -c "SELECT * FROM ($2) problems LIMIT 10" 2>&1 | sed 's/^/#   /'
  fi
}
cleanup() {
  [ -n "${bench_pids:-}" ] && kill $bench_pids 2>/dev/null
  [ -n "${KEEP_DATABASE:-}" ] || [ -z "$db" ] || timeout 60 dropdb --if-exists "$db" >/dev/null 2>&1
  [ -n "${KEEP_DATABASE:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# The ticket table of a layout: plain, or partitioned so that status changes move rows.
table_sql() {
  if [ "$1" = plain ]; then
    echo "CREATE TABLE app.tickets (id bigint PRIMARY KEY, status text NOT NULL, priority text,
          created_at timestamptz NOT NULL DEFAULT now(), first_response_at timestamptz, resolved_at timestamptz);"
  else
    echo "CREATE TABLE app.tickets (id bigint, status text NOT NULL, priority text,
          created_at timestamptz NOT NULL DEFAULT now(), first_response_at timestamptz, resolved_at timestamptz,
          PRIMARY KEY (id, status)) PARTITION BY LIST (status);
          CREATE TABLE app.tickets_active PARTITION OF app.tickets FOR VALUES IN ('open', 'pending', 'on_hold')
              PARTITION BY HASH (id);
          CREATE TABLE app.tickets_active_0 PARTITION OF app.tickets_active FOR VALUES WITH (MODULUS 2, REMAINDER 0);
          CREATE TABLE app.tickets_active_1 PARTITION OF app.tickets_active FOR VALUES WITH (MODULUS 2, REMAINDER 1);
          CREATE TABLE app.tickets_done PARTITION OF app.tickets FOR VALUES IN ('resolved', 'closed');"
  fi
}

# Set up, run the clients, and check everything, for one layout.
run_layout() {
layout=$1
db="sla_concurrency_$$_$layout"
createdb "$db" || { not_ok "create a database"; return; }
q >/dev/null 2>"$work/setup.err" <<SQL
CREATE EXTENSION sla;
INSERT INTO sla.calendars VALUES ('support', '24/7', 'UTC');
INSERT INTO sla.policies (name, metric, priority, target, calendar, warn_at) VALUES
    ('response', 'first_response', NULL, '20 seconds', 'support', 0.5),
    ('resolution', 'resolution', NULL, '45 seconds', 'support', 0.75),
    ('high resolution', 'resolution', 'high', '30 seconds', 'support', 0.75);
CREATE SCHEMA app;
$(table_sql "$layout")
CREATE SEQUENCE app.new_ticket_ids START 1000001;
-- the tickets there at the start, opened up to 30 seconds ago, whose statuses
-- the clients change; then 60 quiet ones, opened 1 to 60 seconds ago, that
-- cross their targets before and during the run
INSERT INTO app.tickets (id, status, priority, created_at)
    SELECT i, 'open', (ARRAY['high', 'normal', 'low'])[1 + i % 3], now() - (i % 30) * interval '1 second'
      FROM generate_series(1, $tickets) i
    UNION ALL
    SELECT i, 'open', (ARRAY['high', 'normal', 'low'])[1 + i % 3], now() - (i - $tickets) * interval '1 second'
      FROM generate_series($tickets + 1, $tickets + 60) i;
SELECT sla.attach('app.tickets');
-- the test's own record of every status change, in the order the rows were written
CREATE TABLE app.audit (n bigserial PRIMARY KEY, id bigint, status text);
CREATE FUNCTION app.audit() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO app.audit (id, status) VALUES (NEW.id, NEW.status);
    END IF;
    RETURN NULL;
END \$\$;
INSERT INTO app.audit (id, status) SELECT id, status FROM app.tickets ORDER BY id;
CREATE TRIGGER audit AFTER INSERT OR UPDATE OF status ON app.tickets FOR EACH ROW EXECUTE FUNCTION app.audit();
SQL
check "$layout: an attached table of $tickets + 60 tickets, policies of seconds on a 24/7 calendar" test ! -s "$work/setup.err"
sed 's/^/# /' "$work/setup.err"

# a status change as an application makes it: read the ticket, think for up
# to 3 ms, write it; the first answer on leaving "open", resolved on reaching
# resolved or closed
cat >"$work/update.sql" <<'SQL'
\set id random(1, :tickets)
\set s random(1, 5)
\set think random(0, 3000)
BEGIN;
SELECT status FROM app.tickets WHERE id = :id;
\sleep :think us
UPDATE app.tickets
   SET status = (ARRAY['open', 'pending', 'on_hold', 'resolved', 'closed'])[:s],
       first_response_at = CASE WHEN :s <> 1 THEN coalesce(first_response_at, now()) ELSE first_response_at END,
       resolved_at = CASE WHEN :s >= 4 THEN coalesce(resolved_at, now()) ELSE resolved_at END
 WHERE id = :id;
COMMIT;
SQL
cat >"$work/insert.sql" <<'SQL'
\set p random(1, 3)
INSERT INTO app.tickets (id, status, priority) VALUES (nextval('app.new_ticket_ids'), 'open', (ARRAY['high', 'normal', 'low'])[:p]);
SQL
cat >"$work/sweep.sql" <<'SQL'
SELECT sla.sweep();
\sleep 50 ms
SQL
# an import of an old change (status "imported", a day before the ticket's
# creation) of a random ticket, racing the clients' changes of it
cat >"$work/import.sql" <<'SQL'
\set id random(1, :tickets)
SELECT sla.record_status('app.tickets', :id::text, created_at - interval '1 day', 'imported')
  FROM app.tickets WHERE id = :id;
\sleep 5 ms
SQL

echo "# $layout: pgbench: 6 clients changing statuses, 2 sweeping, 1 importing, for $seconds s"
# (a row that a concurrent UPDATE moved to another partition cannot be locked:
# PostgreSQL raises a serialization failure, which an application retries)
timeout "$limit" pgbench -n -c 6 -j 6 -T "$seconds" -D tickets="$tickets" --failures-detailed --max-tries=20 \
  -f "$work/update.sql@20" -f "$work/insert.sql@1" "$db" >"$work/bench-update.log" 2>&1 &
update_pid=$!
timeout "$limit" pgbench -n -c 2 -j 2 -T "$seconds" --failures-detailed \
  -f "$work/sweep.sql" "$db" >"$work/bench-sweep.log" 2>&1 &
sweep_pid=$!
timeout "$limit" pgbench -n -c 1 -j 1 -T "$seconds" -D tickets="$tickets" --failures-detailed \
  -f "$work/import.sql" "$db" >"$work/bench-import.log" 2>&1 &
import_pid=$!
bench_pids="$update_pid $sweep_pid $import_pid"
wait "$update_pid"; update_rc=$?
wait "$sweep_pid"; sweep_rc=$?
wait "$import_pid"; import_rc=$?
bench_pids=

bench_ok() {                   # bench_ok <log> <exit status>
  local log=$1 rc=$2 processed failures
  processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$log")
  failures=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$log")
  grep -E '^(number of (transactions|failed)|number of (serialization|deadlock) failures|tps)' "$log" | sed 's/^/#   /'
  grep -iE 'error|abort|deadlock detected' "$log" | head -5 | sed 's/^/#   /'
  [ "$rc" -eq 0 ] && [ "${processed:-0}" -gt 0 ] && [ "${failures:-0}" -eq 0 ] &&
    ! grep -qiE 'error|aborted|deadlock detected' "$log"
}
check "$layout: the status-changing clients ran without a failure (deadlock, serialization, error)" bench_ok "$work/bench-update.log" "$update_rc"
check "$layout: the sweeping clients ran without a failure" bench_ok "$work/bench-sweep.log" "$sweep_rc"
check "$layout: the importing client ran without a failure" bench_ok "$work/bench-import.log" "$import_rc"

# the last sweep, as of an instant after every change committed
T=$(q -c "SELECT now()")
q -c "SELECT sla.sweep('$T')" >/dev/null
echo "# last sweep as of $T; $(q -c "SELECT count(*) FROM sla.status_history") status changes, $(q -c "SELECT count(*) FROM sla.events") events"

zero "$layout: no status change lost or recorded twice: each ticket's history is its audit trail, in order" "
    SELECT coalesce(h.id, a.id) AS ticket, h.statuses AS history, a.statuses AS audit
      FROM (SELECT ticket_id::bigint AS id, array_agg(status ORDER BY id) AS statuses
              FROM sla.status_history WHERE tickets = 'app.tickets'::regclass AND status <> 'imported'
             GROUP BY ticket_id) h
      FULL JOIN (SELECT id, array_agg(status ORDER BY n) AS statuses FROM app.audit GROUP BY id) a USING (id)
     WHERE h.statuses IS DISTINCT FROM a.statuses"
check "$layout: the imports raced the changes: $(q -c "SELECT count(*) FROM sla.status_history WHERE status = 'imported'") imported" \
  test "$(q -c "SELECT count(*) FROM sla.status_history WHERE status = 'imported'")" -gt 0
zero "$layout: every ticket's recorded status is the ticket's status" "
    SELECT t.id, t.status, s.status AS recorded
      FROM app.tickets t LEFT JOIN sla.ticket_state s ON s.tickets = 'app.tickets'::regclass AND s.ticket_id = t.id::text
     WHERE s.status IS DISTINCT FROM t.status"
zero "$layout: the history's last change (by time) of every ticket is its status" "
    SELECT t.id, t.status, l.status AS last_in_history
      FROM app.tickets t
      JOIN LATERAL (SELECT h.status FROM sla.status_history h
                     WHERE h.tickets = 'app.tickets'::regclass AND h.ticket_id = t.id::text
                     ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) l ON true
     WHERE l.status IS DISTINCT FROM t.status"
recomputed_state="
    SELECT ticket_id,
           sla.pauses(changed_at, status IN ('pending', 'on_hold') ORDER BY changed_at, id) AS paused,
           count(*) FILTER (WHERE previous IN ('resolved', 'closed') AND status NOT IN ('resolved', 'closed')) AS reopened
      FROM (SELECT h.*, lag(status) OVER (PARTITION BY ticket_id ORDER BY changed_at, id) AS previous
              FROM sla.status_history h WHERE tickets = 'app.tickets'::regclass) h
     GROUP BY ticket_id"
zero "$layout: every ticket's paused ranges and reopenings are those its status history gives" "
    SELECT r.ticket_id, s.paused, r.paused AS from_history, s.reopened, r.reopened AS reopened_in_history
      FROM ($recomputed_state) r
      FULL JOIN sla.ticket_state s ON s.tickets = 'app.tickets'::regclass AND s.ticket_id = r.ticket_id
     WHERE s.paused IS DISTINCT FROM r.paused OR s.reopened IS DISTINCT FROM r.reopened"
zero "$layout: no event is recorded twice" "
    SELECT tickets, ticket_id, metric, kind FROM sla.events GROUP BY 1, 2, 3, 4 HAVING count(*) > 1"

# the crossings as of T, from the history alone (policies by hand: 20 s
# response, 30 s resolution for high priority, 45 s otherwise)
q >/dev/null <<SQL
CREATE TABLE app.expected AS
SELECT t.id::text AS ticket_id, m.metric, k.kind, k.happened_at
  FROM app.tickets t
  JOIN ($recomputed_state) h ON h.ticket_id = t.id::text
 CROSS JOIN LATERAL (VALUES
        ('first_response', t.first_response_at, interval '20 seconds', 0.5::float8),
        ('resolution', t.resolved_at, CASE WHEN t.priority = 'high' THEN interval '30 seconds' ELSE interval '45 seconds' END, 0.75))
        m(metric, stopped_at, target, warn_at)
 CROSS JOIN LATERAL sla.evaluate(t.created_at, m.target, sla.calendar('24/7'), m.stopped_at, h.paused, '$T', m.warn_at) r
 CROSS JOIN LATERAL (VALUES
        ('at_risk', CASE WHEN r.used >= m.warn_at
                         THEN sla.business_add(t.created_at, m.target * m.warn_at, sla.calendar('24/7'), h.paused) END),
        -- breached once its end (stop or T) lies after the deadline instant
        ('breached', CASE WHEN coalesce(m.stopped_at, '$T') > r.due_at THEN r.due_at END)) k(kind, happened_at)
 WHERE k.happened_at <= '$T';
CREATE TABLE app.differences AS
SELECT coalesce(e.ticket_id, x.ticket_id) AS ticket_id, coalesce(e.metric, x.metric) AS metric,
       coalesce(e.kind, x.kind) AS kind, x.happened_at AS expected_at, e.happened_at AS recorded_at_instant,
       e.recorded_at AS sweep_as_of,
       -- a change that began less than 10 s before the sweep and before the
       -- instant it recorded may not have been visible to it
       EXISTS (SELECT FROM sla.status_history h
                WHERE h.tickets = 'app.tickets'::regclass AND h.ticket_id = coalesce(e.ticket_id, x.ticket_id)
                  AND h.changed_at < e.recorded_at AND h.changed_at > e.recorded_at - interval '10 seconds'
                  AND h.changed_at <= e.happened_at) AS in_flight_change
  FROM (SELECT * FROM sla.events WHERE tickets = 'app.tickets'::regclass) e
  FULL JOIN app.expected x USING (ticket_id, metric, kind)
 WHERE e.happened_at IS DISTINCT FROM x.happened_at;
SQL
check "$layout: the comparison is not vacuous: $(q -c "SELECT count(*) FROM app.expected") crossings expected, of both kinds and metrics" \
  test "$(q -c "SELECT count(DISTINCT (metric, kind)) FROM app.expected")" = "4"
zero "$layout: no event lost: every crossing recomputed from the history was recorded" \
  "SELECT * FROM app.differences WHERE recorded_at_instant IS NULL"
zero "$layout: no event recorded at another instant or that never happened, but for a change in flight during its sweep" \
  "SELECT * FROM app.differences WHERE recorded_at_instant IS NOT NULL AND NOT in_flight_change"
explained=$(q -c "SELECT count(*) FROM app.differences WHERE recorded_at_instant IS NOT NULL AND in_flight_change")
echo "# $explained event(s) differ from the recomputation because a status change was in flight during the sweep that recorded them"
[ "$explained" != "0" ] && q -c "SELECT * FROM app.differences WHERE in_flight_change LIMIT 5" | sed 's/^/#   /'
zero "$layout: no event is recorded before it happened" "SELECT * FROM sla.events WHERE happened_at > recorded_at"
[ -n "${KEEP_DATABASE:-}" ] || timeout 60 dropdb --if-exists "$db" >/dev/null 2>&1
}

run_layout plain
run_layout partitioned

echo "1..$n"
[ "$failed" -eq 0 ]
