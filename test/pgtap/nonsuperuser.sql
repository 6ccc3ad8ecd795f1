-- test/pgtap/nonsuperuser.sql: the extension used by roles that are not
-- superusers, with an empty search_path, everything qualified.
--
-- Roles (created inside the transaction, gone with the ROLLBACK):
--   nsu_owner     owns the application's ticket table and attaches it;
--   nsu_agent1/2  may read and write the tickets, row-level security
--                 shows each only the tickets it is assigned;
--   nsu_outsider  has no privilege on the ticket table at all.
-- The superuser running the file plays the extension's owner: only it may
-- change the configuration tables (sla/install/3-helpdesk.sql grants
-- SELECT on them to PUBLIC, nothing more).
--
-- pgTAP's own functions call each other unqualified, so they are reached
-- through pg_temp wrappers that set their own search_path; the arguments
-- (the expressions under test) are evaluated by the caller, that is by the
-- role under test with search_path = ''.  nsu_run() runs a statement as the
-- current role and search_path and returns its SQLSTATE ('00000': success).
--
-- Run: pg_prove --verbose test/pgtap/nonsuperuser.sql   (as a superuser)

BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(84);

CREATE FUNCTION pg_temp.ok(boolean, text) RETURNS text
    LANGUAGE sql SET search_path = public, pg_catalog AS 'SELECT ok($1, $2)';
CREATE FUNCTION pg_temp.is(anyelement, anyelement, text) RETURNS text
    LANGUAGE sql SET search_path = public, pg_catalog AS 'SELECT is($1, $2, $3)';
CREATE FUNCTION pg_temp.finish() RETURNS SETOF text
    LANGUAGE sql SET search_path = public, pg_catalog AS 'SELECT * FROM finish()';
