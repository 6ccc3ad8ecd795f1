-- test/pgtap/conversation_properties.sql: metrics of the conversation
-- (kinds next_reply and periodic_update) against a reference written here.
-- Random status histories (open, pending, on_hold, solved, closed; solved
-- and closed resolve) on whole minutes around the European DST change (29
-- March 2026) and random messages (customer, agent or another author,
-- public or not), many at the same minute as another message, as the
-- creation or as a status change.  The reference walks each ticket's
-- instants one by one in time order (cp_walk): the status changing at an
-- instant holds from it, so that a resolution entry (becoming resolved, or
-- created resolved) and the messages of the same instant see it; then the
-- counted (public) customer messages of the instant, then the agent's.
--   next_reply: a customer message starts a cycle when none runs and the
--     ticket is not resolved; the first agent message from its start on
--     answers it (one at its very start: no cycle), the first resolution
--     entry after it closes it unanswered unless an agent writes then too.
--   periodic_update: each instant with an agent message while not resolved
--     starts a cycle, which the next such instant or the first resolution
--     entry after its start stops.
-- A cycle's elapsed time is its minutes open in the calendar (Mo-Fr
-- 09:00-17:00 in Berlin, from the local time of the minute) and not in a
-- pause status of the metric, walked minute by minute over each ticket's
-- first 6 days (its events lie in its first 4); a cycle still running
-- adds, from then to now(), the calendar's open time of each day unless
-- the ticket waits in a pause status.  A cycle is breached when it was
-- answered (or runs) and its elapsed time exceeds the 2-hour target.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(12);
SET LOCAL TimeZone = 'Asia/Kolkata';
SELECT setseed(0.41);

