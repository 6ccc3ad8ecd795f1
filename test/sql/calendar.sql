-- The sla.calendar type: construction, canonical text, equality, and the
-- rule semantics, shown with open_windows over chosen UTC days.
-- 2026-11-23 is a Monday.
SET TimeZone = 'UTC';
-- the operators live in schema sla: put it on the search_path or write OPERATOR(sla.=)
SET search_path = public, sla;

-- canonical text: zone spelled as PostgreSQL knows it, rules normalized,
-- holidays sorted and deduplicated
SELECT sla.calendar('mo-FR 9:00-12:00 , 13:00-17:00;;', 'europe/berlin',
                    '{2026-12-26,2026-12-25,2026-12-26}');
SELECT sla.calendar('Sa,Su; Fr-Mo 22:00-00:00; Dec 24-Jan 02 off; 2026 Dec 31 10:00-12:00; PH closed');
SELECT sla.calendar('');
SELECT sla.calendar('24/7', 'Asia/Kolkata');

-- the text form reads back to an equal value
SELECT c::text::sla.calendar = c AS round_trip
  FROM (SELECT sla.calendar('Mo-Fr 08:00-18:00; PH off', 'Australia/Lord_Howe', '{2026-01-26}') AS c) s;
-- bare rules are a UTC calendar without holidays
SELECT 'Mo-Fr 09:00-17:00'::sla.calendar = sla.calendar('Mo-Fr 09:00-17:00') AS bare_rules;
SELECT 'holidays=2026-12-25 zone=Europe/Berlin rules="PH off"'::sla.calendar;
-- equality is on the canonical form
SELECT sla.calendar('Mo,Tu,We 9:00-17:00') = sla.calendar('Mo-We 09:00-17:00') AS same,
       sla.calendar('Mo-Fr 09:00-17:00') <> sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin') AS zone_differs,
       sla.calendar('Mo-Fr 09:00-17:00', 'UTC', '{2026-12-25}') = sla.calendar('Mo-Fr 09:00-17:00') AS holidays_differ;
SELECT sla.calendar('Mo-Fr') OPERATOR(sla.=) sla.calendar('mo-fr') AS qualified_operator;
-- hashable: GROUP BY works
SELECT c, count(*) FROM (VALUES (sla.calendar('Mo-Fr')), (sla.calendar('mo-fr')), (sla.calendar('Sa'))) v(c)
 GROUP BY c ORDER BY count(*);

-- 1. the last rule selecting a date gives that date's hours
SELECT sla.open_windows('[2026-11-23, 2026-11-24)', sla.calendar('Mo-Fr 09:00-12:00; Mo-Fr 13:00-17:00'));
SELECT sla.open_windows('[2026-11-23, 2026-11-24)', sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00'));
-- a selector without times is open all day; off closes
SELECT sla.open_windows('[2026-11-27, 2026-11-30)', sla.calendar('Fr-Su; Sa off'));

-- 2. overnight spans spill into the next date unless a later rule selects it
SELECT sla.open_windows('[2026-11-23, 2026-11-26)', sla.calendar('Mo-Fr 22:00-06:00; Tu off'));
SELECT sla.open_windows('[2026-11-23, 2026-11-25)', sla.calendar('Mo 23:00-05:00; Mo off'));
-- an end of 00:00 or 24:00 is the end of the day
SELECT sla.open_windows('[2026-11-23, 2026-11-25)', sla.calendar('Mo 22:00-00:00; Tu 22:00-24:00'));

-- 3. holidays close unless a rule mentions PH
SELECT sla.open_windows('[2026-12-24, 2026-12-26)', sla.calendar('Mo-Fr 09:00-17:00', 'UTC', '{2026-12-25}'));
SELECT sla.open_windows('[2026-12-24, 2026-12-26)', sla.calendar('Mo-Fr 09:00-17:00; PH 10:00-12:00', 'UTC', '{2026-12-25}'));
-- a holiday also drops the spill of the night before (implicit PH off is the last rule)
SELECT sla.open_windows('[2026-12-24, 2026-12-26)', sla.calendar('Mo-Fr 20:00-02:00', 'UTC', '{2026-12-25}'));
-- a PH rule before a weekday rule loses to it
SELECT sla.open_windows('[2026-12-25, 2026-12-26)', sla.calendar('PH off; Fr 09:00-10:00', 'UTC', '{2026-12-25}'));

-- dates: single, ranges, lists, ranges across the year end, with a year
SELECT sla.open_windows('[2026-12-23, 2027-01-04)', sla.calendar('24/7; Dec 24-Jan 02 off'));
SELECT sla.open_windows('[2026-12-23, 2026-12-28)', sla.calendar('Dec 24,Dec 26 10:00-11:00'));
SELECT sla.open_windows('[2026-12-23, 2026-12-28)', sla.calendar('Dec 25-26 10:00-11:00'));
-- with a year: only that occurrence
SELECT sla.open_windows('[2026-12-30, 2027-01-03)', sla.calendar('2026 Dec 31-Jan 01 10:00-11:00'));
SELECT sla.open_windows('[2027-12-30, 2028-01-03)', sla.calendar('2026 Dec 31-Jan 01 10:00-11:00'));
-- yearless 29 February selects leap years only
SELECT sla.open_windows('[2027-02-28, 2027-03-02)', sla.calendar('Feb 29 10:00-11:00'));
SELECT sla.open_windows('[2028-02-28, 2028-03-02)', sla.calendar('Feb 29 10:00-11:00'));
-- a weekday range that wraps
SELECT sla.open_windows('[2026-11-26, 2026-12-01)', sla.calendar('Fr-Mo 10:00-11:00'));

-- binary send/recv round trip
CREATE TEMP TABLE cals (c sla.calendar);
INSERT INTO cals VALUES (sla.calendar('Mo-Fr 09:00-17:00; PH off', 'America/St_Johns', '{2026-07-01}'));
COPY cals TO '/tmp/sla_calendar_regress.bin' WITH (FORMAT binary);
CREATE TEMP TABLE cals2 (c sla.calendar);
COPY cals2 FROM '/tmp/sla_calendar_regress.bin' WITH (FORMAT binary);
SELECT a.c = b.c AS binary_round_trip, b.c FROM cals a, cals2 b;
