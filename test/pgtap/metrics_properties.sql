-- test/pgtap/metrics_properties.sql: metrics defined by statuses against a
-- reference written here.  Random status histories on whole minutes around
-- the European DST change (29 March 2026); the reference walks every minute
-- of each ticket's life, takes its status from the history, and counts the
-- minutes a clock runs: from its start (creation, or the first minute in a
-- start status) to the first minute from there on in a stop status, open in
-- the calendar (Mo-Fr 09:00-17:00 in Berlin, from the local time of the
-- minute) and not in a pause status of the metric.  With "cycles": "each",
-- each run of minutes outside the stop statuses is a cycle: each cycle's
-- elapsed time is its minutes open and not paused, and the cycles of a
-- ticket that never pauses add up to its business time outside the stop
-- statuses.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(10);
SET LOCAL TimeZone = 'Pacific/Chatham';
SELECT setseed(0.29);

INSERT INTO sla.calendars VALUES ('mp_office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, target, calendar)
SELECT 'mp ' || m, m, '1000 hours', 'mp_office' FROM unnest(ARRAY['mp_solve', 'mp_work', 'mp_wait', 'mp_each', 'mp_cycles']) m;

CREATE SCHEMA mp;
CREATE TABLE mp.tickets (id integer PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL);
SELECT sla.attach('mp.tickets', priority_column => NULL, paused_statuses => '{pending,on_hold}', metrics => '{
    "mp_solve": {"stop_statuses": ["resolved", "closed"]},
    "mp_wait":  {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["pending"]},
    "mp_work":  {"start_statuses": ["in_progress"], "stop_statuses": ["closed"], "pause_statuses": ["on_hold"]},
    "mp_each":  {"stop_statuses": ["resolved", "closed"], "pause_statuses": ["pending"], "cycles": "each"},
    "mp_cycles": {"stop_statuses": ["resolved", "closed"], "pause_statuses": [], "cycles": "each"}}');

-- 60 tickets created between 26 and 31 March, each with up to 9 changes on
-- distinct later minutes within 5 days, the last of them closing it
CREATE TEMP TABLE mp_created AS
  SELECT i AS id, timestamptz '2026-03-26 00:00+00' + floor(random() * 5 * 1440)::int * interval '1 minute' AS created_at
    FROM generate_series(1, 60) i;
CREATE TEMP TABLE mp_changes AS
  SELECT c.id, c.created_at + m * interval '1 minute' AS at,
         CASE WHEN m = max(m) OVER (PARTITION BY c.id) THEN 'closed'
              ELSE (ARRAY['open', 'pending', 'on_hold', 'in_progress', 'resolved', 'closed'])[1 + floor(random() * 6)::int] END AS status
    FROM mp_created c
   CROSS JOIN LATERAL (SELECT DISTINCT 1 + floor(random() * 5 * 1440)::int AS m
                         FROM generate_series(1, 1 + c.id % 9)) k;
INSERT INTO mp.tickets SELECT id, 'open', created_at FROM mp_created;
CREATE INDEX ON mp_changes (id, at);
SELECT count(*) AS imported FROM (SELECT sla.record_status('mp.tickets', c.id::text, c.at, c.status) FROM mp_changes c) x;

-- the reference: every minute of each ticket's first 6 days, its status
CREATE TEMP TABLE mp_minutes AS
  SELECT c.id, m,
         coalesce((SELECT h.status FROM mp_changes h WHERE h.id = c.id AND h.at <= m ORDER BY h.at DESC LIMIT 1), 'open') AS status,
         extract(isodow FROM m AT TIME ZONE 'Europe/Berlin') <= 5
           AND (m AT TIME ZONE 'Europe/Berlin')::time >= '09:00' AND (m AT TIME ZONE 'Europe/Berlin')::time < '17:00' AS open
    FROM mp_created c
   CROSS JOIN LATERAL generate_series(c.created_at, c.created_at + interval '6 days', interval '1 minute') m;
CREATE INDEX ON mp_minutes (id, m);
ANALYZE mp_minutes;
CREATE TEMP TABLE mp_expected AS
  SELECT c.id, d.metric, s.started, s.stopped,
         (SELECT count(*) FROM mp_minutes x
           WHERE x.id = c.id AND x.m >= s.started AND x.m < s.stopped AND x.open AND NOT x.status = ANY (d.pauses)) AS minutes
    FROM mp_created c
   CROSS JOIN (VALUES ('mp_solve', NULL::text[], '{resolved,closed}'::text[], '{pending,on_hold}'::text[]),
                      ('mp_wait', NULL, '{resolved,closed}', '{pending}'),
                      ('mp_work', '{in_progress}', '{closed}', '{on_hold}')) d(metric, starts, stops, pauses)
   CROSS JOIN LATERAL (SELECT coalesce((SELECT min(x.m) FROM mp_minutes x WHERE x.id = c.id AND x.status = ANY (d.starts)),
                                       CASE WHEN d.starts IS NULL THEN c.created_at END) AS started) a
   CROSS JOIN LATERAL (SELECT a.started,
                              (SELECT min(x.m) FROM mp_minutes x
                                WHERE x.id = c.id AND x.m >= a.started AND x.status = ANY (d.stops)) AS stopped) s;

SELECT is((SELECT count(*) FROM mp_expected WHERE stopped IS NOT NULL AND metric <> 'mp_work'), 120::bigint,
          'every ticket is closed within the minutes walked (the reference sees every stop)');
SELECT ok((SELECT count(*) FROM mp_expected WHERE metric = 'mp_work' AND started IS NULL) BETWEEN 1 AND 59,
          'some tickets never enter the start status, the others do');

CREATE TEMP TABLE mp_view AS
  SELECT v.id, m.metric, m.started, m.elapsed, m.state
    FROM mp.tickets_sla v
   CROSS JOIN LATERAL (VALUES ('mp_solve', v.mp_solve_started_at, v.mp_solve_elapsed, v.mp_solve_state),
                              ('mp_wait', v.mp_wait_started_at, v.mp_wait_elapsed, v.mp_wait_state),
                              ('mp_work', v.mp_work_started_at, v.mp_work_elapsed, v.mp_work_state)) m(metric, started, elapsed, state);

SELECT is((SELECT count(*) FROM mp_expected e JOIN mp_view v USING (id, metric)
            WHERE v.started IS NOT DISTINCT FROM e.started), 180::bigint,
          'each clock starts where the reference says (creation, or the first minute in a start status)');
SELECT is((SELECT count(*) FROM mp_expected e JOIN mp_view v USING (id, metric)
            WHERE e.started IS NOT NULL AND v.elapsed = e.minutes * interval '1 minute'), 
          (SELECT count(*) FROM mp_expected WHERE started IS NOT NULL),
          'each started clock''s elapsed business time is the reference''s minutes open, not paused, from start to stop');
SELECT is((SELECT count(*) FROM mp_expected e JOIN mp_view v USING (id, metric)
            WHERE e.started IS NULL AND v.state IS NULL AND v.elapsed IS NULL),
          (SELECT count(*) FROM mp_expected WHERE started IS NULL),
          'a clock that never started has no state');
-- the compliance view sees the same stopped clocks
SELECT is((SELECT sum(stopped)::bigint FROM mp.tickets_sla_compliance WHERE metric IN ('mp_solve', 'mp_wait', 'mp_work')),
          (SELECT count(*) FROM mp_expected WHERE started IS NOT NULL AND stopped IS NOT NULL),
          'the compliance view counts each stopped clock once');

-- cycles: the runs of minutes outside resolved and closed (islands of
-- consecutive minutes), each with its minutes open, open and not pending
CREATE TEMP TABLE mp_cycles AS
  SELECT id, min(m) AS started, max(m) + interval '1 minute' AS stopped,
         count(*) FILTER (WHERE open) AS open_minutes,
         count(*) FILTER (WHERE open AND status <> 'pending') AS unpaused_minutes
    FROM (SELECT x.*, x.m - row_number() OVER (PARTITION BY x.id ORDER BY x.m) * interval '1 minute' AS island
            FROM mp_minutes x WHERE x.status NOT IN ('resolved', 'closed')) k
   GROUP BY id, island;
SELECT ok((SELECT count(*) FROM mp_cycles) > (SELECT count(*) FROM mp_created),
          'some tickets are reopened (more cycles than tickets)');
SELECT is((SELECT sum(stopped)::bigint FROM mp.tickets_sla_compliance WHERE metric = 'mp_each'),
          (SELECT count(*) FROM mp_cycles), 'the compliance view counts every cycle');
-- every cycle's elapsed time (all ranks of sla.percentiles, in order)
-- against the reference's, sorted
SELECT is((SELECT array_agg(p.elapsed ORDER BY p.fraction)
             FROM sla.percentiles('mp.tickets_sla', 'mp_each', '(,)',
                                  (SELECT array_agg((k - 0.5) / n) FROM (SELECT count(*) AS n FROM mp_cycles) c,
                                          generate_series(1, c.n) k)) p),
          (SELECT array_agg(unpaused_minutes * interval '1 minute' ORDER BY unpaused_minutes) FROM mp_cycles),
          'each cycle''s elapsed time is its minutes open and not paused');
-- per ticket, the cycles of a clock that never pauses add up to the
-- business time spent outside the stop statuses
SELECT format('CREATE TEMP TABLE mp_cycle_rows AS SELECT * FROM (%s) r', sla_private.metric_rows_sql(a, 'mp_cycles'))
  FROM sla.attachments a WHERE a.tickets = 'mp.tickets'::regclass \gexec
SELECT is((SELECT count(*) FROM (SELECT ticket_id, sum(elapsed) AS elapsed FROM mp_cycle_rows GROUP BY ticket_id) r
             JOIN (SELECT id::text AS ticket_id, sum(open_minutes) * interval '1 minute' AS elapsed FROM mp_cycles GROUP BY id) e
            USING (ticket_id, elapsed)),
          60::bigint, 'a ticket''s cycles add up to its business time outside the stop statuses');

SELECT * FROM finish();
ROLLBACK;
