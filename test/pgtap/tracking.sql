-- test/pgtap/tracking.sql: the tracking trigger and the SLA view under random
-- inserts, updates, deletes and COPY, checked against references written
-- here (range_agg over lead() for pauses, lag() for reopenings, and the
-- policy, calendar and clock functions wired by hand for the view).
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(18);
SELECT setseed(0.7);
SET LOCAL TimeZone = 'UTC';

INSERT INTO sla.calendars VALUES ('t_office', 'Mo-Fr 09:00-17:00', 'Europe/Paris'),
                                 ('t_always', '24/7', 'UTC');
INSERT INTO sla.holidays VALUES ('t_office', '2026-11-11', 'Armistice');
INSERT INTO sla.policies (name, metric, priority, customer, target, calendar) VALUES
  ('t any', 'respond', NULL, NULL, '4 hours', 't_office'),
  ('t urgent', 'respond', 'urgent', NULL, '1 hour', 't_always'),
  ('t vip', 'respond', NULL, 'vip', '30 minutes', 't_office'),
  ('t fix', 'fix', NULL, NULL, '16 hours', 't_office');

CREATE TABLE t_tickets (
    ref text PRIMARY KEY,
    state text,
    urgency text,
    client text,
    opened timestamptz NOT NULL,
    answered timestamptz,
    fixed timestamptz
);
INSERT INTO t_tickets
SELECT 'T' || i, 'open', CASE WHEN i % 5 = 0 THEN 'urgent' ELSE 'normal' END,
       CASE WHEN i % 7 = 0 THEN 'vip' ELSE 'plain' END,
       timestamptz '2026-10-01 08:00' + (i * 37 % 600) * interval '1 hour',
       NULL, NULL
  FROM generate_series(1, 60) i;
SELECT lives_ok($$SELECT sla.attach('t_tickets', id_column => 'ref', created_column => 'opened',
                                    status_column => 'state', paused_statuses => '{waiting,hold}',
                                    resolved_statuses => '{done}',
                                    metrics => '{"respond": "answered", "fix": "fixed"}',
                                    priority_column => 'urgency', customer_column => 'client')$$,
                'attach a table with its own column names');

-- random work: 400 status changes one by one, then a bulk update, deletes, COPY
DO $$
DECLARE
    statuses text[] := '{open,waiting,hold,open,done,open,waiting}';
BEGIN
    FOR k IN 1..400 LOOP
        UPDATE t_tickets SET state = statuses[1 + (random() * 6)::int]
         WHERE ref = 'T' || (1 + (random() * 59)::int);
    END LOOP;
END $$;
UPDATE t_tickets SET state = 'waiting' WHERE ref IN ('T1', 'T2', 'T3');
UPDATE t_tickets SET state = state;                      -- no change at all
DELETE FROM t_tickets WHERE ref IN ('T4', 'T5');
COPY t_tickets (ref, state, urgency, client, opened) FROM STDIN;
C1	waiting	normal	plain	2026-10-03 10:00:00+00
C2	open	urgent	vip	2026-10-03 11:00:00+00
\.
UPDATE t_tickets SET answered = opened + interval '90 minutes', fixed = opened + interval '3 days' WHERE ref < 'T3';

-- reference: every ticket's history in order (the trigger stamps a change with
-- the transaction time, so order ties by the recording sequence)
CREATE TEMP TABLE ordered AS
SELECT h.ticket_id, h.changed_at, h.status, h.id,
       lead(h.changed_at) OVER w AS next_at, lag(h.status) OVER w AS previous
  FROM sla.status_history h WHERE h.tickets = 't_tickets'::regclass AND h.status IS NOT NULL
WINDOW w AS (PARTITION BY h.ticket_id ORDER BY h.changed_at, h.id);

SELECT is((SELECT count(*) FROM t_tickets t
            WHERE NOT EXISTS (SELECT 1 FROM sla.ticket_state s WHERE s.tickets = 't_tickets'::regclass AND s.ticket_id = t.ref)),
          0::bigint, 'every ticket has a state, COPY included');
SELECT is((SELECT count(*) FROM sla.ticket_state s WHERE s.tickets = 't_tickets'::regclass
              AND s.ticket_id NOT IN (SELECT ref FROM t_tickets)),
          0::bigint, 'deleted tickets leave no state');
SELECT ok((SELECT count(*) FROM ordered o WHERE o.previous IS NOT DISTINCT FROM o.status) = 0,
          'a status set to its own value records nothing');
SELECT is((SELECT count(*) FROM sla.ticket_state s
            JOIN (SELECT ticket_id,
                         coalesce(range_agg(tstzrange(changed_at, next_at))
                                  FILTER (WHERE status IN ('waiting', 'hold') AND (next_at IS NULL OR next_at > changed_at)), '{}') AS want
                    FROM ordered GROUP BY ticket_id) r USING (ticket_id)
            WHERE s.tickets = 't_tickets'::regclass AND s.paused <> r.want),
          0::bigint, 'paused ranges kept incrementally equal range_agg over the history');
SELECT is((SELECT count(*) FROM sla.ticket_state s
            JOIN (SELECT ticket_id, count(*) FILTER (WHERE previous = 'done' AND status <> 'done') AS want
                    FROM ordered GROUP BY ticket_id) r USING (ticket_id)
            WHERE s.tickets = 't_tickets'::regclass AND s.reopened <> r.want),
          0::bigint, 'reopenings are counted');
SELECT is((SELECT count(*) FROM sla.ticket_state s JOIN t_tickets t ON t.ref = s.ticket_id
            WHERE s.tickets = 't_tickets'::regclass AND s.status IS DISTINCT FROM t.state),
          0::bigint, 'the current status follows the table');