INSERT INTO sla.calendars VALUES ('cp_office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, target, calendar)
SELECT 'cp ' || m, m, '2 hours', 'cp_office' FROM unnest(ARRAY['cp_reply', 'cp_update']) m;

CREATE SCHEMA cp;
CREATE TABLE cp.tickets (id integer PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE cp.messages (id serial PRIMARY KEY, ticket_id integer, created_at timestamptz, author text,
                          public boolean NOT NULL);
-- the reply clock pauses in the attachment's paused statuses, the update
-- clock in its own
SELECT sla.attach('cp.tickets', priority_column => NULL, paused_statuses => '{pending}',
                  resolved_statuses => '{solved,closed}', metrics => '{
    "cp_reply":  {"kind": "next_reply"},
    "cp_update": {"kind": "periodic_update", "pause_statuses": ["on_hold"]}}');
SELECT sla.attach_activity('cp.tickets', 'cp.messages', public_column => 'public');

-- 50 tickets created between 26 and 31 March, some of them resolved, each
-- with up to 8 changes on distinct later minutes within 4 days
CREATE TEMP TABLE cp_created AS
  SELECT i AS id, timestamptz '2026-03-26 00:00+00' + floor(random() * 5 * 1440)::int * interval '1 minute' AS created_at,
         (ARRAY['open', 'open', 'open', 'pending', 'on_hold', 'solved', 'closed'])[1 + floor(random() * 7)::int] AS status
    FROM generate_series(1, 50) i;
CREATE TEMP TABLE cp_history AS
  SELECT id, created_at AS at, status FROM cp_created
  UNION ALL
  SELECT c.id, c.created_at + k.m * interval '1 minute',
         (ARRAY['open', 'pending', 'on_hold', 'solved', 'closed'])[1 + floor(random() * 5)::int]
    FROM cp_created c
   CROSS JOIN LATERAL (SELECT DISTINCT 1 + floor(random() * 4 * 1440)::int AS m
                         FROM generate_series(1, c.id % 9)) k;
-- 0 to 10 messages per ticket, half of them on a minute of its history or
-- on one of two minutes its messages share
CREATE TEMP TABLE cp_messages AS
  SELECT c.id AS ticket_id,
         CASE WHEN random() < 0.5 THEN a.anchors[1 + floor(random() * cardinality(a.anchors))::int]
              ELSE c.created_at + floor(random() * 4 * 1440)::int * interval '1 minute' END AS at,
         (ARRAY['customer', 'customer', 'customer', 'agent', 'agent', 'agent', 'bot'])[1 + floor(random() * 7)::int] AS author,
         random() < 0.85 AS public
    FROM cp_created c
   CROSS JOIN LATERAL (SELECT array_agg(h.at) || ARRAY[c.created_at + floor(random() * 4 * 1440)::int * interval '1 minute',
                                                       c.created_at + floor(random() * 4 * 1440)::int * interval '1 minute'] AS anchors
                         FROM cp_history h WHERE h.id = c.id) a
   CROSS JOIN LATERAL generate_series(1, (c.id * 7) % 11) k;
CREATE INDEX ON cp_history (id, at);
CREATE INDEX ON cp_messages (ticket_id, at);
ANALYZE cp_history, cp_messages;

INSERT INTO cp.tickets SELECT id, status, created_at FROM cp_created;
SELECT count(*) AS imported
  FROM (SELECT sla.record_status('cp.tickets', h.id::text, h.at, h.status)
          FROM cp_history h JOIN cp_created c ON c.id = h.id WHERE h.at > c.created_at) x;
INSERT INTO cp.messages (ticket_id, created_at, author, public) SELECT ticket_id, at, author, public FROM cp_messages;

-- the reference: a ticket's cycles of one kind, walking its instants in
-- time order
CREATE FUNCTION pg_temp.cp_walk(kind text, ticket integer)
    RETURNS TABLE (cycle integer, started timestamptz, stopped timestamptz, unanswered boolean)
    LANGUAGE plpgsql AS $$
DECLARE
    x timestamptz;
    changed_to text;
    resolved boolean := false;
    entry boolean;
    customer boolean;
    agent boolean;
    running boolean := false;
    since timestamptz;
    n integer := 0;
BEGIN
    FOR x IN SELECT e.at FROM (SELECT h.at FROM cp_history h WHERE h.id = ticket
                               UNION SELECT m.at FROM cp_messages m WHERE m.ticket_id = ticket) e
              ORDER BY e.at LOOP
        -- a change at x holds from x: a resolution entry when it resolves
        -- a ticket that was not resolved (the creation included)
        changed_to := (SELECT h.status FROM cp_history h WHERE h.id = ticket AND h.at = x);
        entry := false;
        IF changed_to IS NOT NULL THEN
            entry := changed_to IN ('solved', 'closed') AND NOT resolved;
            resolved := changed_to IN ('solved', 'closed');
        END IF;
        customer := EXISTS (SELECT FROM cp_messages m WHERE m.ticket_id = ticket AND m.at = x AND m.public AND m.author = 'customer');
        agent := EXISTS (SELECT FROM cp_messages m WHERE m.ticket_id = ticket AND m.at = x AND m.public AND m.author = 'agent');
        IF kind = 'next_reply' THEN
            IF entry AND running THEN
                n := n + 1;
                cycle := n; started := since; stopped := x; unanswered := NOT agent;
                RETURN NEXT;
                running := false;
            END IF;
            IF customer AND NOT running AND NOT resolved THEN
                running := true;
                since := x;
            END IF;
            IF agent AND running THEN
                IF since < x THEN
                    n := n + 1;
                    cycle := n; started := since; stopped := x; unanswered := false;
                    RETURN NEXT;
                END IF;
                running := false;
            END IF;
        ELSE
            IF entry AND running THEN
                n := n + 1;
                cycle := n; started := since; stopped := x; unanswered := false;
                RETURN NEXT;
                running := false;
            END IF;
            IF agent AND NOT resolved THEN
                IF running THEN
                    n := n + 1;
                    cycle := n; started := since; stopped := x; unanswered := false;
                    RETURN NEXT;
                END IF;
                running := true;
                since := x;
            END IF;
        END IF;
    END LOOP;
    IF running THEN
        n := n + 1;
        cycle := n; started := since; stopped := NULL; unanswered := false;
        RETURN NEXT;
    END IF;
END $$;

-- every minute of each ticket's first 6 days, its status, open or not
CREATE TEMP TABLE cp_minutes AS
  SELECT s.id, m, s.status,
         extract(isodow FROM m AT TIME ZONE 'Europe/Berlin') <= 5
           AND (m AT TIME ZONE 'Europe/Berlin')::time >= '09:00' AND (m AT TIME ZONE 'Europe/Berlin')::time < '17:00' AS open
    FROM (SELECT h.id, h.at, h.status,
                 coalesce(lead(h.at) OVER (PARTITION BY h.id ORDER BY h.at), c.created_at + interval '6 days') AS until
            FROM cp_history h JOIN cp_created c ON c.id = h.id) s
   CROSS JOIN LATERAL generate_series(s.at, s.until - interval '1 minute', interval '1 minute') m;
CREATE INDEX ON cp_minutes (id, m);
ANALYZE cp_minutes;
-- the open time of the calendar from an instant to now(), day by day
CREATE FUNCTION pg_temp.cp_open_until_now(since timestamptz) RETURNS interval LANGUAGE sql AS $$
    SELECT coalesce(sum(greatest(interval '0',
                                 least(now(), (d + time '17:00') AT TIME ZONE 'Europe/Berlin')
                                 - greatest(since, (d + time '09:00') AT TIME ZONE 'Europe/Berlin'))), interval '0')
      FROM generate_series((since AT TIME ZONE 'Europe/Berlin')::date, (now() AT TIME ZONE 'Europe/Berlin')::date,
                           interval '1 day') g(day)
     CROSS JOIN LATERAL (SELECT g.day::date AS d) x
     WHERE extract(isodow FROM x.d) <= 5
$$;

CREATE TEMP TABLE cp_expected AS
  SELECT c.id, d.metric, w.cycle, w.started, w.stopped, w.unanswered,
         (SELECT count(*) FROM cp_minutes x
           WHERE x.id = c.id AND x.m >= w.started AND x.m < coalesce(w.stopped, c.created_at + interval '6 days')
             AND x.open AND NOT x.status = ANY (d.pauses)) * interval '1 minute'
         + CASE WHEN w.stopped IS NULL
                 AND NOT (SELECT h.status FROM cp_history h WHERE h.id = c.id ORDER BY h.at DESC LIMIT 1) = ANY (d.pauses)
                THEN pg_temp.cp_open_until_now(c.created_at + interval '6 days') ELSE interval '0' END AS elapsed
    FROM cp_created c
   CROSS JOIN (VALUES ('cp_reply', 'next_reply', '{pending}'::text[]),
                      ('cp_update', 'periodic_update', '{on_hold}')) d(metric, kind, pauses)
   CROSS JOIN LATERAL pg_temp.cp_walk(d.kind, c.id) w;
ALTER TABLE cp_expected ADD breached boolean;
UPDATE cp_expected SET breached = NOT unanswered AND elapsed > interval '2 hours';

-- the histories exercise the cases of the semantics
SELECT ok((SELECT count(*) FILTER (WHERE unanswered) > 0 AND count(*) FILTER (WHERE stopped IS NULL) > 0
                  AND count(*) FILTER (WHERE stopped IS NOT NULL AND NOT unanswered) > 0
             FROM cp_expected WHERE metric = 'cp_reply')
          AND (SELECT count(*) FILTER (WHERE stopped IS NULL) > 0 AND count(*) FILTER (WHERE stopped IS NOT NULL) > 0
                 FROM cp_expected WHERE metric = 'cp_update')
          AND (SELECT count(*) FILTER (WHERE cycle > 1) > 0 FROM cp_expected WHERE metric = 'cp_reply'),
          'reply cycles are answered, closed unanswered or running, some tickets have several; update cycles stop or run');
SELECT ok((SELECT count(*) FILTER (WHERE x.status IN ('solved', 'closed')) > 0
                  AND count(*) FILTER (WHERE x.status NOT IN ('solved', 'closed')
                                         AND EXISTS (SELECT FROM cp_messages a WHERE a.ticket_id = m.ticket_id AND a.at = m.at
                                                        AND a.public AND a.author = 'agent')) > 0
                  AND count(*) FILTER (WHERE EXISTS (SELECT FROM cp_history h WHERE h.id = m.ticket_id AND h.at = m.at)) > 0
             FROM cp_messages m JOIN cp_minutes x ON x.id = m.ticket_id AND x.m = m.at
            WHERE m.public AND m.author = 'customer')
          AND (SELECT count(*) FILTER (WHERE NOT public) > 0 AND count(*) FILTER (WHERE author = 'bot') > 0 FROM cp_messages)
          AND (SELECT count(*) > 0 FROM cp_created c WHERE c.status IN ('solved', 'closed')
                  AND EXISTS (SELECT FROM cp_messages m WHERE m.ticket_id = c.id)),
          'customers write while resolved, at the minute of an agent''s reply and of a status change; some messages do not count');
SELECT ok((SELECT count(*) FILTER (WHERE breached) > 0 AND count(*) FILTER (WHERE NOT breached AND NOT unanswered) > 0
             FROM cp_expected WHERE metric = 'cp_reply')
          AND (SELECT count(*) FILTER (WHERE breached) > 0 AND count(*) FILTER (WHERE NOT breached) > 0
                 FROM cp_expected WHERE metric = 'cp_update'),
          'some cycles of each metric are breached, others met');

-- every cycle the extension gives (one row per cycle), numbered per ticket
-- from its start
SELECT format('CREATE TEMP TABLE cp_rows AS SELECT * FROM (%s) r UNION ALL SELECT * FROM (%s) r',
              sla_private.metric_rows_sql(a, 'cp_reply'), sla_private.metric_rows_sql(a, 'cp_update'))
  FROM sla.attachments a WHERE a.tickets = 'cp.tickets'::regclass \gexec
CREATE TEMP TABLE cp_got AS
  SELECT r.ticket_id::integer AS id, r.metric,
         (row_number() OVER (PARTITION BY r.ticket_id, r.metric ORDER BY r.started_at))::integer AS cycle,
         r.started_at AS started, r.stopped_at AS stopped, r.state = 'closed_unanswered' AS unanswered, r.elapsed, r.state
    FROM cp_rows r;

SELECT bag_eq($$SELECT id, cycle, started, stopped, unanswered FROM cp_got WHERE metric = 'cp_reply'$$,
              $$SELECT id, cycle, started, stopped, unanswered FROM cp_expected WHERE metric = 'cp_reply'$$,
              'next-reply cycles: started by a customer, answered by an agent or closed unanswered by a resolution, as the walk says');
SELECT bag_eq($$SELECT id, cycle, started, stopped FROM cp_got WHERE metric = 'cp_update'$$,
              $$SELECT id, cycle, started, stopped FROM cp_expected WHERE metric = 'cp_update'$$,
              'periodic-update cycles: from each agent message to the next or to a resolution, as the walk says');
SELECT is((SELECT count(*) FROM cp_got WHERE metric = 'cp_update' AND unanswered), 0::bigint,
          'no periodic-update cycle is closed unanswered');
SELECT bag_eq($$SELECT id, started, elapsed FROM cp_got WHERE metric = 'cp_reply'$$,
              $$SELECT id, started, elapsed FROM cp_expected WHERE metric = 'cp_reply'$$,
              'each next-reply cycle''s elapsed time is its minutes open and not pending');
SELECT bag_eq($$SELECT id, started, elapsed FROM cp_got WHERE metric = 'cp_update'$$,
              $$SELECT id, started, elapsed FROM cp_expected WHERE metric = 'cp_update'$$,
              'each periodic-update cycle''s elapsed time is its minutes open and not on hold');

-- the SLA view: per ticket its cycles, breached cycles, and its last cycle
-- (number, start, closed unanswered or not)
CREATE TEMP TABLE cp_last AS
  SELECT c.id, d.metric, count(e.cycle)::integer AS cycles, (count(*) FILTER (WHERE e.breached))::integer AS breached_cycles,
         max(e.cycle) AS cycle, max(e.started) AS started,
         coalesce((array_agg(e.unanswered ORDER BY e.cycle DESC))[1], false) AS unanswered
    FROM cp_created c
   CROSS JOIN (VALUES ('cp_reply'), ('cp_update')) d(metric)
    LEFT JOIN cp_expected e ON e.id = c.id AND e.metric = d.metric
   GROUP BY c.id, d.metric;
SELECT bag_eq($$SELECT id, cp_reply_cycles, cp_reply_breached_cycles, cp_reply_cycle, cp_reply_started_at,
                       coalesce(cp_reply_state = 'closed_unanswered', false) FROM cp.tickets_sla$$,
              $$SELECT id, cycles, breached_cycles, cycle, started, unanswered FROM cp_last WHERE metric = 'cp_reply'$$,
              'the SLA view: next-reply cycles and breached cycles per ticket, the last cycle, closed unanswered when it was');
SELECT bag_eq($$SELECT id, cp_update_cycles, cp_update_breached_cycles, cp_update_cycle, cp_update_started_at,
                       coalesce(cp_update_state = 'closed_unanswered', false) FROM cp.tickets_sla$$,
              $$SELECT id, cycles, breached_cycles, cycle, started, unanswered FROM cp_last WHERE metric = 'cp_update'$$,
              'the SLA view: periodic-update cycles and breached cycles per ticket, the last cycle');

-- the compliance view counts every cycle once, the closed unanswered ones
-- apart
SELECT results_eq($$SELECT metric, sum(total)::bigint, sum(closed_unanswered)::bigint, sum(met)::bigint, sum(breached)::bigint
                      FROM cp.tickets_sla_compliance GROUP BY metric ORDER BY metric$$,
                  $$SELECT metric, count(*), count(*) FILTER (WHERE unanswered),
                           count(*) FILTER (WHERE stopped IS NOT NULL AND NOT unanswered AND NOT breached),
                           count(*) FILTER (WHERE breached)
                      FROM cp_expected GROUP BY metric ORDER BY metric$$,
                  'the compliance view: total, closed unanswered, met and breached cycles per metric');

-- percentiles: every answered next-reply cycle that stopped (all ranks, in
-- order) against the reference's elapsed times, sorted
SELECT is((SELECT array_agg(p.elapsed ORDER BY p.fraction)
             FROM sla.percentiles('cp.tickets_sla', 'cp_reply', '(,)',
                                  (SELECT array_agg((k - 0.5) / n)
                                     FROM (SELECT count(*) AS n FROM cp_expected
                                            WHERE metric = 'cp_reply' AND stopped IS NOT NULL AND NOT unanswered) c,
                                          generate_series(1, c.n) k)) p),
          (SELECT array_agg(elapsed ORDER BY elapsed) FROM cp_expected
            WHERE metric = 'cp_reply' AND stopped IS NOT NULL AND NOT unanswered),
          'percentiles rank the answered next-reply cycles that stopped, not the closed unanswered ones');

SELECT * FROM finish();
ROLLBACK;