CREATE FUNCTION pg_temp.nsu_run(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
-- as the superuser, whatever the current role: counts the tests compare with
CREATE FUNCTION pg_temp.nsu_count(query text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE query INTO n;
    RETURN n;
END $$;

CREATE ROLE nsu_owner;
CREATE ROLE nsu_agent1;
CREATE ROLE nsu_agent2;
CREATE ROLE nsu_outsider;
CREATE SCHEMA nsu_app AUTHORIZATION nsu_owner;
GRANT USAGE ON SCHEMA nsu_app TO nsu_agent1, nsu_agent2, nsu_outsider;

-- configuration, by the extension's owner
INSERT INTO sla.calendars VALUES ('nsu office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.holidays VALUES ('nsu office', '2026-06-04', 'Corpus Christi');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES
    ('nsu response', 'nsu_response', '1 hour', 'nsu office'),
    ('nsu resolution', 'nsu_resolution', '8 hours', 'nsu office');

SET search_path = '';

---------------------------------------------------------------------------
-- 1. The functions, fully qualified, as a role without privileges
---------------------------------------------------------------------------
SET ROLE nsu_outsider;
SELECT pg_temp.is(current_setting('search_path'), '""', 'the role runs with an empty search_path');
SELECT pg_temp.ok(NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), 'and is not a superuser');
SELECT pg_temp.is(sla.business_add('2026-06-03 16:00+02', '2 hours', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin', '{2026-06-04}')),
                  '2026-06-05 10:00+02'::timestamptz, 'business_add (over a holiday)');
SELECT pg_temp.is(sla.business_time('2026-06-01 08:00+02', '2026-06-01 18:00+02', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin'),
                                    '{[2026-06-01 12:00+02,2026-06-01 13:00+02)}'),
                  '07:00:00'::interval, 'business_time with a pause');
SELECT pg_temp.is(sla.is_open('2026-06-01 09:30+02', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')), true, 'is_open');
SELECT pg_temp.is(sla.next_open('2026-06-06 12:00+02', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')),
                  '2026-06-08 09:00+02'::timestamptz, 'next_open');
SELECT pg_temp.is(sla.next_close('2026-06-01 09:30+02', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')),
                  '2026-06-01 17:00+02'::timestamptz, 'next_close');
SELECT pg_temp.is(sla.open_windows('[2026-06-01 16:00+02,2026-06-02 10:00+02)', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')),
                  '{["2026-06-01 16:00+02","2026-06-01 17:00+02"),["2026-06-02 09:00+02","2026-06-02 10:00+02")}'::pg_catalog.tstzmultirange,
                  'open_windows');
SELECT pg_temp.is((sla.evaluate('2026-06-01 09:00+02', '2 hours', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin'),
                                stopped_at => '2026-06-01 10:00+02', as_of => '2026-06-02')).state,
                  'met'::sla.state, 'evaluate');
SELECT pg_temp.is((SELECT sla.pauses(at, paused ORDER BY at)
                     FROM (VALUES ('2026-06-01 10:00+02'::timestamptz, false), ('2026-06-01 11:00+02', true),
                                  ('2026-06-01 12:00+02', false)) h(at, paused)),
                  '{["2026-06-01 11:00+02","2026-06-01 12:00+02")}'::pg_catalog.tstzmultirange, 'the pauses aggregate');
SELECT pg_temp.ok('zone=Europe/Berlin rules="Mo-Fr 09:00-17:00"'::sla.calendar OPERATOR(sla.=) sla.calendar('mo-fr 09:00-17:00', 'europe/berlin'),
                  'the text form and the = operator');
SELECT pg_temp.is(sla.calendar_named('nsu office')::text, 'zone=Europe/Berlin rules="Mo-Fr 09:00-17:00" holidays=2026-06-04',
                  'calendar_named reads the configuration');
SELECT pg_temp.is((sla.policy_for('nsu_response', 'high', NULL, NULL, '2026-06-01')).name, 'nsu response', 'policy_for');

---------------------------------------------------------------------------
-- 2. Only the extension's owner changes the configuration tables
---------------------------------------------------------------------------
SELECT pg_temp.is(pg_temp.nsu_run(statement), '42501', format('a role that is not the owner cannot %s', what))
  FROM (VALUES ($$INSERT INTO sla.calendars VALUES ('nsu mine', '24/7')$$, 'add a calendar'),
               ($$UPDATE sla.calendars SET rules = '24/7' WHERE name = 'nsu office'$$, 'change a calendar'),
               ($$DELETE FROM sla.calendars WHERE name = 'nsu office'$$, 'delete a calendar'),
               ($$TRUNCATE sla.calendars CASCADE$$, 'truncate the calendars'),
               ($$INSERT INTO sla.holidays VALUES ('nsu office', '2026-06-05')$$, 'add a holiday'),
               ($$UPDATE sla.holidays SET day = '2026-06-05' WHERE calendar = 'nsu office'$$, 'move a holiday'),
               ($$DELETE FROM sla.holidays WHERE calendar = 'nsu office'$$, 'delete a holiday'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('nsu mine', 'nsu_other', '1 hour', 'nsu office')$$, 'add a policy'),
               ($$UPDATE sla.policies SET target = '100 hours' WHERE name = 'nsu response'$$, 'change a target'),
               ($$DELETE FROM sla.policies WHERE name = 'nsu response'$$, 'delete a policy'),
               ($$SELECT pg_catalog.nextval('sla.policies_id_seq')$$, 'draw policy ids'),
               ($$ALTER TABLE sla.policies DISABLE TRIGGER refuse_ties$$, 'disable the tie check'),
               ($$ALTER EXTENSION sla UPDATE$$, 'update the extension')) c(statement, what);
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT pg_catalog.count(*) FROM sla.calendars, sla.holidays, sla.policies, sla.calendar_values$$),
                  '00000', 'but may read them');
RESET ROLE;
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.policies WHERE name LIKE 'nsu %' AND target IN ('1 hour', '8 hours')$$),
                  2::bigint, 'the policies are unchanged');

---------------------------------------------------------------------------
-- 3. The owner of a ticket table attaches it; others cannot
---------------------------------------------------------------------------
SET ROLE nsu_owner;
CREATE TABLE nsu_app.tickets (
    id integer PRIMARY KEY,
    agent name NOT NULL DEFAULT CURRENT_USER,
    status text NOT NULL,
    priority text,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    responded_at timestamptz,
    resolved_at timestamptz
);
ALTER TABLE nsu_app.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY assigned ON nsu_app.tickets USING (agent OPERATOR(pg_catalog.=) CURRENT_USER);
GRANT SELECT, INSERT, UPDATE ON nsu_app.tickets TO nsu_agent1, nsu_agent2;
-- a ticket already there before the attachment
INSERT INTO nsu_app.tickets VALUES (1, 'nsu_agent1', 'open', 'high', '2026-06-01 09:00+02', NULL, NULL);

SET ROLE nsu_agent1;
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT sla.attach('nsu_app.tickets', metrics => '{"nsu_response": "responded_at", "nsu_resolution": "resolved_at"}')$$),
                  '42501', 'an agent who may write the tickets but does not own the table cannot attach it');
SET ROLE nsu_outsider;
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT sla.attach('nsu_app.tickets', metrics => '{"nsu_response": "responded_at"}')$$),
                  '42501', 'an outsider cannot attach it');
