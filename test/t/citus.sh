#!/bin/bash
# test/t/citus.sh: sla on Citus, the distributed PostgreSQL engine.  Starts
# its own cluster (a coordinator and two workers on loopback ports, in a
# throwaway directory it removes at the end) and checks, each against the
# same data in a table of one node:
#   - CREATE EXTENSION sla after Citus makes sla.calendars, sla.holidays and
#     sla.policies reference tables, whose rows every worker reads and whose
#     checks and triggers still refuse bad rows; sla.distribute_config()
#     does the same when Citus comes after sla (rows kept, foreign keys
#     back) and after ALTER EXTENSION sla UPDATE from 1.0;
#   - sla.calendar_named, sla.policy_id_for and sla.policy_for run inside
#     queries pushed down to the workers (more than one task) and give the
#     same rows as on one node, and values worked out by hand;
#   - sla.pauses grouped by a column other than the distribution column is
#     aggregated in parts on the workers and combined on the coordinator,
#     and equals the one-node result and a brute-force reference, also for
#     a role that row-level security lets read some rows only;
#   - sla.attach refuses with 0A000, leaving nothing behind, what it cannot
#     track on Citus (distributed by another column, reference tables, with
#     row-level security, partitioned); a table of the coordinator is
#     attached, viewed and swept as on one node; neither
#     create_distributed_table (also with citus.enable_unsafe_triggers) nor
#     a foreign key to a reference table (which would make Citus convert
#     it) changes an attached table, and its tracking goes on;
#   - a table distributed by its id is attached: its state distributed and
#     co-located, the row triggers on every shard, a status change recorded
#     on the worker holding the ticket only; its SLA view (evaluated on the
#     workers), history and events equal those of the same tickets on one
#     node; sweeps (two at once, under another DateStyle) record each
#     crossing once and NOTIFY from the coordinator; 80,000 tickets of the
#     coordinator are swept whole; detach cleans every node, DROP TABLE is
#     refused until then; a reader sees the state of the tickets it may
#     read only, and a hostile role's own distributed table, enum, cast,
#     operator and function (traps on every node) run with no other role's
#     rights through attach, tracking, sweep and view;
#   - a hostile role can change no configuration (on the coordinator or a
#     worker), cannot call sla.distribute_config, and none of its functions
#     or operators runs when a superuser with the role's schema first in
#     search_path distributes the configuration or queries through sla.
# Without Citus installed the suite is skipped, saying why; with
# SLA_REQUIRE_CITUS=1 (.ci/run) that is a failure.
#
# Run: bash test/t/citus.sh   (as root or as the user that runs PostgreSQL)
set -uo pipefail
cd "$(dirname "$0")/../.."
limit=300                      # seconds any one step may take
. test/t/tap.sh

. test/t/include/citus_cluster.sh
if ! citus_installed; then
  if [ "${SLA_REQUIRE_CITUS:-0}" = 1 ]; then
    not_ok "Citus is installed (SLA_REQUIRE_CITUS=1; tools/run-tests installs it with ../shared/tools/install-citus)"
  else
    skip "the Citus suite: Citus is not installed and ../shared/tools/install-citus is absent"
  fi
  echo "1..$n"
  [ "$failed" -eq 0 ]
  exit
fi

trap stop_citus_cluster EXIT
if start_citus_cluster; then
  ok "a coordinator and two workers start on loopback ports $coordinator, ${workers[*]}"
else
  not_ok "a coordinator and two workers start"
  echo "1..$n"; exit 1
fi
q() { citus_q "$@"; }
on_coordinator() { citus_q -p "$coordinator" "$@"; }
check "a database with Citus on every node, the workers added" citus_db sla_citus citus

# The SQLSTATE a statement fails with, or ZZ000 when it does not fail (on
# the coordinator, in database $db, after any psql options given).
db=sla_citus
sqlstate_of() {                # sqlstate_of <sql> [psql options...]
  local sql=$1; shift
  q -p "$coordinator" -d "$db" "$@" -c "DO \$t\$ BEGIN EXECUTE \$s\$$sql\$s\$; RAISE EXCEPTION USING ERRCODE = 'ZZ000'; END \$t\$" \
    2>&1 >/dev/null | sed -n 's/^[^:]*ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | head -1
}
expect_sqlstate() {            # expect_sqlstate <description> <want> <sql> [psql options...]
  local what=$1 want=$2 sql=$3; shift 3
  local got
  got=$(sqlstate_of "$sql" "$@" -v VERBOSITY=verbose)
  [ "$got" = ZZ000 ] && got=none
  if [ "$got" = "$want" ]; then ok "$what"; else not_ok "$what (SQLSTATE ${got:-?}, want $want)"; fi
}

