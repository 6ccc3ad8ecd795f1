-- demo/helpdesk.sql: a sample helpdesk, built the way an application would
-- build it, then put under SLA tracking.  Loaded by "make demo".
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT setseed(0.2026);

-- The application's schema: the helpdesk owns it, not the SLA extension.
CREATE SCHEMA helpdesk;
CREATE TABLE helpdesk.customers (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    tier text NOT NULL CHECK (tier IN ('gold', 'silver', 'bronze'))
);
CREATE TABLE helpdesk.services (
    name text PRIMARY KEY,
    description text
);
CREATE TABLE helpdesk.tickets (
    id bigserial PRIMARY KEY,
    subject text NOT NULL,
    customer_id integer NOT NULL REFERENCES helpdesk.customers,
    customer text NOT NULL,             -- denormalized name, as many helpdesks keep it
    service text NOT NULL REFERENCES helpdesk.services,
    priority text NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
    status text NOT NULL DEFAULT 'new',
    created_at timestamptz NOT NULL DEFAULT now(),
    assigned_at timestamptz,            -- when an agent took the ticket
    assignment_group text NOT NULL DEFAULT 'support',   -- the team that owns it now
    first_response_at timestamptz,
    resolved_at timestamptz
);
-- the application's own log of reassignments between teams
CREATE TABLE helpdesk.ticket_assignments (
    ticket_id bigint NOT NULL REFERENCES helpdesk.tickets ON DELETE CASCADE,
    at timestamptz NOT NULL,
    team text NOT NULL
);
-- the conversation: the customer's and the agents' messages, and internal notes
CREATE TABLE helpdesk.messages (
    id bigserial PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES helpdesk.tickets ON UPDATE CASCADE ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    author text NOT NULL CHECK (author IN ('customer', 'agent')),
    internal boolean NOT NULL DEFAULT false,   -- a note for colleagues: the customer does not see it
    public boolean GENERATED ALWAYS AS (NOT internal) STORED,
    body text NOT NULL
);
CREATE INDEX ON helpdesk.messages (ticket_id);
-- the application's own audit log of status changes
CREATE TABLE helpdesk.ticket_events (
    ticket_id bigint NOT NULL REFERENCES helpdesk.tickets ON DELETE CASCADE,
    at timestamptz NOT NULL,
    status text NOT NULL
);

INSERT INTO helpdesk.services VALUES
  ('eu-support', 'Support desk in Berlin'),
  ('us-support', 'Support desk in New York'),
  ('on-call', 'Around-the-clock incident desk');
INSERT INTO helpdesk.customers (name, tier)
SELECT 'Customer ' || i, CASE WHEN i <= 5 THEN 'gold' WHEN i <= 20 THEN 'silver' ELSE 'bronze' END
  FROM generate_series(1, 50) i;
UPDATE helpdesk.customers SET name = 'ACME' WHERE id = 1;

-- SLA set-up: two business calendars, tiered policies, one customer override
INSERT INTO sla.calendars VALUES
  ('berlin', 'Mo-Fr 08:00-18:00', 'Europe/Berlin'),
  ('new-york', 'Mo-Fr 08:00-18:00', 'America/New_York'),
  ('always', '24/7', 'UTC');
INSERT INTO sla.holidays (calendar, day, label) VALUES
  ('berlin', '2026-10-03', 'Tag der Deutschen Einheit'),
  ('berlin', '2026-12-24', 'Heiligabend'), ('berlin', '2026-12-25', 'Weihnachten'),
  ('new-york', '2026-09-07', 'Labor Day'), ('new-york', '2026-11-26', 'Thanksgiving'),
  ('new-york', '2026-12-25', 'Christmas');