SELECT pg_temp.is(pg_temp.nsu_run($$INSERT INTO sla.attachments (tickets, id_column, created_column, status_column, paused_statuses, resolved_statuses, metrics)
                                     VALUES ('nsu_app.tickets', 1, 5, 3, '{}', '{}', '{"x": 7}')$$),
                  '42501', 'nor register it in sla.attachments directly');
SET ROLE nsu_owner;
SELECT pg_temp.is(sla.attach('nsu_app.tickets', metrics => '{"nsu_response": "responded_at", "nsu_resolution": "resolved_at"}')::text,
                  'nsu_app.tickets_sla', 'the owner attaches it, with an empty search_path');
GRANT SELECT ON nsu_app.tickets_sla TO nsu_agent1, nsu_agent2, nsu_outsider;
RESET ROLE;
-- the attachment's number: its state tables are sla_state.state_<n>, history_<n>, events_<n>
SELECT id AS n FROM sla.attachments WHERE tickets = 'nsu_app.tickets'::regclass \gset
SET ROLE nsu_owner;
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass$$),
                  1::bigint, 'the ticket already there has its first status recorded');

---------------------------------------------------------------------------
-- 4. The agents work through the application's table: triggers as them
---------------------------------------------------------------------------
SET ROLE nsu_agent1;
-- ticket 2 is opened now and goes pending at once: paused, whatever the date
INSERT INTO nsu_app.tickets (id, status, priority) VALUES (2, 'open', 'low');
UPDATE nsu_app.tickets SET status = 'pending' WHERE id = 2;
UPDATE nsu_app.tickets SET status = 'open', responded_at = '2026-06-01 09:30+02' WHERE id = 1;
SET ROLE nsu_agent2;
INSERT INTO nsu_app.tickets (id, status, priority, created_at) VALUES (3, 'open', 'high', '2026-06-01 11:00+02'),
                                                                     (4, 'open', 'low', '2026-06-01 12:00+02');
UPDATE nsu_app.tickets SET status = 'resolved', responded_at = '2026-06-01 11:15+02', resolved_at = '2026-06-01 13:00+02' WHERE id = 3;
-- agent2 cannot touch agent1's ticket: row-level security, no status change recorded
UPDATE nsu_app.tickets SET status = 'closed' WHERE id = 1;
RESET ROLE;
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass$$),
                  6::bigint, 'the triggers, run by the agents, recorded 6 statuses (tickets 1 to 4: 1, 2, 2, 1)');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass AND ticket_id = '1' AND status = 'closed'$$),
                  0::bigint, 'an update hidden by row-level security records nothing');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.ticket_state WHERE tickets = 'nsu_app.tickets'::regclass AND ticket_id = '2' AND status = 'pending' AND NOT isempty(paused)$$),
                  1::bigint, 'ticket 2 is pending, with an open pause');

---------------------------------------------------------------------------
-- 5. The SLA view respects row-level security of the ticket table
---------------------------------------------------------------------------
SET ROLE nsu_agent1;
SELECT pg_temp.is((SELECT pg_catalog.array_agg(id ORDER BY id) FROM nsu_app.tickets_sla), '{1,2}'::integer[],
                  'agent 1 sees its tickets 1 and 2 in the view');
SELECT pg_temp.is((SELECT nsu_response_state FROM nsu_app.tickets_sla WHERE id = 1), 'met',
                  'with their clocks (ticket 1 answered after 30 minutes of a 1-hour target)');
SELECT pg_temp.is((SELECT nsu_resolution_state FROM nsu_app.tickets_sla WHERE id = 2), 'paused',
                  'ticket 2 is paused');
SELECT pg_temp.is((SELECT pg_catalog.count(*) FROM nsu_app.tickets_sla WHERE id IN (3, 4)), 0::bigint,
                  'agent 1 does not see agent 2''s tickets through the view');
