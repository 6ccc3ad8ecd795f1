-- Metric definitions (sla.attach's metrics objects): start and stop by
-- column or by status, pauses of a metric's own, validation, and how the
-- SLA view, the sweep and the compliance view use them.  Worked out by
-- hand on a 24/7 UTC calendar, where a clock's elapsed time is the wall
-- time from its start to its stop minus the time in its pause statuses.
SET TimeZone = 'UTC';
\i test/sql/include/try.sql

INSERT INTO sla.calendars VALUES ('metrics_24x7', '24/7', 'UTC');
INSERT INTO sla.policies (name, metric, target, calendar)
SELECT 'ten hours of ' || m, m, '10 hours', 'metrics_24x7'
  FROM unnest(ARRAY['answer', 'solve', 'requester_wait', 'agent_work', 'time_to_own', 'triage', 'working']) m;
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('half an hour of solve_each', 'solve_each', '30 minutes', 'metrics_24x7');

CREATE SCHEMA metrics;
CREATE TABLE metrics.tickets (
    id integer PRIMARY KEY,
    status text NOT NULL,
    priority text,
    created_at timestamptz NOT NULL,
    assigned_at timestamptz,
    first_response_at timestamptz,
    note text);

-- bad definitions: 22023 naming the metric and the key; columns 42703 / 42804
SELECT pg_temp.try(format($$SELECT sla.attach('metrics.tickets', metrics => %L)$$, m))
  FROM unnest(ARRAY[
    '{"solve": {"stop_statuses": ["resolved"], "pause": ["pending"]}}',
    '{"solve": {"stop": "assigned_at", "stop_statuses": ["resolved"]}}',
    '{"solve": {"pause_statuses": ["pending"]}}',
    '{"solve": {"start": "created_at", "start_statuses": ["open"], "stop": "assigned_at"}}',
    '{"solve": {"stop_statuses": "resolved"}}',
    '{"solve": {"stop_statuses": ["resolved", 1]}}',
    '{"solve": {"stop": "assigned_at", "pause_statuses": null}}',
    '{"solve": {"stop": 7}}',
    '{"solve": {"stop": "assigned_at", "cycles": "all"}}',
    '{"solve": 3}',
    '{"solve": {"stop": "closed_at"}}',
    '{"solve": {"start": "note", "stop": "assigned_at"}}',
    '{"solve": {"start": "nowhere", "stop_statuses": ["resolved"]}}']) m;
SELECT count(*) AS attachments_left_by_errors FROM sla.attachments WHERE tickets = 'metrics.tickets'::regclass;

SELECT sla.attach('metrics.tickets', priority_column => NULL, metrics => '{
    "answer":         "first_response_at",
    "solve":          {"stop_statuses": ["resolved", "closed"]},
    "solve_each":     {"stop_statuses": ["resolved", "closed"], "cycles": "each"},
    "requester_wait": {"stop_statuses": ["closed", "resolved", "closed"], "pause_statuses": ["pending"]},
    "agent_work":     {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["on_hold", "pending"]},
    "time_to_own":    {"start": "created_at", "stop": "assigned_at", "pause_statuses": []},
    "triage":         {"start": "assigned_at", "stop_statuses": ["resolved", "closed"], "pause_statuses": []},
    "working":        {"start_statuses": ["in_progress"], "stop_statuses": ["resolved", "closed"],
                       "pause_statuses": ["on_hold"], "cycles": "first"}}');

-- normalised: status lists sorted without duplicates, defaults explicit; a
-- definition that says what a stop column alone says is shown so
SELECT m.key, m.value FROM sla.attached_tables a, jsonb_each(a.metrics) m
 WHERE a.tickets = 'metrics.tickets'::regclass ORDER BY m.key;

-- Ticket 1 (created 00:00, first response 01:00, assigned 03:00):
--   00:00 open, 02:00 pending, 05:00 open, 06:00 in_progress, 07:00 on_hold,
--   08:00 in_progress, 10:00 resolved, 12:00 open again, 13:00 closed.
-- Ticket 2 (created 00:00): 01:00 pending, and so it stays.
INSERT INTO metrics.tickets VALUES
  (1, 'open', NULL, '2026-03-02 00:00', '2026-03-02 03:00', '2026-03-02 01:00'),
  (2, 'open', NULL, '2026-03-02 00:00', NULL, NULL);
SELECT sla.record_status('metrics.tickets', '1', ('2026-03-02 ' || at)::timestamptz, status)
  FROM (VALUES ('02:00', 'pending'), ('05:00', 'open'), ('06:00', 'in_progress'), ('07:00', 'on_hold'),
               ('08:00', 'in_progress'), ('10:00', 'resolved'), ('12:00', 'open'), ('13:00', 'closed')) v(at, status);
SELECT sla.record_status('metrics.tickets', '2', '2026-03-02 01:00', 'pending');

-- Ticket 1, by hand:
--   answer          00:00-01:00, nothing paused before 01:00            1h
--   solve           00:00-10:00 (first resolved), minus pending 02-05
--                   and on_hold 07-08                                     6h
--   requester_wait  00:00-10:00 minus pending 02-05                       7h
--   agent_work      as solve (the attachment's own pause statuses)          6h
--   time_to_own     00:00-03:00, never paused                             3h
--   triage          starts late at 03:00 (assigned), to 10:00            7h
--   working         first in_progress 06:00, to 10:00, minus on_hold 07-08 3h
-- all met (10-hour targets), one cycle each
SELECT v.answer_state, v.answer_elapsed, v.solve_state, v.solve_elapsed,
       v.requester_wait_elapsed, v.agent_work_elapsed, v.time_to_own_elapsed,
       v.triage_elapsed, v.triage_started_at, v.working_state, v.working_elapsed,
       v.working_started_at, v.working_cycle, v.solve_due_at
  FROM metrics.tickets_sla v WHERE v.id = 1;
-- solve is due 10 open hours after 00:00: 4 hours paused by 10:00 push it to
-- 14:00; requester_wait, paused 3 hours, to 13:00
SELECT v.solve_due_at, v.requester_wait_due_at, v.working_due_at FROM metrics.tickets_sla v WHERE v.id = 1;

-- "cycles": "each": ticket 1 has two cycles, 00:00-10:00 (resolved) and,
-- reopened at 12:00, 12:00-13:00 (closed); the view shows the second: 1h,
-- breached (30 minutes); "solve", the first cycle only, stays at 6h
SELECT v.solve_each_cycle, v.solve_each_started_at, v.solve_each_elapsed, v.solve_each_state,
       v.solve_cycle, v.solve_elapsed
  FROM metrics.tickets_sla v WHERE v.id = 1;

-- Ticket 2: pending since 01:00: solve and requester_wait paused after 1h;
-- agent_work too; time_to_own never pauses and is long breached; triage
-- (never assigned) and working (never in progress) have not started
SELECT v.solve_state, v.solve_elapsed, v.requester_wait_state, v.agent_work_state, v.agent_work_elapsed,
       v.time_to_own_state, v.triage_state, v.triage_cycle, v.triage_started_at,
       v.working_state, v.working_cycle
  FROM metrics.tickets_sla v WHERE v.id = 2;

-- a status change not folded yet counts at once: ticket 2 resolved now ends
-- its solve clock
UPDATE metrics.tickets SET status = 'resolved' WHERE id = 2;
SELECT v.solve_state, v.solve_elapsed, v.working_state FROM metrics.tickets_sla v WHERE v.id = 2;

-- the sweep as of 2026-03-02 14:00 records ticket 2's time_to_own breach at
-- its deadline, 10:00, and nothing of the clocks paused or met; of
-- solve_each (30 minutes, at risk at 75 %: 22:30 minutes in), each cycle's
-- crossings: ticket 1 at 00:22:30 and 00:30 (cycle 1), 12:22:30 and 12:30
-- (cycle 2); ticket 2 at 00:22:30 and 00:30 (cycle 1: pending only from 01:00)
SELECT sla.sweep('2026-03-02 14:00') > 0 AS recorded;
SELECT ticket_id, metric, kind, level, happened_at FROM sla.events
 WHERE tickets = 'metrics.tickets'::regclass AND kind = 'breached' AND metric <> 'solve_each' ORDER BY ticket_id, metric;
SELECT ticket_id, cycle, kind, level, happened_at FROM sla.events
 WHERE tickets = 'metrics.tickets'::regclass AND metric = 'solve_each' ORDER BY ticket_id, cycle, happened_at;
-- and a second sweep records none of them again
SELECT sla.sweep('2026-03-02 14:00') AS recorded_again;
-- an id changed keeps the ticket's events, each with its cycle (and back)
UPDATE metrics.tickets SET id = 11 WHERE id = 1;
SELECT ticket_id, cycle, count(*) FROM sla.events
 WHERE tickets = 'metrics.tickets'::regclass AND metric = 'solve_each' GROUP BY ticket_id, cycle ORDER BY ticket_id, cycle;
UPDATE metrics.tickets SET id = 1 WHERE id = 11;

-- the compliance view counts met and breached with the same clocks, and
-- solve_each per cycle: ticket 1's two (breached), ticket 2's one (resolved
-- today, long after its 30 minutes: breached)
SELECT metric, sum(total) AS total, sum(met) AS met, sum(breached) AS breached
  FROM metrics.tickets_sla_compliance GROUP BY metric ORDER BY metric;

-- readers: a role that may see ticket 1 only sees its clocks, the ones
-- computed from the status history included, and no history of ticket 2
CREATE ROLE metrics_reader;
GRANT USAGE ON SCHEMA metrics TO metrics_reader;
GRANT SELECT ON metrics.tickets, metrics.tickets_sla TO metrics_reader;
ALTER TABLE metrics.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_one ON metrics.tickets FOR SELECT TO metrics_reader USING (id = 1);
SET ROLE metrics_reader;
SELECT id, solve_elapsed, requester_wait_elapsed, working_elapsed FROM metrics.tickets_sla ORDER BY id;
SELECT DISTINCT ticket_id FROM sla.status_history WHERE tickets = 'metrics.tickets'::regclass;
RESET ROLE;

-- detach and attach with what sla.attached_tables shows: the same definitions
CREATE TEMP TABLE shown AS SELECT metrics, paused_statuses FROM sla.attached_tables WHERE tickets = 'metrics.tickets'::regclass;
CREATE TEMP TABLE stored AS SELECT metrics FROM sla.attachments WHERE tickets = 'metrics.tickets'::regclass;
SELECT sla.detach('metrics.tickets');
SELECT sla.attach('metrics.tickets', priority_column => NULL, metrics => (SELECT metrics FROM shown),
                  paused_statuses => (SELECT paused_statuses FROM shown)) IS NOT NULL AS attached;
SELECT (SELECT metrics FROM sla.attachments WHERE tickets = 'metrics.tickets'::regclass) = (SELECT metrics FROM stored)
       AS round_trips;

-- a column a definition uses cannot be dropped
SELECT pg_temp.try('ALTER TABLE metrics.tickets DROP COLUMN assigned_at');
SELECT sla.detach('metrics.tickets');

-- "cycles": "each" with a stop column: a cycle ends where the column is
-- set; clearing it (a reopen) starts the next cycle at the clearing
-- transaction's start.  Ticket 1 of metrics.fixes, created 2026-03-02
-- 00:00, resolved 10:00 (cycle 1: 10 hours, its 30 minutes breached at
-- 00:30, at risk at 00:22:30), reopened by clearing resolved_at.
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('half an hour of fix', 'fix', '30 minutes', 'metrics_24x7');
CREATE TABLE metrics.fixes (id integer PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL,
                            resolved_at timestamptz, first_response_at timestamptz);
SELECT sla.attach('metrics.fixes', priority_column => NULL,
                  metrics => '{"fix": {"stop": "resolved_at", "cycles": "each"}}') IS NOT NULL AS attached;
SELECT id AS fixes FROM sla.attachments WHERE tickets = 'metrics.fixes'::regclass \gset
INSERT INTO metrics.fixes VALUES (1, 'resolved', '2026-03-02 00:00', '2026-03-02 10:00');
SELECT fix_cycle, fix_started_at, fix_elapsed, fix_state FROM metrics.fixes_sla;
BEGIN;
UPDATE metrics.fixes SET status = 'open', resolved_at = NULL;
SELECT now() AS cleared \gset
COMMIT;
-- cycle 2 runs from the clearing instant; cycle 1 keeps its 10 hours
SELECT fix_cycle, fix_started_at = :'cleared' AS starts_when_cleared, fix_state FROM metrics.fixes_sla;
SELECT ticket_id, metric, stopped_at, cleared_at = :'cleared' AS cleared_then FROM sla_state.stops_:fixes;
-- the sweep records cycle 1's crossings, 00:22:30 and 00:30; cycle 2's
-- first crossing lies ahead, 22:30 minutes after the clearing instant:
-- the ticket's next check
SELECT sla.sweep() > 0 AS recorded;
SELECT cycle, kind, level, happened_at FROM sla.events WHERE tickets = 'metrics.fixes'::regclass ORDER BY cycle, happened_at;
SELECT next_check - :'cleared' AS next_check_after_clearing FROM sla_state.state_:fixes;
-- resolved again (at an instant two hours after the clearing): cycle 2
-- stops there, 2 hours, breached; the compliance view counts both cycles
UPDATE metrics.fixes SET status = 'resolved', resolved_at = :'cleared'::timestamptz + interval '2 hours';
SELECT fix_cycle, fix_elapsed, fix_state FROM metrics.fixes_sla;
SELECT sum(total) AS total, sum(breached) AS breached FROM metrics.fixes_sla_compliance WHERE metric = 'fix';
-- an id changed keeps the ticket's stops and its events per cycle
UPDATE metrics.fixes SET id = 10;
SELECT ticket_id, count(*) FROM sla_state.stops_:fixes GROUP BY ticket_id;
SELECT ticket_id, cycle, kind, level FROM sla.events WHERE tickets = 'metrics.fixes'::regclass ORDER BY cycle, level;
-- nobody but the extension writes the stops; readers see those of the
-- tickets they may read
GRANT SELECT ON metrics.fixes TO metrics_reader;
SET ROLE metrics_reader;
SELECT pg_temp.try(format($$INSERT INTO sla_state.stops_%s VALUES (10, 'fix', '2026-03-02', '2026-03-03')$$, :fixes));
SELECT pg_temp.try(format($$DELETE FROM sla_state.stops_%s$$, :fixes));
SELECT count(*) AS stops_seen FROM sla_state.stops_:fixes;
RESET ROLE;
ALTER TABLE metrics.fixes ENABLE ROW LEVEL SECURITY;
CREATE POLICY none ON metrics.fixes FOR SELECT TO metrics_reader USING (false);
SET ROLE metrics_reader;
SELECT count(*) AS stops_seen_under_rls FROM sla_state.stops_:fixes;
RESET ROLE;
-- a deleted ticket's stops go with it
DELETE FROM metrics.fixes;
SELECT count(*) AS stops_left FROM sla_state.stops_:fixes;
SELECT sla.detach('metrics.fixes');
DROP SCHEMA metrics CASCADE;
DROP ROLE metrics_reader;
DELETE FROM sla.policies WHERE calendar = 'metrics_24x7';
DELETE FROM sla.calendars WHERE name = 'metrics_24x7';