# 1. Reference data on every node -------------------------------------------------
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" sla.control)
check "CREATE EXTENSION sla on the coordinator after Citus" on_coordinator -d $db -o /dev/null -c "CREATE EXTENSION sla"
got=$(on_coordinator -d $db -c "SELECT string_agg(logicalrelid::text || ' ' || partmethod::text || repmodel::text, ', ' ORDER BY logicalrelid::text)
                                  FROM pg_dist_partition")
[ "$got" = "sla.calendars nt, sla.holidays nt, sla.policies nt" ] \
  && ok "the configuration tables are reference tables" \
  || not_ok "the configuration tables are reference tables (got '$got')"
on_coordinator -d $db >/dev/null <<'SQL'
INSERT INTO sla.calendars VALUES ('berlin office', 'Mo-Fr 09:00-17:00; PH off', 'Europe/Berlin'),
                                 ('kolkata desk', 'Mo-Sa 10:00-18:00', 'Asia/Kolkata'),
                                 ('chatham', 'Mo-Fr 08:00-12:00', 'Pacific/Chatham');
INSERT INTO sla.holidays VALUES ('berlin office', '2026-12-25', 'Christmas'), ('berlin office', '2026-12-28', 'a day off');
INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES
    ('urgent answer', 'first_response', 'high', '2 hours', 'berlin office'),
    ('answer', 'first_response', NULL, '8 hours', 'kolkata desk');
INSERT INTO sla.policies (name, metric, priority, customer, target, calendar) VALUES
    ('gold answer', 'first_response', 'high', 'gold', '1 hour', 'chatham');
SQL
for port in "${workers[@]}"; do
  got=$(q -p "$port" -d $db -c "SELECT extversion FROM pg_extension WHERE extname = 'sla'")
  [ "$got" = "$version" ] && ok "worker $port has sla $version" || not_ok "worker $port has sla $version (got '$got')"
  got=$(q -p "$port" -d $db -c "SELECT (SELECT string_agg(name, ',' ORDER BY name) FROM sla.calendars) || ' / ' ||
                                       (SELECT count(*) FROM sla.holidays) || ' / ' ||
                                       (SELECT string_agg(name, ',' ORDER BY name) FROM sla.policies)")
  [ "$got" = "berlin office,chatham,kolkata desk / 2 / answer,gold answer,urgent answer" ] \
    && ok "worker $port reads the calendars, holidays and policies written on the coordinator" \
    || not_ok "worker $port reads the calendars, holidays and policies written on the coordinator (got '$got')"
done
expect_sqlstate "a calendar with bad rules is refused (22P02) on the reference table" 22P02 \
  "INSERT INTO sla.calendars VALUES ('bad', 'Mo-Zz 09:00-17:00', 'UTC')"
expect_sqlstate "a calendar in an unknown zone is refused (22023)" 22023 \
  "INSERT INTO sla.calendars VALUES ('bad', '24/7', 'Mars/Olympus')"
expect_sqlstate "a policy that ties with another is refused (23P01) by its trigger" 23P01 \
  "INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES ('twin', 'first_response', 'high', '3 hours', 'chatham')"
expect_sqlstate "a holiday of a calendar that does not exist is refused (23503)" 23503 \
  "INSERT INTO sla.holidays VALUES ('nowhere', '2026-12-24')"
got=$(on_coordinator -d $db -c "BEGIN" -c "UPDATE sla.calendars SET name = 'berlin' WHERE name = 'berlin office'" \
        -c "SELECT string_agg(DISTINCT calendar, ',') FROM sla.holidays" -c "ROLLBACK")
[ "$got" = "berlin" ] && ok "renaming a calendar cascades to its holidays" \
  || not_ok "renaming a calendar cascades to its holidays (got '$got')"

# 2. Named calendars and policies inside pushed-down queries ----------------------
on_coordinator -d $db >/dev/null <<'SQL'
CREATE TABLE tickets (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, priority text, customer text,
                      calendar text NOT NULL, status text NOT NULL DEFAULT 'open');
SELECT create_distributed_table('tickets', 'id');
-- 400 tickets every 7 hours 13 minutes from 2026-10-20: over the end of summer
-- time in Berlin (2026-10-25) and in Chatham's spring (2026-09-27 is before,
-- 2027-04-04 after), Christmas and the day off
INSERT INTO tickets (id, created_at, priority, customer, calendar)
SELECT g, timestamptz '2026-10-20 00:00+00' + g * interval '7 hours 13 minutes',
       CASE WHEN g % 3 = 0 THEN 'high' END, CASE WHEN g % 5 = 0 THEN 'gold' END,
       (ARRAY['berlin office', 'kolkata desk', 'chatham'])[1 + g % 3]
  FROM generate_series(1, 400) g;
INSERT INTO tickets (id, created_at, priority, customer, calendar) VALUES
    (1001, '2026-12-24 15:30+01', 'high', NULL, 'berlin office'),   -- by hand: below
    (1002, '2026-12-31 17:00+05:30', NULL, NULL, 'kolkata desk');
CREATE TABLE local_tickets AS SELECT * FROM tickets;
SQL
compute="SELECT id, sla.business_add(created_at, '4 hours', sla.calendar_named(calendar)) AS due,
                sla.policy_id_for('first_response', priority, NULL, customer, created_at) AS policy,
                (sla.policy_for('first_response', priority, NULL, customer, created_at)).name AS policy_name"
plan=$(on_coordinator -d $db -c "EXPLAIN $compute FROM tickets")
tasks=$(echo "$plan" | sed -n 's/.*Task Count: \([0-9]*\).*/\1/p')
[ "${tasks:-0}" -gt 1 ] && ok "named calendars and policies in a query over the tickets: pushed down ($tasks tasks)" \
  || { not_ok "named calendars and policies in a query over the tickets: pushed down (tasks '$tasks')"; echo "$plan" | sed 's/^/# /'; }
got=$(on_coordinator -d $db -c "SELECT count(*) FROM (($compute FROM tickets) EXCEPT ALL ($compute FROM local_tickets)) d")
got2=$(on_coordinator -d $db -c "SELECT count(*) FROM (($compute FROM local_tickets) EXCEPT ALL ($compute FROM tickets)) d")
all=$(on_coordinator -d $db -c "SELECT count(*) FROM ($compute FROM tickets) d WHERE due IS NOT NULL")
[ "$got $got2 $all" = "0 0 402" ] \
  && ok "the workers' deadlines and policies are those of one node, for all 402 tickets" \
  || not_ok "the workers' deadlines and policies are those of one node (differ: $got, $got2; computed: $all)"
# Ticket 1001, Thursday 2026-12-24 15:30 in Berlin: 1h30 that day, Christmas
# and the day off Monday 28th skipped, the weekend too: 2h30 from Tuesday
# 09:00, 11:30 CET = 10:30 UTC.  Ticket 1002, Thursday 31st 17:00 in
# Kolkata: one hour that day, three from Friday 10:00: 13:00 IST = 07:30 UTC.
got=$(on_coordinator -d $db -c "SELECT string_agg(id || ' ' || to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' || coalesce(policy_name, '-'), ', ' ORDER BY id)
                                  FROM ($compute FROM tickets WHERE id IN (1001, 1002)) d")
[ "$got" = "1001 2026-12-29 10:30 urgent answer, 1002 2027-01-01 07:30 answer" ] \
  && ok "deadlines and policies worked out by hand, computed on the workers" \
  || not_ok "deadlines and policies worked out by hand, computed on the workers (got '$got')"
got=$(on_coordinator -d $db -c "SELECT string_agg(policy_name || ' ' || n, ', ' ORDER BY policy_name)
                                  FROM (SELECT policy_name, count(*) n FROM ($compute FROM tickets WHERE id <= 400) d GROUP BY 1) c")
# of 1..400: high are the 133 multiples of 3, gold-and-high the 26 multiples of 15
[ "$got" = "answer 267, gold answer 26, urgent answer 107" ] \
  && ok "the most specific policy per ticket, counted by hand" \
  || not_ok "the most specific policy per ticket, counted by hand (got '$got')"

# 3. sla.pauses aggregated in parts on the workers ---------------------------------
on_coordinator -d $db >/dev/null <<'SQL'
CREATE TABLE history (ticket bigint NOT NULL, team int NOT NULL, at timestamptz NOT NULL, paused boolean NOT NULL);
SELECT create_distributed_table('history', 'ticket');
SELECT setseed(0.5);
-- one row per instant: ties at one instant have no order across nodes
INSERT INTO history
SELECT 1 + (random() * 499)::int, k % 7, timestamptz '2026-01-01 00:00+00' + k * interval '1 minute', random() < 0.4
  FROM generate_series(1, 30000) k;
CREATE TABLE local_history AS SELECT * FROM history;
SQL
pauses="SELECT team, sla.pauses(at, paused) AS got FROM"
pauses_by_ticket="SELECT ticket, sla.pauses(at, paused) AS got FROM"
plan=$(on_coordinator -d $db -c "EXPLAIN (VERBOSE) $pauses history GROUP BY team")
echo "$plan" | grep -q "worker_partial_agg" && echo "$plan" | grep -q "coord_combine_agg" \
  && ok "grouped by team (not the distribution column), sla.pauses is aggregated in parts on the workers" \
  || { not_ok "grouped by team, sla.pauses is aggregated in parts on the workers"; echo "$plan" | sed 's/^/# /'; }
got=$(on_coordinator -d $db -c "SELECT count(*) FROM ($pauses history GROUP BY team) d
                                  FULL JOIN ($pauses local_history GROUP BY team) l USING (team)
                                 WHERE d.got IS DISTINCT FROM l.got")
[ "$got" = 0 ] && ok "the distributed pauses per team are those of one node" \
  || not_ok "the distributed pauses per team are those of one node ($got teams differ)"
got=$(on_coordinator -d $db -c "
SELECT count(*) FROM ($pauses history GROUP BY team) d
  FULL JOIN (SELECT team, coalesce(range_agg(tstzrange(at, next_at)) FILTER (WHERE paused), '{}') AS want
               FROM (SELECT team, at, paused, lead(at) OVER (PARTITION BY team ORDER BY at) AS next_at
                       FROM local_history) r
              GROUP BY team) w USING (team)
 WHERE d.got IS DISTINCT FROM w.want")
[ "$got" = 0 ] && ok "the distributed pauses per team are the brute-force reference's (a range from each paused row to the next row)" \
  || not_ok "the distributed pauses per team are the brute-force reference's ($got teams differ)"
got=$(on_coordinator -d $db -c "SELECT count(*) FROM ($pauses_by_ticket history GROUP BY ticket) d
                                  FULL JOIN ($pauses_by_ticket local_history GROUP BY ticket) l USING (ticket)
                                 WHERE d.got IS DISTINCT FROM l.got")
[ "$got" = 0 ] && ok "grouped by the distribution column, pushed down whole, the same as one node" \
  || not_ok "grouped by the distribution column, the same as one node ($got tickets differ)"
# a role that may read only team 3's rows (row-level security on the
# distributed table, which Citus applies on the shards) aggregates in parts
# too, with its own rights, and gets team 3's pauses alone
on_coordinator -d $db >/dev/null <<'SQL'
CREATE ROLE sla_citus_reader LOGIN;   -- Citus connects to the workers as the user
GRANT SELECT ON history TO sla_citus_reader;
ALTER TABLE history ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_3 ON history FOR SELECT TO sla_citus_reader USING (team = 3);
SQL
got=$(on_coordinator -d $db -c "SET ROLE sla_citus_reader" -c "SELECT string_agg(team || ' ' || md5(got::text), ',') FROM ($pauses history GROUP BY team) d")
want=$(on_coordinator -d $db -c "SELECT string_agg(team || ' ' || md5(got::text), ',') FROM ($pauses local_history WHERE team = 3 GROUP BY team) d")
[ -n "$want" ] && [ "$got" = "$want" ] \
  && ok "a role under row-level security aggregates only the rows it may read, in parts on the workers" \
  || not_ok "a role under row-level security aggregates only the rows it may read (got '$got', want '$want')"

# 4. Attaching: what is refused, and nothing left behind ---------------------------
on_coordinator -d $db >/dev/null <<'SQL'
CREATE TABLE by_customer (id bigint, customer text, status text, created_at timestamptz, priority text,
                          first_response_at timestamptz, resolved_at timestamptz);
SELECT create_distributed_table('by_customer', 'customer');
CREATE TABLE shared_tickets (id bigint PRIMARY KEY, status text, created_at timestamptz, priority text,
                             first_response_at timestamptz, resolved_at timestamptz);
SELECT create_reference_table('shared_tickets');
CREATE TABLE guarded (id bigint PRIMARY KEY, status text, created_at timestamptz, priority text,
                      first_response_at timestamptz, resolved_at timestamptz);
SELECT create_distributed_table('guarded', 'id');
ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
CREATE TABLE split (id bigint, status text, created_at timestamptz NOT NULL, priority text,
                    first_response_at timestamptz, resolved_at timestamptz) PARTITION BY RANGE (created_at);
CREATE TABLE split_2026 PARTITION OF split FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT create_distributed_table('split', 'id');
SQL
expect_sqlstate "attaching a table distributed by another column than its id is refused (0A000)" 0A000 \
  "SELECT sla.attach('by_customer')"
hint=$(on_coordinator -d $db -c "SELECT sla.attach('by_customer')" 2>&1 | grep HINT)
echo "$hint" | grep -q "alter_distributed_table('public.by_customer', distribution_column := 'id')" \
  && ok "its hint says how to distribute it by id" || not_ok "its hint says how to distribute it by id (got '$hint')"
expect_sqlstate "attaching a reference table is refused (0A000)" 0A000 "SELECT sla.attach('shared_tickets')"
expect_sqlstate "attaching a distributed table with row-level security is refused (0A000): not supported yet" 0A000 \
  "SELECT sla.attach('guarded')"
expect_sqlstate "attaching a distributed partitioned table is refused (0A000): not supported yet" 0A000 \
  "SELECT sla.attach('split')"
got=$(on_coordinator -d $db -c "SELECT (SELECT count(*) FROM sla.attachments) || ' ' ||
                                       (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal
                                           AND tgrelid IN ('by_customer'::regclass, 'shared_tickets'::regclass,
                                                           'guarded'::regclass, 'split'::regclass)) || ' ' ||
                                       (SELECT count(*) FROM pg_class WHERE relnamespace = 'sla_state'::regnamespace)")
[ "$got" = "0 0 0" ] && ok "refused attachments leave no attachment, trigger or state table" \
  || not_ok "refused attachments leave no attachment, trigger or state table (got '$got')"
# a ticket table of the coordinator is attached, viewed and swept as on one
# node, its policy read from the reference table: opened an hour ago,
# unanswered, against 30 minutes around the clock it is breached, and the
# sweep records its at-risk (75 %) and breach crossings once
on_coordinator -d $db >/dev/null <<'SQL'
INSERT INTO sla.calendars VALUES ('around the clock', '24/7', 'UTC');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('quick answer', 'answer', '30 minutes', 'around the clock');
CREATE TABLE local_desk (id bigint PRIMARY KEY, status text, created_at timestamptz, priority text,
                         answered_at timestamptz, resolved_at timestamptz);
INSERT INTO local_desk VALUES (1, 'open', now() - interval '1 hour', 'high', NULL, NULL);
SELECT sla.attach('local_desk', metrics => '{"answer": "answered_at"}');
SQL
got=$(on_coordinator -d $db -c "SELECT answer_policy || ' ' || answer_state FROM local_desk_sla" \
        -c "SELECT sla.sweep()" -c "SELECT sla.sweep()" \
        -c "SELECT string_agg(ticket_id || ' ' || metric || ' ' || kind, ',' ORDER BY kind) FROM sla.events")
[ "$got" = "$(printf 'quick answer breached\n2\n0\n1 answer at_risk,1 answer breached')" ] \
  && ok "a table of the coordinator is attached, viewed and swept (each crossing once) as on one node" \
  || not_ok "a table of the coordinator is attached, viewed and swept as on one node (got '$got')"
refusal=$(on_coordinator -d $db -c "SELECT create_distributed_table('local_desk', 'id')" 2>&1)
echo "$refusal" | grep -q 'cannot distribute relation "local_desk" because it has triggers' \
  && ok "create_distributed_table on an attached table is refused" \
  || not_ok "create_distributed_table on an attached table is refused (got '$refusal')"
got=$(on_coordinator -d $db -c "UPDATE local_desk SET status = 'pending' WHERE id = 1" \
        -c "SELECT string_agg(status, ',' ORDER BY changed_at) FROM sla.status_history WHERE tickets = 'local_desk'::regclass")
[ "$got" = "open,pending" ] && ok "after the refusal the table is still tracked" \
  || not_ok "after the refusal the table is still tracked (got '$got')"
refusal=$(on_coordinator -d $db -c "DROP TRIGGER sla_track_insert ON local_desk" 2>&1)
echo "$refusal" | grep -q "distribute it first: detach it, SELECT create_distributed_table" \
  && ok "following Citus's hint, dropping the triggers, is refused (2BP01) with a hint to distribute the table first" \
  || not_ok "following Citus's hint, dropping the triggers, is refused with a hint to distribute first (got '$refusal')"
refusal=$(on_coordinator -d $db -c "SET citus.enable_unsafe_triggers = on" -c "SELECT create_distributed_table('local_desk', 'id')" 2>&1)
got=$(on_coordinator -d $db -c "UPDATE local_desk SET status = 'open' WHERE id = 1" \
        -c "SELECT (SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'local_desk'::regclass) || ' ' ||
                   (SELECT string_agg(status, ',' ORDER BY changed_at) FROM sla.status_history WHERE tickets = 'local_desk'::regclass)")
[ "$got" = "0 open,pending,open" ] \
  && ok "with citus.enable_unsafe_triggers too, distributing an attached table fails and leaves it tracked" \
  || not_ok "with citus.enable_unsafe_triggers too, distributing an attached table fails and leaves it tracked (got '$refusal' / '$got')"
# a foreign key to a reference table would make Citus convert the attached
# table into a Citus local table (its triggers moved to a shard): refused,
# and the tracking goes on
on_coordinator -d $db >/dev/null <<'SQL'
CREATE TABLE desks (id int PRIMARY KEY);
SELECT create_reference_table('desks');
INSERT INTO desks VALUES (1);
ALTER TABLE local_desk ADD COLUMN desk int;
SQL
refusal=$(on_coordinator -d $db -c "ALTER TABLE local_desk ADD FOREIGN KEY (desk) REFERENCES desks" 2>&1)
got=$(on_coordinator -d $db -c "UPDATE local_desk SET status = 'open' WHERE id = 1" \
        -c "SELECT (SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'local_desk'::regclass) || ' ' ||
                   (SELECT string_agg(status, ',' ORDER BY changed_at) FROM sla.status_history WHERE tickets = 'local_desk'::regclass)")
echo "$refusal" | grep -q "because sla tracks the table with it" && [ "$got" = "0 open,pending,open" ] \
  && ok "a foreign key that would make Citus convert an attached table is refused, and the tracking goes on" \
  || not_ok "a foreign key that would make Citus convert an attached table is refused (got '$refusal' / '$got')"

# 5. A distributed ticket table, attached ------------------------------------------
# desk is distributed by its id; desk_one holds the same tickets on the
# coordinator alone.  Both are attached alike, get the same history through
# sla.record_status (instants given) and the same new tickets through the
# tracking triggers (an inserted ticket counts from its creation), and are
# compared: view rows, history, events.
on_coordinator -d $db >/dev/null <<'SQL'
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('fix', 'resolution', '3 days', 'chatham');
CREATE TABLE desk (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, status text NOT NULL, priority text,
                   customer text, first_response_at timestamptz, resolved_at timestamptz);
SELECT create_distributed_table('desk', 'id');
-- 300 tickets every 47 minutes from 2026-11-20 (before today, 2026-12-03 or
-- later): answered, resolved, high and gold ones mixed
INSERT INTO desk
SELECT g, c, CASE WHEN g % 6 = 0 THEN 'resolved' ELSE 'open' END, CASE WHEN g % 3 = 0 THEN 'high' END,
       CASE WHEN g % 5 = 0 THEN 'gold' END, CASE WHEN g % 4 = 0 THEN c + g * interval '1 minute' END,
       CASE WHEN g % 6 = 0 THEN c + interval '2 days' END
  FROM generate_series(1, 300) g, LATERAL (SELECT timestamptz '2026-11-20 00:00+00' + g * interval '47 minutes' AS c) x;
CREATE TABLE desk_one (LIKE desk INCLUDING ALL);
INSERT INTO desk_one SELECT * FROM desk;
SQL
# in one transaction, so that their tickets' statuses count from the same now()
check "sla.attach on a table distributed by its id" \
  on_coordinator -d $db -o /dev/null -c "SET datestyle = 'SQL, DMY'" -c "BEGIN" -c "SELECT sla.attach('desk', customer_column => 'customer')" \
                                     -c "SELECT sla.attach('desk_one', customer_column => 'customer')" -c "COMMIT"
n_desk=$(on_coordinator -d $db -c "SELECT id FROM sla.attachments WHERE tickets = 'desk'::regclass")
got=$(on_coordinator -d $db -c "SELECT string_agg(p.logicalrelid::text || ' ' || p.partmethod::text || ' ' ||
                                                   (p.colocationid = d.colocationid)::text, ', ' ORDER BY p.logicalrelid::text)
                                  FROM pg_dist_partition p, pg_dist_partition d
                                 WHERE d.logicalrelid = 'desk'::regclass AND p.logicalrelid::text LIKE 'sla_state.%\_$n_desk'")
want=$(for k in changes events history messages state stops teams; do printf 'sla_state.%s_%s h true, ' $k $n_desk; done | sed 's/, $//')
[ "$got" = "$want" ] && ok "its state tables are distributed by ticket, co-located with the tickets" \
  || not_ok "its state tables are distributed by ticket, co-located with the tickets (got '$got')"
# Citus puts a table's row triggers on its shards, not its TRUNCATE
# trigger: that one fires on the coordinator and truncates the state tables
got=$(on_coordinator -d $db -c "SELECT count(*) FROM run_command_on_shards('desk', \$\$SELECT count(*) FROM pg_trigger WHERE tgrelid = '%s'::regclass AND tgfoid = 'sla_private.track_changes()'::regprocedure\$\$) WHERE result = '3'")
[ "$got" = 4 ] && ok "each of its 4 shards has the 3 tracking triggers of rows" || not_ok "each of its 4 shards has the 3 tracking triggers of rows (got $got)"
# the same history for both, in one transaction each (record_status folds first)
history="SELECT sla.record_status('TABLE', id::text, created_at + interval '1 hour', 'pending'),
                sla.record_status('TABLE', id::text, created_at + interval '5 hours', 'open')
           FROM desk_one WHERE id % 7 = 0 AND status = 'open'"
check "sla.record_status imports the same history into both" \
  on_coordinator -d $db -o /dev/null -c "${history//TABLE/desk}" -c "${history//TABLE/desk_one}"
# new tickets through the triggers, in both
new="INSERT INTO %s SELECT g, timestamptz '2026-12-01 10:00+00' + g * interval '13 minutes', 'open', 'high', NULL, NULL, NULL
       FROM generate_series(301, 340) g"
check "40 new tickets through the tracking triggers, in both" \
  on_coordinator -d $db -o /dev/null -c "${new//%s/desk}" -c "${new//%s/desk_one}"
# and 6 deleted: their state and history go (forgotten on their shards)
gone="DELETE FROM %s WHERE id % 50 = 0"
check "6 tickets deleted, in both" on_coordinator -d $db -o /dev/null -c "${gone//%s/desk}" -c "${gone//%s/desk_one}"
plan=$(on_coordinator -d $db -c "EXPLAIN SELECT count(*) FILTER (WHERE resolution_state = 'breached') FROM desk_sla")
tasks=$(echo "$plan" | grep -v "Distributed Subplan" | sed -n 's/^ *Task Count: \([0-9]*\).*/\1/p' | tail -1)
[ "${tasks:-0}" -gt 1 ] && ok "a count over the SLA view runs its SLA evaluation on the workers ($tasks tasks)" \
  || { not_ok "a count over the SLA view runs its SLA evaluation on the workers (tasks '$tasks')"; echo "$plan" | sed 's/^/# /'; }
same_rows() {                  # same_rows <description> <query over %s: the table or view name without _one>
  local what=$1 query=$2 d1 d2 all
  d1=$(on_coordinator -d $db -c "SELECT count(*) FROM ((${query//%s/desk}) EXCEPT ALL (${query//%s/desk_one})) d")
  d2=$(on_coordinator -d $db -c "SELECT count(*) FROM ((${query//%s/desk_one}) EXCEPT ALL (${query//%s/desk})) d")
  all=$(on_coordinator -d $db -c "SELECT count(*) FROM (${query//%s/desk}) d")
  [ "$d1 $d2" = "0 0" ] && [ "${all:-0}" -gt 0 ] && ok "$what: the same $all rows as on one node" \
    || not_ok "$what: the same rows as on one node (differ: $d1, $d2 of $all)"
}
same_rows "the SLA view of the distributed table" "SELECT * FROM %s_sla"
# (so that the comparison is not over rows of one kind: first responses
# met and breached, resolutions met, each for good)
got=$(on_coordinator -d $db -c "SELECT count(*) FILTER (WHERE first_response_state = 'met') > 0
                                   AND count(*) FILTER (WHERE first_response_state = 'breached') > 0
                                   AND count(*) FILTER (WHERE resolution_state = 'met') > 0 FROM desk_sla")
[ "$got" = t ] && ok "the rows compared hold met and breached first responses and met resolutions" \
  || not_ok "the rows compared hold met and breached first responses and met resolutions (got '$got')"
same_rows "the status history" "SELECT ticket_id, changed_at, status FROM sla.status_history WHERE tickets = '%s'::regclass"
got=$(on_coordinator -d $db -c "SELECT count(*) FROM sla.status_history WHERE tickets = 'desk'::regclass AND ticket_id::bigint % 50 = 0")
[ "$got" = 0 ] && ok "the deleted tickets have no history left" || not_ok "the deleted tickets have no history left ($got rows)"
# a status change touches only the worker holding the ticket: its row of
# changes_<n> is on that worker's co-located shard, no other shard has one
on_coordinator -d $db -o /dev/null -c "SELECT sla.sweep()"
got=$(on_coordinator -d $db -c "UPDATE desk SET status = 'pending' WHERE id = 11" \
        -c "SELECT string_agg(s.shardid || ' ' || r.result, ',' ORDER BY s.shardid)
              FROM run_command_on_shards('sla_state.changes_$n_desk', 'SELECT count(*) FROM %s') r
              JOIN pg_dist_shard s USING (shardid)
             WHERE r.result <> '0'" \
        -c "SELECT get_shard_id_for_distribution_column('sla_state.changes_$n_desk', 11) || ' 1'" \
        -c "SELECT count(DISTINCT nodeport) FROM citus_shards
             WHERE shardid IN (get_shard_id_for_distribution_column('sla_state.changes_$n_desk', 11),
                               get_shard_id_for_distribution_column('desk', 11))")
set -- $got
[ "$#" = 5 ] && [ "$1 $2" = "$3 $4" ] && [ "$5" = 1 ] \
  && ok "a status change is recorded on the co-located shard only, on the worker holding the ticket" \
  || not_ok "a status change is recorded on the co-located shard only, on the worker holding the ticket (got '$got')"
got=$(on_coordinator -d $db -c "SELECT status || ' ' || resolution_state FROM desk_sla WHERE id = 11")
[ "$got" = "pending paused" ] && ok "the view shows the change at once (pending: paused)" \
  || not_ok "the view shows the change at once (got '$got')"
# the sweep: each crossing recorded once across the shards, the events of
# one node; two sweeps at once, then one that finds nothing new
events="SELECT ticket_id, metric, cycle, kind, level, happened_at FROM sla.events WHERE tickets = '%s'::regclass"
on_coordinator -d $db -o /dev/null -c "TRUNCATE desk" -c "TRUNCATE desk_one"
on_coordinator -d $db -o /dev/null -c "INSERT INTO desk SELECT g, c, 'open', CASE WHEN g % 3 = 0 THEN 'high' END, NULL, NULL, NULL
  FROM generate_series(1, 200) g, LATERAL (SELECT timestamptz '2026-11-25 00:00+00' + g * interval '29 minutes' AS c) x" \
  -c "INSERT INTO desk_one SELECT * FROM desk"
# (with a DateStyle that reads 03/12 as the 3rd of December: the instant
# the workers sweep at must not depend on it)
listened=$(on_coordinator -d $db -c "SET datestyle = 'SQL, DMY'" -c "LISTEN sla_events" -c "SELECT sla.sweep()")
on_coordinator -d $db -o /dev/null -c "INSERT INTO desk SELECT g, c, 'open', 'high', NULL, NULL, NULL
  FROM generate_series(201, 260) g, LATERAL (SELECT timestamptz '2026-12-01 00:00+00' + g * interval '7 minutes' AS c) x" \
  -c "INSERT INTO desk_one SELECT * FROM desk WHERE id > 200"
on_coordinator -d $db -o /dev/null -c "SELECT sla.sweep()" & first=$!
on_coordinator -d $db -o /dev/null -c "SELECT sla.sweep()" & second=$!
wait $first && wait $second && ok "two sweeps at once" || not_ok "two sweeps at once"
on_coordinator -d $db -o /dev/null -c "SELECT sla.sweep()"
same_rows "the events recorded by the sweeps, once each" "$events"
got=$(on_coordinator -d $db -c "SELECT sla.sweep()" -c "SELECT count(*) - count(DISTINCT id) FROM sla.events")
[ "$got" = "$(printf '0\n0')" ] && ok "a further sweep records nothing, and no event id is used twice" \
  || not_ok "a further sweep records nothing, and no event id is used twice (got '$got')"
notified=$(echo "$listened" | sed -n 's/.*notification "sla_events" with payload "\([0-9]*\)".*/\1/p' | sort -n | paste -sd, -)
swept=$(echo "$listened" | grep -v notification | tail -1)
got=$(on_coordinator -d $db -c "SELECT count(*) FROM sla.events WHERE id IN (${notified:-0}) AND tickets IN ('desk'::regclass, 'desk_one'::regclass)")
[ "${swept:-0}" -gt 0 ] && [ "$got" = "$swept" ] && [ "$(echo "$notified" | tr , '\n' | wc -l)" = "$swept" ] \
  && ok "the coordinator NOTIFYs sla_events of each of the $swept events, also those recorded on the workers" \
  || not_ok "the coordinator NOTIFYs sla_events of each event recorded (swept '$swept', notified events '$got')"
# a sweep of 80,000 tickets of the coordinator: big enough for parallel
# workers, which Citus, planning its reads of the reference tables apart,
# cannot take the sweep's transaction into.  Every ticket is long overdue:
# both metrics at risk and breached, four events each.
on_coordinator -d $db >/dev/null <<'SQL'
CREATE TABLE bulk (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, status text NOT NULL, priority text,
                   first_response_at timestamptz, resolved_at timestamptz);
INSERT INTO bulk SELECT g, timestamptz '2026-11-02 00:00+00' - g * interval '1 minute', 'open', NULL, NULL, NULL
  FROM generate_series(1, 80000) g;
SELECT sla.attach('bulk');
SQL
got=$(on_coordinator -d $db -o /dev/null -c "SELECT sla.sweep()" 2>&1; on_coordinator -d $db -c "SELECT count(*) FROM sla.events WHERE tickets = 'bulk'::regclass")
[ "$got" = "320000" ] && ok "a sweep of 80,000 tickets of the coordinator records their 320,000 crossings" \
  || not_ok "a sweep of 80,000 tickets of the coordinator records their 320,000 crossings (got '$got')"
on_coordinator -d $db -o /dev/null -c "SELECT sla.detach('bulk')" -c "DROP TABLE bulk"
# a role that may read the tickets sees their SLA state through the view; one
# that may not sees no state at all, and cannot write it on a worker
on_coordinator -d $db >/dev/null <<'SQL'
CREATE ROLE sla_agent LOGIN;
CREATE ROLE sla_eve LOGIN;
GRANT SELECT ON desk, desk_sla TO sla_agent;
SQL
got=$(on_coordinator -d $db -c "SET ROLE sla_agent" -c "SELECT md5(string_agg(id || ' ' || coalesce(resolution_state, '-') || ' ' || paused_for, ',' ORDER BY id)) FROM desk_sla")
want=$(on_coordinator -d $db -c "SELECT md5(string_agg(id || ' ' || coalesce(resolution_state, '-') || ' ' || paused_for, ',' ORDER BY id)) FROM desk_sla")
[ -n "$want" ] && [ "$got" = "$want" ] && ok "a role that may read the tickets sees their SLA state, evaluated on the workers" \
  || not_ok "a role that may read the tickets sees their SLA state (got '$got', want '$want')"
got=$(on_coordinator -d $db -c "SET ROLE sla_eve" -c "SELECT (SELECT count(*) FROM sla_state.state_$n_desk) || ' ' || (SELECT count(*) FROM sla.events WHERE tickets = 'desk'::regclass) || ' ' || (SELECT count(*) FROM sla.ticket_state WHERE tickets = 'desk'::regclass)")
[ "$got" = "0 0 0" ] && ok "a role that may not read the tickets sees none of their state, history or events" \
  || not_ok "a role that may not read the tickets sees none of their state (got '$got')"
shard=$(q -p "${workers[0]}" -d $db -c "SET citus.override_table_visibility = off" -c "SELECT c.oid::regclass FROM pg_class c WHERE c.relname ~ '^events_${n_desk}_[0-9]+$' AND c.relkind = 'r' LIMIT 1")
worker_try=$(q -p "${workers[0]}" -d $db -U sla_eve -c "DELETE FROM $shard" 2>&1)
echo "$worker_try" | grep -q "permission denied" && ok "nor can it delete events on a worker's shard ($shard)" \
  || not_ok "nor can it delete events on a worker's shard ($shard: '$worker_try')"

# The hostile role attaches a distributed table of its own.  Its status is
# of the role's own enum type, with a cast to text of its own; that cast,
# an "=" operator and a "format" function in its schema are traps on every
# node, recording who ran them.  Attaching, tracking, the sweep and the
# view, by a superuser with that schema first in search_path, run them
# with no rights but the hostile role's own.
on_coordinator -d $db >/dev/null <<'SQL'
CREATE SCHEMA AUTHORIZATION sla_eve;
SET ROLE sla_eve;
CREATE TYPE sla_eve.mood AS ENUM ('open', 'pending', 'resolved');
CREATE TABLE sla_eve.desk (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, status sla_eve.mood NOT NULL,
                           priority text, first_response_at timestamptz, resolved_at timestamptz);
SELECT create_distributed_table('sla_eve.desk', 'id');
INSERT INTO sla_eve.desk SELECT g, timestamptz '2026-11-30 08:00+00' + g * interval '1 hour', 'open', 'high', NULL, NULL
  FROM generate_series(1, 20) g;
SQL
traps="SET citus.enable_ddl_propagation = off;
CREATE TABLE sla_eve.sprung (who text, what text);
GRANT INSERT ON sla_eve.sprung TO PUBLIC;
CREATE FUNCTION sla_eve.mood_text(m sla_eve.mood) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN INSERT INTO sla_eve.sprung VALUES (current_user, 'cast'); RETURN 'open'; END \$\$;
CREATE CAST (sla_eve.mood AS text) WITH FUNCTION sla_eve.mood_text(sla_eve.mood);
CREATE FUNCTION sla_eve.trap_text(a text, b text) RETURNS boolean LANGUAGE plpgsql AS \$\$
BEGIN INSERT INTO sla_eve.sprung VALUES (current_user, '='); RETURN a OPERATOR(pg_catalog.=) b; END \$\$;
CREATE OPERATOR sla_eve.= (LEFTARG = text, RIGHTARG = text, FUNCTION = sla_eve.trap_text);
CREATE FUNCTION sla_eve.format(text, VARIADIC text[]) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN INSERT INTO sla_eve.sprung VALUES (current_user, 'format'); RETURN ''; END \$\$;"
traps_ok=true
for port in "$coordinator" "${workers[@]}"; do q -p "$port" -d $db -U sla_eve -c "$traps" >/dev/null || traps_ok=false; done
check "the hostile role sets its traps on every node" $traps_ok
sprung() {                     # who ran the traps, on every node, each line "port who what"; then forget them
  local port
  for port in "$coordinator" "${workers[@]}"; do
    q -p "$port" -d $db -c "DELETE FROM sla_eve.sprung RETURNING $port || ' ' || who || ' ' || what"
  done | sort -u
}
got=$(on_coordinator -d $db -c "SET search_path = sla_eve, pg_catalog, public" -c "SELECT count(*) FROM desk WHERE status::text = 'open'" >/dev/null; sprung)
echo "$got" | grep -q " postgres cast" \
  && ok "the traps work: a superuser's query that does not pin search_path casts with the hostile role's function on the workers" \
  || not_ok "the traps work: a superuser's query springs the hostile cast on the workers (got '$got')"
eve_ran=$(on_coordinator -d $db -c "SET ROLE sla_eve" -c "SELECT sla.attach('sla_eve.desk')" \
            -c "UPDATE sla_eve.desk SET status = 'pending' WHERE id % 4 = 0" 2>&1)
check "the hostile role attaches its distributed table and changes its tickets (${eve_ran//$'\n'/ })" \
  test "$(echo "$eve_ran" | head -1)" = desk_sla
expect_sqlstate "the hostile role cannot point sla's statements at a shard group: sla.shard is not its to set (42501)" 42501 \
  "SET sla.shard = 'public.desk_102008'" -c "SET ROLE sla_eve" -c "SELECT '24/7'::sla.calendar"
expect_sqlstate "attaching an activity table to a distributed attachment is refused (0A000): not supported yet" 0A000 \
  "SELECT sla.attach_activity('desk_one', 'desk')"
got=$(on_coordinator -d $db -c "SET search_path = sla_eve, pg_catalog, public" -c "SELECT sla.sweep()" \
        -c "SELECT count(*) FILTER (WHERE status OPERATOR(pg_catalog.=) 'pending'::sla_eve.mood) || ' ' || count(*) FILTER (WHERE resolution_state OPERATOR(pg_catalog.=) 'paused') FROM sla_eve.desk_sla")
[ "$(echo "$got" | tail -1)" = "5 5" ] && ok "a superuser with that search_path sweeps and reads its view (5 tickets pending, paused)" \
  || not_ok "a superuser with that search_path sweeps and reads its view (got '$got')"
got=$(sprung | grep -v " sla_eve " || true)
[ -z "$got" ] && ok "none of the hostile role's traps ran with another role's rights, on any node" \
  || not_ok "none of the hostile role's traps ran with another role's rights (got '$got')"

# detaching the distributed table: its triggers, its state and the workers'
# copy of its attachment go; the table keeps its tickets and takes updates.
# Dropping an attached distributed table is refused until it is detached.
got=$(on_coordinator -d $db -c "SELECT sla.detach('desk')" -c "UPDATE desk SET status = 'open' WHERE id = 3" \
        -c "SELECT (SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text LIKE 'sla_state.%\_$n_desk') || ' ' ||
                   (SELECT count(*) FROM run_command_on_shards('desk', \$\$SELECT count(*) FROM pg_trigger WHERE tgrelid = '%s'::regclass AND tgfoid = 'sla_private.track_changes()'::regprocedure\$\$) WHERE result <> '0') || ' ' ||
                   (SELECT count(*) FROM run_command_on_workers(\$\$SELECT count(*) FROM sla.attachments WHERE id = $n_desk\$\$) WHERE result <> '0') || ' ' ||
                   (SELECT count(*) FROM desk)" | tail -1)
[ "$got" = "0 0 0 260" ] && ok "sla.detach of the distributed table drops its triggers on the shards, its state, the workers' copy; its tickets stay" \
  || not_ok "sla.detach of the distributed table drops its triggers, state and the workers' copy (got '$got')"
n_eve=$(on_coordinator -d $db -c "SELECT id FROM sla.attachments WHERE tickets = 'sla_eve.desk'::regclass")
expect_sqlstate "dropping an attached distributed table is refused (2BP01): detach it first" 2BP01 \
  "DROP TABLE sla_eve.desk CASCADE" -c "SET ROLE sla_eve"
got=$(on_coordinator -d $db -c "SET ROLE sla_eve" -c "UPDATE sla_eve.desk SET status = 'resolved' WHERE id = 1" \
        -c "SELECT count(*) FROM sla.status_history WHERE tickets = 'sla_eve.desk'::regclass AND status = 'resolved'" -c "RESET ROLE" \
        -c "SELECT count(*) FROM run_command_on_workers(\$\$SELECT count(*) FROM sla.attachments WHERE id = $n_eve\$\$) WHERE result = '1'")
[ "$got" = "$(printf '1\n2')" ] && ok "after the refusal the table is tracked as before, the workers keep their copy" \
  || not_ok "after the refusal the table is tracked as before, the workers keep their copy (got '$got')"

# 6. Citus after sla: sla.distribute_config(), and the update from 1.0 -------------
late=sla_citus_late
databases_ok=true
citus_db $late || databases_ok=false
on_coordinator -d $late >/dev/null <<'SQL' || databases_ok=false
CREATE EXTENSION sla;
INSERT INTO sla.calendars VALUES ('office', 'Mo-Fr 09:00-17:00; PH off', 'Australia/Lord_Howe');
INSERT INTO sla.holidays VALUES ('office', '2026-12-25', 'Christmas');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('answer', 'first_response', '4 hours', 'office');
SQL
db=$late
expect_sqlstate "sla.distribute_config() without Citus is refused (55000)" 55000 "SELECT sla.distribute_config()"
for port in "$coordinator" "${workers[@]}"; do q -p "$port" -d $late -c "CREATE EXTENSION citus" >/dev/null || databases_ok=false; done
citus_add_nodes $late || databases_ok=false
check "a database with sla, then Citus on every node" $databases_ok

# the hostile role: its own schema, table, functions and operators, set as traps
on_coordinator -d $late >/dev/null <<'SQL'
CREATE ROLE sla_mallory LOGIN;
CREATE SCHEMA AUTHORIZATION sla_mallory;
SET ROLE sla_mallory;
CREATE TABLE sla_mallory.sprung (who text, what text);
GRANT INSERT ON sla_mallory.sprung TO PUBLIC;
CREATE FUNCTION sla_mallory.trap_text(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN INSERT INTO sla_mallory.sprung VALUES (current_user, '='); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE OPERATOR sla_mallory.= (LEFTARG = text, RIGHTARG = text, FUNCTION = sla_mallory.trap_text);
CREATE FUNCTION sla_mallory.create_reference_table(regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN INSERT INTO sla_mallory.sprung VALUES (current_user, 'create_reference_table'); END $$;
CREATE FUNCTION sla_mallory.lower(anyrange) RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN INSERT INTO sla_mallory.sprung VALUES (current_user, 'lower'); RETURN NULL; END $$;
CREATE FUNCTION sla_mallory.format(text, VARIADIC text[]) RETURNS text LANGUAGE plpgsql AS $$
BEGIN INSERT INTO sla_mallory.sprung VALUES (current_user, 'format'); RETURN ''; END $$;
RESET ROLE;
SQL
# the traps work: a superuser's own unqualified query with that search_path springs them
got=$(on_coordinator -d $late -c "SET search_path = sla_mallory, pg_catalog, public" \
        -c "SELECT 'a'::text = 'a'::text, format('%s', 'x'::text)" -c "RESET search_path" \
        -c "DELETE FROM sla_mallory.sprung RETURNING what" | sort | paste -sd, -)
[ "$got" = "=,format,t|" ] && ok "the hostile role's operator and function catch a query that does not pin search_path" \
  || not_ok "the hostile role's operator and function catch a query that does not pin search_path (got '$got')"
expect_sqlstate "the hostile role cannot call sla.distribute_config (42501)" 42501 \
  "SELECT sla.distribute_config()" -c "SET ROLE sla_mallory"
check "a superuser runs sla.distribute_config() with the hostile role's schema first in search_path" \
  on_coordinator -d $late -o /dev/null -c "SET search_path = sla_mallory, pg_catalog, public" -c "SELECT sla.distribute_config()"
got=$(on_coordinator -d $late -c "SELECT string_agg(logicalrelid::text || ' ' || partmethod::text || repmodel::text, ', ' ORDER BY logicalrelid::text) FROM pg_dist_partition")
[ "$got" = "sla.calendars nt, sla.holidays nt, sla.policies nt" ] \
  && ok "sla.distribute_config() made the configuration reference tables" \
  || not_ok "sla.distribute_config() made the configuration reference tables (got '$got')"
got=$(on_coordinator -d $late -c "SELECT (SELECT string_agg(name || ' ' || rules || ' ' || zone, ',') FROM sla.calendars) || ' / ' ||
                                         (SELECT string_agg(calendar || ' ' || day || ' ' || label, ',') FROM sla.holidays) || ' / ' ||
                                         (SELECT string_agg(name || ' ' || target, ',') FROM sla.policies) || ' / ' ||
                                         (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint
                                           WHERE contype = 'f' AND conrelid IN ('sla.holidays'::regclass, 'sla.policies'::regclass))")
[ "$got" = "office Mo-Fr 09:00-17:00; PH off Australia/Lord_Howe / office 2026-12-25 Christmas / answer 04:00:00 / holidays_calendar_fkey,policies_calendar_fkey" ] \
  && ok "their rows are kept, and their foreign keys are back" \
  || not_ok "their rows are kept, and their foreign keys are back (got '$got')"
got=$(q -p "${workers[0]}" -d $late -c "SELECT sla.business_add('2026-12-24 16:00+11', '2 hours', sla.calendar_named('office'))")
# Lord Howe is at +11 in summer: one hour on Thursday, Christmas skipped,
# one hour from Monday 28th 09:00: 10:00+11
[ "$got" = "2026-12-27 23:00:00+00" ] && ok "a worker computes with the named calendar (worked out by hand)" \
  || not_ok "a worker computes with the named calendar (got '$got')"
got=$(on_coordinator -d $late -c "SELECT sla.distribute_config()" \
        -c "SELECT (SELECT count(*) FROM pg_dist_partition) || ' ' ||
                   (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint
                     WHERE contype = 'f' AND conrelid IN ('sla.holidays'::regclass, 'sla.policies'::regclass))")
[ "$got" = "$(printf '\n3 holidays_calendar_fkey,policies_calendar_fkey')" ] \
  && ok "sla.distribute_config() again changes nothing" \
  || not_ok "sla.distribute_config() again changes nothing (got '$got')"
on_coordinator -d $late >/dev/null <<'SQL'
CREATE TABLE spread (id bigint PRIMARY KEY, created_at timestamptz, calendar text);
SELECT create_distributed_table('spread', 'id');
INSERT INTO spread SELECT g, timestamptz '2026-12-24 05:00+00' + g * interval '1 hour', 'office' FROM generate_series(1, 40) g;
CREATE TABLE local_spread AS SELECT * FROM spread;
SQL
each="SELECT md5(string_agg(id || ' ' || sla.business_add(created_at, '2 hours', sla.calendar_named(calendar)) || ' '
                         || sla.policy_id_for('first_response', NULL, NULL, NULL, created_at), ',' ORDER BY id))"
got=$(on_coordinator -d $late -c "SET search_path = sla_mallory, pg_catalog, public" -c "$each FROM public.spread")
want=$(on_coordinator -d $late -c "$each FROM local_spread")
[ -n "$got" ] && [ "$got" = "$want" ] \
  && ok "a superuser with that search_path queries the distributed table through sla: the rows of one node" \
  || not_ok "a superuser with that search_path queries the distributed table through sla (got '$got', want '$want')"
got=$(on_coordinator -d $late -c "SELECT count(*) FROM sla_mallory.sprung")
[ "$got" = 0 ] && ok "none of the hostile role's functions or operators ran" \
  || not_ok "none of the hostile role's functions or operators ran ($got ran: $(on_coordinator -d $late -c "SELECT string_agg(who || ' ' || what, ', ') FROM sla_mallory.sprung"))"
expect_sqlstate "the hostile role cannot change a calendar through the coordinator (42501)" 42501 \
  "UPDATE sla.calendars SET rules = '24/7'" -c "SET ROLE sla_mallory"
worker_try=$(q -p "${workers[1]}" -d $late -U sla_mallory -c "DELETE FROM sla.policies" 2>&1)
echo "$worker_try" | grep -q "permission denied" && ok "the hostile role cannot change a policy on a worker" \
  || not_ok "the hostile role cannot change a policy on a worker (got '$worker_try')"
shard=$(q -p "${workers[1]}" -d $late -c "SET citus.override_table_visibility = off" -c "SELECT c.oid::regclass FROM pg_class c WHERE c.relname ~ '^policies_[0-9]+$' AND c.relkind = 'r' AND c.relnamespace = 'sla'::regnamespace LIMIT 1")
worker_try=$(q -p "${workers[1]}" -d $late -U sla_mallory -c "DELETE FROM $shard" 2>&1)
echo "$worker_try" | grep -q "permission denied" && ok "nor on the worker's shard of it ($shard)" \
  || not_ok "nor on the worker's shard of it ($shard: '$worker_try')"

upgraded=sla_citus_upgraded
citus_db $upgraded citus >/dev/null
on_coordinator -d $upgraded >/dev/null <<'SQL'
CREATE EXTENSION sla VERSION '1.0';
INSERT INTO sla.calendars VALUES ('office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('answer', 'first_response', '4 hours', 'office');
SQL
check "ALTER EXTENSION sla UPDATE from 1.0 on the coordinator of Citus, then sla.distribute_config()" \
  on_coordinator -d $upgraded -o /dev/null -c "ALTER EXTENSION sla UPDATE" -c "SELECT sla.distribute_config()"
got=$(on_coordinator -d $upgraded -c "SELECT string_agg(logicalrelid::text || ' ' || partmethod::text || repmodel::text, ', ' ORDER BY logicalrelid::text) FROM pg_dist_partition")
got2=$(q -p "${workers[0]}" -d $upgraded -c "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'sla') || ' ' || (SELECT string_agg(name, ',') FROM sla.policies)")
[ "$got / $got2" = "sla.calendars nt, sla.holidays nt, sla.policies nt / $version answer" ] \
  && ok "the workers are updated too, and the configuration becomes reference tables, rows kept" \
  || not_ok "the workers are updated too, and the configuration becomes reference tables, rows kept (got '$got / $got2')"

echo "1..$n"
[ "$failed" -eq 0 ]
