-- test/pgtap/clock_properties.sql: properties of sla.evaluate and sla.pauses over generated
-- tickets.  The references are written here: business_add and business_time
-- (tested against a minute walk in properties.sql) for due_at and elapsed,
-- and a plain lead() window for the pauses.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(9);
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

SELECT * FROM finish();
ROLLBACK;