SET ROLE nsu_agent2;
SELECT pg_temp.is((SELECT pg_catalog.array_agg(id ORDER BY id) FROM nsu_app.tickets_sla), '{3,4}'::integer[],
                  'agent 2 sees its tickets 3 and 4');
SELECT pg_temp.is((SELECT nsu_resolution_state || ' ' || nsu_resolution_elapsed FROM nsu_app.tickets_sla WHERE id = 3), 'met 02:00:00',
                  'ticket 3 was resolved in 2 business hours');
SET ROLE nsu_owner;
SELECT pg_temp.is((SELECT pg_catalog.array_agg(id ORDER BY id) FROM nsu_app.tickets_sla), '{1,2,3,4}'::integer[],
                  'the owner (not subject to its own policy) sees all four');
SET ROLE nsu_outsider;
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT * FROM nsu_app.tickets_sla$$), '42501',
                  'an outsider granted the view still cannot read the tickets through it (security_invoker)');

---------------------------------------------------------------------------
-- 6. The state tables keep an outsider from reading or forging history
---------------------------------------------------------------------------
SELECT pg_temp.is((SELECT pg_catalog.count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass), 0::bigint,
                  'an outsider reads no status history of the table');
SELECT pg_temp.is((SELECT pg_catalog.count(*) FROM sla.ticket_state WHERE tickets = 'nsu_app.tickets'::regclass), 0::bigint,
                  'nor any ticket state');
-- reading a state table directly checks the reader's right to read the tickets
SELECT pg_temp.is(pg_temp.nsu_run(pg_catalog.format('SELECT count(*) FROM sla_state.%s_%s', kind, :n)), '42501',
                  format('an outsider cannot read sla_state.%s_<n> directly', kind))
  FROM pg_catalog.unnest(ARRAY['state', 'history', 'changes', 'events', 'stops', 'messages', 'teams']) kind;
SELECT pg_temp.is(pg_temp.nsu_run(pg_catalog.format(statement, :n)), '42501', format('an outsider cannot %s', what))
  FROM (VALUES ($$INSERT INTO sla_state.history_%s (ticket_id, changed_at, status) VALUES (1, '2026-06-01 09:01+02', 'closed')$$,
                'forge a status change'),
               ($$INSERT INTO sla_state.state_%s (ticket_id, status, status_since) VALUES (9, 'closed', '2026-06-01')$$,
                'forge a ticket state'),
               ($$INSERT INTO sla_state.events_%s (ticket_id, metric, kind, happened_at) VALUES (1, 'nsu_response', 'breached', '2026-06-01')$$,
                'forge an event'),
               ($$SELECT sla.record_status('nsu_app.tickets', '1', '2026-06-01 09:01+02', 'closed')$$,
                'backfill a status with record_status'),
               ($$SELECT sla.detach('nsu_app.tickets')$$,
                'detach the table'),
               ($$TRUNCATE sla_state.history_%s$$,
                'truncate the status history'),
               ($$TRUNCATE sla_state.events_%s$$,
                'truncate the events'),
               ($$UPDATE sla_state.history_%s SET status = 'closed'$$, 'update the history'),
               ($$DELETE FROM sla_state.history_%s$$, 'delete the history'),
               ($$UPDATE sla_state.state_%s SET paused = '{}'$$, 'update the ticket states'),
               ($$DELETE FROM sla.attachments WHERE id = %s$$, 'delete the attachment'),
               ($$SELECT sla_private.forget_all_tickets(%s)$$, 'call the internal forget_all_tickets'),
               ($$SELECT sla_private.refresh_ticket(%s, 2)$$, 'call the internal refresh_ticket'),
               ($$SELECT sla_private.record_status('nsu_outsider'::regrole, 'nsu_app.tickets', '1', '2026-06-01', 'closed') -- %s$$,
                'call the implementation of record_status with a caller of its choice'),
               ($$SELECT * FROM sla_private.select_as('nsu_owner'::regrole, 'SELECT 1', %s) AS r(x int)$$,
                'run a query as the table''s owner')) c(statement, what);
