-- test/pgtap/properties.sql: property tests of the sla extension against a
-- brute-force reference written here in SQL and PL/pgSQL.
--
-- The reference never calls an sla.* function.  For every test calendar,
-- sla_props.ref_local_spans() gives by hand the local wall-clock spans of one
-- date (following the rule semantics: the last rule selecting a date gives its
-- own hours; the early part of an overnight span spills into the next date
-- unless a later rule selects that date; an implicit final "PH off" when no
-- rule mentions PH).  Each boundary is mapped to an instant with
-- "(local timestamp) AT TIME ZONE zone", spans whose mapped end is not after
-- their mapped start are dropped, and an instant is open iff a mapped span
-- [s, e) holds it.  All zones used have whole-minute offsets and all rule
-- times are whole minutes, so open-ness is constant on each real minute;
-- the reference walks real instants minute by minute through windows of a
-- few weeks around the 2026 DST transitions and counts open minutes.
--
-- The extension's answers are computed with CREATE TABLE AS (parallel-safe
-- queries, so that PGOPTIONS='-c force_parallel_mode=on' runs them in a
-- parallel worker), then compared with the reference; each assertion
-- summarises one property for one calendar and window and, on failure,
-- prints the number of mismatches and the first mismatching case.
--
-- Run: pg_prove --verbose test/pgtap/properties.sql

BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sla;

-- Results must not depend on the session time zone.
SET LOCAL TimeZone = 'America/Sao_Paulo';

SELECT plan(539);

CREATE SCHEMA sla_props;

---------------------------------------------------------------------------
-- Test calendars and windows
---------------------------------------------------------------------------

CREATE TABLE sla_props.cal (
    id integer PRIMARY KEY,
    name text NOT NULL,
    rules text NOT NULL,
    zone text NOT NULL,
    holidays date[] NOT NULL,
    max_hours integer NOT NULL,     -- largest amount used in round trips
    never_closes boolean NOT NULL DEFAULT false  -- by hand: 24/7 with no exception
);
INSERT INTO sla_props.cal VALUES
 (1, 'Berlin office', 'Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin',
     '{2026-03-27,2026-03-30,2026-10-23,2026-10-26}', 60),
 (2, 'Berlin night', 'Mo-Sa 23:00-05:00', 'Europe/Berlin', '{2026-03-24}', 60),
 (3, 'New York gap', 'Su 01:30-02:30,02:45-03:30', 'America/New_York', '{}', 8),
 (4, 'Lord Howe office', 'Mo-Fr 08:00-18:00', 'Australia/Lord_Howe', '{}', 60),
 (5, 'Chatham 24/7', '24/7', 'Pacific/Chatham', '{}', 60),
 (6, 'Kolkata office', 'Mo-Fr 09:30-18:00; Sa 10:00-13:00', 'Asia/Kolkata', '{}', 60),
 (7, 'UTC nights, Tu off', 'Mo-Fr 22:00-06:00; Tu off', 'UTC', '{}', 60),
 (8, 'New York PH hours', 'Mo-Fr 09:00-17:00; PH 10:00-12:00', 'America/New_York',
     '{2026-03-02,2026-03-07,2026-03-08,2026-10-30,2026-11-01,2026-11-03}', 60),
 (9, 'Lord Howe Sunday night', 'Mo-Fr 08:00-18:00; Su 01:40-02:20', 'Australia/Lord_Howe', '{}', 60),
 (10, 'Berlin dated exceptions',
     'Mo-Su 08:00-20:00; Mar 28-Apr 02 off; 2026 Oct 24-25 18:00-02:00; Fr 21:00-01:30',
     'Europe/Berlin', '{2026-10-26}', 60);

UPDATE sla_props.cal SET never_closes = true WHERE rules = '24/7';

ALTER TABLE sla_props.cal ADD COLUMN c sla.calendar;
UPDATE sla_props.cal SET c = sla.calendar(rules, zone, holidays);

-- Windows (UTC bounds) around the DST transitions of 2026:
-- New York 03-08 and 11-01, Berlin 03-29 and 10-25, Lord Howe 04-05 and
-- 10-04, Chatham 04-05 and 09-27.
CREATE TABLE sla_props.win (w integer PRIMARY KEY, lo timestamptz, hi timestamptz, label text);
INSERT INTO sla_props.win VALUES
 (1, '2026-03-01 00:00+00', '2026-03-15 00:00+00', 'W1 Mar 01-15'),
 (2, '2026-03-22 00:00+00', '2026-04-12 00:00+00', 'W2 Mar 22-Apr 12'),
 (3, '2026-09-24 00:00+00', '2026-10-11 00:00+00', 'W3 Sep 24-Oct 11'),
 (4, '2026-10-18 00:00+00', '2026-11-08 00:00+00', 'W4 Oct 18-Nov 08');

