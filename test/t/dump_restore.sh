#!/bin/bash
# test/t/dump_restore.sh: pg_dump / pg_restore of a database that uses the
# extension: named calendars, holidays, policies, an attached ticket table
# with its status history, ticket states and events, and user columns of
# type sla.calendar.  The restored database must hold the same
# configuration, history, states and events (ids and sequences included),
# its SLA view must return the same rows, and its triggers and sweep must
# go on working.  Binary COPY must round-trip sla.calendar values.
#
# The SLA view computes running clocks as of now(), so the two views are
# compared on everything that does not depend on now(): every column of a
# stopped metric, and for a running one its policy, target and due time
# (the due time only when the ticket is not paused at the moment, since an
# open pause is projected to end now).
#
# Run: bash test/t/dump_restore.sh   (PGHOST, PGPORT, PGUSER of a superuser;
# creates and drops the databases sla_dump_<pid>_*)
set -uo pipefail
cd "$(dirname "$0")/../.."

export PGDATABASE=postgres
prefix="sla_dump_$$"
src=${prefix}_src
dst=${prefix}_dst
plain=${prefix}_plain
work=$(mktemp -d)
limit=300
. test/t/tap.sh
q() { psql_q "$@"; }
# same <description> <query>: the query gives the same, non-empty, output in src and dst
same() {
  q -d "$src" -c "$2" >"$work/a" 2>&1
  q -d "$dst" -c "$2" >"$work/b" 2>&1
  if [ -s "$work/a" ] && cmp -s "$work/a" "$work/b"; then
    ok "$1 ($(wc -l <"$work/a") lines)"
  else
    not_ok "$1"
    diff "$work/a" "$work/b" | head -20 | sed 's/^/# /'
  fi
}
databases=("$src" "$dst" "$plain")
cleanup() {
  drop_databases
  rm -rf "$work"
}
trap cleanup EXIT
for db in "$src" "$dst" "$plain"; do dropdb --if-exists "$db" >/dev/null 2>&1; done

# 1. The source database, as an application would have it
createdb "$src" || { echo "1..1"; echo "not ok 1 - create a database"; exit 1; }
q -d "$src" >/dev/null 2>"$work/setup.err" <<'SQL'
CREATE EXTENSION sla;
SET TimeZone = 'UTC';
INSERT INTO sla.calendars VALUES
    ('office', 'Mo-Fr 09:00-12:00,13:00-17:00; PH off', 'Europe/Berlin'),
    ('nights', 'Mo-Fr 22:00-06:00; Sa,Su off', 'America/New_York'),
    ('support', '24/7', 'UTC');
INSERT INTO sla.holidays
    SELECT 'office', d::date, 'holiday ' || row_number() OVER (ORDER BY d)
      FROM generate_series(date '2026-01-01', date '2027-12-31', interval '17 days') d;
INSERT INTO sla.holidays VALUES ('nights', '2026-07-03', 'Independence Day observed');
INSERT INTO sla.policies (name, metric, priority, service, customer, target, calendar, warn_at, valid) VALUES
    ('Any response', 'first_response', NULL, NULL, NULL, '8 hours', 'office', 0.75, '(,)'),
    ('High response', 'first_response', 'high', NULL, NULL, '1 hour', 'office', 0.5, '(,)'),
    ('Night response', 'first_response', NULL, 'night desk', NULL, '2 hours', 'nights', 0.75, '(,)'),
    ('Resolution', 'resolution', NULL, NULL, NULL, '16 hours', 'office', 0.75, '(,2026-06-15)'),
    ('Resolution v2', 'resolution', NULL, NULL, NULL, '12 hours', 'office', 0.8, '[2026-06-15,)'),
    ('ACME resolution', 'resolution', NULL, NULL, 'acme', '4 hours', 'support', 0.75, '(,)');
DELETE FROM sla.policies WHERE name = 'Any response';   -- a gap in the ids
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('Any response', 'first_response', '8 hours', 'office');