-- the sweep records what has happened, as the table's owner, whoever calls it;
-- the outsider sees none of it
SELECT pg_temp.is(sla.sweep('2026-06-30'), 6::bigint, 'an outsider''s sweep records the six crossings that happened');
SELECT pg_temp.is((SELECT pg_catalog.count(*) FROM sla.events WHERE tickets = 'nsu_app.tickets'::regclass), 0::bigint,
                  'and the outsider sees none of them');
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT sla.sweep(pg_catalog.now() + interval '1 day')$$), '22023',
                  'nobody sweeps as of a future instant: events record what has happened');
RESET ROLE;
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass$$),
                  6::bigint, 'after all that the history still has its 6 statuses');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass AND (status = 'closed' OR ticket_id LIKE '%99')$$),
                  0::bigint, 'none of them changed');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.ticket_state WHERE tickets = 'nsu_app.tickets'::regclass AND ticket_id = '2' AND NOT isempty(paused)$$),
                  1::bigint, 'ticket 2 still has its pause');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.ticket_state WHERE tickets = 'nsu_app.tickets'::regclass$$),
                  4::bigint, 'and every ticket still has its state');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.attachments WHERE tickets = 'nsu_app.tickets'::regclass$$),
                  1::bigint, 'the table is still attached');

---------------------------------------------------------------------------
-- 7. The owner sweeps and detaches, with an empty search_path
---------------------------------------------------------------------------
SET ROLE nsu_owner;
-- ticket 4 (opened Monday 1 June 12:00, no answer): response at risk at 12:45, breached at 13:00;
-- resolution at risk after 6 business hours (Tuesday 10:00), breached after 8 (Tuesday 12:00);
-- ticket 1 (09:00, answered 09:30: met) resolution at risk Monday 15:00, breached at 17:00 (closing);
-- ticket 2 is paused since it was opened, ticket 3 met both
SELECT pg_temp.is(sla.sweep('2026-06-30'), 0::bigint, 'the owner''s sweep records each crossing once: nothing new');
SELECT pg_temp.is((SELECT pg_catalog.count(*) FROM sla.events WHERE tickets = 'nsu_app.tickets'::regclass), 6::bigint,
                  'and records the six crossings of the table');
SELECT pg_temp.is((SELECT pg_catalog.array_agg(kind || ' ' || pg_catalog.to_char(happened_at AT TIME ZONE 'Europe/Berlin', 'DD HH24:MI') ORDER BY happened_at)
                     FROM sla.events WHERE tickets = 'nsu_app.tickets'::regclass AND ticket_id = '4'),
                  '{"at_risk 01 12:45","breached 01 13:00","at_risk 02 10:00","breached 02 12:00"}'::text[],
                  'ticket 4''s four crossings, worked out by hand');
SELECT pg_temp.is((SELECT pg_catalog.array_agg(kind || ' ' || pg_catalog.to_char(happened_at AT TIME ZONE 'Europe/Berlin', 'DD HH24:MI') ORDER BY happened_at)
                     FROM sla.events WHERE tickets = 'nsu_app.tickets'::regclass AND ticket_id = '1'),
                  '{"at_risk 01 15:00","breached 01 17:00"}'::text[],
                  'ticket 1''s two, worked out by hand');
SET ROLE nsu_agent1;
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT sla.detach('nsu_app.tickets')$$), '42501', 'an agent cannot detach the table');
SET ROLE nsu_owner;
SELECT pg_temp.is(pg_temp.nsu_run($$SELECT sla.detach('nsu_app.tickets')$$), '00000', 'the owner detaches it');
RESET ROLE;
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM sla.status_history WHERE tickets = 'nsu_app.tickets'::regclass$$)
                  + pg_temp.nsu_count($$SELECT count(*) FROM sla.ticket_state WHERE tickets = 'nsu_app.tickets'::regclass$$)
                  + pg_temp.nsu_count($$SELECT count(*) FROM sla.events WHERE tickets = 'nsu_app.tickets'::regclass$$)
                  + pg_temp.nsu_count($$SELECT count(*) FROM pg_trigger WHERE tgrelid = 'nsu_app.tickets'::regclass$$)
                  + pg_temp.nsu_count($$SELECT count(*) FROM pg_class WHERE oid = to_regclass('nsu_app.tickets_sla')$$),
                  0::bigint, 'and its state, triggers and view are gone');
SELECT pg_temp.is(pg_temp.nsu_count($$SELECT count(*) FROM nsu_app.tickets$$), 4::bigint, 'the tickets stay');

SELECT * FROM pg_temp.finish();
ROLLBACK;