INSERT INTO sla.policies (name, metric, priority, service, target, calendar)
SELECT initcap(p.priority) || ' ' || m.label || ' (' || s.service || ')', m.metric, p.priority, s.service,
       CASE m.metric WHEN 'first_response' THEN p.respond ELSE p.resolve END, s.calendar
  FROM (VALUES ('critical', interval '30 minutes', interval '4 hours'),
               ('high', '2 hours', '24 hours'),
               ('medium', '8 hours', '40 hours'),
               ('low', '24 hours', '160 hours')) p(priority, respond, resolve),
       (VALUES ('first_response', 'response'), ('resolution', 'resolution')) m(metric, label),
       (VALUES ('eu-support', 'berlin'), ('us-support', 'new-york')) s(service, calendar);
-- the three further metrics: the time the requester waits (paused only while
-- pending on the customer), the agents' working time (paused on hold too)
-- and the time until an agent owns the ticket
INSERT INTO sla.policies (name, metric, priority, service, target, calendar)
SELECT initcap(p.priority) || ' ' || m.label || ' (' || s.service || ')', m.metric, p.priority, s.service,
       (ARRAY[p.wait, p.work, p.own])[m.k], s.calendar
  FROM (VALUES ('critical', interval '4 hours', interval '3 hours', interval '15 minutes'),
               ('high', '24 hours', '16 hours', '1 hour'),
               ('medium', '40 hours', '30 hours', '4 hours'),
               ('low', '160 hours', '120 hours', '8 hours')) p(priority, wait, work, own),
       (VALUES (1, 'requester_wait', 'requester wait'), (2, 'agent_work', 'agent work'),
               (3, 'time_to_own', 'ownership')) m(k, metric, label),
       (VALUES ('eu-support', 'berlin'), ('us-support', 'new-york')) s(service, calendar);
-- the next reply: as fast as the first response, for every customer message
INSERT INTO sla.policies (name, metric, priority, service, target, calendar)
SELECT initcap(priority) || ' next reply (' || service || ')', 'next_reply', priority, service, target, calendar
  FROM sla.policies WHERE metric = 'first_response' AND customer IS NULL AND priority IS NOT NULL;
-- the teams' OLAs: how long each may hold a ticket, in business hours
INSERT INTO sla.policies (name, metric, service, team, target, calendar)
SELECT initcap(t.team) || ' OLA (' || s.service || ')', 'ola', s.service, t.team, t.target, s.calendar
  FROM (VALUES ('support', interval '24 hours'), ('engineering', '24 hours'), ('product', '40 hours')) t(team, target),
       (VALUES ('eu-support', 'berlin'), ('us-support', 'new-york')) s(service, calendar);
INSERT INTO sla.policies (name, metric, priority, customer, target, calendar) VALUES
  ('ACME critical response', 'first_response', 'critical', 'ACME', '15 minutes', 'berlin');
INSERT INTO sla.policies (name, metric, service, target, calendar) VALUES
  ('On-call response', 'first_response', 'on-call', '15 minutes', 'always'),
  ('On-call resolution', 'resolution', 'on-call', '2 hours', 'always');

-- 10,000 tickets over four months, as the application created and worked them
CREATE TEMP TABLE plan AS
SELECT i AS id,
       c.id AS customer_id, c.name AS customer,
       CASE WHEN random() < 0.6 THEN 'eu-support' ELSE 'us-support' END AS service,
       (ARRAY['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low'])[1 + (random() * 9)::int] AS priority,
       timestamptz '2026-08-01 00:00+00' + random() * interval '112 days' AS created_at,
       random() AS response_speed, random() AS resolution_speed, random() AS waits, random() AS reopens
  FROM generate_series(1, 10000) i
  JOIN helpdesk.customers c ON c.id = 1 + (i * 7919) % 50;