CREATE SCHEMA app;
CREATE TABLE app.tickets (
    id integer PRIMARY KEY,
    legacy_flag boolean,        -- dropped below: a restore numbers the columns after it anew
    subject text,
    status text NOT NULL,
    priority text,
    service text,
    customer text,
    created_at timestamptz NOT NULL,
    first_response_at timestamptz,
    resolved_at timestamptz,
    cal sla.calendar            -- a user column of the extension's type
);
ALTER TABLE app.tickets DROP COLUMN legacy_flag;
-- 300 tickets in June 2026, some answered, some resolved, some of ACME or the night desk
INSERT INTO app.tickets
    SELECT i, 'ticket ' || i,
           CASE WHEN i % 5 = 0 THEN 'resolved' WHEN i % 7 = 0 THEN 'pending' ELSE 'open' END,
           (ARRAY['high', 'normal', 'low'])[1 + i % 3],
           CASE WHEN i % 11 = 0 THEN 'night desk' END,
           CASE WHEN i % 13 = 0 THEN 'acme' END,
           timestamptz '2026-06-01 06:00+00' + (i * 97) % (29 * 24 * 60) * interval '1 minute',
           NULL, NULL,
           CASE WHEN i % 4 = 0 THEN sla.calendar('Mo-Fr 08:00-16:00', 'Asia/Tokyo', ARRAY['2026-06-' || lpad((1 + i % 28)::text, 2, '0')]::date[]) END
      FROM generate_series(1, 150) i;
SELECT sla.attach('app.tickets', service_column => 'service', customer_column => 'customer') IS NOT NULL;
INSERT INTO app.tickets
    SELECT i, 'ticket ' || i,
           CASE WHEN i % 5 = 0 THEN 'resolved' WHEN i % 7 = 0 THEN 'pending' ELSE 'open' END,
           (ARRAY['high', 'normal', 'low'])[1 + i % 3],
           CASE WHEN i % 11 = 0 THEN 'night desk' END,
           CASE WHEN i % 13 = 0 THEN 'acme' END,
           timestamptz '2026-06-01 06:00+00' + (i * 97) % (29 * 24 * 60) * interval '1 minute',
           NULL, NULL, NULL
      FROM generate_series(151, 300) i;
UPDATE app.tickets SET first_response_at = created_at + (id % 9) * interval '37 minutes' WHERE id % 3 <> 0;
UPDATE app.tickets SET resolved_at = created_at + (id % 17) * interval '3 hours' WHERE status = 'resolved';
-- history with fixed instants (backfill), pauses among it
SELECT count(sla.record_status('app.tickets', id::text, created_at + interval '2 hours', 'pending'))
     + count(sla.record_status('app.tickets', id::text, created_at + interval '26 hours', 'open'))
  FROM app.tickets WHERE id % 4 = 1;
SELECT count(sla.record_status('app.tickets', id::text, resolved_at, 'resolved')) FROM app.tickets WHERE resolved_at IS NOT NULL;
-- reopened tickets
SELECT count(sla.record_status('app.tickets', id::text, resolved_at + interval '1 day', 'open'))
     + count(sla.record_status('app.tickets', id::text, resolved_at + interval '2 days', 'closed'))
  FROM app.tickets WHERE id % 10 = 5;
-- changes through the application (now-stamped by the trigger)
UPDATE app.tickets SET status = 'on_hold' WHERE id % 19 = 0;
UPDATE app.tickets SET status = 'open' WHERE id % 38 = 0;
DELETE FROM app.tickets WHERE id = 299;
-- an activity table whose tracked columns come after a dropped one
CREATE TABLE app.comments (junk integer, ticket_id integer, created_at timestamptz, author text, public boolean);
ALTER TABLE app.comments DROP COLUMN junk;
INSERT INTO app.comments SELECT id, created_at + interval '5 minutes', 'customer', true FROM app.tickets WHERE id % 6 = 0;
SELECT sla.attach_activity('app.tickets', 'app.comments', public_column => 'public');
INSERT INTO app.comments SELECT id, created_at + interval '50 minutes', 'agent', id % 12 = 0 FROM app.tickets WHERE id % 6 = 0;
-- events: once as of the end of June, then as of now
SELECT sla.sweep('2026-06-30 23:59+00') > 0, sla.sweep() >= 0;
-- calendar values of every kind, for COPY
CREATE TABLE app.calendars_kept (id integer PRIMARY KEY, c sla.calendar NOT NULL);
INSERT INTO app.calendars_kept VALUES
    (1, sla.calendar('')),
    (2, sla.calendar('24/7')),
    (3, sla.calendar('Mo-Fr 09:00-17:00; PH off; Dec 24-Jan 02 off', 'Europe/Berlin', '{2026-12-25,2026-04-03}')),
    (4, sla.calendar('Fr-Mo 22:00-06:00; 2028 Feb 29 off; Feb 29 12:00-12:01', 'Australia/Lord_Howe')),
    (5, sla.calendar(repeat('Mo 09:00-10:00; ', 10000), 'America/St_Johns')),
    (6, (SELECT sla.calendar('PH 10:00-11:00', 'Asia/Kathmandu', array_agg(d::date))
           FROM generate_series(date '2000-01-01', date '2099-12-31', interval '1 day') d)),
    (7, 'zone=Pacific/Chatham rules="Sa 00:00-24:00" holidays=0001-01-01,9999-12-31'::sla.calendar);
