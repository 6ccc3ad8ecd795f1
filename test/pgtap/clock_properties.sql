-- test/pgtap/clock_properties.sql: properties of sla.evaluate and sla.pauses over generated
-- tickets.  The references are written here: business_add and business_time
-- (tested against a minute walk in properties.sql) for due_at and elapsed,
-- and a plain lead() window for the pauses.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(14);
SET LOCAL TimeZone = 'America/Sao_Paulo';
SELECT setseed(0.42);

CREATE TEMP TABLE cal AS SELECT sla.calendar('Mo-Fr 09:00-12:00,13:00-17:30; Sa 10:00-12:00', 'Europe/Berlin', '{2026-10-26}') AS c;
CREATE TEMP TABLE tickets AS
  SELECT i AS id,
         timestamptz '2026-10-19 00:00+00' + random() * interval '14 days' AS started_at,
         make_interval(mins => 30 + (random() * 20 * 60)::int) AS target,
         random() < 0.5 AS with_pause
    FROM generate_series(1, 2000) i;
CREATE TEMP TABLE cases AS
  SELECT t.*, CASE WHEN with_pause
                   THEN tstzmultirange(tstzrange(started_at + interval '2 hours', started_at + interval '30 hours'))
                   ELSE '{}' END AS paused
    FROM tickets t;

SELECT is((SELECT count(*) FROM cases, cal, LATERAL sla.evaluate(started_at, target, c, paused => paused, as_of => started_at + interval '3 days') r
            WHERE r.due_at IS DISTINCT FROM sla.business_add(started_at, target, c, paused)),
          0::bigint, 'due_at is business_add of the same inputs');

SELECT is((SELECT count(*) FROM cases, cal, LATERAL sla.evaluate(started_at, target, c, paused => paused, as_of => started_at + interval '3 days') r
            WHERE r.elapsed IS DISTINCT FROM sla.business_time(started_at, started_at + interval '3 days', c, paused)),
          0::bigint, 'elapsed is business_time from start to as_of');

SELECT is((SELECT count(*) FROM cases, cal, LATERAL sla.evaluate(started_at, target, c, paused => paused, as_of => started_at + interval '3 days') r
            WHERE r.remaining + r.elapsed <> target
               OR abs(r.used - extract(epoch FROM r.elapsed) / extract(epoch FROM target)) > 1e-12),
          0::bigint, 'remaining = target - elapsed and used = elapsed / target');

SELECT is((SELECT count(*) FROM cases, cal,
                  LATERAL sla.evaluate(started_at, target, c, stopped_at => sla.business_add(started_at, target, c, paused),
                                       paused => paused, as_of => 'infinity') r
            WHERE r.state <> 'met'),
          0::bigint, 'a ticket stopped at its due time is met');

-- breach is decided by the deadline instant, open or not: a deadline at a
-- closing is breached just after it, not at the next opening
SELECT is((SELECT count(*) FROM cases, cal,
                  LATERAL sla.evaluate(started_at, target, c,
                                       stopped_at => sla.business_add(started_at, target, c, paused) + interval '1 microsecond',
                                       paused => paused, as_of => 'infinity') r
            WHERE r.state <> 'breached'),
          0::bigint, 'one microsecond later it is breached (a deadline at a closing too)');

-- the state rules, recomputed from the deadline (business_add), used and the pauses
SELECT is((SELECT count(*) FROM cases, cal,
                  LATERAL (SELECT started_at + random() * interval '4 days' AS as_of) a,
                  LATERAL sla.evaluate(started_at, target, c, paused => paused, as_of => a.as_of) r
            WHERE r.state <> CASE WHEN a.as_of > sla.business_add(started_at, target, c, paused) THEN 'breached'
                                  WHEN paused @> a.as_of THEN 'paused'
                                  WHEN r.used >= 0.75 THEN 'at_risk'
                                  ELSE 'running' END::sla.state),
          0::bigint, 'running, at_risk, paused and breached follow the deadline, used and the pauses');

-- a still-open pause: the deadline moves later while the ticket waits
SELECT is((SELECT count(*) FROM cases, cal,
                  LATERAL sla.evaluate(started_at, target, c, paused => tstzmultirange(tstzrange(started_at, NULL)),
                                       as_of => started_at + interval '2 days') r
            WHERE r.due_at <> sla.business_add(started_at + interval '2 days', target, c)
               OR r.elapsed <> '0' OR r.state <> 'paused'),
          0::bigint, 'an open pause from the start: nothing used, due counted from as_of');