CREATE TEMP TABLE worked AS
SELECT p.*, pol_r.target AS respond_target, pol_s.target AS resolve_target, cal.cal,
       sla.business_add(p.created_at, pol_r.target * (0.1 + 1.1 * p.response_speed), cal.cal) AS first_response_at,
       sla.business_add(p.created_at, pol_r.target * (0.05 + 0.6 * p.response_speed ^ 2), cal.cal) AS assigned_at,
       sla.business_add(p.created_at, pol_s.target * (0.2 + 1.0 * p.resolution_speed), cal.cal) AS resolved_at
  FROM plan p
  CROSS JOIN LATERAL sla.policy_for('first_response', p.priority, p.service, p.customer, p.created_at) pol_r
  CROSS JOIN LATERAL sla.policy_for('resolution', p.priority, p.service, p.customer, p.created_at) pol_s
  JOIN sla.calendar_values cal ON cal.name = pol_r.calendar;

INSERT INTO helpdesk.tickets (id, subject, customer_id, customer, service, priority, status, created_at,
                              assigned_at, first_response_at, resolved_at)
SELECT id, 'Ticket ' || id, customer_id, customer, service, priority,
       CASE WHEN resolved_at < timestamptz '2026-11-23 06:00+00' THEN 'closed'
            WHEN first_response_at < timestamptz '2026-11-23 06:00+00' THEN 'open' ELSE 'new' END,
       created_at,
       CASE WHEN assigned_at < timestamptz '2026-11-23 06:00+00' THEN assigned_at END,
       CASE WHEN first_response_at < timestamptz '2026-11-23 06:00+00' THEN first_response_at END,
       CASE WHEN resolved_at < timestamptz '2026-11-23 06:00+00' THEN resolved_at END
  FROM worked;
SELECT setval('helpdesk.tickets_id_seq', 10000);

-- reassignments: support triages every ticket; a third go to engineering a
-- quarter of the way to their resolution, and of those a third on to
-- product halfway; most come back to support at three quarters
INSERT INTO helpdesk.ticket_assignments
SELECT id, created_at, 'support' FROM worked
UNION ALL
SELECT id, created_at + (resolved_at - created_at) / 4, 'engineering' FROM worked WHERE resolution_speed > 0.66
UNION ALL
SELECT id, created_at + (resolved_at - created_at) / 2, 'product' FROM worked WHERE resolution_speed > 0.66 AND waits > 0.66
UNION ALL
SELECT id, created_at + (resolved_at - created_at) * 3 / 4, 'support' FROM worked WHERE resolution_speed > 0.66 AND reopens < 0.8;
DELETE FROM helpdesk.ticket_assignments WHERE at >= timestamptz '2026-11-23 06:00+00';
UPDATE helpdesk.tickets t SET assignment_group = a.team
  FROM (SELECT DISTINCT ON (ticket_id) ticket_id, team FROM helpdesk.ticket_assignments ORDER BY ticket_id, at DESC) a
 WHERE a.ticket_id = t.id;

-- the audit log: new, open at the first response, a wait on the customer for
-- a third of the tickets, on hold (waiting on a third party) for a sixth,
-- resolved, and now and then reopened and closed
INSERT INTO helpdesk.ticket_events
SELECT id, created_at, 'new' FROM worked
UNION ALL
SELECT id, first_response_at, 'open' FROM worked WHERE first_response_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, first_response_at + (resolved_at - first_response_at) / 3, 'pending'
  FROM worked WHERE waits < 0.33 AND resolved_at > first_response_at AND resolved_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, first_response_at + (resolved_at - first_response_at) * 2 / 3, 'open'
  FROM worked WHERE waits < 0.33 AND resolved_at > first_response_at AND resolved_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, first_response_at + (resolved_at - first_response_at) / 4, 'on_hold'
  FROM worked WHERE waits BETWEEN 0.33 AND 0.5 AND resolved_at > first_response_at AND resolved_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, first_response_at + (resolved_at - first_response_at) / 2, 'open'
  FROM worked WHERE waits BETWEEN 0.33 AND 0.5 AND resolved_at > first_response_at AND resolved_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, resolved_at, 'resolved' FROM worked WHERE resolved_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, resolved_at + interval '2 days', 'open' FROM worked WHERE reopens < 0.05 AND resolved_at < timestamptz '2026-11-20'