SQL
check "the source database is set up (calendars, policies, 300 tickets attached, history, events)" test ! -s "$work/setup.err"
sed 's/^/# /' "$work/setup.err"

# 2. pg_dump -Fc, pg_restore into a new database
timeout "$limit" pg_dump -Fc -d "$src" -f "$work/dump" 2>"$work/dump.err"
check "pg_dump -Fc succeeds without a warning" test $? -eq 0 -a ! -s "$work/dump.err"
sed 's/^/# /' "$work/dump.err"
createdb "$dst"
timeout "$limit" pg_restore --exit-on-error -d "$dst" "$work/dump" 2>"$work/restore.err"
check "pg_restore succeeds without an error or warning" test $? -eq 0 -a ! -s "$work/restore.err"
sed 's/^/# /' "$work/restore.err" | head -20

same "the extension and its version" "SELECT extname, extversion FROM pg_extension ORDER BY 1"
same "the extension's configuration tables registered for pg_dump" \
  "SELECT c::regclass, cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(c, cond) WHERE e.extname = 'sla' ORDER BY 1"
same "sla.calendars" "SELECT * FROM sla.calendars ORDER BY name"
same "sla.holidays" "SELECT * FROM sla.holidays ORDER BY calendar, day"
same "sla.policies, with their ids" "SELECT * FROM sla.policies ORDER BY id"
same "the named calendars as values" "SELECT name, cal::text FROM sla.calendar_values ORDER BY name"
same "sla.attachments, by column name (attribute numbers follow the restored table)" "SELECT * FROM sla.attached_tables ORDER BY tickets::text"
same "the status history, with its ids" "SELECT id, tickets::text, ticket_id, changed_at, status FROM sla.status_history ORDER BY id"
same "the ticket states (status, pauses, reopenings)" "SELECT tickets::text, ticket_id, status, status_since, paused, reopened FROM sla.ticket_state ORDER BY 1, 2"
same "the events, with their ids and recording times" "SELECT * FROM sla.events ORDER BY id"
same "the sequences go on from the same values" \
  "SELECT s::regclass, pg_sequence_last_value(s) FROM pg_sequence q, LATERAL (SELECT q.seqrelid AS s) x WHERE q.seqrelid::regclass::text ~ '^sla(_state)?\.' ORDER BY 1"
same "the tickets, with their sla.calendar column" "SELECT id, subject, status, priority, service, customer, created_at, first_response_at, resolved_at, cal::text FROM app.tickets ORDER BY id"
same "the calendar values kept in a user table" "SELECT id, c::text, md5(c::text) FROM app.calendars_kept ORDER BY id"
same "the activity table, by column name" "SELECT activity::text, column_names, customer_authors, agent_authors, sla_private.activity_column_names(y) = column_names FROM sla.activities y"
same "the messages" "SELECT * FROM sla_state.messages_1 ORDER BY ticket_id"
same "the attached table's triggers" "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'app.tickets'::regclass AND NOT tgisinternal ORDER BY 1"
same "the SLA view's definition" "SELECT pg_get_viewdef('app.tickets_sla'::regclass)"
same "the grants on schema sla (PUBLIC may use it)" "SELECT nspacl FROM pg_namespace WHERE nspname = 'sla'"
same "the row-level security of the state tables" "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'sla_state' ORDER BY 1, 2"
same "the state tables' owner and grants" "SELECT relname, pg_get_userbyid(relowner), relacl FROM pg_class WHERE relnamespace = 'sla_state'::regnamespace ORDER BY 1"

