-- test/pgtap/bounded.sql: pathological calendars parse and compute in bounded
-- time and memory, and statement_timeout cancels a long call promptly.
--
-- Expected values are worked out here from the rule semantics (UTC
-- calendars, so that a day is 1440 minutes): spaced one-minute spans, a
-- hundred years of holidays, a calendar open one minute a year, 10,000
-- rules.  Each heavy call is timed with clock_timestamp(); the limits are
-- about ten times what a laptop needs, far below what an unbounded walk
-- would take (minutes to hours).
--
-- statement_timeout: PL/pgSQL's WHEN OTHERS (and so throws_ok) does not
-- catch query_canceled, so bounded.timed() catches it by name and returns
-- the SQLSTATE and the time the call ran.  The calendars are built
-- beforehand, so that the timed statement is the long call alone.
--
-- Run: pg_prove --verbose test/pgtap/bounded.sql

BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sla;
SET LOCAL TimeZone = 'UTC';

SELECT plan(39);

CREATE SCHEMA bounded;

-- Run a query; return its SQLSTATE ('00000' when it succeeded) and how
-- long it ran.  Only cancellation and the errors named here are caught.
CREATE FUNCTION bounded.timed(query text, OUT state text, OUT took interval, OUT result text) LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    state := '00000';
    BEGIN
        EXECUTE query INTO result;
    EXCEPTION
        WHEN query_canceled OR program_limit_exceeded OR datetime_field_overflow THEN
            state := SQLSTATE;
    END;
    took := clock_timestamp() - t0;
END $$;

-- Rules text of one-minute spans starting at the given minutes of the day.
CREATE FUNCTION bounded.minute_spans(starts int[]) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(format('%s:%s-%s:%s', lpad((m / 60)::text, 2, '0'), lpad((m % 60)::text, 2, '0'),
                             lpad(((m + 1) / 60)::text, 2, '0'), lpad(((m + 1) % 60)::text, 2, '0')),
                      ',' ORDER BY o)
      FROM unnest(starts) WITH ORDINALITY u(m, o)
$$;

CREATE TABLE bounded.memory_before AS SELECT sum(total_bytes) AS bytes FROM pg_backend_memory_contexts;

---------------------------------------------------------------------------
-- 1. Thousands of one-minute spans
---------------------------------------------------------------------------
-- 720 spans a day, every day: open the even minutes 00:00-00:01, 00:02-00:03, ...
CREATE TABLE bounded.spaced AS
    SELECT 'Mo-Su ' || bounded.minute_spans(array(SELECT generate_series(0, 1438, 2))) AS rules;
-- 1440 touching spans a day: they merge into one open week, that is 24/7
CREATE TABLE bounded.touching AS
    SELECT 'Mo-Su ' || bounded.minute_spans(array(SELECT generate_series(0, 1439))) AS rules;

SELECT cmp_ok((bounded.timed(format('SELECT sla.calendar(%L)', rules))).took, '<', interval '2 seconds',
              '720 one-minute spans a day parse in bounded time')
  FROM bounded.spaced;
CREATE TABLE bounded.cal AS
    SELECT 'spaced' AS name, sla.calendar(rules) AS c FROM bounded.spaced
    UNION ALL SELECT 'touching', sla.calendar(rules) FROM bounded.touching;

SELECT is(sla.business_time('2026-01-01', '2027-01-01', c), interval '4380:00:00',
          '720 one-minute spans a day: a year of 365 days has 365 * 720 minutes open')
  FROM bounded.cal WHERE name = 'spaced';
-- 6000 minutes = 8 days of 720 minutes, then 240 spans: the 240th ends at minute 2 * 239 + 1 = 07:59
SELECT is(sla.business_add('2026-01-01', '6000 minutes', c), timestamptz '2026-01-09 07:59+00',
          '720 one-minute spans a day: 6000 minutes end with the 240th span of the ninth day')
  FROM bounded.cal WHERE name = 'spaced';
