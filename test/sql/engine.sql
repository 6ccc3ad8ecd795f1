-- Engine defects found in review of 1.0 (issue 13, section 1), each worked
-- out by hand; the comment above each query says why the answer is what it is.
SET TimeZone = 'UTC';
\i test/sql/include/try.sql

-- 1. Zones far from UTC ---------------------------------------------------
-- XXX+30 is a fixed offset (30 hours west), so 24/7 business time over two
-- years is all of them: 730 days * 24 h = 17520 h.  The same for XXX-167:59
-- (a week east less a minute, the farthest PostgreSQL accepts).
SELECT sla.business_time('2026-01-01', '2028-01-01', sla.calendar('24/7', 'XXX+30')) AS west_30h,
       sla.business_time('2026-01-01', '2028-01-01', sla.calendar('24/7', 'XXX-167:59')) AS east_167h59;
-- With DST on top (30 h west in winter, 29 h in summer) a 24/7 calendar's
-- local days still join end to end: 17520 h.
SELECT sla.business_time('2026-01-01', '2028-01-01', sla.calendar('24/7', 'XXX+30YYY,M3.5.0,M10.5.0')) AS west_30h_dst;
-- 2026 in UTC is local [2025-12-30 18:00, 2026-12-30 18:00) at UTC-30:
-- the weekdays 2025-12-31 .. 2026-12-30, which are 2026's 261 less
-- Thursday 2026-12-31 plus Wednesday 2025-12-31, so 261 * 8 h = 2088 h.
SELECT sla.business_time('2026-01-01', '2027-01-01', sla.calendar('Mo-Fr 09:00-17:00', 'XXX+30')) AS weekdays_2026;
-- Monday 2026-01-05 00:00 UTC is Sunday 2026-01-11 23:59 at UTC+167:59; the
-- next Monday 09:00 there is 2026-01-12 09:00 - 167:59 = 2026-01-05 09:01 UTC.
SELECT sla.next_open('2026-01-05 00:00+00', sla.calendar('Mo 09:00-10:00', 'XXX-167:59')) AS next_open_east;

-- 2. What the constructor accepts reads back ------------------------------
-- 69000 copies of one rule: the later copy gives the same hours, so the
-- canonical form keeps one; it reads back, and over the week from Monday
-- 2026-11-23 it is open Monday 22:00-24:00 and Tuesday 00:00-02:00: 4 h.
SELECT c::text AS canonical, c::text::sla.calendar OPERATOR(sla.=) c AS reads_back,
       sla.business_time('2026-11-23', '2026-11-30', c) AS one_week
  FROM (SELECT sla.calendar(repeat('mo 22:00-02:00;', 69000)) c) s;
-- 70000 distinct rules "mo H:MM-H:MM" take 13 bytes each with the ";" (909999
-- in all, under 1 MiB), but 16 in canonical form ("Mo 0H:MM-0H:MM; "):
-- 1119998 bytes, over the limit, so refused (22P02) where they come in.
SELECT pg_temp.try(format('SELECT sla.calendar(%L)', string_agg(rule, ';'))) AS long_canonical
  FROM (SELECT format('mo %s:%s-%s:%s', a / 60, lpad((a % 60)::text, 2, '0'), b / 60, lpad((b % 60)::text, 2, '0')) AS rule
          FROM generate_series(0, 598) a, generate_series(a + 1, 599) b
         ORDER BY a, b LIMIT 70000) r;

-- 3. A far pause costs nothing ---------------------------------------------
-- Open one minute in every two (720 spans a day).  From Monday 09:00, 4 h
-- are the 240 open minutes 09:00, 09:02, ..., 09:00 + 2 * 239 min = 16:58,
-- ending at 16:59; a pause in 2400 (or in 1700, going back) is beyond them.
-- Materializing up to the pause would need more than 4 million spans.
CREATE TEMP TABLE minute_calendar AS
  SELECT sla.calendar('Mo-Su ' || string_agg(to_char(time '00:00' + m * interval '2 minutes', 'HH24:MI') || '-' ||
                                             to_char(time '00:01' + m * interval '2 minutes', 'HH24:MI'), ',' ORDER BY m)) AS c
    FROM generate_series(0, 719) m;