-- sla.pauses against range_agg over lead(), on random status histories
CREATE TEMP TABLE history AS
  SELECT t, timestamptz '2026-11-01' + k * interval '1 hour' + (random() * 59)::int * interval '1 minute' AS changed_at,
         (ARRAY['open', 'pending', 'on_hold', 'solved'])[1 + (random() * 3)::int] AS status
    FROM generate_series(1, 300) t, generate_series(1, 8) k;
SELECT is((SELECT count(*) FROM (
             SELECT t, sla.pauses(changed_at, status IN ('pending', 'on_hold') ORDER BY changed_at) AS got
               FROM history GROUP BY t) g
           JOIN (SELECT t, coalesce(range_agg(tstzrange(changed_at, next_at)) FILTER (WHERE paused AND (next_at IS NULL OR next_at > changed_at)), '{}') AS want
                   FROM (SELECT t, changed_at, status IN ('pending', 'on_hold') AS paused,
                                lead(changed_at) OVER (PARTITION BY t ORDER BY changed_at, status) AS next_at
                           FROM history) x
                  GROUP BY t) w USING (t)
          WHERE got <> want),
          0::bigint, 'sla.pauses equals range_agg of paused rows up to the next row');
SELECT is((SELECT count(*) FROM (
             SELECT t, sla.pauses(changed_at, status IN ('pending', 'on_hold')) AS unordered,
                       sla.pauses(changed_at, status IN ('pending', 'on_hold') ORDER BY changed_at) AS ordered
               FROM (SELECT * FROM history ORDER BY random()) h GROUP BY t) g
          WHERE unordered <> ordered),
          0::bigint, 'sla.pauses does not depend on the order of its input rows');

-- sla.evaluate in FROM is scanned without a tuplestore (src/evaluate_scan.c,
-- once the library is loaded, as it is here): the same rows as the call in a
-- select list, a NULL call giving one row of NULLs, lateral and not, with a
-- qual on its columns, and in parallel workers
CREATE TEMP TABLE sparse AS
  SELECT id, CASE WHEN id % 7 <> 0 THEN started_at END AS started_at, CASE WHEN id % 11 <> 0 THEN target END AS target,
         paused, CASE WHEN id % 3 = 0 THEN started_at + interval '20 hours' END AS stopped_at
    FROM cases;
\ir include/plan_of.sql
SELECT matches(pg_temp.plan_of($$SELECT r.* FROM sparse t, cal, LATERAL sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days') r$$),
               'Custom Scan \(sla\.evaluate\).*Function Call: sla\.evaluate\(t\.started_at, t\.target, cal\.c',
               'sla.evaluate in a LATERAL join is a custom scan, not a function scan, and EXPLAIN shows its call');
SELECT is((SELECT count(*) FROM (
             SELECT t.id, r.* FROM sparse t, cal, LATERAL sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days') r
             EXCEPT ALL
             SELECT t.id, (sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days')).* FROM sparse t, cal) d)
          + abs((SELECT count(*) FROM sparse t, cal, LATERAL sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days') r)
                - (SELECT count(*) FROM sparse)),
          0::bigint, 'its rows are those of the call in a select list, one per ticket, NULLs for a NULL call');
SELECT is((SELECT count(*) FROM sparse t, cal, LATERAL sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days') r
            WHERE r.state = 'breached'),
          (SELECT count(*) FROM sparse t, cal
            WHERE (sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days')).state = 'breached'),
          'a condition on its columns filters as on the call''s');
SELECT is((SELECT r.due_at FROM sla.evaluate('2026-11-02 10:00+00', interval '4 hours', sla.calendar('Mo-Fr 09:00-17:00', 'UTC')) r),
          timestamptz '2026-11-02 14:00+00', 'without lateral references: Monday 10:00 plus 4 business hours is 14:00');
CREATE TABLE clock_sparse AS SELECT * FROM sparse;   -- parallel workers read no temporary table
CREATE TABLE clock_cal AS SELECT * FROM cal;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SELECT is((SELECT count(*) FILTER (WHERE r.state = 'breached') || ' ' || count(*) FROM clock_sparse t, clock_cal cal,
             LATERAL sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days') r),
          (SELECT count(*) FILTER (WHERE state = 'breached') || ' ' || count(*) FROM sparse t, cal,
             LATERAL (SELECT (sla.evaluate(t.started_at, t.target, cal.c, t.stopped_at, t.paused, t.started_at + interval '3 days')).*) x),
          'in parallel workers too');

SELECT * FROM finish();
ROLLBACK;