SELECT is(sla.business_add('2026-01-09 07:59+00', '-6000 minutes', c), timestamptz '2026-01-01 00:00+00',
          '720 one-minute spans a day: and back again')
  FROM bounded.cal WHERE name = 'spaced';
CREATE TABLE bounded.run AS
    SELECT 'spaced ten years' AS name, r.*
      FROM bounded.cal, bounded.timed(format('SELECT sla.business_time(%L, %L, %L::sla.calendar)', '2026-01-01', '2036-01-01', c)) r
     WHERE cal.name = 'spaced';
SELECT cmp_ok(took, '<', interval '5 seconds', '720 one-minute spans a day: ten years of them in bounded time')
  FROM bounded.run WHERE name = 'spaced ten years';
SELECT is(result::interval, make_interval(mins => 720 * (date '2036-01-01' - date '2026-01-01')),
          '720 one-minute spans a day: ten years have 720 minutes a day open')
  FROM bounded.run WHERE name = 'spaced ten years';
SELECT is(sla.business_time('2026-03-01', '2026-04-01', c), interval '744:00:00',
          '1440 touching one-minute spans merge: March is open all its 744 hours')
  FROM bounded.cal WHERE name = 'touching';
SELECT is(sla.next_close('2026-03-01 12:34:56+00', c), 'infinity'::timestamptz,
          '1440 touching one-minute spans merge: the calendar never closes')
  FROM bounded.cal WHERE name = 'touching';
SELECT is(sla.open_windows('[2026-03-01 00:00:30+00, 2026-03-01 00:03:30+00)', c),
          '{["2026-03-01 00:00:30+00","2026-03-01 00:01:00+00"),["2026-03-01 00:02:00+00","2026-03-01 00:03:00+00")}'::tstzmultirange,
          'spaced spans: open_windows clips the first and keeps them apart')
  FROM bounded.cal WHERE name = 'spaced';

---------------------------------------------------------------------------
-- 2. A hundred years of holidays
---------------------------------------------------------------------------
CREATE TABLE bounded.century AS
    SELECT array_agg(d::date ORDER BY d) AS every_day,
           array_agg(d::date ORDER BY d) FILTER (WHERE (d::date - date '2000-01-01') % 2 = 0) AS every_other_day
      FROM generate_series(date '2000-01-01', date '2099-12-31', interval '1 day') d;
SELECT is(cardinality(every_day), 36525, 'the century 2000-2099 has 36,525 days') FROM bounded.century;
SELECT cmp_ok((bounded.timed(format('SELECT sla.calendar(%L, %L, %L::date[])', 'Mo-Fr 09:00-17:00', 'UTC', every_day))).took,
              '<', interval '2 seconds', 'a calendar with 36,525 holidays builds in bounded time')
  FROM bounded.century;
INSERT INTO bounded.cal
    SELECT 'holiday century', sla.calendar('Mo-Fr 09:00-17:00', 'UTC', every_day) FROM bounded.century
    UNION ALL
    SELECT 'holiday every other day', sla.calendar('Mo-Fr 09:00-17:00', 'UTC', every_other_day) FROM bounded.century;
SELECT is(sla.business_time('2000-01-01', '2100-01-01', c), interval '0',
          'every day a holiday for a century: no business time in it')
  FROM bounded.cal WHERE name = 'holiday century';
-- 2100-01-01 is a Friday (isodow 5), the first working day after the century
SELECT is(sla.business_add('2000-01-01', '1 hour', c), timestamptz '2100-01-01 10:00+00',
          'every day a holiday for a century: the first hour is worked on 2100-01-01')
  FROM bounded.cal WHERE name = 'holiday century';
SELECT is(sla.business_add('2100-01-01 10:00+00', '-2 hours', c), timestamptz '1999-12-31 16:00+00',
          'every day a holiday for a century: two hours back from there reach Friday 1999-12-31')
  FROM bounded.cal WHERE name = 'holiday century';
