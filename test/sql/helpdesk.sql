-- Helpdesk integration: named calendars, policies, attaching a ticket table,
-- the tracking trigger, the SLA view and the sweep.  Worked out by hand on
-- the Berlin office calendar (Mo-Fr 09:00-12:00,13:00-17:00); June 2026 is
-- summer time (UTC+2).
SET TimeZone = 'Europe/Berlin';
\i test/sql/include/try.sql

-- named calendars are validated like sla.calendar()
INSERT INTO sla.calendars VALUES ('office', 'Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin');
INSERT INTO sla.holidays VALUES ('office', '2026-06-04', 'Corpus Christi');
SELECT pg_temp.try($$INSERT INTO sla.calendars VALUES ('bad', 'Mo-Fr 9:00-25:00')$$);
SELECT pg_temp.try($$INSERT INTO sla.calendars VALUES ('bad', 'Mo-Fr', 'Europe/Nowhere')$$);
SELECT pg_temp.try($$UPDATE sla.calendars SET rules = 'Xx' WHERE name = 'office'$$);
SELECT pg_temp.try($$SELECT sla.calendar_named('nowhere')$$);
SELECT sla.calendar_named('office');

-- policies: the most specific match wins, validity versions a policy
INSERT INTO sla.policies (name, metric, priority, service, customer, target, calendar, valid) VALUES
  ('Any response',       'first_response', NULL,   NULL,   NULL,   '8 hours',    'office', '(,)'),
  ('High response',      'first_response', 'high', NULL,   NULL,   '1 hour',     'office', '(,)'),
  ('Mail response',      'first_response', NULL,   'mail', NULL,   '2 hours',    'office', '(,)'),
  ('ACME response',      'first_response', NULL,   NULL,   'acme', '30 minutes', 'office', '(,)'),
  ('Resolution',         'resolution',     NULL,   NULL,   NULL,   '16 hours',   'office', '(,)'),
  ('High resolution v1', 'resolution',     'high', NULL,   NULL,   '4 hours',    'office', '(,2026-07-01)'),
  ('High resolution v2', 'resolution',     'high', NULL,   NULL,   '2 hours',    'office', '[2026-07-01,)');
SELECT m.metric, m.priority, m.service, m.customer, m.at, (sla.policy_for(m.metric, m.priority, m.service, m.customer, m.at)).name
  FROM (VALUES ('first_response', 'high', 'mail', 'acme', timestamptz '2026-06-01'),
               ('first_response', 'high', 'mail', 'other', '2026-06-01'),
               ('first_response', 'high', NULL, NULL, '2026-06-01'),
               ('first_response', 'low', NULL, NULL, '2026-06-01'),
               ('resolution', 'high', NULL, NULL, '2026-06-30 23:59'),
               ('resolution', 'high', NULL, NULL, '2026-07-01'),
               ('nothing', 'high', NULL, NULL, '2026-07-01')) m(metric, priority, service, customer, at);
-- a tie is refused when written; an adjacent version is fine
SELECT pg_temp.try($$INSERT INTO sla.policies (name, metric, priority, target, calendar, valid)
                     VALUES ('High response 2', 'first_response', 'high', '3 hours', 'office', '[2026-01-01,)')$$);
SELECT pg_temp.try($$UPDATE sla.policies SET valid = '[2026-06-01,)' WHERE name = 'High resolution v1'$$);
SELECT pg_temp.try($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('Months', 'x', '1 month', 'office')$$);

-- the application's table, not ours
CREATE SCHEMA helpdesk;
CREATE TABLE helpdesk.tickets (
    id integer PRIMARY KEY DEFERRABLE,   -- so that ids can be swapped in one statement
    subject text,
    status text NOT NULL,
    priority text,
    service text,
    customer text,
    created_at timestamptz NOT NULL DEFAULT now(),
    first_response_at timestamptz,
    resolved_at timestamptz,
    created_on date
);
-- 1: ACME, high, by mail: answered after 20 minutes, not resolved
INSERT INTO helpdesk.tickets VALUES
  (1, 'Printer on fire', 'open', 'high', 'mail', 'acme', '2026-06-01 09:00', '2026-06-01 09:20', NULL);

