-- Daylight saving time: local span boundaries become instants exactly as
-- "timestamp AT TIME ZONE zone" does (a gap takes the offset from before the
-- transition, an overlap the offset after it); a span mapped to nothing is
-- empty.  Results in UTC.
SET TimeZone = 'UTC';

-- Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
-- A whole day is 23 h in spring and 25 h in autumn.
SELECT sla.business_time('2026-03-29 00:00+01', '2026-03-30 00:00+02', c) AS spring_day,
       sla.business_time('2026-10-25 00:00+02', '2026-10-26 00:00+01', c) AS autumn_day
  FROM (SELECT sla.calendar('24/7', 'Europe/Berlin') AS c) s;
-- 01:00 CET (00:00Z) to 04:00 CEST (02:00Z): 2 h
SELECT sla.open_windows('[2026-03-28, 2026-03-30)', sla.calendar('Su 01:00-04:00', 'Europe/Berlin'));
-- 02:30 lies in the gap: 01:30Z; 03:30 CEST is 01:30Z too: empty
SELECT sla.open_windows('[2026-03-28, 2026-03-30)', sla.calendar('Su 02:30-03:30', 'Europe/Berlin'));
-- 02:00 (gap, CET) is 01:00Z, 02:30 (gap, CET) 01:30Z
SELECT sla.open_windows('[2026-03-28, 2026-03-30)', sla.calendar('Su 02:00-02:30', 'Europe/Berlin'));
-- the overlap 02:00-03:00 takes the later offset (CET): 01:00Z-02:00Z
SELECT sla.open_windows('[2026-10-24, 2026-10-26)', sla.calendar('Su 02:00-03:00', 'Europe/Berlin'));
-- 01:00 CEST (Sat 23:00Z) to 03:00 CET (02:00Z): 3 h
SELECT sla.open_windows('[2026-10-24, 2026-10-26)', sla.calendar('Su 01:00-03:00', 'Europe/Berlin'));
-- overnight across the spring night: Sat 23:00 CET (22:00Z) to Sun 05:00 CEST (03:00Z), 5 h not 6
SELECT sla.open_windows('[2026-03-28, 2026-03-30)', sla.calendar('Sa 23:00-05:00', 'Europe/Berlin')),
       sla.business_time('2026-03-28', '2026-03-30', sla.calendar('Sa 23:00-05:00', 'Europe/Berlin'));
-- and across the autumn night: Sat 23:00 CEST (21:00Z) to Sun 05:00 CET (04:00Z), 7 h
SELECT sla.business_time('2026-10-24', '2026-10-26', sla.calendar('Sa 23:00-05:00', 'Europe/Berlin'));

-- America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST
SELECT sla.business_time('2026-11-01 00:00-04', '2026-11-02 00:00-05', sla.calendar('24/7', 'America/New_York')) AS autumn_day;
-- Friday 16:00 EST (21:00Z) + 2 h: Friday 17:00, then Monday 09:00-10:00 EDT (14:00Z)
SELECT sla.business_add('2026-03-06 21:00Z', '2 hours', sla.calendar('Mo-Fr 09:00-17:00', 'America/New_York'));
-- the gap: 02:15 EST = 07:15Z .. 03:15 EDT = 07:15Z: empty; 01:30-02:30 is 06:30Z-07:30Z
SELECT sla.open_windows('[2026-03-08, 2026-03-09)', sla.calendar('Su 02:15-03:15', 'America/New_York')) AS in_gap,
       sla.open_windows('[2026-03-08, 2026-03-09)', sla.calendar('Su 01:30-02:30', 'America/New_York')) AS into_gap;

-- Australia/Sydney (southern hemisphere): 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00 AEST -> 03:00 AEDT
SELECT sla.business_time('2026-04-05 00:00+11', '2026-04-06 00:00+10', c) AS autumn_day,
       sla.business_time('2026-10-04 00:00+10', '2026-10-05 00:00+11', c) AS spring_day
  FROM (SELECT sla.calendar('24/7', 'Australia/Sydney') AS c) s;
-- Friday 2026-04-03 16:00 AEDT + 3 h: 1 h Friday, Monday 09:00 AEST (Sun 23:00Z) + 2 h = Mon 01:00Z
SELECT sla.business_add('2026-04-03 16:00+11', '3 hours', sla.calendar('Mo-Fr 09:00-17:00', 'Australia/Sydney'));

-- Australia/Lord_Howe moves by 30 minutes: 2026-04-05 is 24.5 h, 2026-10-04 is 23.5 h
SELECT sla.business_time('2026-04-05 00:00+11', '2026-04-06 00:00+10:30', c) AS autumn_day,
       sla.business_time('2026-10-04 00:00+10:30', '2026-10-05 00:00+11', c) AS spring_day
  FROM (SELECT sla.calendar('24/7', 'Australia/Lord_Howe') AS c) s;
-- Pacific/Chatham (+13:45 / +12:45): 2026-04-05 03:45 -> 02:45, a 25 h day
SELECT sla.business_time('2026-04-05 00:00+13:45', '2026-04-06 00:00+12:45', sla.calendar('24/7', 'Pacific/Chatham'));
-- Asia/Kolkata (+05:30): Monday 18:00 IST + 1 h = Tuesday 10:30 IST = 05:00Z
SELECT sla.business_add('2026-11-23 18:00+05:30', '1 hour', sla.calendar('Mo-Fr 09:30-18:00', 'Asia/Kolkata'));
-- America/St_Johns (-03:30): opening hours 09:00-17:00 local are 12:30Z-20:30Z in winter
SELECT sla.open_windows('[2026-11-23, 2026-11-24)', sla.calendar('Mo 09:00-17:00', 'America/St_Johns'));
-- each span is mapped on its own, then spans merge: 02:00-02:30 is 07:00Z-07:30Z,
-- 02:30-03:00 maps to 07:30Z..07:00Z and is empty (merged first, 02:00-03:00 would be empty)
SELECT sla.open_windows('[2026-03-08, 2026-03-09)', sla.calendar('Su 02:00-02:30,02:30-03:00', 'America/New_York'));
