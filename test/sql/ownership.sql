-- Ownership (team_column and the kind ownership): the periods each team
-- owned a ticket, OLAs as policies matched by team, the ownership view and
-- the compliance view per team.  Every expectation is worked out by hand,
-- first on a 24/7 UTC calendar (business time = wall time minus the time
-- paused), then on Mo-Fr 09:00-17:00 Europe/Berlin.
SET TimeZone = 'UTC';
\i test/sql/include/try.sql

INSERT INTO sla.calendars VALUES ('own_24x7', '24/7', 'UTC'), ('own_berlin', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, priority, team, target, calendar) VALUES
    ('support OLA', 'ola', NULL, 'support', '1 hour', 'own_24x7'),
    ('engineering OLA', 'ola', NULL, 'engineering', '2 hours', 'own_24x7'),
    ('Berlin support OLA', 'ola', 'berlin', 'support', '1 hour', 'own_berlin'),
    ('Berlin engineering OLA', 'ola', 'berlin', 'engineering', '8 hours', 'own_berlin'),
    ('any berlin ticket', 'ola', 'berlin', NULL, '100 hours', 'own_berlin');
-- specificity: customer > service > team > priority > any; the same match
-- columns twice is a tie (23P01)
SELECT (sla.policy_for('ola', 'berlin', NULL, NULL, 'support', now())).name AS berlin_support,
       (sla.policy_for('ola', 'berlin', NULL, NULL, 'product', now())).name AS berlin_product,
       (sla.policy_for('ola', 'low', NULL, NULL, 'engineering', now())).name AS low_engineering,
       (sla.policy_for('ola', 'low', NULL, NULL, now())).name AS low_without_team;
SELECT pg_temp.try($$INSERT INTO sla.policies (name, metric, team, target, calendar)
                     VALUES ('support again', 'ola', 'support', '3 hours', 'own_24x7')$$) AS tie;

CREATE ROLE own_reader;
CREATE SCHEMA own;
GRANT USAGE ON SCHEMA own TO own_reader;
CREATE TABLE own.tickets (id integer PRIMARY KEY, status text NOT NULL, priority text,
                          created_at timestamptz NOT NULL, assignment_group text);
-- an ownership metric needs the team column (22023); columns 42703
SELECT pg_temp.try($$SELECT sla.attach('own.tickets', metrics => '{"ola": {"kind": "ownership"}}')$$);
SELECT pg_temp.try($$SELECT sla.attach('own.tickets', team_column => 'team', metrics => '{"ola": {"kind": "ownership"}}')$$);
SELECT sla.attach('own.tickets', paused_statuses => '{pending}', resolved_statuses => '{solved}',
                  team_column => 'assignment_group', metrics => '{"ola": {"kind": "ownership"}}') AS view;
SELECT id AS n FROM sla.attachments WHERE tickets = 'own.tickets'::regclass \gset
SELECT team_column, metrics FROM sla.attached_tables WHERE tickets = 'own.tickets'::regclass;

-- 24/7 UTC, Monday 2 March 2026: ticket 1 created 09:00 for support,
-- engineering from 10:00 (pending 11:00-11:30), product from 13:00, support
-- again from 14:00, solved 15:00.
--   support 09:00-10:00: 1 h, met (due 10:00, its end).
--   engineering 10:00-13:00: 3 h - 30 min = 2 h 30, breached (due 12:30).
--   product 13:00-14:00: no policy; 1 h of wall time.
--   support 14:00-15:00: 1 h, met.  The view shows this last period.
-- An import of engineering again at 12:00 changes nothing.
INSERT INTO own.tickets VALUES (1, 'open', NULL, '2026-03-02 09:00', 'support');
SELECT sla.record_team('own.tickets', '1', '2026-03-02 10:00', 'engineering'),
       sla.record_team('own.tickets', '1', '2026-03-02 12:00', 'engineering'),
       sla.record_team('own.tickets', '1', '2026-03-02 13:00', 'product'),
       sla.record_team('own.tickets', '1', '2026-03-02 14:00', 'support'),
       sla.record_status('own.tickets', '1', '2026-03-02 11:00', 'pending'),
       sla.record_status('own.tickets', '1', '2026-03-02 11:30', 'open'),
       sla.record_status('own.tickets', '1', '2026-03-02 15:00', 'solved');