SELECT is(sla.business_time('2026-01-01', '2027-01-01', c),
          (SELECT make_interval(hours => 8 * count(*)::int)
             FROM generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') d
            WHERE extract(isodow FROM d) < 6 AND (d::date - date '2000-01-01') % 2 <> 0),
          'every other day a holiday: 2026 is open 8 hours on the other weekdays')
  FROM bounded.cal WHERE name = 'holiday every other day';
-- the same century of holidays as rows of sla.holidays
INSERT INTO sla.calendars VALUES ('bounded century', 'Mo-Fr 09:00-17:00', 'UTC');
INSERT INTO sla.holidays (calendar, day) SELECT 'bounded century', unnest(every_day) FROM bounded.century;
SELECT cmp_ok((bounded.timed($$SELECT sla.calendar_named('bounded century')$$)).took, '<', interval '2 seconds',
              'sla.calendar_named assembles 36,525 holiday rows in bounded time');
SELECT ok(sla.calendar_named('bounded century') OPERATOR(sla.=) c, 'and gives the same calendar as the array')
  FROM bounded.cal WHERE name = 'holiday century';

---------------------------------------------------------------------------
-- 3. A calendar open one minute a year
---------------------------------------------------------------------------
INSERT INTO bounded.cal VALUES
    ('minute a year', sla.calendar('Jul 04 12:00-12:01')),
    ('minute a leap year', sla.calendar('Feb 29 12:00-12:01')),
    ('one minute ever', sla.calendar('2026 Jul 04 12:00-12:01'));
SELECT is(sla.business_add('2026-01-01', '100 minutes', c), timestamptz '2125-07-04 12:01+00',
          'one minute a year: the 100th minute from 2026 is in 2125')
  FROM bounded.cal WHERE name = 'minute a year';
INSERT INTO bounded.run
    SELECT 'minute a year 7974', r.*
      FROM bounded.cal, bounded.timed(format('SELECT sla.business_add(%L, %L, %L::sla.calendar)', '2026-01-01', '7974 minutes', c)) r
     WHERE cal.name = 'minute a year';
SELECT cmp_ok(took, '<', interval '2 seconds', 'one minute a year: 7974 minutes (to the year 9999) in bounded time')
  FROM bounded.run WHERE name = 'minute a year 7974';
SELECT is(result::timestamptz, timestamptz '9999-07-04 12:01+00',
          'one minute a year: the 7974th minute from 2026 is in 9999')
  FROM bounded.run WHERE name = 'minute a year 7974';
SELECT is(sla.business_add('2026-01-01', '-2025 minutes', c), timestamptz '0001-07-04 12:00+00',
          'one minute a year: 2025 minutes back from 2026 is the year 1')
  FROM bounded.cal WHERE name = 'minute a year';
SELECT is(sla.business_time('0001-01-01 00:00+00', '9999-12-31 00:00+00', c), interval '9999 minutes',
          'one minute a year: 9999 minutes in the years 1 to 9999')
  FROM bounded.cal WHERE name = 'minute a year';