# the SLA view: stopped clocks entirely, running clocks where now() plays no part
# (paused now: the ticket's last paused range has no end)
view_query="
SELECT id, status, priority, service, customer, created_at, first_response_at, resolved_at,
       first_response_policy, first_response_target,
       CASE WHEN first_response_at IS NOT NULL OR NOT p.now THEN first_response_due_at END,
       CASE WHEN first_response_at IS NOT NULL THEN concat_ws(' ', first_response_state, first_response_elapsed,
            first_response_elapsed_seconds, first_response_remaining, first_response_used) END,
       resolution_policy, resolution_target,
       CASE WHEN resolved_at IS NOT NULL OR NOT p.now THEN resolution_due_at END,
       CASE WHEN resolved_at IS NOT NULL THEN concat_ws(' ', resolution_state, resolution_elapsed,
            resolution_elapsed_seconds, resolution_remaining, resolution_used) END,
       CASE WHEN NOT p.now THEN paused_for END
  FROM app.tickets_sla v
  LEFT JOIN sla.ticket_state s ON s.tickets = 'app.tickets'::regclass AND s.ticket_id = v.id::text
  CROSS JOIN LATERAL (SELECT coalesce(upper_inf(s.paused), false) AS now) p
 ORDER BY id"
same "the SLA view returns the same rows (all 299, every column that does not depend on now())" "$view_query"
same "and every column of the tickets whose clocks are stopped" \
  "SELECT v.* FROM app.tickets_sla v JOIN sla.ticket_state s ON s.tickets = 'app.tickets'::regclass AND s.ticket_id = v.id::text
    WHERE first_response_at IS NOT NULL AND resolved_at IS NOT NULL AND NOT upper_inf(s.paused) ORDER BY id"
same "the clocks as of a fixed instant, recomputed from the restored history" \
  "SELECT s.ticket_id, r.* FROM sla.ticket_state s JOIN app.tickets t ON t.id::text = s.ticket_id
          CROSS JOIN LATERAL sla.policy_for('resolution', t.priority, t.service, t.customer, t.created_at) p
          CROSS JOIN LATERAL sla.evaluate(t.created_at, p.target, sla.calendar_named(p.calendar), t.resolved_at, s.paused, '2026-07-15', p.warn_at) r
    WHERE p.id IS NOT NULL ORDER BY 1"
# 300 tickets less ticket 299; answered unless id % 3 = 0, resolved when id % 5 = 0: 40 both
check "the comparison is not vacuous: the view has 299 rows, 40 with both clocks stopped" \
  test "$(q -d "$dst" -c "SELECT count(*), count(*) FILTER (WHERE first_response_at IS NOT NULL AND resolved_at IS NOT NULL) FROM app.tickets_sla")" = "299|40"

# 3. The restored database goes on working: trigger, record_status, sweep
for db in "$src" "$dst"; do
  q -d "$db" >/dev/null 2>>"$work/after.err" <<'SQL'
UPDATE app.tickets SET status = 'pending' WHERE id = 1;
UPDATE app.tickets SET status = 'resolved', resolved_at = '2026-06-30 12:00+00' WHERE id = 2;
INSERT INTO app.tickets (id, status, priority, created_at) VALUES (1001, 'open', 'high', '2026-06-29 08:00+00');
SELECT sla.record_status('app.tickets', '1001', '2026-06-29 09:00+00', 'on_hold');
INSERT INTO app.comments VALUES (1001, '2026-06-29 08:10+00', 'customer', true), (1001, '2026-06-29 08:20+00', 'agent', false);
SQL
done
check "the restored triggers and functions run (updates, inserts, backfill)" test ! -s "$work/after.err"
sed 's/^/# /' "$work/after.err"
same "and record the same new history (new ids from the restored sequence)" \
  "SELECT id, ticket_id, status FROM sla.status_history WHERE ticket_id IN ('1', '2', '1001') ORDER BY id"