SELECT sla.business_add('2026-11-23 09:00+00', '4 hours', c, '{[2400-01-01,2400-01-02)}') AS forward,
       sla.business_add('2026-11-23 16:59+00', '-4 hours', c, '{[1700-01-01,1700-01-02)}') AS backward
  FROM minute_calendar;
-- Pauses still count where they lie: Monday 09:00-17:00, 4 h from 09:00 with
-- 10:00-11:00 paused end at 14:00; an endless pause after 13:00 changes
-- nothing, one from 10:00 on leaves the deadline at infinity.
SELECT sla.business_add('2026-11-23 09:00+00', '4 hours', c, '{[2026-11-23 10:00,2026-11-23 11:00),[2400-01-01,2400-01-02)}') AS paused_hour,
       sla.business_add('2026-11-23 09:00+00', '4 hours', c, '{[2400-01-01,)}') AS endless_later,
       sla.business_add('2026-11-23 09:00+00', '4 hours', c, '{[2026-11-23 10:00,)}') AS endless_before,
       sla.business_add('2026-11-23 13:00+00', '-4 hours', c, '{(,1700-01-01)}') AS endless_earlier
  FROM (SELECT sla.calendar('Mo-Fr 09:00-17:00') c) s;

-- 4. Memory with growing pause lists ---------------------------------------
-- Row n has n one-minute pauses; keeping every row's pause buffer would take
-- 16 bytes * (1 + ... + 1000) = 8 MB of the query's memory, a growing
-- buffer that frees the old one a few tens of kB.  24/7 over January and
-- February (59 days) less one paused minute at most: 1415:59.
WITH r AS MATERIALIZED (
    SELECT max(sla.business_time('2026-01-01', '2026-03-01', sla.calendar('24/7'), p)) AS most
      FROM generate_series(1, 1000) n,
           LATERAL (SELECT range_agg(tstzrange(t, t + interval '1 minute')) AS p
                      FROM generate_series(timestamptz '2026-01-01', timestamptz '2026-01-01' + (n - 1) * interval '2 minutes',
                                           interval '2 minutes') t) q)
SELECT most, (SELECT max(total_bytes) FROM pg_backend_memory_contexts
               WHERE name = 'ExecutorState' AND r.most IS NOT NULL) < 2 * 1024 * 1024 AS query_memory_under_2mb
  FROM r;

-- 5. Duplicated spans --------------------------------------------------------
-- Spans are merged where they overlap or touch: 09-12, 09-12, 11-13, 13-14
-- are 09-14; a span crossing midnight merges with one reaching 24:00; a
-- Monday 01-03 and the Tuesday 00-02 of 22-02 are different dates and stay.
SELECT sla.calendar('Mo 09:00-12:00,09:00-12:00,11:00-13:00,13:00-14:00')::text AS merged,
       sla.calendar('Mo 20:00-24:00,22:00-02:00')::text AS into_the_night,
       sla.calendar('Mo 22:00-02:00,01:00-03:00')::text AS different_dates,
       sla.calendar('Mo 09:00-12:00,09:00-12:00') OPERATOR(sla.=) sla.calendar('Mo 09:00-12:00') AS equal_hours_equal;
-- 05:00-23:00 and 22:00-06:00 are open from Monday 05:00 to Tuesday 06:00,
-- 25 h, more than one span can say: written as 05:00-24:00 and 23:59-06:00,
-- which merge back to the same; an earlier copy of a later rule goes.
SELECT c::text AS over_a_day, c::text::sla.calendar OPERATOR(sla.=) c AS reads_back,
       sla.business_time('2026-11-23', '2026-11-25', c) AS monday_and_tuesday,
       sla.calendar('Mo 09:00-10:00; Tu off; Mo 09:00-10:00')::text AS repeated_rule
  FROM (SELECT sla.calendar('Mo 05:00-23:00,22:00-06:00') c) s;