-- the sweep folds the changes: the state and history read before the fold
-- (folded state plus changes not folded) are what it stores
SELECT id AS t_attachment FROM sla.attachments WHERE tickets = 't_tickets'::regclass \gset
CREATE TEMP TABLE live_state AS
SELECT ticket_id, status, status_since, paused, reopened FROM sla.ticket_state WHERE tickets = 't_tickets'::regclass;
CREATE TEMP TABLE live_history AS
SELECT id, ticket_id, changed_at, status FROM sla.status_history WHERE tickets = 't_tickets'::regclass;
SELECT sla.sweep() AS t_swept \gset
SELECT is((SELECT count(*) FROM sla_state.changes_:t_attachment), 0::bigint, 'the sweep folds every change');
SELECT is((SELECT count(*) FROM ((SELECT * FROM live_state EXCEPT ALL
                                  SELECT ticket_id, status, status_since, paused, reopened FROM sla.ticket_state WHERE tickets = 't_tickets'::regclass)
                                 UNION ALL
                                 (SELECT ticket_id, status, status_since, paused, reopened FROM sla.ticket_state WHERE tickets = 't_tickets'::regclass
                                  EXCEPT ALL SELECT * FROM live_state)) d),
          0::bigint, 'the folded state is the state read before the fold');
SELECT is((SELECT count(*) FROM ((SELECT * FROM live_history EXCEPT ALL
                                  SELECT id, ticket_id, changed_at, status FROM sla_state.history_:t_attachment)
                                 UNION ALL
                                 (SELECT id, ticket_id, changed_at, status FROM sla_state.history_:t_attachment
                                  EXCEPT ALL SELECT * FROM live_history)) d),
          0::bigint, 'and the stored history the history read before, numbers included');
-- the trigger appends to changes_<n> directly: anything added to it stops tracking with an error, never a silent gap
CREATE INDEX t_changes_added ON sla_state.changes_:t_attachment (ticket_id);
SELECT throws_ok($$UPDATE t_tickets SET state = 'hold' WHERE ref = 'T20'$$, '55000', NULL,
                 'an index added to changes_<n> makes a change fail, not go untracked');
DROP INDEX sla_state.t_changes_added;

-- backfill in any order gives the state an in-order history gives
CREATE TEMP TABLE backfill AS
SELECT 'T' || (10 + i % 5) AS ref, timestamptz '2026-10-20 09:00' + i * interval '13 minutes' AS at,
       (ARRAY['waiting', 'open', 'done', 'open', 'hold'])[1 + i % 5] AS status
  FROM generate_series(1, 40) i;
SELECT count(sla.record_status('t_tickets', ref, at, status)) AS backfilled FROM (SELECT * FROM backfill ORDER BY random()) b \gset
CREATE TEMP TABLE after_random AS SELECT ticket_id, paused, reopened FROM sla.ticket_state WHERE ticket_id IN ('T10','T11','T12','T13','T14');
SELECT count(sla_private.refresh_ticket((SELECT id FROM sla.attachments WHERE tickets = 't_tickets'::regclass), ticket_id)) AS rebuilt
  FROM after_random \gset
SELECT is((SELECT count(*) FROM after_random a JOIN sla.ticket_state s USING (ticket_id)
            WHERE s.paused <> a.paused OR s.reopened <> a.reopened),
          0::bigint, 'record_status in random order equals a rebuild from the sorted history');

-- the view: policy, calendar and clock wired by hand
SELECT is((SELECT count(*) FROM t_tickets_sla v
             JOIN t_tickets t USING (ref)
             JOIN sla.ticket_state s ON s.tickets = 't_tickets'::regclass AND s.ticket_id = t.ref
             CROSS JOIN LATERAL sla.policy_for('respond', t.urgency, NULL, t.client, t.opened) p
             CROSS JOIN LATERAL sla.evaluate(t.opened, p.target, sla.calendar_named(p.calendar), t.answered,
                                             s.paused, now(), p.warn_at) r
            WHERE v.respond_policy IS DISTINCT FROM p.name OR v.respond_due_at IS DISTINCT FROM r.due_at
               OR v.respond_state IS DISTINCT FROM r.state::text OR v.respond_elapsed IS DISTINCT FROM r.elapsed),
          0::bigint, 'the view shows policy_for and evaluate of each ticket');
SELECT is((SELECT array_agg(DISTINCT respond_policy ORDER BY respond_policy) FROM t_tickets_sla),
          ARRAY['t any', 't urgent', 't vip'], 'customer, priority and catch-all policies all in use');
SELECT is((SELECT count(*) FROM t_tickets_sla WHERE fix_policy IS DISTINCT FROM 't fix'), 0::bigint,
          'one policy for every ticket''s fix');

-- without pg_cron in this database the schedule says how to get it
SELECT throws_ok($$SELECT sla.schedule_sweep('1 minute')$$, '55000', NULL,
                 'schedule_sweep without pg_cron explains how to install it')
 WHERE NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')
UNION ALL
SELECT throws_ok($$SELECT sla.schedule_sweep('7 minutes')$$, '22023', NULL,
                 'schedule_sweep refuses a period cron cannot express')
 WHERE EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron');

-- dropping the extension leaves the ticket table and its rows as they were
CREATE TEMP TABLE before_drop AS SELECT * FROM t_tickets;
SELECT lives_ok($$DROP EXTENSION sla CASCADE$$, 'DROP EXTENSION sla CASCADE');
SELECT ok((SELECT count(*) FROM t_tickets) = (SELECT count(*) FROM before_drop)
          AND NOT EXISTS (SELECT * FROM t_tickets EXCEPT SELECT * FROM before_drop)
          AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 't_tickets'::regclass AND NOT tgisinternal),
          'the ticket table keeps its rows and loses only the triggers');

SELECT * FROM finish();
ROLLBACK;
