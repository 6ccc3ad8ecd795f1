-- test/bench/business_add.sql: the core engine's speed, as ratios against
-- baselines measured in the same run (issue: core engine, section 3).
-- Run with tools/run-bench (or psql -f against a database with sla).
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE EXTENSION IF NOT EXISTS sla;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- 1M rows of (ts, iv): instants over two years, amounts of 1 to 40 hours
CREATE TABLE bench.t AS
  SELECT timestamptz '2026-01-01 00:00+00' + random() * interval '730 days' AS ts,
         make_interval(mins => 60 + (random() * 39 * 60)::int) AS iv,
         make_interval(hours => 2000) AS long_iv,
         (i % 4) AS cal_id
    FROM generate_series(1, 1000000) i;
ANALYZE bench.t;

-- the Berlin office calendar with 20 holidays over two years
CREATE TABLE bench.holidays AS
  SELECT array_agg(d::date ORDER BY d) AS days
    FROM unnest(ARRAY['2026-01-01','2026-04-03','2026-04-06','2026-05-01','2026-05-14',
                      '2026-05-25','2026-10-03','2026-12-24','2026-12-25','2026-12-26',
                      '2027-01-01','2027-03-26','2027-03-29','2027-05-01','2027-05-06',
                      '2027-05-17','2027-10-03','2027-12-24','2027-12-25','2027-12-26']) d;
CREATE TABLE bench.calendars AS
  SELECT id, sla.calendar(rules, zone, (SELECT days FROM bench.holidays)) AS cal
    FROM (VALUES (0, 'Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin'),
                 (1, 'Mo-Fr 08:00-18:00', 'America/New_York'),
                 (2, 'Mo-Sa 09:00-17:00; PH off', 'Asia/Kolkata'),
                 (3, 'Mo-Fr 09:00-17:30', 'Australia/Sydney')) v(id, rules, zone);
-- the same rows with their calendar stored in the row: per-row calendars without the join
CREATE TABLE bench.t_cal AS SELECT t.ts, t.iv, c.cal FROM bench.t t JOIN bench.calendars c ON c.id = t.cal_id;
ANALYZE bench.t_cal;
-- 100 distinct calendars (per-customer hours in five zones, the same
-- holidays), stored in the rows in random order: more than any small cache holds
CREATE TABLE bench.calendars100 AS
  SELECT id, sla.calendar(format('Mo-Fr %s-%s', to_char(time '07:00' + (id % 20) * interval '6 minutes', 'HH24:MI'),
                                 to_char(time '16:00' + (id % 20) * interval '9 minutes', 'HH24:MI')),
                          (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'])[1 + id / 20],
                          (SELECT days FROM bench.holidays)) AS cal
    FROM generate_series(0, 99) id;
ALTER TABLE bench.calendars100 ADD PRIMARY KEY (id);
-- in bench.t's order (a join could group the rows by calendar): consecutive
-- rows almost never share a calendar
CREATE TABLE bench.t_cal100 AS
  SELECT t.ts, t.iv, (SELECT c.cal FROM bench.calendars100 c
                       WHERE c.id = ((extract(epoch FROM t.ts) * 1000000)::bigint % 100)::int) AS cal
    FROM bench.t t;
ANALYZE bench.t_cal100;

-- The usual hand-written PL/pgSQL: walk day by day through the local
-- calendar, adding each day's open hours (the baseline to beat 50x).
CREATE FUNCTION bench.plpgsql_business_add(start timestamptz, amount interval, holidays date[])
RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
    zone constant text := 'Europe/Berlin';
    local_start timestamp := start AT TIME ZONE zone;
    day date := local_start::date;
    remaining interval := amount;
    span record;
    from_t timestamp;
    to_t timestamp;
BEGIN
    LOOP
        IF extract(isodow FROM day) <= 5 AND NOT day = ANY (holidays) THEN
            FOR span IN SELECT * FROM (VALUES (time '09:00', time '12:00'), (time '13:00', time '17:00')) s(a, b) LOOP
                from_t := greatest(day + span.a, local_start);
                to_t := day + span.b;
                CONTINUE WHEN to_t <= from_t;
                IF (to_t AT TIME ZONE zone) - (from_t AT TIME ZONE zone) >= remaining THEN
                    RETURN (from_t AT TIME ZONE zone) + remaining;
                END IF;
                remaining := remaining - ((to_t AT TIME ZONE zone) - (from_t AT TIME ZONE zone));
            END LOOP;
        END IF;
        day := day + 1;
    END LOOP;
END $$;

\ir timing.sql

CREATE TEMP TABLE results (name text, ms float8, rows bigint);
INSERT INTO results VALUES
 ('ts + iv', pg_temp.time_ms('SELECT max(ts + iv) FROM bench.t'), 1000000),
 ('business_add, constant calendar', pg_temp.time_ms(
    $q$SELECT max(sla.business_add(ts, iv, sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin',
        '{2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03,2026-12-24,2026-12-25,2026-12-26,2027-01-01,2027-03-26,2027-03-29,2027-05-01,2027-05-06,2027-05-17,2027-10-03,2027-12-24,2027-12-25,2027-12-26}')))
      FROM bench.t$q$), 1000000),
 ('business_add, calendar joined per row', pg_temp.time_ms(
    'SELECT max(sla.business_add(t.ts, t.iv, c.cal)) FROM bench.t t JOIN bench.calendars c ON c.id = t.cal_id'), 1000000),
 ('join alone (ts + iv)', pg_temp.time_ms(
    'SELECT max(t.ts + t.iv) FROM bench.t t JOIN bench.calendars c ON c.id = t.cal_id'), 1000000),
 ('ts + iv, rows with their calendar', pg_temp.time_ms('SELECT max(ts + iv) FROM bench.t_cal'), 1000000),
 ('business_add, calendar stored per row', pg_temp.time_ms(
    'SELECT max(sla.business_add(ts, iv, cal)) FROM bench.t_cal'), 1000000),
 ('ts + iv, rows with one of 100 calendars', pg_temp.time_ms('SELECT max(ts + iv) FROM bench.t_cal100'), 1000000),
 ('business_add, 100 calendars stored per row', pg_temp.time_ms(
    'SELECT max(sla.business_add(ts, iv, cal)) FROM bench.t_cal100'), 1000000),
 ('business_add, 2000-hour amounts', pg_temp.time_ms(
    $q$SELECT max(sla.business_add(ts, long_iv, sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin',
        '{2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03,2026-12-24,2026-12-25,2026-12-26,2027-01-01,2027-03-26,2027-03-29,2027-05-01,2027-05-06,2027-05-17,2027-10-03,2027-12-24,2027-12-25,2027-12-26}')))
      FROM bench.t$q$), 1000000),
 ('PL/pgSQL day loop (first 20000 rows)', pg_temp.time_ms(
    'SELECT max(bench.plpgsql_business_add(ts, iv, (SELECT days FROM bench.holidays))) FROM (SELECT * FROM bench.t LIMIT 20000) s'), 20000),
 ('business_add (first 20000 rows)', pg_temp.time_ms(
    $q$SELECT max(sla.business_add(ts, iv, sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin',
        '{2026-01-01,2026-04-03,2026-04-06,2026-05-01,2026-05-14,2026-05-25,2026-10-03,2026-12-24,2026-12-25,2026-12-26,2027-01-01,2027-03-26,2027-03-29,2027-05-01,2027-05-06,2027-05-17,2027-10-03,2027-12-24,2027-12-25,2027-12-26}')))
      FROM (SELECT * FROM bench.t LIMIT 20000) s$q$), 20000);

