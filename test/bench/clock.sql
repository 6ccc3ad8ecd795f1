-- test/bench/clock.sql: SLA clock speed as ratios against baselines in the
-- same run (issue: SLA clocks, section 5).
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';
CREATE EXTENSION IF NOT EXISTS sla;
DROP SCHEMA IF EXISTS bench_clock CASCADE;
CREATE SCHEMA bench_clock;

-- 1M tickets with 0-3 pauses of a few hours each
CREATE TABLE bench_clock.tickets AS
  SELECT i AS id, s AS started_at, make_interval(hours => 1 + (i % 40)) AS target,
         CASE i % 4
           WHEN 0 THEN '{}'::tstzmultirange
           WHEN 1 THEN tstzmultirange(tstzrange(s + interval '1 hour', s + interval '3 hours'))
           WHEN 2 THEN tstzmultirange(tstzrange(s + interval '1 hour', s + interval '3 hours'),
                                      tstzrange(s + interval '20 hours', s + interval '30 hours'))
           ELSE tstzmultirange(tstzrange(s + interval '1 hour', s + interval '3 hours'),
                               tstzrange(s + interval '20 hours', s + interval '30 hours'),
                               tstzrange(s + interval '50 hours', s + interval '60 hours'))
         END AS paused
    FROM (SELECT i, timestamptz '2026-01-01 00:00+00' + random() * interval '700 days' AS s
            FROM generate_series(1, 1000000) i) x;
-- 5M status rows: five changes for each of 1M tickets
CREATE TABLE bench_clock.history AS
  SELECT t AS ticket_id, timestamptz '2026-01-01' + t * interval '1 minute' + k * interval '3 hours' AS changed_at,
         (ARRAY['open', 'pending', 'open', 'on_hold', 'solved'])[k] AS status
    FROM generate_series(1, 1000000) t, generate_series(1, 5) k;
ANALYZE bench_clock.tickets;
ANALYZE bench_clock.history;

\ir timing.sql

CREATE TEMP TABLE results (name text, ms float8);
INSERT INTO results VALUES
 ('business_add alone', pg_temp.time_ms($q$
    SELECT max(sla.business_add(started_at, target, sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin'), paused))
      FROM bench_clock.tickets$q$)),
 ('evaluate in a LATERAL join', pg_temp.time_ms($q$
    SELECT max(r.due_at), count(*) FILTER (WHERE r.state = 'breached')
      FROM bench_clock.tickets t
     CROSS JOIN LATERAL sla.evaluate(t.started_at, t.target, sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin'),
                                     paused => t.paused, as_of => '2027-06-01') r$q$)),
 ('evaluate, one call per row in a subquery', pg_temp.time_ms($q$
    SELECT max((x.r).due_at), count(*) FILTER (WHERE (x.r).state = 'breached')
      FROM bench_clock.tickets t
     CROSS JOIN LATERAL (SELECT sla.evaluate(t.started_at, t.target, sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin'),
                                             paused => t.paused, as_of => '2027-06-01') AS r OFFSET 0) x$q$)),
 ('range_agg over lead()', pg_temp.time_ms($q$
    SELECT count(p) FROM (
      SELECT ticket_id, range_agg(tstzrange(changed_at, next_at)) FILTER (WHERE paused) AS p
        FROM (SELECT ticket_id, changed_at, status IN ('pending', 'on_hold') AS paused,
                     lead(changed_at) OVER (PARTITION BY ticket_id ORDER BY changed_at) AS next_at
                FROM bench_clock.history) x
       GROUP BY ticket_id) y$q$)),
 ('sla.pauses ORDER BY changed_at', pg_temp.time_ms($q$
    SELECT count(p) FROM (
      SELECT ticket_id, sla.pauses(changed_at, status IN ('pending', 'on_hold') ORDER BY changed_at) AS p
        FROM bench_clock.history GROUP BY ticket_id) y$q$)),
 ('sla.pauses (rows in any order)', pg_temp.time_ms($q$
    SELECT count(p) FROM (
      SELECT ticket_id, sla.pauses(changed_at, status IN ('pending', 'on_hold')) AS p
        FROM bench_clock.history GROUP BY ticket_id) y$q$));

SELECT name, round(ms::numeric, 1) AS ms FROM results;
WITH v AS (SELECT (SELECT ms FROM results WHERE name = 'business_add alone') AS add_ms,
                  (SELECT ms FROM results WHERE name = 'evaluate in a LATERAL join') AS evaluate_ms,
                  (SELECT ms FROM results WHERE name = 'evaluate, one call per row in a subquery') AS subquery_ms,
                  (SELECT ms FROM results WHERE name = 'range_agg over lead()') AS lead_ms,
                  (SELECT ms FROM results WHERE name = 'sla.pauses ORDER BY changed_at') AS ordered_ms,
                  (SELECT ms FROM results WHERE name = 'sla.pauses (rows in any order)') AS any_order_ms)
SELECT ratio, round(measured::numeric, 2) AS measured, target FROM v, LATERAL (VALUES
    ('evaluate in a LATERAL join (a custom scan) / business_add, 1M tickets with 0-3 pauses', evaluate_ms / add_ms, 'within 3x'),
    ('evaluate in a LATERAL subquery (no function scan) / business_add', subquery_ms / add_ms, 'for reference'),
    ('sla.pauses ORDER BY / range_agg over lead(), 5M rows', ordered_ms / lead_ms, 'within 2x'),
    ('sla.pauses without ORDER BY / range_agg over lead()', any_order_ms / lead_ms, 'within 2x')) AS x(ratio, measured, target);
DROP SCHEMA bench_clock CASCADE;
