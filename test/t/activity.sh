#!/bin/bash
# test/t/activity.sh: the activity triggers under concurrent writers.
# pgbench runs 6 clients for ACTIVITY_SECONDS (default 10), each inserting,
# deleting and re-dating comments of one of 5 tickets of an attached
# activity table (sla.attach_activity) in a transaction of three
# statements, so that two transactions often touch the same ticket at once.  Afterwards:
#   - no client failed (no deadlock, no error);
#   - the messages equal what the activity table holds, ticket by ticket,
#     counted with their multiplicity (nothing lost, nothing twice, nothing
#     stale).
# Run: bash test/t/activity.sh   (PGHOST, PGPORT, PGUSER of a superuser;
# creates and drops the database sla_activity_<pid>)
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${ACTIVITY_SECONDS:-10}
export PGDATABASE=postgres
db="sla_activity_$$"
work=$(mktemp -d)
limit=$((seconds + 120))
. test/t/tap.sh
q() { psql_q -d "$db" "$@"; }
trap 'drop_databases; rm -rf "$work"' EXIT

newdb "$db"
q <<'SQL' >/dev/null 2>"$work/setup.err"
CREATE EXTENSION sla;
CREATE TABLE tickets (id integer PRIMARY KEY, status text NOT NULL, priority text, created_at timestamptz NOT NULL,
                      first_response_at timestamptz, resolved_at timestamptz);
INSERT INTO tickets SELECT i, 'open', NULL, '2026-03-02 09:00+00' FROM generate_series(1, 5) i;
SELECT sla.attach('tickets');
CREATE TABLE comments (id serial PRIMARY KEY, ticket_id integer NOT NULL REFERENCES tickets, created_at timestamptz NOT NULL,
                       author text NOT NULL);
CREATE INDEX ON comments (ticket_id);
INSERT INTO comments (ticket_id, created_at, author)
SELECT 1 + i % 5, '2026-03-02 09:00+00'::timestamptz + i * interval '1 minute', (ARRAY['customer', 'agent'])[1 + i % 2]
  FROM generate_series(1, 50) i;
SELECT sla.attach_activity('tickets', 'comments');
SQL
check "set up: 5 tickets, an activity table with 50 comments attached" test ! -s "$work/setup.err"
sed 's/^/# /' "$work/setup.err"

cat >"$work/writer.sql" <<'SQL'
\set t random(1, 5)
BEGIN;
INSERT INTO comments (ticket_id, created_at, author)
VALUES (:t, '2026-03-02 09:00+00'::timestamptz + random() * interval '10 hours', CASE WHEN random() < 0.5 THEN 'customer' ELSE 'agent' END);
DELETE FROM comments WHERE id = (SELECT min(id) FROM comments WHERE ticket_id = :t);
UPDATE comments SET created_at = created_at + interval '1 second' WHERE id = (SELECT max(id) FROM comments WHERE ticket_id = :t);
SELECT pg_sleep(random() * 0.003);
COMMIT;
SQL
timeout "$limit" pgbench -n --failures-detailed -c 6 -j 6 -T "$seconds" -f "$work/writer.sql" "$db" >"$work/bench.out" 2>&1
status=$?
check "6 writers for ${seconds} s: no client failed (no deadlock, no error)" \
  test "$status" -eq 0 -a "$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/bench.out")" = "0"
grep -E "ERROR|error|transactions|failures" "$work/bench.out" | head -5 | sed 's/^/# /'
check "and they committed transactions" test "$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/bench.out")" -gt 100

problems=$(q <<'SQL'
SELECT count(*) FROM (
  (SELECT ticket_id, created_at AS at, CASE author WHEN 'customer' THEN 'c' ELSE 'a' END::"char" AS author FROM comments
   EXCEPT ALL
   SELECT ticket_id, unnest(at), unnest(author) FROM sla_state.messages_1)
  UNION ALL
  (SELECT ticket_id, unnest(at), unnest(author) FROM sla_state.messages_1
   EXCEPT ALL
   SELECT ticket_id, created_at, CASE author WHEN 'customer' THEN 'c' ELSE 'a' END::"char" FROM comments)) d
SQL
)
check "the messages are exactly what the activity table holds (differences: $problems)" test "$problems" = "0"

echo "1..$n"
[ "$failed" -eq 0 ]