-- An instant in UTC and in the calendar's zone, for failure messages.
CREATE FUNCTION sla_props.fmt(t timestamptz, zone text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t IS NULL THEN 'NULL'
                WHEN NOT isfinite(t) THEN t::text
                ELSE to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || 'Z ('
                     || to_char(t AT TIME ZONE zone, 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || zone || ')'
           END
$$;

---------------------------------------------------------------------------
-- The reference: local spans of one date, by hand for each calendar
---------------------------------------------------------------------------

CREATE FUNCTION sla_props.ref_local_spans(cid integer, d date, hol date[])
RETURNS TABLE (ls timestamp, le timestamp)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    dow integer := extract(isodow FROM d);          -- 1 = Monday .. 7 = Sunday
    ydow integer := extract(isodow FROM d - 1);     -- weekday of the date before
    is_hol boolean := d = ANY (hol);
    starts timestamp[] := '{}';
    ends timestamp[] := '{}';
    md integer := extract(month FROM d) * 100 + extract(day FROM d);
    winner integer;
    spill interval;
BEGIN
    CASE cid
    WHEN 1 THEN
        -- Mo-Fr 09:00-12:00,13:00-17:00; implicit PH off
        IF dow <= 5 AND NOT is_hol THEN
            starts := starts || (d + interval '09:00'); ends := ends || (d + interval '12:00');
            starts := starts || (d + interval '13:00'); ends := ends || (d + interval '17:00');
        END IF;
    WHEN 2 THEN
        -- Mo-Sa 23:00-05:00; implicit PH off (rule 1).  The spill of rule 0
        -- from the date before stays unless the implicit PH off selects
        -- this date; rule 0 selects the date before by its weekday alone.
        IF NOT is_hol AND ydow <= 6 THEN
            starts := starts || (d + interval '00:00'); ends := ends || (d + interval '05:00');
        END IF;
        IF NOT is_hol AND dow <= 6 THEN
            starts := starts || (d + interval '23:00'); ends := ends || (d + interval '24:00');
        END IF;
    WHEN 3 THEN
        -- Su 01:30-02:30,02:45-03:30
        IF dow = 7 THEN
            starts := starts || (d + interval '01:30'); ends := ends || (d + interval '02:30');
            starts := starts || (d + interval '02:45'); ends := ends || (d + interval '03:30');
        END IF;
    WHEN 4 THEN
        -- Mo-Fr 08:00-18:00
        IF dow <= 5 THEN
            starts := starts || (d + interval '08:00'); ends := ends || (d + interval '18:00');
        END IF;
    WHEN 5 THEN
        -- 24/7
        starts := starts || (d + interval '00:00'); ends := ends || (d + interval '24:00');
    WHEN 6 THEN
        -- Mo-Fr 09:30-18:00; Sa 10:00-13:00
        IF dow <= 5 THEN
            starts := starts || (d + interval '09:30'); ends := ends || (d + interval '18:00');
        ELSIF dow = 6 THEN
            starts := starts || (d + interval '10:00'); ends := ends || (d + interval '13:00');
        END IF;
    WHEN 7 THEN
        -- Mo-Fr 22:00-06:00 (rule 0); Tu off (rule 1).  Tuesday: rule 1
        -- wins and, being later than rule 0, also removes Monday's spill.
        -- Wednesday: rule 0 selected Tuesday (its own hours lost to rule 1)
        -- and no later rule selects Wednesday, so that spill stays.
        IF dow <> 2 AND ydow <= 5 THEN
            starts := starts || (d + interval '00:00'); ends := ends || (d + interval '06:00');
        END IF;
        IF dow IN (1, 3, 4, 5) THEN
            starts := starts || (d + interval '22:00'); ends := ends || (d + interval '24:00');
        END IF;
    WHEN 8 THEN
        -- Mo-Fr 09:00-17:00; PH 10:00-12:00 (PH mentioned: no implicit PH off)
        IF is_hol THEN
            starts := starts || (d + interval '10:00'); ends := ends || (d + interval '12:00');
        ELSIF dow <= 5 THEN
            starts := starts || (d + interval '09:00'); ends := ends || (d + interval '17:00');
        END IF;
    WHEN 9 THEN
        -- Mo-Fr 08:00-18:00; Su 01:40-02:20
        IF dow <= 5 THEN
            starts := starts || (d + interval '08:00'); ends := ends || (d + interval '18:00');
        ELSIF dow = 7 THEN
            starts := starts || (d + interval '01:40'); ends := ends || (d + interval '02:20');
        END IF;
    WHEN 10 THEN
        -- rule 0: Mo-Su 08:00-20:00
        -- rule 1: Mar 28-Apr 02 off            (every year)
        -- rule 2: 2026 Oct 24-25 18:00-02:00   (overnight)
        -- rule 3: Fr 21:00-01:30               (overnight)
        -- rule 4: implicit PH off, holidays {2026-10-26}
        winner := CASE WHEN is_hol THEN 4
                       WHEN dow = 5 THEN 3
                       WHEN d BETWEEN date '2026-10-24' AND date '2026-10-25' THEN 2
                       WHEN md BETWEEN 328 AND 402 THEN 1
                       ELSE 0 END;
        -- spills from the date before, from rules not earlier than the winner
        IF winner <= 2 AND d - 1 BETWEEN date '2026-10-24' AND date '2026-10-25' THEN
            spill := interval '02:00';
        ELSIF winner <= 3 AND ydow = 5 THEN
            spill := interval '01:30';
        END IF;
        IF spill IS NOT NULL THEN
            starts := starts || (d + interval '00:00'); ends := ends || (d + spill);
        END IF;
        IF winner = 0 THEN
            starts := starts || (d + interval '08:00'); ends := ends || (d + interval '20:00');
        ELSIF winner = 2 THEN
            starts := starts || (d + interval '18:00'); ends := ends || (d + interval '24:00');
        ELSIF winner = 3 THEN
            starts := starts || (d + interval '21:00'); ends := ends || (d + interval '24:00');
        END IF;
    END CASE;
    FOR i IN 1 .. cardinality(starts) LOOP
        ls := starts[i];
        le := ends[i];
        RETURN NEXT;
    END LOOP;
END
$$;

-- Mapped spans of every local date around the windows.
CREATE TABLE sla_props.ref_span AS
SELECT c.id AS cid, d::date AS day, l.ls, l.le,
       l.ls AT TIME ZONE c.zone AS s, l.le AT TIME ZONE c.zone AS e
FROM sla_props.cal c
CROSS JOIN generate_series(date '2026-02-20', date '2026-11-20', interval '1 day') AS d
CROSS JOIN LATERAL sla_props.ref_local_spans(c.id, d::date, c.holidays) AS l;

-- The open instants: union of the non-empty mapped spans.
CREATE TABLE sla_props.ref_open AS
SELECT c.id AS cid,
       coalesce((SELECT range_agg(tstzrange(s.s, s.e)) FROM sla_props.ref_span s
                 WHERE s.cid = c.id AND s.e > s.s), '{}'::tstzmultirange) AS mr
FROM sla_props.cal c;

-- The minute walk: every real minute of every window (and the window's end),
-- whether it is open, the open minutes from the window start to it (cum),
-- the first open and the first closed minute at or after it (infinity for
-- the calendar that by hand never closes).
CREATE TABLE sla_props.open_min AS
SELECT DISTINCT s.cid, w.w, t
FROM sla_props.ref_span s
JOIN sla_props.win w ON s.s <= w.hi AND s.e > w.lo
CROSS JOIN LATERAL generate_series(s.s, s.e - interval '1 minute', interval '1 minute') AS t
WHERE s.e > s.s AND t BETWEEN w.lo AND w.hi;

CREATE TABLE sla_props.m AS
SELECT cid, w, t, open,
       count(*) FILTER (WHERE open) OVER (PARTITION BY cid, w ORDER BY t
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS cum,
       min(t) FILTER (WHERE open) OVER (PARTITION BY cid, w ORDER BY t DESC
                                        ROWS UNBOUNDED PRECEDING) AS next_open_min,
       coalesce(min(t) FILTER (WHERE NOT open) OVER (PARTITION BY cid, w ORDER BY t DESC
                                                     ROWS UNBOUNDED PRECEDING),
                CASE WHEN never_closes THEN 'infinity'::timestamptz END) AS next_closed_min
FROM (SELECT g.cid, g.never_closes, g.w, g.t, o.t IS NOT NULL AS open
      FROM (SELECT c.id AS cid, c.never_closes, w.w, t
            FROM sla_props.cal c
            CROSS JOIN sla_props.win w
            CROSS JOIN LATERAL generate_series(w.lo, w.hi, interval '1 minute') AS t) g
      LEFT JOIN sla_props.open_min o ON o.cid = g.cid AND o.w = g.w AND o.t = g.t) x;
CREATE INDEX ON sla_props.m (cid, w, t);
CREATE INDEX ON sla_props.m (cid, w, cum, t);
ANALYZE sla_props.m;

-- The reference open time from the window start to any instant x of the
-- window: open minutes before x's minute plus the part of x's minute.
CREATE FUNCTION sla_props.ref_f(p_cid integer, p_w integer, x timestamptz) RETURNS interval
LANGUAGE sql STABLE AS $$
    SELECT m.cum * interval '1 minute' + CASE WHEN m.open THEN x - m.t ELSE interval '0' END
    FROM sla_props.m m
    WHERE m.cid = p_cid AND m.w = p_w
      AND m.t = to_timestamp(floor(extract(epoch FROM x) / 60) * 60)
$$;

-- The reference open time of [x, y) (inside one window) outside the
-- paused ranges p (whose bounds are whole minutes).
CREATE FUNCTION sla_props.ref_open_time(p_cid integer, p_w integer, x timestamptz, y timestamptz,
                                        p tstzmultirange) RETURNS interval
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(least(m.t + interval '1 minute', y) - greatest(m.t, x)), interval '0')
    FROM sla_props.m m
    WHERE m.cid = p_cid AND m.w = p_w
      AND m.t >= to_timestamp(floor(extract(epoch FROM x) / 60) * 60) AND m.t < y
      AND m.open AND NOT p @> m.t
$$;

-- Report one assertion per calendar and window for the rows of a result
-- table (columns n, cid, w, good, detail; rows with a NULL "good" do not
-- apply).  Fails when no case applies; on failure shows the first mismatch.
CREATE FUNCTION sla_props.report(tbl text, what text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN EXECUTE format($q$
        SELECT c.id, c.name, x.w, coalesce(w.label, 'all windows') AS label,
               count(x.good) AS total,
               count(*) FILTER (WHERE NOT x.good) AS bad,
               (array_agg(x.detail ORDER BY x.n) FILTER (WHERE NOT x.good))[1] AS first_bad
        FROM sla_props.%I x
        JOIN sla_props.cal c ON c.id = x.cid
        LEFT JOIN sla_props.win w ON w.w = x.w
        GROUP BY c.id, c.name, x.w, w.label
        ORDER BY c.id, x.w $q$, tbl)
    LOOP
        RETURN NEXT ok(r.total > 0 AND r.bad = 0,
                       format('%s [%s, %s]: %s of %s cases agree',
                              what, r.name, r.label, r.total - r.bad, r.total));
        IF r.total = 0 THEN
            RETURN NEXT diag('no applicable case');
        ELSIF r.bad > 0 THEN
            RETURN NEXT diag(format('%s mismatches out of %s cases; calendar %s; first mismatch: %s',
                                    r.bad, r.total,
                                    (SELECT format('%L in %s, holidays %s', rules, zone, holidays)
                                     FROM sla_props.cal WHERE id = r.id),
                                    r.first_bad));
        END IF;
    END LOOP;
END
$$;

---------------------------------------------------------------------------
-- Sanity of the reference itself
---------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM sla_props.ref_span
           WHERE extract(second FROM s) <> 0 OR extract(second FROM e) <> 0
              OR (extract(epoch FROM s)::numeric % 60) <> 0 OR (extract(epoch FROM e)::numeric % 60) <> 0),
          0::bigint, 'reference: every mapped span boundary is a whole UTC minute (minute walk is exact)');

SELECT results_eq(
    $$SELECT CASE WHEN e > s THEN tstzrange(s, e)::text ELSE 'empty' END FROM sla_props.ref_span
      WHERE cid = 3 AND day IN ('2026-03-08', '2026-11-01') ORDER BY s, e$$,
    $$VALUES ('["2026-03-08 06:30:00+00","2026-03-08 07:30:00+00")'::tstzrange::text),
             ('empty'::tstzrange::text),
             ('["2026-11-01 06:30:00+00","2026-11-01 07:30:00+00")'::tstzrange::text),
             ('["2026-11-01 07:45:00+00","2026-11-01 08:30:00+00")'::tstzrange::text)$$,
    'reference: New York gap calendar maps 02:30 in the gap with the offset before it (02:45-03:30 is empty on 2026-03-08) and 01:30 in the overlap with the offset after it');

SELECT is((SELECT sum(upper(r) - lower(r)) FROM unnest((SELECT mr FROM sla_props.ref_open WHERE cid = 2)
                                                       * tstzmultirange(tstzrange('2026-03-28 12:00+00', '2026-03-29 12:00+00'))) r),
          interval '5 hours',
          'reference: Berlin night Sa 23:00 CET to Su 05:00 CEST is 5 real hours');

SELECT is((SELECT sum(upper(r) - lower(r)) FROM unnest((SELECT mr FROM sla_props.ref_open WHERE cid = 2)
                                                       * tstzmultirange(tstzrange('2026-10-24 12:00+00', '2026-10-25 12:00+00'))) r),
          interval '7 hours',
          'reference: Berlin night Sa 23:00 CEST to Su 05:00 CET is 7 real hours');

SELECT is((SELECT sum(upper(r) - lower(r)) FROM unnest((SELECT mr FROM sla_props.ref_open WHERE cid = 10)
                                                       * tstzmultirange(tstzrange('2026-10-23 12:00+00', '2026-10-27 12:00+00'))) r),
          interval '3 hours'                -- Fr 21:00-24:00 CEST (rule 3 overrides 08:00-20:00)
          + interval '1 hour 30 minutes'    -- Sa 00:00-01:30 spill of Fr
          + interval '6 hours'              -- Sa 18:00-24:00 CEST (rule 2)
          + interval '3 hours'              -- Su 00:00 CEST-02:00 CET spill of rule 2 (02:00 is ambiguous: CET)
          + interval '6 hours'              -- Su 18:00-24:00 CET (rule 2)
                                            -- Mo 10-26 holiday: implicit PH off removes the spill too
          + interval '5 hours',             -- Tu 08:00 CET to 12:00Z
          'reference: Berlin dated exceptions Fr 10-23 .. Tu 10-27 hand count');

SELECT is((SELECT count(*) FILTER (WHERE NOT open) FROM sla_props.m WHERE cid = 5), 0::bigint,
          'reference: Chatham 24/7 is open every minute of every window');

---------------------------------------------------------------------------
-- 8. Text round trip of every calendar
---------------------------------------------------------------------------

CREATE TABLE sla_props.r_text AS
SELECT id AS n, id AS cid, NULL::integer AS w,
       (c::text::sla.calendar OPERATOR(sla.=) c) AS good,
       format('text %s', c::text) AS detail
FROM sla_props.cal;
SELECT * FROM sla_props.report('r_text', 'c::text::sla.calendar = c');

---------------------------------------------------------------------------
-- 2. is_open at every minute of every window (and at the minute's last
--    microsecond)
---------------------------------------------------------------------------

CREATE TABLE sla_props.r_open AS
SELECT row_number() OVER () AS n, cid, w, good,
       CASE WHEN NOT good THEN format('is_open(%s): expected %s, got %s; at +59.999999s got %s',
                                      sla_props.fmt(t, zone), open, got, got2) END AS detail
FROM (SELECT m.cid, m.w, m.t, m.open, c.zone,
             sla.is_open(m.t, c.c) AS got,
             sla.is_open(m.t + interval '59.999999 seconds', c.c) AS got2
      FROM sla_props.m m JOIN sla_props.cal c ON c.id = m.cid) x
CROSS JOIN LATERAL (SELECT coalesce(got = open AND got2 = open, false) AS good) g;
SELECT * FROM sla_props.report('r_open', 'is_open = minute walk, every minute');

---------------------------------------------------------------------------
-- 5. next_open / next_close at every minute, and at random instants
---------------------------------------------------------------------------

CREATE TABLE sla_props.r_next AS
SELECT m.cid, m.w, m.t, m.open, c.zone,
       CASE WHEN m.open THEN m.t ELSE m.next_open_min END AS exp_open,
       CASE WHEN NOT m.open THEN m.t ELSE m.next_closed_min END AS exp_close,
       sla.next_open(m.t, c.c) AS got_open,
       sla.next_close(m.t, c.c) AS got_close
FROM sla_props.m m JOIN sla_props.cal c ON c.id = m.cid;

CREATE TABLE sla_props.r_next_open AS
SELECT n, cid, w, good,
       CASE WHEN NOT good THEN format('next_open(%s): expected %s, got %s', sla_props.fmt(t, zone),
                                      sla_props.fmt(exp_open, zone), sla_props.fmt(got_open, zone)) END AS detail
FROM (SELECT row_number() OVER () AS n, r.*,
             CASE WHEN exp_open IS NOT NULL THEN got_open IS NOT DISTINCT FROM exp_open END AS good
      FROM sla_props.r_next r) x;
SELECT * FROM sla_props.report('r_next_open', 'next_open = minute walk, every minute');

CREATE TABLE sla_props.r_next_close AS
SELECT n, cid, w, good,
       CASE WHEN NOT good THEN format('next_close(%s): expected %s, got %s', sla_props.fmt(t, zone),
                                      sla_props.fmt(exp_close, zone), sla_props.fmt(got_close, zone)) END AS detail
FROM (SELECT row_number() OVER () AS n, r.*,
             CASE WHEN exp_close IS NOT NULL THEN got_close IS NOT DISTINCT FROM exp_close END AS good
      FROM sla_props.r_next r) x;
SELECT * FROM sla_props.report('r_next_close', 'next_close = minute walk, every minute');

-- random instants with seconds and microseconds
SELECT setseed(0.505);
CREATE TABLE sla_props.c_probe AS
SELECT row_number() OVER (ORDER BY cid, w, k) AS n, cid, w, x
FROM (SELECT c.id AS cid, w.w, k,
             w.lo + random() * (w.hi - w.lo - interval '1 minute') AS x
      FROM sla_props.cal c CROSS JOIN sla_props.win w CROSS JOIN generate_series(1, 100) AS k
      ORDER BY c.id, w.w, k) g;
ALTER TABLE sla_props.c_probe ADD COLUMN open boolean, ADD COLUMN exp_open timestamptz, ADD COLUMN exp_close timestamptz;
UPDATE sla_props.c_probe p
SET open = m.open,
    exp_open = CASE WHEN m.open THEN p.x ELSE m.next_open_min END,
    exp_close = CASE WHEN NOT m.open THEN p.x ELSE m.next_closed_min END
FROM sla_props.m m
WHERE m.cid = p.cid AND m.w = p.w AND m.t = to_timestamp(floor(extract(epoch FROM p.x) / 60) * 60);

CREATE TABLE sla_props.r_probe AS
SELECT n, cid, w,
       CASE WHEN exp_open IS NOT NULL AND exp_close IS NOT NULL
            THEN coalesce(got_is_open = open AND got_open = exp_open AND got_close = exp_close, false) END AS good,
       format('at %s: expected is_open %s, next_open %s, next_close %s; got %s, %s, %s',
              sla_props.fmt(x, zone), open, sla_props.fmt(exp_open, zone), sla_props.fmt(exp_close, zone),
              got_is_open, sla_props.fmt(got_open, zone), sla_props.fmt(got_close, zone)) AS detail
FROM (SELECT p.*, c.zone, sla.is_open(p.x, c.c) AS got_is_open,
             sla.next_open(p.x, c.c) AS got_open, sla.next_close(p.x, c.c) AS got_close
      FROM sla_props.c_probe p JOIN sla_props.cal c ON c.id = p.cid) y;
SELECT * FROM sla_props.report('r_probe', 'is_open/next_open/next_close at random instants');

---------------------------------------------------------------------------
-- 1. business_time between random instants vs the minute walk
---------------------------------------------------------------------------

SELECT setseed(0.101);
CREATE TABLE sla_props.c_bt AS
SELECT row_number() OVER (ORDER BY cid, w, k) AS n, cid, w, a, b
FROM (SELECT c.id AS cid, w.w, k,
             -- minute-aligned for k <= 20, any microsecond after
             CASE WHEN k <= 20
                  THEN w.lo + floor(random() * (extract(epoch FROM w.hi - w.lo) / 60 + 1)) * interval '1 minute'
                  ELSE w.lo + random() * (w.hi - w.lo) END AS a,
             CASE WHEN k <= 20
                  THEN w.lo + floor(random() * (extract(epoch FROM w.hi - w.lo) / 60 + 1)) * interval '1 minute'
                  ELSE w.lo + random() * (w.hi - w.lo) END AS b
      FROM sla_props.cal c CROSS JOIN sla_props.win w CROSS JOIN generate_series(1, 40) AS k
      ORDER BY c.id, w.w, k) g;
-- a few short and empty intervals too
UPDATE sla_props.c_bt SET b = a WHERE n % 37 = 0;
UPDATE sla_props.c_bt SET b = a + interval '1 microsecond' WHERE n % 41 = 0 AND b < (SELECT hi FROM sla_props.win WHERE win.w = c_bt.w);
UPDATE sla_props.c_bt SET b = a + interval '59 seconds' WHERE n % 43 = 0 AND b + interval '1 minute' < (SELECT hi FROM sla_props.win WHERE win.w = c_bt.w);
ALTER TABLE sla_props.c_bt ADD COLUMN expected interval;
UPDATE sla_props.c_bt SET expected = sla_props.ref_f(cid, w, b) - sla_props.ref_f(cid, w, a);

CREATE TABLE sla_props.r_bt AS
SELECT n, cid, w,
       CASE WHEN expected IS NOT NULL
            THEN coalesce(got = expected AND extract(day FROM got) = 0 AND extract(month FROM got) = 0, false) END AS good,
       format('business_time(%s, %s): expected %s, got %s', sla_props.fmt(a, zone), sla_props.fmt(b, zone),
              expected, got) AS detail
FROM (SELECT x.*, c.zone, sla.business_time(x.a, x.b, c.c) AS got
      FROM sla_props.c_bt x JOIN sla_props.cal c ON c.id = x.cid) y;
SELECT * FROM sla_props.report('r_bt', 'business_time(a, b) = minute walk (b < a negative)');

---------------------------------------------------------------------------
-- 4. business_add vs the minute walk (minute-aligned start, whole minutes)
---------------------------------------------------------------------------

SELECT setseed(0.404);
CREATE TABLE sla_props.c_add AS
SELECT row_number() OVER (ORDER BY cid, w, k) AS n, cid, w, k, a, u
FROM (SELECT c.id AS cid, w.w, k,
             w.lo + floor(random() * (extract(epoch FROM w.hi - w.lo) / 60 + 1)) * interval '1 minute' AS a,
             random() AS u
      FROM sla_props.cal c CROSS JOIN sla_props.win w CROSS JOIN generate_series(1, 40) AS k
      ORDER BY c.id, w.w, k) g;
ALTER TABLE sla_props.c_add ADD COLUMN d bigint, ADD COLUMN expected timestamptz;
-- forward for odd k, backward for even k; d = 0 for every tenth; the amount
-- stays within the open minutes the window still has in that direction,
-- and is often the whole remaining amount (deadline at a closing time).
UPDATE sla_props.c_add x
SET d = CASE WHEN k % 10 = 0 THEN 0
             WHEN k % 2 = 1 THEN CASE WHEN k % 5 = 3 THEN tot.hi_cum - ma.cum
                                      ELSE floor(u * (tot.hi_cum - ma.cum))::bigint + 1 END
             ELSE -(CASE WHEN k % 5 = 4 THEN ma.cum ELSE floor(u * ma.cum)::bigint + 1 END) END
FROM sla_props.m ma,
     (SELECT cid, w, max(cum) AS hi_cum FROM sla_props.m GROUP BY cid, w) tot
WHERE ma.cid = x.cid AND ma.w = x.w AND ma.t = x.a AND tot.cid = x.cid AND tot.w = x.w;
-- forward: the first instant where the walk has counted d open minutes
-- (the end of the d-th open minute, a closing time when it is the last one)
UPDATE sla_props.c_add x
SET expected = CASE WHEN x.d = 0 THEN x.a
                    WHEN x.d > 0 THEN (SELECT min(m.t) FROM sla_props.m m
                                       WHERE m.cid = x.cid AND m.w = x.w AND m.t > x.a
                                         AND m.cum = ma.cum + x.d)
                    ELSE (SELECT max(m.t) FROM sla_props.m m
                          WHERE m.cid = x.cid AND m.w = x.w AND m.t < x.a
                            AND m.cum = ma.cum + x.d) END
FROM sla_props.m ma
WHERE ma.cid = x.cid AND ma.w = x.w AND ma.t = x.a;

CREATE TABLE sla_props.r_add AS
SELECT n, cid, w,
       CASE WHEN expected IS NOT NULL THEN got IS NOT DISTINCT FROM expected END AS good,
       format('business_add(%s, %s min): expected %s, got %s', sla_props.fmt(a, zone), d,
              sla_props.fmt(expected, zone), sla_props.fmt(got, zone)) AS detail
FROM (SELECT x.*, c.zone, sla.business_add(x.a, x.d * interval '1 minute', c.c) AS got
      FROM sla_props.c_add x JOIN sla_props.cal c ON c.id = x.cid) y;
SELECT * FROM sla_props.report('r_add', 'business_add(a, ±d) = minute walk');

---------------------------------------------------------------------------
-- 3. business_add round trip and minimality (any instant, any amount)
---------------------------------------------------------------------------

SELECT setseed(0.303);
CREATE TABLE sla_props.c_rt AS
SELECT row_number() OVER (ORDER BY cid, w, k) AS n, cid, w, k, a, d
FROM (SELECT c.id AS cid, w.w, k,
             w.lo + random() * (w.hi - w.lo) AS a,
             CASE WHEN k % 3 = 0
                  THEN (1 + floor(random() * c.max_hours * 60)) * interval '1 minute'
                  ELSE (1 + floor(random() * c.max_hours * 3600e6)) * interval '1 microsecond' END
             * CASE WHEN k % 2 = 0 THEN -1 ELSE 1 END AS d
      FROM sla_props.cal c CROSS JOIN sla_props.win w CROSS JOIN generate_series(1, 30) AS k
      ORDER BY c.id, w.w, k) g;

CREATE TABLE sla_props.r_rt_ext AS
SELECT x.*, c.zone, y.t,
       CASE WHEN isfinite(y.t) AND x.d > interval '0' THEN sla.business_time(x.a, y.t, c.c)
            WHEN isfinite(y.t) THEN sla.business_time(y.t, x.a, c.c) END AS bt,
       CASE WHEN isfinite(y.t) AND x.d > interval '0' THEN sla.business_time(x.a, y.t - interval '1 microsecond', c.c)
            WHEN isfinite(y.t) THEN sla.business_time(y.t + interval '1 microsecond', x.a, c.c) END AS bt_less
FROM sla_props.c_rt x JOIN sla_props.cal c ON c.id = x.cid
CROSS JOIN LATERAL (SELECT sla.business_add(x.a, x.d, c.c) AS t) y;

CREATE TABLE sla_props.r_rt_fwd AS
SELECT n, cid, w,
       coalesce(isfinite(t) AND t >= a AND bt = d AND bt_less < d, false) AS good,
       format('t = business_add(%s, %s) = %s; business_time(a, t) = %s, business_time(a, t - 1us) = %s',
              sla_props.fmt(a, zone), d, sla_props.fmt(t, zone), bt, bt_less) AS detail
FROM sla_props.r_rt_ext WHERE d > interval '0';
SELECT * FROM sla_props.report('r_rt_fwd', 'business_time(a, business_add(a, d)) = d and minimal');

CREATE TABLE sla_props.r_rt_bwd AS
SELECT n, cid, w,
       coalesce(isfinite(t) AND t <= a AND bt = -d AND bt_less < -d, false) AS good,
       format('t = business_add(%s, %s) = %s; business_time(t, a) = %s, business_time(t + 1us, a) = %s',
              sla_props.fmt(a, zone), d, sla_props.fmt(t, zone), bt, bt_less) AS detail
FROM sla_props.r_rt_ext WHERE d < interval '0';
SELECT * FROM sla_props.report('r_rt_bwd', 'business_time(business_add(a, -d), a) = d and latest');

---------------------------------------------------------------------------
-- 6. open_windows vs the reference open instants
---------------------------------------------------------------------------

SELECT setseed(0.606);
CREATE TABLE sla_props.c_ow AS
SELECT row_number() OVER (ORDER BY cid, w, k) AS n, cid, w, k,
       tstzrange(least(a, b), greatest(a, b)) AS r
FROM (SELECT c.id AS cid, w.w, k,
             w.lo + random() * (w.hi - w.lo) AS a,
             w.lo + random() * (w.hi - w.lo) / (1 + floor(random() * 8)) AS b
      FROM sla_props.cal c CROSS JOIN sla_props.win w CROSS JOIN generate_series(1, 12) AS k
      ORDER BY c.id, w.w, k) g;
-- some ranges on minute boundaries (ending exactly at openings/closings)
UPDATE sla_props.c_ow
SET r = tstzrange(to_timestamp(floor(extract(epoch FROM lower(r)) / 60) * 60),
                  to_timestamp(floor(extract(epoch FROM upper(r)) / 60) * 60))
WHERE k % 3 = 0;
ALTER TABLE sla_props.c_ow ADD COLUMN expected tstzmultirange, ADD COLUMN expected_bt interval;
UPDATE sla_props.c_ow x
SET expected = o.mr * tstzmultirange(x.r),
    expected_bt = sla_props.ref_f(x.cid, x.w, upper(x.r)) - sla_props.ref_f(x.cid, x.w, lower(x.r))
FROM sla_props.ref_open o WHERE o.cid = x.cid;

CREATE TABLE sla_props.r_ow_ext AS
SELECT x.*, c.zone, o.mr AS ref_mr, y.got, sla.business_time(lower(x.r), upper(x.r), c.c) AS got_bt
FROM sla_props.c_ow x JOIN sla_props.cal c ON c.id = x.cid JOIN sla_props.ref_open o ON o.cid = x.cid
CROSS JOIN LATERAL (SELECT sla.open_windows(x.r, c.c) AS got) y;

CREATE TABLE sla_props.r_ow AS
SELECT n, cid, w, coalesce(got = expected, false) AS good,
       format('open_windows(%s): expected %s, got %s', r, expected, got) AS detail
FROM sla_props.r_ow_ext;
SELECT * FROM sla_props.report('r_ow', 'open_windows(r) = reference open instants within r');

CREATE TABLE sla_props.r_ow_len AS
SELECT n, cid, w,
       coalesce(total = got_bt AND total = expected_bt
                AND NOT EXISTS (SELECT FROM unnest(got) u WHERE NOT ref_mr @> u), false) AS good,
       format('open_windows(%s) = %s: total length %s, business_time %s, reference %s, ranges outside open spans: %s',
              r, got, total, got_bt, expected_bt,
              (SELECT string_agg(u::text, ' ') FROM unnest(got) u WHERE NOT ref_mr @> u)) AS detail
FROM (SELECT e.*, (SELECT coalesce(sum(upper(u) - lower(u)), interval '0') FROM unnest(e.got) u) AS total
      FROM sla_props.r_ow_ext e) z;
SELECT * FROM sla_props.report('r_ow_len', 'open_windows total = business_time = reference, ranges inside open spans');

---------------------------------------------------------------------------
-- 7. Pauses: business_time and business_add with paused ranges
---------------------------------------------------------------------------

SELECT setseed(0.707);
CREATE TABLE sla_props.c_p AS
SELECT row_number() OVER (ORDER BY cid, w, k) AS n, cid, w, k, a, b, lo, hi,
       coalesce(p, '{}'::tstzmultirange) AS p, u
FROM (SELECT c.id AS cid, w.w, k, w.lo, w.hi,
             w.lo + floor(random() * (extract(epoch FROM w.hi - w.lo) / 60 - 5760)) * interval '1 minute' AS a,
             floor(random() * 5760) AS len,
             random() AS u,
             floor(random() * 4) AS np,
             random() AS r1, random() AS r2, random() AS r3, random() AS l1, random() AS l2, random() AS l3
      FROM sla_props.cal c CROSS JOIN sla_props.win w CROSS JOIN generate_series(1, 8) AS k
      ORDER BY c.id, w.w, k) g
CROSS JOIN LATERAL (SELECT g.a + g.len * interval '1 minute' AS b) bb
CROSS JOIN LATERAL (
    -- up to 3 pauses on whole minutes around [a, b), lengths up to 12 hours;
    -- k = 3: the last pause has no upper bound; k = 8: the first has no
    -- lower bound
    SELECT range_agg(pr) AS p
    FROM (SELECT CASE WHEN g.k = 3 AND j = g.np THEN tstzrange(ps, NULL)
                      WHEN g.k = 8 AND j = 1 THEN tstzrange(NULL, ps + pl)
                      ELSE tstzrange(ps, ps + pl) END AS pr
          FROM (VALUES (1, g.r1, g.l1), (2, g.r2, g.l2), (3, g.r3, g.l3)) v(j, rs, rl)
          CROSS JOIN LATERAL (SELECT g.a + (floor(rs * (g.len + 720)) - 360) * interval '1 minute' AS ps,
                                     (1 + floor(rl * 720)) * interval '1 minute' AS pl) q
          WHERE j <= g.np) prs) pp;
-- reversed order for every third case
UPDATE sla_props.c_p SET a = b, b = a WHERE k % 3 = 0;

-- reference: open minutes of [least(a,b), greatest(a,b)) not paused
ALTER TABLE sla_props.c_p ADD COLUMN expected interval;
UPDATE sla_props.c_p x
SET expected = CASE WHEN x.b < x.a THEN -1 ELSE 1 END * interval '1 minute' *
    (SELECT count(*) FROM sla_props.m m
     WHERE m.cid = x.cid AND m.w = x.w AND m.t >= least(x.a, x.b) AND m.t < greatest(x.a, x.b)
       AND m.open AND NOT x.p @> m.t);

CREATE TABLE sla_props.r_pbt AS
SELECT n, cid, w,
       coalesce(got = expected AND extract(day FROM got) = 0, false) AS good,
       format('business_time(%s, %s, paused %s): expected %s, got %s',
              sla_props.fmt(a, zone), sla_props.fmt(b, zone), p, expected, got) AS detail
FROM (SELECT x.*, c.zone, sla.business_time(x.a, x.b, c.c, x.p) AS got
      FROM sla_props.c_p x JOIN sla_props.cal c ON c.id = x.cid) y;
SELECT * FROM sla_props.report('r_pbt', 'business_time(a, b, paused) = minute walk outside pauses');

-- business_add with pauses vs the walk: start a, whole minutes d; forward
-- for odd k, backward for even k.  Expected: the end of the d-th open,
-- unpaused minute after a (start of the d-th before a); infinity when the
-- window has fewer and every instant after it is paused (-infinity
-- likewise before it); not applicable otherwise.
ALTER TABLE sla_props.c_p ADD COLUMN d bigint, ADD COLUMN exp_add timestamptz;
UPDATE sla_props.c_p x
SET d = CASE WHEN x.k % 2 = 1 THEN 1 ELSE -1 END
        * (1 + floor(x.u * (1 + (SELECT count(*) FROM sla_props.m m
                                 WHERE m.cid = x.cid AND m.w = x.w AND m.open AND NOT x.p @> m.t AND m.t < x.hi
                                   AND CASE WHEN x.k % 2 = 1 THEN m.t >= x.a ELSE m.t < x.a END))))::bigint;
UPDATE sla_props.c_p x
SET exp_add = CASE
    WHEN x.d > 0 THEN coalesce(
        (SELECT t + interval '1 minute' FROM sla_props.m m
         WHERE m.cid = x.cid AND m.w = x.w AND m.t >= x.a AND m.t < x.hi AND m.open AND NOT x.p @> m.t
         ORDER BY m.t OFFSET x.d - 1 LIMIT 1),
        CASE WHEN x.p @> tstzrange(x.hi, NULL) THEN 'infinity'::timestamptz END)
    ELSE coalesce(
        (SELECT t FROM sla_props.m m
         WHERE m.cid = x.cid AND m.w = x.w AND m.t < x.a AND m.open AND NOT x.p @> m.t
         ORDER BY m.t DESC OFFSET -x.d - 1 LIMIT 1),
        CASE WHEN x.p @> tstzrange(NULL, x.lo) THEN '-infinity'::timestamptz END) END;

CREATE TABLE sla_props.r_padd AS
SELECT n, cid, w,
       CASE WHEN exp_add IS NOT NULL THEN got IS NOT DISTINCT FROM exp_add END AS good,
       format('business_add(%s, %s min, paused %s): expected %s, got %s',
              sla_props.fmt(a, zone), d, p, sla_props.fmt(exp_add, zone), sla_props.fmt(got, zone)) AS detail
FROM (SELECT x.*, c.zone, sla.business_add(x.a, x.d * interval '1 minute', c.c, x.p) AS got
      FROM sla_props.c_p x JOIN sla_props.cal c ON c.id = x.cid) y;
SELECT * FROM sla_props.report('r_padd', 'business_add(a, ±d, paused) = minute walk outside pauses');

-- round trip with pauses, from any instant with any amount
SELECT setseed(0.717);
CREATE TABLE sla_props.c_prt AS
SELECT x.n, x.cid, x.w, x.p, x.hi,
       x.a + random() * interval '1 minute' AS a,
       (1 + floor(random() * c.max_hours * 3600e6)) * interval '1 microsecond'
       * CASE WHEN x.k % 2 = 1 THEN 1 ELSE -1 END AS d
FROM sla_props.c_p x JOIN sla_props.cal c ON c.id = x.cid
ORDER BY x.n;

CREATE TABLE sla_props.r_prt_ext AS
SELECT x.*, c.zone, y.t,
       CASE WHEN isfinite(y.t) AND x.d > interval '0' THEN sla.business_time(x.a, y.t, c.c, x.p)
            WHEN isfinite(y.t) THEN sla.business_time(y.t, x.a, c.c, x.p) END AS bt,
       CASE WHEN isfinite(y.t) AND x.d > interval '0' THEN sla.business_time(x.a, y.t - interval '1 microsecond', c.c, x.p)
            WHEN isfinite(y.t) THEN sla.business_time(y.t + interval '1 microsecond', x.a, c.c, x.p) END AS bt_less
FROM sla_props.c_prt x JOIN sla_props.cal c ON c.id = x.cid
CROSS JOIN LATERAL (SELECT sla.business_add(x.a, x.d, c.c, x.p) AS t) y;

-- An infinite answer is right only when, by the reference, the open
-- unpaused time left in the window is under the amount and the pauses
-- cover everything beyond the window.
CREATE TABLE sla_props.r_prt AS
SELECT n, cid, w,
       CASE WHEN isfinite(t)
            THEN coalesce(bt = abs_d AND bt_less < abs_d
                          AND CASE WHEN d > interval '0' THEN t >= a ELSE t <= a END, false)
            WHEN d > interval '0'
            THEN coalesce(t = 'infinity' AND p @> tstzrange(hi, NULL)
                          AND sla_props.ref_open_time(cid, w, a, hi, p) < abs_d, false)
            ELSE coalesce(t = '-infinity' AND p @> tstzrange(NULL, lo)
                          AND sla_props.ref_open_time(cid, w, lo, a, p) < abs_d, false) END AS good,
       format('t = business_add(%s, %s, paused %s) = %s; business_time between = %s, one microsecond less = %s',
              sla_props.fmt(a, zone), d, p, sla_props.fmt(t, zone), bt, bt_less) AS detail
FROM (SELECT e.*, wi.lo, CASE WHEN e.d < interval '0' THEN -e.d ELSE e.d END AS abs_d
      FROM sla_props.r_prt_ext e JOIN sla_props.win wi ON wi.w = e.w) z;
SELECT * FROM sla_props.report('r_prt', 'business_add(a, ±d, paused) round trip, minimal (or infinite when paused for ever)');

---------------------------------------------------------------------------
-- Calendars that never open / never close
---------------------------------------------------------------------------

SELECT is(sla.business_add('2026-03-29 01:00+00', interval '1 hour', sla.calendar('Mo off', 'Europe/Berlin')),
          'infinity'::timestamptz, 'a calendar that is never open: business_add forward is infinity');
SELECT is(sla.business_add('2026-03-29 01:00+00', interval '-1 hour', sla.calendar('Mo off', 'Europe/Berlin')),
          '-infinity'::timestamptz, 'a calendar that is never open: business_add backward is -infinity');
SELECT is(sla.next_open('2026-03-29 01:00+00', sla.calendar('Mo off', 'Europe/Berlin')),
          'infinity'::timestamptz, 'a calendar that is never open: next_open is infinity');

SELECT * FROM finish();
ROLLBACK;
