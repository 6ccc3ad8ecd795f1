#!/bin/bash
# test/bench/activity.sh: the cost of tracking messages (sla.attach_activity),
# as a ratio against a baseline measured here, in the same run: COPY of
# BENCH_MESSAGES messages (default 1000000) over BENCH_TICKETS attached
# tickets (default 200000) into an empty attached activity table against
# the same COPY into an empty unattached one, both indexed on the ticket
# column, BENCH_RUNS runs each (default 3), alternating; the median is
# taken.  The tickets have a next_reply metric, so that the COPY also makes
# them due for the sweep.  Target (issue 11): at most 2x.
# Uses the PG* environment (tools/run-bench runs it in a throwaway cluster).
set -uo pipefail
cd "$(dirname "$0")"
db=sla_bench_activity
messages=${BENCH_MESSAGES:-1000000}
tickets=${BENCH_TICKETS:-200000}
runs=${BENCH_RUNS:-3}
work=$(mktemp -d)
chmod 777 "$work"         # the server writes and reads the COPY file
dropdb --if-exists "$db" >/dev/null 2>&1
createdb "$db" || exit 1
trap 'dropdb --if-exists "$db" >/dev/null 2>&1; rm -rf "$work"' EXIT
. include/shell.sh

q -v tickets="$tickets" -v messages="$messages" -v file="$work/messages.copy" <<'SQL' || exit 1
CREATE EXTENSION sla;
CREATE TABLE tickets (id integer PRIMARY KEY, status text NOT NULL, priority text, created_at timestamptz NOT NULL,
                      first_response_at timestamptz, resolved_at timestamptz);
INSERT INTO tickets SELECT i, 'open', NULL, now() - interval '30 days' FROM generate_series(1, :tickets) i;
SELECT sla.attach('tickets', metrics => '{"first_response": "first_response_at", "resolution": "resolved_at",
                                         "next_reply": {"kind": "next_reply"}}') IS NOT NULL AS attached;
CREATE TABLE comments (id bigserial PRIMARY KEY, ticket_id integer NOT NULL, created_at timestamptz NOT NULL,
                       author text NOT NULL, public boolean NOT NULL, body text);
CREATE INDEX ON comments (ticket_id);
CREATE TABLE comments_plain (LIKE comments INCLUDING ALL);
SELECT sla.attach_activity('tickets', 'comments', public_column => 'public');
CREATE TEMP TABLE m AS
SELECT i AS id, 1 + (i::bigint * 7919) % :tickets AS ticket_id, now() - interval '30 days' + i * interval '1 second' AS created_at,
       (ARRAY['customer', 'agent', 'agent', 'bot'])[1 + i % 4] AS author, i % 10 <> 0 AS public, 'message ' || i AS body
  FROM generate_series(1, :messages) i;
COPY m TO :'file';
SQL
plain=(); attached=()
for ((i = 0; i < runs; i++)); do
  q -c "TRUNCATE comments_plain" -c "CHECKPOINT"
  plain+=("$(ms "COPY comments_plain FROM '$work/messages.copy'")")
  q -c "TRUNCATE comments" -c "CHECKPOINT"
  attached+=("$(ms "COPY comments FROM '$work/messages.copy'")")
done
plain_ms=$(printf '%s\n' "${plain[@]}" | median)
attached_ms=$(printf '%s\n' "${attached[@]}" | median)
kept=$(q -A -t -c "SELECT sum(cardinality(at)) FROM sla_state.messages_1")
awk -v p="$plain_ms" -v a="$attached_ms" -v n="$messages" -v k="$kept" 'BEGIN {
  printf "COPY of %d messages (%d kept as customer or agent messages): attached / unattached %.2f (target at most 2); %.0f ms / %.0f ms\n", n, k, a / p, a, p }'