-- attach checks what it is given
SELECT pg_temp.try($$SELECT sla.attach('helpdesk.tickets', id_column => 'ticket_no')$$);
SELECT pg_temp.try($$SELECT sla.attach('helpdesk.tickets', created_column => 'created_on')$$);
SELECT pg_temp.try($$SELECT sla.attach('helpdesk.tickets', metrics => '{"resolution": "subject"}')$$);
SELECT pg_temp.try($$SELECT sla.attach('helpdesk.tickets', metrics => '[1]')$$);
SELECT sla.attach('helpdesk.tickets', service_column => 'service', customer_column => 'customer');
SELECT pg_temp.try($$SELECT sla.attach('helpdesk.tickets')$$);

-- 2: low priority, opened Monday 16:00; pending from 17:30 to Tuesday 10:00,
-- first answer Tuesday 09:30, resolved Wednesday 12:00 (imported out of order)
INSERT INTO helpdesk.tickets VALUES
  (2, 'Password', 'open', 'low', NULL, NULL, '2026-06-01 16:00', '2026-06-02 09:30', '2026-06-03 12:00');
SELECT sla.record_status('helpdesk.tickets', '2', '2026-06-03 12:00', 'resolved'),
       sla.record_status('helpdesk.tickets', '2', '2026-06-02 10:00', 'open'),
       sla.record_status('helpdesk.tickets', '2', '2026-06-01 17:30', 'pending');
-- ticket 1 was there before the attach: its status is known from the attach on
SELECT ticket_id, status, CASE WHEN ticket_id = '1' THEN status_since > '2026-11-01' ELSE status_since = '2026-06-03 12:00' END AS since_ok,
       paused, reopened FROM sla.ticket_state ORDER BY ticket_id;

-- Ticket 1: ACME response, 30 min, stopped after 20: met.  Resolution: High
-- v1 (created before July), 4 h from Monday 09:00: 09-12, 13-14, breached.
-- Ticket 2: Any response, 8 h; Monday 16-17 used, Tuesday 09:00-09:30 paused:
-- stopped at 09:30 after 1 h, met.  The pause is cut at the stop, so it is
-- due after Mon 1 h + Tue 09:30-12, 13-17 + Wed 09:00-09:30.
-- Resolution 16 h: Mon 1 + Tue 6 + Wed 3 = 10 h by Wednesday 12:00, met;
-- due Mon 1 + Tue 6 + Wed 7, Thursday a holiday, Friday 09-11.
SELECT id, first_response_policy, first_response_target, first_response_state, first_response_due_at,
       first_response_elapsed, first_response_elapsed_seconds, first_response_remaining, first_response_used
  FROM helpdesk.tickets_sla ORDER BY id;
SELECT id, resolution_policy, resolution_target, resolution_state, resolution_due_at,
       CASE WHEN resolved_at IS NOT NULL THEN resolution_elapsed END AS elapsed_when_stopped, paused_for
  FROM helpdesk.tickets_sla ORDER BY id;

-- the sweep as of 10 June: ticket 1's resolution was at risk at 3 h (12:00)
-- and breached at 14:00; nothing else crossed.  Once only.
SELECT sla.sweep('2026-06-10');
SELECT ticket_id, metric, kind, happened_at FROM sla.events ORDER BY ticket_id, metric, kind;
SELECT sla.sweep('2026-06-10');

-- escalation levels: a policy with alerts at 50, 75 and 90 % of a 10-hour
-- target records an at_risk event at each, then the breach.  Opened Monday
-- 1 June 09:00: 5 hours by Monday 15:00 (09-12, 13-15), 7.5 by Tuesday 09:30
-- (7 on Monday), 9 by Tuesday 11:00, 10 at Tuesday 12:00, the deadline, at
-- the lunch closing: breached only once that instant has passed.
INSERT INTO sla.policies (name, metric, target, calendar, alerts) VALUES
  ('Alerted fix', 'alerted_fix', '10 hours', 'office', '{0.5,0.75,0.9}');