SELECT id, ola_cycle, ola_team, ola_started_at, ola_stopped_at, ola_policy, ola_state, ola_elapsed FROM own.tickets_sla;
SELECT * FROM own.tickets_sla_ownership ORDER BY id, owned_from;
SELECT team, policy, total, met, breached, business_seconds_sum FROM own.tickets_sla_compliance ORDER BY team;
-- the sweep records each period's crossings: support's (cycle 1) at risk
-- (75 %: 45 min) 09:45, met at its deadline; engineering's (cycle 2) at
-- risk at 90 min (10:00-11:00, then 11:30-12:00) 12:00, breached 12:30;
-- support's again (cycle 4) at risk 14:45
SELECT sla.sweep('2026-03-02 16:00') AS recorded;
SELECT ticket_id, metric, cycle, kind, happened_at FROM sla.events WHERE tickets = 'own.tickets'::regclass
 ORDER BY happened_at, kind;

-- Mo-Fr 09:00-17:00 Europe/Berlin (UTC+1), ticket 2 (priority berlin)
-- created Friday 6 March 16:00 for support; engineering from Monday 09:30
-- (pending 10:00-11:00); product from Tuesday 10:00; solved Tuesday 12:00.
--   support: Fri 16:00-17:00 + Mon 09:00-09:30 = 1 h 30, breached (due Mon 09:00).
--   engineering: Mon 09:30-17:00 less 1 h paused = 6 h 30, + Tue 09:00-10:00
--     = 7 h 30 of 8 h, met (due Tue 10:30).
--   product: Tue 10:00-12:00: the Berlin ticket's catch-all policy (100 h),
--     2 h, met.
SET TimeZone = 'Europe/Berlin';
INSERT INTO own.tickets VALUES (2, 'open', 'berlin', '2026-03-06 16:00', 'support');
SELECT sla.record_team('own.tickets', '2', '2026-03-09 09:30', 'engineering'),
       sla.record_team('own.tickets', '2', '2026-03-10 10:00', 'product'),
       sla.record_status('own.tickets', '2', '2026-03-09 10:00', 'pending'),
       sla.record_status('own.tickets', '2', '2026-03-09 11:00', 'open'),
       sla.record_status('own.tickets', '2', '2026-03-10 12:00', 'solved');
SELECT team, owned_from, owned_until, business_time, paused_for, policy, target, state
  FROM own.tickets_sla_ownership WHERE id = 2 ORDER BY owned_from;
SET TimeZone = 'UTC';

-- the application changes the team: recorded from the transaction's start
-- (the ticket's insert: from its creation)
BEGIN;
INSERT INTO own.tickets VALUES (3, 'open', NULL, now() - interval '2 hours', 'support');
UPDATE own.tickets SET assignment_group = 'engineering' WHERE id = 3;
UPDATE own.tickets SET status = 'open' WHERE id = 3;     -- no team change: nothing recorded
SELECT team, changed_at = now() AS at_transaction_start FROM sla_state.teams_:n WHERE ticket_id = 3 ORDER BY id;
COMMIT;
SELECT id, ola_cycle, ola_team, ola_policy, ola_state FROM own.tickets_sla WHERE id = 3;
-- a new id keeps the teams, a deletion forgets them
UPDATE own.tickets SET id = 30 WHERE id = 3;
SELECT ticket_id, count(*) FROM sla_state.teams_:n WHERE ticket_id IN (3, 30) GROUP BY ticket_id;
DELETE FROM own.tickets WHERE id = 30;
SELECT count(*) AS teams_left FROM sla_state.teams_:n WHERE ticket_id IN (3, 30);
-- record_team needs a ticket the caller can see (22023) and UPDATE (42501, below)
SELECT pg_temp.try($$SELECT sla.record_team('own.tickets', '99', now(), 'support')$$) AS unknown_ticket;

-- a reader sees the periods of the tickets it may read, and cannot write teams
GRANT SELECT ON own.tickets, own.tickets_sla_ownership TO own_reader;
ALTER TABLE own.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_two ON own.tickets FOR SELECT TO own_reader USING (id = 2);
SET ROLE own_reader;
SELECT id, team FROM own.tickets_sla_ownership ORDER BY id, owned_from;
SELECT regexp_replace(pg_temp.try(format($$INSERT INTO sla_state.teams_%s (ticket_id, changed_at, team) VALUES (2, now(), 'x')$$, :n)),
                      'teams_\d+', 'teams_<n>') AS insert_teams;
SELECT pg_temp.try($$SELECT sla.record_team('own.tickets', '2', now(), 'support')$$) AS record_team;
RESET ROLE;

-- dropping the team column is refused (2BP01); detach drops the views
SELECT pg_temp.try($$ALTER TABLE own.tickets DROP COLUMN assignment_group$$) AS drop_team_column;
SELECT sla.detach('own.tickets');
SELECT to_regclass('own.tickets_sla_ownership') AS ownership_view_left;
DROP SCHEMA own CASCADE;
DROP ROLE own_reader;
DELETE FROM sla.policies WHERE metric = 'ola';
DELETE FROM sla.calendars WHERE name LIKE 'own\_%';