UNION ALL
SELECT id, resolved_at + interval '3 days', 'closed' FROM worked WHERE reopens < 0.05 AND resolved_at < timestamptz '2026-11-20';

-- the messages: the customer writes at creation and the first response
-- answers; on a ticket in two the customer writes again (now and then twice
-- in a row) and an agent answers some business hours later; agents leave
-- internal notes on a ticket in four
INSERT INTO helpdesk.messages (ticket_id, created_at, author, body)
SELECT id, created_at, 'customer', 'Help, please' FROM worked
UNION ALL
SELECT id, first_response_at, 'agent', 'Looking into it' FROM worked WHERE first_response_at < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, first_response_at + (resolved_at - first_response_at) * k / 5, 'customer', 'Any news?'
  FROM worked, LATERAL (VALUES (1), (2)) k(k)
 WHERE waits < 0.5 AND (k = 1 OR reopens < 0.3) AND resolved_at > first_response_at
   AND first_response_at + (resolved_at - first_response_at) * k / 5 < timestamptz '2026-11-23 06:00+00'
UNION ALL
SELECT id, sla.business_add(first_response_at + (resolved_at - first_response_at) / 5, respond_target * (0.2 + 1.2 * response_speed), cal),
       'agent', 'Here is an update'
  FROM worked
 WHERE waits < 0.5 AND resolved_at > first_response_at
   AND sla.business_add(first_response_at + (resolved_at - first_response_at) / 5, respond_target * (0.2 + 1.2 * response_speed), cal)
       < least(resolved_at, timestamptz '2026-11-23 06:00+00');
INSERT INTO helpdesk.messages (ticket_id, created_at, author, internal, body)
SELECT id, first_response_at + interval '5 minutes', 'agent', true, 'Asked the vendor'
  FROM worked WHERE reopens > 0.75 AND first_response_at < timestamptz '2026-11-23 06:00+00';

-- Attach: a few statements a DBA runs against the application's tables.  Six
-- metrics: first response by its column; resolution by status, a cycle per
-- reopen; requester wait and agent work by status with pauses of their own;
-- time to own by columns, never paused; the next reply to each customer
-- message, from the messages table; and the teams' OLAs, one cycle per
-- period a team owns the ticket.
SELECT sla.attach('helpdesk.tickets',
                  status_column => 'status',
                  paused_statuses => '{pending,on_hold}',
                  resolved_statuses => '{resolved,closed}',
                  metrics => '{
                    "first_response": "first_response_at",
                    "resolution":     {"stop_statuses": ["resolved", "closed"], "cycles": "each"},
                    "requester_wait": {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["pending"]},
                    "agent_work":     {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["pending", "on_hold"]},
                    "time_to_own":    {"start": "created_at", "stop": "assigned_at", "pause_statuses": []},
                    "next_reply":     {"kind": "next_reply", "pause_statuses": ["pending"]},
                    "ola":            {"kind": "ownership"}}',
                  service_column => 'service',
                  customer_column => 'customer',
                  team_column => 'assignment_group');
SELECT sla.attach_activity('helpdesk.tickets', 'helpdesk.messages', public_column => 'public');
-- import the history the application kept: statuses and reassignments
SELECT count(sla.record_status('helpdesk.tickets', e.ticket_id::text, e.at, e.status))
  FROM helpdesk.ticket_events e;
SELECT count(sla.record_team('helpdesk.tickets', a.ticket_id::text, a.at, a.team))
  FROM helpdesk.ticket_assignments a;

-- from now on the application works as before; the trigger keeps track
UPDATE helpdesk.tickets SET status = 'pending' WHERE id = 9999 AND status <> 'closed';
-- record the crossings of the past, so that the demo's event stream shows new ones only
SELECT sla.sweep() AS past_crossings;