same "and the same messages, the new ticket's customer message among them" \
  "SELECT * FROM sla_state.messages_1 WHERE ticket_id IN (6, 12, 1001) ORDER BY ticket_id"
same "and keep the same ticket states" \
  "SELECT ticket_id, status, (SELECT range_agg(r) FROM unnest(paused) r WHERE lower(r) < now() - interval '1 hour'), reopened
     FROM sla.ticket_state WHERE ticket_id IN ('1', '2', '1001') ORDER BY 1"
same "a sweep as of the end of June finds nothing new but ticket 1001's crossings" "SELECT sla.sweep('2026-06-30 23:59+00')"
# (a new event's id depends on the order the sweep meets the candidates in:
# every candidate draws an id, even one that conflicts with an event recorded before)
same "the events after it" "SELECT tickets::text, ticket_id, metric, kind, happened_at FROM sla.events ORDER BY 1, 2, 3, 4"

# 4. Binary COPY round-trips sla.calendar values (send, then recv re-validating)
q -d "$src" -c "\\copy (SELECT id, c FROM app.calendars_kept ORDER BY id) TO '$work/calendars.bin' (FORMAT binary)"
check "COPY ... TO (FORMAT binary) writes the calendars" test -s "$work/calendars.bin"
q -d "$dst" -c "CREATE TABLE app.calendars_copied (id integer, c sla.calendar)" \
            -c "\\copy app.calendars_copied FROM '$work/calendars.bin' (FORMAT binary)" 2>"$work/copy.err"
check "COPY ... FROM (FORMAT binary) reads them back in another database" test ! -s "$work/copy.err"
sed 's/^/# /' "$work/copy.err"
check "every value read back equals the original (=, text form, 7 calendars)" \
  test "$(q -d "$dst" -c "SELECT count(*) FILTER (WHERE k.c OPERATOR(sla.=) c.c AND k.c::text = c.c::text), count(*)
                           FROM app.calendars_kept k JOIN app.calendars_copied c USING (id)")" = "7|7"
q -d "$src" -c "\\copy (SELECT c FROM app.calendars_kept UNION ALL SELECT cal FROM sla.calendar_values) TO '$work/twice.bin' (FORMAT binary)"
q -d "$src" -c "CREATE TEMP TABLE back (c sla.calendar)" -c "\\copy back FROM '$work/twice.bin' (FORMAT binary)" \
            -c "\\copy back TO '$work/twice2.bin' (FORMAT binary)"
check "binary COPY out, in and out again gives the same bytes" cmp -s "$work/twice.bin" "$work/twice2.bin"
q -d "$src" -c "\\copy (SELECT id, c FROM app.calendars_kept ORDER BY id) TO '$work/calendars.txt'"
q -d "$dst" -c "TRUNCATE app.calendars_copied" -c "\\copy app.calendars_copied FROM '$work/calendars.txt'"
check "and text COPY does too" \
  test "$(q -d "$dst" -c "SELECT count(*) FROM app.calendars_kept k JOIN app.calendars_copied c USING (id) WHERE k.c OPERATOR(sla.=) c.c")" = "7"

# 5. A plain-text dump restored with psql gives the same
timeout "$limit" pg_dump -Fp -d "$src" -f "$work/dump.sql" 2>/dev/null
createdb "$plain"
q -d "$plain" -f "$work/dump.sql" >/dev/null 2>"$work/plain.err"
check "a plain pg_dump restores with psql (ON_ERROR_STOP) without an error" test ! -s "$work/plain.err"
sed 's/^/# /' "$work/plain.err" | head -10
dst=$plain
same "and holds the same history, states and events" \
  "SELECT (SELECT md5(string_agg(h::text, ',' ORDER BY id)) FROM sla.status_history h),
          (SELECT md5(string_agg(s::text, ',' ORDER BY tickets, ticket_id)) FROM sla.ticket_state s),
          (SELECT md5(string_agg(e::text, ',' ORDER BY id)) FROM sla.events e)"
same "and the same SLA view" "$view_query"

echo "1..$n"
[ "$failed" -eq 0 ]