SELECT is(sla.business_add('2000-01-01', '1000 minutes', c),
          (SELECT make_timestamptz(y, 2, 29, 12, 1, 0, 'UTC')
             FROM generate_series(2000, 9999) y WHERE (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0
            ORDER BY y OFFSET 999 LIMIT 1),
          'one minute on Feb 29: the 1000th is in the 1000th leap year from 2000')
  FROM bounded.cal WHERE name = 'minute a leap year';
SELECT is(sla.business_add('2026-01-01', '2 minutes', c), 'infinity'::timestamptz,
          'one minute ever: a second minute is never reached (infinity, at once)')
  FROM bounded.cal WHERE name = 'one minute ever';
SELECT is(sla.next_open('2026-07-04 12:01+00', c), 'infinity'::timestamptz,
          'one minute ever: after it, it never opens again')
  FROM bounded.cal WHERE name = 'one minute ever';

---------------------------------------------------------------------------
-- 4. 10,000 rules
---------------------------------------------------------------------------
-- rule i: weekday (i mod 7) open (i mod 23):00 to (i mod 23):30; the last
-- rule for each weekday wins, so every day is open 30 minutes
CREATE TABLE bounded.weekday_rules AS
    SELECT string_agg(format('%s %s:00-%s:30', (ARRAY['Mo','Tu','We','Th','Fr','Sa','Su'])[1 + i % 7],
                             lpad((i % 23)::text, 2, '0'), lpad((i % 23)::text, 2, '0')), '; ' ORDER BY i) AS rules
      FROM generate_series(1, 10000) i;
-- rule i: one dated minute, (1000 + i mod 9000)-(1 + i mod 12)-(1 + i mod 28) 09:00-09:01;
-- in 2000-2099 only i = 1000..1099 and i = 10000 fall, on distinct dates
CREATE TABLE bounded.date_rules AS
    SELECT string_agg(format('%s %s %s 09:00-09:01', 1000 + i % 9000,
                             (ARRAY['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'])[1 + i % 12],
                             lpad((1 + i % 28)::text, 2, '0')), '; ' ORDER BY i) AS rules
      FROM generate_series(1, 10000) i;
SELECT cmp_ok((bounded.timed(format('SELECT sla.calendar(%L)', rules))).took, '<', interval '2 seconds',
              '10,000 weekday rules parse in bounded time')
  FROM bounded.weekday_rules;
SELECT cmp_ok((bounded.timed(format('SELECT sla.calendar(%L)', rules))).took, '<', interval '2 seconds',
              '10,000 dated rules parse in bounded time')
  FROM bounded.date_rules;
INSERT INTO bounded.cal
    SELECT 'weekday rules', sla.calendar(rules) FROM bounded.weekday_rules
    UNION ALL SELECT 'date rules', sla.calendar(rules) FROM bounded.date_rules
    UNION ALL SELECT 'workdays and date rules', sla.calendar('Mo-Fr 09:00-17:00; ' || replace(rules, '09:00-09:01', 'off'))
                FROM bounded.date_rules;
SELECT is(sla.business_time('2026-01-01', '2027-01-01', c), interval '182:30:00',
          '10,000 weekday rules: 2026 is open 30 minutes on each of its 365 days')
  FROM bounded.cal WHERE name = 'weekday rules';
INSERT INTO bounded.run
    SELECT 'date rules century', r.*
      FROM bounded.cal, bounded.timed(format('SELECT sla.business_time(%L, %L, %L::sla.calendar)', '2000-01-01', '2100-01-01', c)) r
     WHERE cal.name = 'date rules';
SELECT cmp_ok(took, '<', interval '30 seconds', '10,000 dated rules: a century of them in bounded time')
  FROM bounded.run WHERE name = 'date rules century';
SELECT is(result::interval, interval '101 minutes', '10,000 dated rules: 101 of them fall in 2000-2099')
  FROM bounded.run WHERE name = 'date rules century';

---------------------------------------------------------------------------
-- 5. Limits: more work than the span bound is refused, not attempted
---------------------------------------------------------------------------
SELECT is(state, '54000', 'open_windows over 8000 years of 720 spans a day: refused with 54000')
  FROM bounded.cal,
       bounded.timed(format('SELECT sla.open_windows(%L, %L::sla.calendar)', '[0001-01-01 00:00+00, 9999-12-01 00:00+00)', c))
 WHERE name = 'spaced';
SELECT ok(state = '54000' AND took < interval '5 seconds',
          format('business_time over 8000 years of 720 spans a day: refused with 54000 in bounded time (%s after %s)', state, took))
  FROM bounded.cal,
       bounded.timed(format('SELECT sla.business_time(%L, %L, %L::sla.calendar)', '0001-01-01 00:00+00', '9999-12-01 00:00+00', c))
 WHERE name = 'spaced';
-- (each statement's memory is freed when it ends: nothing grows across them)
SELECT cmp_ok((SELECT sum(total_bytes) FROM pg_backend_memory_contexts) - bytes, '<', 16 * 1024 * 1024::numeric,
              'the backend holds no more than 16 MB more memory after all of the above')
  FROM bounded.memory_before;

---------------------------------------------------------------------------
-- 6. statement_timeout cancels a long call promptly
---------------------------------------------------------------------------
-- Each call below runs for minutes without a timeout; each must end within
-- 0.5 s of the timeout (canceled: 57014), or before it (should it become
-- fast); at least one must really have been canceled.
-- 8000 years of 10,000 dated rules: every day tries every rule (days
-- 2.9 million times 10,000 rules); a century takes seconds, this takes minutes.
SET LOCAL statement_timeout = '1s';
INSERT INTO bounded.run
    SELECT 'timeout business_time', r.*
      FROM bounded.cal, bounded.timed(format('SELECT sla.business_time(%L, %L, %L::sla.calendar)', '0001-01-01 00:00+00', '9999-12-01 00:00+00', c)) r
     WHERE name = 'date rules';
SET LOCAL statement_timeout = 0;
-- a huge amount: 15,000,000 hours of Mo-Fr 09:00-17:00 (about 7200 years),
-- with 10,000 dated rules to try on every day
SET LOCAL statement_timeout = '1s';
INSERT INTO bounded.run
    SELECT 'timeout business_add', r.*
      FROM bounded.cal, bounded.timed(format('SELECT sla.business_add(%L, %L, %L::sla.calendar)', '0001-01-01 00:00+00', '15000000 hours', c)) r
     WHERE name = 'workdays and date rules';
SET LOCAL statement_timeout = 0;
SET LOCAL statement_timeout = '1s';
INSERT INTO bounded.run
    SELECT 'timeout open_windows', r.*
      FROM bounded.cal, bounded.timed(format('SELECT sla.open_windows(%L, %L::sla.calendar)', '[0001-01-01 00:00+00, 9999-12-01 00:00+00)', c)) r
     WHERE name = 'date rules';
SET LOCAL statement_timeout = 0;
-- parsing: one rule of 87,120 one-minute spans, written as 121 runs of
-- 720 ascending spans (about 1 MB); the canonical form sorts them
CREATE TABLE bounded.unsorted AS
    SELECT 'Mo ' || string_agg(bounded.minute_spans(array(SELECT generate_series(0, 1438, 2))), ',') AS rules
      FROM generate_series(1, 121);
SET LOCAL statement_timeout = '300ms';
INSERT INTO bounded.run
    SELECT 'timeout parse', r.* FROM bounded.unsorted, bounded.timed(format('SELECT sla.calendar(%L)', rules)) r;
SET LOCAL statement_timeout = 0;
SELECT ok(state IN ('57014', '00000') AND took < limit_ms * interval '1 millisecond',
          format('%s: ends within %s ms (%s after %s)', what, limit_ms, state, took))
  FROM bounded.run
  JOIN (VALUES ('timeout business_time', 'business_time over 8000 years of 10,000 dated rules, 1 s timeout', 1500),
               ('timeout business_add', 'business_add of 15,000,000 hours past 10,000 rules, 1 s timeout', 1500),
               ('timeout open_windows', 'open_windows over 8000 years of 10,000 dated rules, 1 s timeout', 1500),
               ('timeout parse', 'parsing a rule of 87,120 unsorted spans, 300 ms timeout', 800)) l(name, what, limit_ms) USING (name)
 ORDER BY name;
SELECT ok(count(*) FILTER (WHERE state = '57014') > 0, 'statement_timeout did cancel them')
  FROM bounded.run WHERE name LIKE 'timeout %';
-- the server is still here and computing
SELECT is(sla.business_add('2026-11-23 16:00+00', '2 hours', sla.calendar('Mo-Fr 09:00-17:00')),
          timestamptz '2026-11-24 10:00+00', 'after the cancellations the backend still computes');

SELECT * FROM finish();
ROLLBACK;