-- Merging in local time is exact only without DST: each span is mapped on
-- its own (dst.sql), and one ending in a spring-forward gap maps otherwise
-- than its merged whole.  In Berlin the repeat goes, the overlap stays.
SELECT sla.calendar('Mo 11:00-13:00,09:00-12:00,11:00-13:00', 'Europe/Berlin')::text AS dst_zone;
-- 20000 copies of 00:00-24:00 are one all-day span: open, 24 h a day (the
-- copies used to count against the 4 million span limit: 54000).
SELECT c::text AS canonical, sla.is_open('2026-11-23 12:00', c) AS open,
       sla.business_time('2026-11-23', '2026-11-24', c) AS one_day
  FROM (SELECT sla.calendar('Mo-Su ' || string_agg('00:00-24:00', ',')) c FROM generate_series(1, 20000)) s;

-- 6. Interrupts ------------------------------------------------------------
-- A cancel arriving while a call's arguments are evaluated must stop that
-- call.  Each query runs the call on two rows (the first compiles and
-- materializes the calendar, so the second only runs the loop under test)
-- and counts the rows reached in a sequence, which a cancel does not roll
-- back: cancelled inside the call, the second row's count is never taken.
CREATE TEMP SEQUENCE reached MINVALUE 0;
CREATE FUNCTION pg_temp.rows_before_cancel(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM setval('pg_temp.reached', 0);
    EXECUTE query;
    RETURN 'not cancelled';
EXCEPTION WHEN query_canceled THEN
    RETURN 'cancelled after ' || (SELECT last_value FROM pg_temp.reached) || ' row(s)';
END $$;
-- business_time's pauses
SELECT pg_temp.rows_before_cancel($q$
    SELECT sla.business_time('2026-11-23', '2026-11-30', sla.calendar('Mo-Fr 09:00-17:00'),
                             CASE WHEN i = 2 AND pg_cancel_backend(pg_backend_pid()) THEN p ELSE p END),
           nextval('pg_temp.reached')
      FROM generate_series(1, 2) i, (SELECT '{[2026-11-24 10:00,2026-11-24 11:00)}'::tstzmultirange p) s$q$) AS business_time_pauses;
-- open_windows' spans
SELECT pg_temp.rows_before_cancel($q$
    SELECT sla.open_windows(CASE WHEN i = 2 AND pg_cancel_backend(pg_backend_pid()) THEN r ELSE r END,
                            sla.calendar('Mo-Fr 09:00-17:00')),
           nextval('pg_temp.reached')
      FROM generate_series(1, 2) i, (SELECT tstzrange('2026-11-23', '2026-12-23') r) s$q$) AS open_windows_spans;

-- 7. More calendars per query ------------------------------------------------
-- 20 calendars (one holiday each in December) taking turns over 200 rows:
-- all 20 stay compiled, each in its own memory context (8 at most used to,
-- compiling again on nearly every row).  One hour from Monday 09:00 is
-- 10:00 in each.
WITH r AS MATERIALIZED (
    SELECT count(DISTINCT due) AS answers, min(due) AS due
      FROM (SELECT sla.business_add('2026-11-23 09:00', '1 hour',
                                    sla.calendar('Mo-Fr 09:00-17:00', 'UTC', ARRAY[date '2026-12-01' + n % 20])) AS due
              FROM generate_series(1, 200) n OFFSET 0) d)
SELECT answers, due, (SELECT count(*) FROM pg_backend_memory_contexts
                       WHERE name = 'sla compiled calendar' AND r.answers IS NOT NULL) AS compiled_calendars
  FROM r;