SELECT pg_temp.try($$INSERT INTO sla.policies (name, metric, target, calendar, alerts) VALUES ('Bad alerts', 'x', '1 hour', 'office', '{0.75,0.5}')$$);
SELECT pg_temp.try($$INSERT INTO sla.policies (name, metric, target, calendar, alerts) VALUES ('Bad alerts', 'x', '1 hour', 'office', '{0.5,1}')$$);
CREATE TABLE helpdesk.alerted (id integer PRIMARY KEY, status text, created_at timestamptz, fixed_at timestamptz);
INSERT INTO helpdesk.alerted VALUES (1, 'open', '2026-06-01 09:00', NULL);
SELECT sla.attach('helpdesk.alerted', metrics => '{"alerted_fix": "fixed_at"}', priority_column => NULL);
SELECT sla.sweep('2026-06-02 11:30') > 0 AS three_alerts;
SELECT ticket_id, metric, kind, level, happened_at FROM sla.events
 WHERE tickets = 'helpdesk.alerted'::regclass ORDER BY happened_at;
SELECT sla.sweep('2026-06-02 12:00') AS at_the_deadline;
SELECT sla.sweep('2026-06-02 12:00:00.000001') AS just_after;
SELECT ticket_id, metric, kind, level, happened_at FROM sla.events
 WHERE tickets = 'helpdesk.alerted'::regclass AND kind = 'breached';
SELECT sla.sweep('2026-06-03') AS once_only;
SELECT sla.detach('helpdesk.alerted');
DROP TABLE helpdesk.alerted;
DELETE FROM sla.policies WHERE name = 'Alerted fix';

-- the trigger: same status is no change; a reopen is counted
INSERT INTO helpdesk.tickets (id, subject, status, priority, created_at) VALUES (3, 'Reopened', 'open', 'low', '2026-06-01 09:00');
UPDATE helpdesk.tickets SET status = 'open' WHERE id = 3;
UPDATE helpdesk.tickets SET status = 'resolved' WHERE id = 3;
UPDATE helpdesk.tickets SET status = 'open' WHERE id = 3;
UPDATE helpdesk.tickets SET status = 'closed' WHERE id = 3;
SELECT ticket_id, status, reopened, (SELECT count(*) FROM sla.status_history h WHERE h.ticket_id = '3') AS changes
  FROM sla.ticket_state WHERE ticket_id = '3';
-- ids swapped in one statement keep their own state
UPDATE helpdesk.tickets SET id = CASE id WHEN 1 THEN 2 ELSE 1 END WHERE id IN (1, 2);
SELECT ticket_id, status, reopened FROM sla.ticket_state ORDER BY ticket_id;
SELECT ticket_id, metric, kind FROM sla.events ORDER BY ticket_id, metric, kind;
-- COPY goes through the trigger too
COPY helpdesk.tickets (id, subject, status, priority, created_at) FROM STDIN;
10	Copied one	pending	low	2026-06-01 09:00:00+02
11	Copied two	open	low	2026-06-01 09:00:00+02
\.
SELECT ticket_id, status, paused FROM sla.ticket_state WHERE ticket_id IN ('10', '11') ORDER BY ticket_id;
-- deleted tickets leave nothing behind
DELETE FROM helpdesk.tickets WHERE id = 10;
SELECT count(*) FROM sla.ticket_state WHERE ticket_id = '10';
TRUNCATE helpdesk.tickets;
SELECT count(*) AS states, (SELECT count(*) FROM sla.status_history) AS history FROM sla.ticket_state;

-- detach leaves the ticket table as it was
SELECT sla.detach('helpdesk.tickets');
SELECT count(*) AS attachments FROM sla.attachments;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'helpdesk.tickets'::regclass AND NOT tgisinternal;
SELECT pg_temp.try($$SELECT * FROM helpdesk.tickets_sla$$);
