#!/bin/bash
# test/t/notify.sh: a listener in one session receives the sla_events
# notifications of a sweep run in another (real LISTEN/NOTIFY).  A payload
# is the event's id only: what it is about, a listener reads through
# sla.events, which shows it only to roles that may read the ticket.  TAP
# output.
set -uo pipefail
db=sla_notify_test
out=$(mktemp)
trap 'rm -f "$out"; dropdb --if-exists "$db" >/dev/null 2>&1' EXIT
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || { echo "1..1"; echo "not ok 1 - create a database"; exit 1; }
echo "1..6"
psql -X -q -d "$db" -v ON_ERROR_STOP=1 >/dev/null <<'SQL' && echo "ok 1 - set up an attached table" || echo "not ok 1 - set up an attached table"
CREATE EXTENSION sla;
INSERT INTO sla.calendars VALUES ('always', '24/7', 'UTC');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('Answer', 'answer', '1 hour', 'always');
CREATE TABLE tickets (id int PRIMARY KEY, status text, created_at timestamptz, answered_at timestamptz);
SELECT sla.attach('tickets', metrics => '{"answer": "answered_at"}', priority_column => NULL);
-- opened two hours ago, never answered: at risk after 45 minutes, breached after an hour
INSERT INTO tickets VALUES (7, 'open', now() - interval '2 hours', NULL);
SQL
(psql -X -d "$db" -c "LISTEN sla_events" -c "SELECT pg_sleep(3)" -c "SELECT 'listener done'" >"$out" 2>&1) &
listener=$!
sleep 1
added=$(psql -X -At -d "$db" -c "SELECT sla.sweep()")
wait "$listener"
[ "$added" = "2" ] && echo "ok 2 - the sweep records two crossings" || echo "not ok 2 - the sweep records two crossings (got '$added')"
count=$(grep -c 'Asynchronous notification "sla_events"' "$out")
[ "$count" = "2" ] && echo "ok 3 - the other session received two notifications" \
  || { echo "not ok 3 - the other session received two notifications (got $count)"; sed 's/^/# /' "$out"; }
payloads=$(sed -n 's/.*"sla_events" with payload "\([^"]*\)".*/\1/p' "$out" | sort -n | paste -sd, -)
expected=$(psql -X -At -d "$db" -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM sla.events")
[ -n "$payloads" ] && [ "$payloads" = "$expected" ] \
  && echo "ok 4 - each payload is an event's id, and nothing else" \
  || echo "not ok 4 - each payload is an event's id, and nothing else (got '$payloads', events '$expected')"
read_back=$(psql -X -At -d "$db" -c "SELECT string_agg(ticket_id || ' ' || metric || ' ' || kind, ',' ORDER BY kind)
                                       FROM sla.events WHERE id = ANY ('{$payloads}'::bigint[])")
[ "$read_back" = "7 answer at_risk,7 answer breached" ] \
  && echo "ok 5 - a reader of the tickets reads the events by their ids" \
  || echo "not ok 5 - a reader of the tickets reads the events by their ids (got '$read_back')"
outsider=$(psql -X -At -d "$db" -c "CREATE ROLE sla_notify_outsider" \
             -c "SET ROLE sla_notify_outsider" \
             -c "SELECT count(*) FROM sla.events WHERE id = ANY ('{$payloads}'::bigint[])" \
             -c "RESET ROLE" -c "DROP ROLE sla_notify_outsider" 2>&1 | grep -E '^[0-9]+$')
[ "$outsider" = "0" ] \
  && echo "ok 6 - a role that cannot read the tickets reads nothing of those events" \
  || echo "not ok 6 - a role that cannot read the tickets reads nothing of those events (got '$outsider')"
