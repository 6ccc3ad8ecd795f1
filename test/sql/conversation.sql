-- Metrics of the conversation (kinds next_reply and periodic_update): their
-- cycles come from the messages of the activity table and the ticket's
-- status timeline.  Every expectation is worked out by hand, first on a
-- 24/7 UTC calendar (elapsed = wall time minus the time paused), then on
-- Mo-Fr 09:00-17:00 Europe/Berlin.
SET TimeZone = 'UTC';
\i test/sql/include/try.sql

INSERT INTO sla.calendars VALUES ('conv_24x7', '24/7', 'UTC'), ('conv_berlin', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES
    ('reply in an hour', 'reply', NULL, '1 hour', 'conv_24x7'),
    ('update every 2 hours', 'update', NULL, '2 hours', 'conv_24x7'),
    ('Berlin reply in an hour', 'reply', 'berlin', '1 hour', 'conv_berlin'),
    ('Berlin update every 2 hours', 'update', 'berlin', '2 hours', 'conv_berlin');

CREATE ROLE conv_reader;
CREATE SCHEMA conv;
GRANT USAGE ON SCHEMA conv TO conv_reader;
CREATE TABLE conv.tickets (id integer PRIMARY KEY, status text NOT NULL, priority text, created_at timestamptz NOT NULL);
CREATE TABLE conv.messages (id serial PRIMARY KEY, ticket_id integer, created_at timestamptz, author text,
                            public boolean NOT NULL DEFAULT true);

-- bad definitions: 22023 naming the metric and the key
SELECT pg_temp.try(format($$SELECT sla.attach('conv.tickets', metrics => %L)$$, m))
  FROM unnest(ARRAY[
    '{"reply": {"kind": "next_response"}}',
    '{"reply": {"kind": 1}}',
    '{"reply": {"kind": "next_reply", "stop": "created_at"}}',
    '{"reply": {"kind": "periodic_update", "cycles": "first"}}',
    '{"reply": {"kind": "next_reply", "pause_statuses": "pending"}}']) m;
SELECT count(*) AS attached_by_errors FROM sla.attachments WHERE tickets = 'conv.tickets'::regclass;

SELECT sla.attach('conv.tickets', paused_statuses => '{pending}', resolved_statuses => '{solved}',
                  priority_column => 'priority',
                  metrics => '{"reply": {"kind": "next_reply"}, "update": {"kind": "periodic_update", "pause_statuses": ["pending"]}}')
       AS view;
SELECT id AS n FROM sla.attachments WHERE tickets = 'conv.tickets'::regclass \gset
-- stored with every key explicit (the attachment's paused statuses by default)
SELECT metrics FROM sla.attached_tables WHERE tickets = 'conv.tickets'::regclass;
SELECT sla.attach_activity('conv.tickets', 'conv.messages', public_column => 'public');

-- 24/7 UTC, 2 March 2026; targets: reply 1 h, update 2 h; at risk at 75 %.
-- Ticket 1: customer 09:00 and 09:20, reply 09:50; customer 11:00, an
-- internal note 11:10, pending 11:30-11:45, reply 12:30; customer 13:30,
-- solved 14:00 without a reply; customer 14:30 while solved.
--   reply cycle 1: 09:00-09:50 (from the first message), 50 min, met.
--   reply cycle 2: 11:00-12:30 (the note does not answer), 90 - 15 = 75
--     min, breached: due 12:15; at risk at 45 min: 12:00.
--   reply cycle 3: 13:30-14:00, closed unanswered (30 min); the message
--     while solved starts no cycle.  3 cycles, 1 breached.
--   update cycle 1: 09:50-12:30, 160 - 15 = 145 min, breached: due 12:05,
--     at risk (90 min) 11:20.  update cycle 2: 12:30-14:00, ended by the
--     resolution, 90 min, met (at risk exactly at 14:00).  2 cycles, 1 breached.
-- Ticket 2: customer 09:00, pending 09:30-10:30, reply 10:00 while paused.
--   reply: 09:00-10:00, 30 min, met.  update: from 10:00, running (paused
--   until 10:30): due 12:30, at risk 12:00; breached as of now.
-- Ticket 3: no message: no cycle.
INSERT INTO conv.tickets VALUES (1, 'open', NULL, '2026-03-02 09:00'), (2, 'open', NULL, '2026-03-02 09:00'),
                                (3, 'open', NULL, '2026-03-02 09:00');
SELECT sla.record_status('conv.tickets', '1', '2026-03-02 11:30', 'pending'),
       sla.record_status('conv.tickets', '1', '2026-03-02 11:45', 'open'),
       sla.record_status('conv.tickets', '1', '2026-03-02 14:00', 'solved'),
       sla.record_status('conv.tickets', '2', '2026-03-02 09:30', 'pending'),
       sla.record_status('conv.tickets', '2', '2026-03-02 10:30', 'open');
INSERT INTO conv.messages (ticket_id, created_at, author, public) VALUES
    (1, '2026-03-02 09:20', 'customer', true), (1, '2026-03-02 09:00', 'customer', true),
    (1, '2026-03-02 09:50', 'agent', true), (1, '2026-03-02 11:00', 'customer', true),
    (1, '2026-03-02 11:10', 'agent', false), (1, '2026-03-02 12:30', 'agent', true),
    (1, '2026-03-02 13:30', 'customer', true), (1, '2026-03-02 14:30', 'customer', true),
    (2, '2026-03-02 09:00', 'customer', true), (2, '2026-03-02 10:00', 'agent', true);
SELECT id, reply_cycle, reply_started_at, reply_stopped_at, reply_state, reply_elapsed, reply_due_at, reply_cycles, reply_breached_cycles
  FROM conv.tickets_sla ORDER BY id;
SELECT id, update_cycle, update_started_at, update_state, update_due_at, update_cycles, update_breached_cycles
  FROM conv.tickets_sla ORDER BY id;
-- per cycle: the compliance view counts the closed unanswered cycle apart
-- (reply: 2 met, 1 breached, 1 closed unanswered; business seconds of the
-- answered ones 3000 + 4500 + 1800)
SELECT metric, total, met, breached, open_breached, running, stopped, business_seconds_sum, compliance, closed_unanswered
  FROM conv.tickets_sla_compliance ORDER BY metric;
-- percentiles: the answered reply cycles only (30, 50 and 75 min)
SELECT fraction, elapsed, tickets FROM sla.percentiles('conv.tickets_sla', 'reply', '(,)', '{0.1,0.5,1}');

-- the sweep records the crossings of every cycle
SELECT sla.sweep('2026-03-02 15:00') AS recorded;
SELECT ticket_id, metric, cycle, kind, level, happened_at FROM sla.events
 WHERE tickets = 'conv.tickets'::regclass ORDER BY ticket_id, metric, cycle, happened_at, kind;
-- a message makes its ticket due again: ticket 3's customer writes at
-- 15:00: at risk 15:45, breached 16:00
INSERT INTO conv.messages (ticket_id, created_at, author) VALUES (3, '2026-03-02 15:00', 'customer');
SELECT sla.sweep('2026-03-02 16:30') AS recorded;
SELECT ticket_id, metric, cycle, kind, happened_at FROM sla.events
 WHERE tickets = 'conv.tickets'::regclass AND ticket_id = '3' ORDER BY happened_at, kind;
-- deleting ticket 2's reply leaves its customer message waiting: running
-- since 09:00, paused 09:30-10:30, due 11:00, breached
DELETE FROM conv.messages WHERE ticket_id = 2 AND author = 'agent';
SELECT id, reply_cycle, reply_state, reply_due_at, reply_stopped_at, reply_cycles, reply_breached_cycles, update_cycles
  FROM conv.tickets_sla WHERE id = 2;

-- Mo-Fr 09:00-17:00 Europe/Berlin (UTC+1 in March), ticket 11 (priority
-- berlin) created Friday 6 March 16:00: customer Fri 16:30 and 18:00, reply
-- Mon 09:45; pending Mon 10:00-11:00, customer Mon 10:10, reply Mon 11:40;
-- an internal note Mon 12:00, customer Mon 16:50, solved Tue 09:20.
--   reply cycle 1: Fri 16:30-Mon 09:45 = 30 + 45 = 75 min, breached: due
--     Mon 09:30, at risk (45 min) Mon 09:15.
--   reply cycle 2: Mon 10:10-11:40, paused until 11:00: 40 min, met, due 12:00.
--   reply cycle 3: Mon 16:50-Tue 09:20 = 10 + 20 min, closed unanswered.
--   update cycle 1: Mon 09:45-11:40 = 115 - 60 paused = 55 min, met.
--   update cycle 2: Mon 11:40-Tue 09:20 = 320 + 20 = 340 min, breached: due
--     Mon 13:40, at risk (90 min) Mon 13:10.
SET TimeZone = 'Europe/Berlin';
INSERT INTO conv.tickets VALUES (11, 'open', 'berlin', '2026-03-06 16:00');
SELECT sla.record_status('conv.tickets', '11', '2026-03-09 10:00', 'pending'),
       sla.record_status('conv.tickets', '11', '2026-03-09 11:00', 'open'),
       sla.record_status('conv.tickets', '11', '2026-03-10 09:20', 'solved');
INSERT INTO conv.messages (ticket_id, created_at, author, public) VALUES
    (11, '2026-03-06 16:30', 'customer', true), (11, '2026-03-06 18:00', 'customer', true),
    (11, '2026-03-09 09:45', 'agent', true), (11, '2026-03-09 10:10', 'customer', true),
    (11, '2026-03-09 11:40', 'agent', true), (11, '2026-03-09 12:00', 'agent', false),
    (11, '2026-03-09 16:50', 'customer', true);
SELECT reply_policy, reply_cycle, reply_started_at, reply_state, reply_elapsed, reply_cycles, reply_breached_cycles,
       update_cycle, update_started_at, update_state, update_elapsed, update_due_at, update_cycles, update_breached_cycles
  FROM conv.tickets_sla WHERE id = 11;
SELECT sla.sweep('2026-03-10 12:00') AS recorded;
SELECT metric, cycle, kind, level, happened_at FROM sla.events
 WHERE tickets = 'conv.tickets'::regclass AND ticket_id = '11' ORDER BY metric, cycle, happened_at, kind;
SELECT policy, metric, total, met, breached, closed_unanswered FROM conv.tickets_sla_compliance
 WHERE priority = 'berlin' ORDER BY metric;
SET TimeZone = 'UTC';

-- a reader sees the cycles of the tickets it may read (row-level security)
GRANT SELECT ON conv.tickets, conv.tickets_sla TO conv_reader;
ALTER TABLE conv.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_one ON conv.tickets FOR SELECT TO conv_reader USING (id = 1);
SET ROLE conv_reader;
SELECT id, reply_cycles, reply_breached_cycles, update_cycles FROM conv.tickets_sla ORDER BY id;
SELECT ticket_id, cardinality(at) AS messages FROM sla_state.messages_:n ORDER BY ticket_id;
RESET ROLE;

-- the cycle functions any role may call: bad input is an error naming the
-- message (22004, 22023, 2202E); messages out of order are put in order
-- (the customer at 09:00, the agent at 10:00 answering the customer at
-- 10:00 too: one cycle, 09:00-10:00)
SELECT pg_temp.try(format('SELECT sla_private.conversation_cycles(%s)', args))
  FROM unnest(ARRAY[
    $$'next_reply', '{2026-03-02 09:00, NULL}', '{c,a}', '{}'$$,
    $$'next_reply', '{2026-03-02 09:00, 2026-03-02 10:00}', '{c,x}', '{}'$$,
    $$'next_reply', '{2026-03-02 09:00}', '{c,a}', '{}'$$,
    $$'first_reply', '{}', '{}', '{}'$$]) args;
SELECT sla_private.conversation_cycles('next_reply', '{2026-03-02 10:00, 2026-03-02 09:00, 2026-03-02 10:00}', '{a,c,c}', NULL)
       AS out_of_order;
SELECT sla.detach('conv.tickets');
DROP SCHEMA conv CASCADE;
DROP ROLE conv_reader;
DELETE FROM sla.policies WHERE metric IN ('reply', 'update');
DELETE FROM sla.calendars WHERE name LIKE 'conv\_%';