-- the PL/pgSQL baseline must agree with the extension on the rows it times
SELECT count(*) AS disagreements_with_plpgsql
  FROM (SELECT * FROM bench.t LIMIT 2000) s
 WHERE bench.plpgsql_business_add(ts, iv, (SELECT days FROM bench.holidays))
       <> sla.business_add(ts, iv, (SELECT cal FROM bench.calendars WHERE id = 0));

SELECT count(*) FILTER (WHERE cal OPERATOR(sla.<>) previous) AS calendar_changes_between_rows_of_1m
  FROM (SELECT cal, lag(cal) OVER () AS previous FROM bench.t_cal100) x;

SELECT name, round(ms::numeric, 1) AS ms, round((ms * 1e6 / rows)::numeric, 1) AS ns_per_row FROM results;

WITH r AS (SELECT name, ms / rows AS per_row FROM results),
     v AS (SELECT (SELECT per_row FROM r WHERE name = 'ts + iv') AS base,
                  (SELECT per_row FROM r WHERE name = 'business_add, constant calendar') AS constant,
                  (SELECT per_row FROM r WHERE name = 'join alone (ts + iv)') AS join_base,
                  (SELECT per_row FROM r WHERE name = 'business_add, calendar joined per row') AS joined,
                  (SELECT per_row FROM r WHERE name = 'business_add, calendar stored per row') AS stored,
                  (SELECT per_row FROM r WHERE name = 'ts + iv, rows with their calendar') AS stored_base,
                  (SELECT per_row FROM r WHERE name = 'business_add, 100 calendars stored per row') AS stored100,
                  (SELECT per_row FROM r WHERE name = 'ts + iv, rows with one of 100 calendars') AS stored100_base,
                  (SELECT per_row FROM r WHERE name = 'business_add, 2000-hour amounts') AS long_amounts,
                  (SELECT per_row FROM r WHERE name = 'PL/pgSQL day loop (first 20000 rows)') AS plpgsql,
                  (SELECT per_row FROM r WHERE name = 'business_add (first 20000 rows)') AS small)
SELECT ratio, round(measured::numeric, 2) AS measured, target FROM v, LATERAL (VALUES
    ('business_add / (ts + iv), constant calendar', constant / base, 'within 2x'),
    ('business_add / (ts + iv), both over the calendar join', joined / join_base, 'within 2x'),
    ('per-row calendars (4 kinds in the rows): business_add / (ts + iv)', stored / stored_base, 'within 2x'),
    ('that ratio / the constant calendar''s ratio', (stored / stored_base) / (constant / base), 'within 1.5x'),
    ('100 calendars in the rows: business_add / (ts + iv), over the constant calendar''s ratio',
     (stored100 / stored100_base) / (constant / base), 'within 1.5x'),
    ('joined business_add / constant business_add (the join included)', joined / constant, 'for reference'),
    ('2000-hour / 1-40-hour amounts', long_amounts / constant, 'within 1.3x'),
    ('PL/pgSQL day loop / business_add, per row', plpgsql / small, 'at least 50x')) AS x(ratio, measured, target);
DROP SCHEMA bench CASCADE;
