-- business_time, business_add, is_open, next_open, next_close, worked out
-- by hand on a Berlin office calendar: Mo-Fr 09:00-12:00,13:00-17:00,
-- holidays 24 and 25 December 2026 (Thursday, Friday).  Session time zone
-- Europe/Berlin, so every instant below is Berlin wall-clock time.
SET TimeZone = 'Europe/Berlin';
CREATE TEMP TABLE office AS
  SELECT sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin', '{2026-12-24,2026-12-25}') AS c;

-- Monday 2026-11-23 08:00 to Tuesday 10:00: 7 h on Monday, 1 h on Tuesday
SELECT sla.business_time('2026-11-23 08:00', '2026-11-24 10:00', c) FROM office;
-- Friday 16:00 to Monday 10:00: 1 h + 1 h; reversed it is negative
SELECT sla.business_time('2026-11-27 16:00', '2026-11-30 10:00', c),
       sla.business_time('2026-11-30 10:00', '2026-11-27 16:00', c) FROM office;
-- a whole week is 35 h, with no day field
SELECT sla.business_time('2026-11-23 00:00', '2026-11-30 00:00', c) FROM office;
-- microseconds count
SELECT sla.business_time('2026-11-23 09:00:00.000001', '2026-11-23 09:00:01', c) FROM office;

-- a start outside hours counts from the next opening: 09-12 and 13-14
SELECT sla.business_add('2026-11-23 08:00', '4 hours', c) FROM office;
-- a deadline reached exactly at closing is that closing instant
SELECT sla.business_add('2026-11-23 09:00', '7 hours', c) AS at_evening_close,
       sla.business_add('2026-11-23 09:00', '3 hours', c) AS at_lunch_close FROM office;
-- 1 h on Monday, 1 h on Tuesday
SELECT sla.business_add('2026-11-23 16:00', '2 hours', c) FROM office;
-- days count as 24 hours: 3 days of 7 h and 3 h on Thursday
SELECT sla.business_add('2026-11-23 09:00', '1 day', c) AS one_day,
       sla.business_add('2026-11-23 09:00', '24 hours', c) AS twenty_four_hours FROM office;
-- holidays and the weekend are skipped: Wed 16-17, then Monday 28 09-10
SELECT sla.business_add('2026-12-23 16:00', '2 hours', c) FROM office;
-- negative amounts go back: the latest instant with enough business time after it
SELECT sla.business_add('2026-12-28 10:00', '-2 hours', c) AS over_the_holidays,
       sla.business_add('2026-11-24 10:00', '-1 hour', c) AS at_opening,
       sla.business_add('2026-11-24 09:00', '-1 hour', c) AS from_opening FROM office;
-- zero is the start, even outside hours
SELECT sla.business_add('2026-11-28 03:00', '0', c) FROM office;
-- infinite starts stay where they are
SELECT sla.business_add('infinity', '1 hour', c), sla.business_add('-infinity', '-1 hour', c) FROM office;

-- pauses: 1.5 h paused on Monday morning
SELECT sla.business_time('2026-11-23 09:00', '2026-11-23 17:00', c,
                         '{[2026-11-23 10:00, 2026-11-23 11:30)}') AS elapsed,
       sla.business_add('2026-11-23 09:00', '4 hours', c,
                        '{[2026-11-23 10:00, 2026-11-23 11:30)}') AS due FROM office;
-- a pause spanning the weekend: Fri 09-12, 13-15 (5 h), paused to Mon 10:00, Mon 10-12, 13-14
SELECT sla.business_add('2026-11-27 09:00', '8 hours', c,
                        '{[2026-11-27 15:00, 2026-11-30 10:00)}') FROM office;
-- a pause outside business hours changes nothing
SELECT sla.business_time('2026-11-27 09:00', '2026-11-30 17:00', c) AS without,
       sla.business_time('2026-11-27 09:00', '2026-11-30 17:00', c,
                         '{[2026-11-28 00:00, 2026-11-29 00:00)}') AS with_weekend_pause FROM office;
-- a pause without end: the deadline is reached before it, or never
SELECT sla.business_add('2026-11-23 09:00', '2 hours', c, '{[2026-11-23 11:00,)}') AS reached_at_pause,
       sla.business_add('2026-11-23 09:00', '4 hours', c, '{[2026-11-23 11:00,)}') AS never FROM office;
-- a start inside a pause waits for its end
SELECT sla.business_add('2026-11-23 10:30', '1 hour', c, '{[2026-11-23 10:00, 2026-11-23 14:00)}') FROM office;
-- back over a pause: 13-15 and 11:30-12 (2.5 h), paused, 09-10 (1 h), Friday 16:30-17
SELECT sla.business_add('2026-11-23 15:00', '-4 hours', c,
                        '{[2026-11-23 10:00, 2026-11-23 11:30)}') FROM office;
-- NULL pauses are no pauses; a NULL instant gives NULL
SELECT sla.business_time('2026-11-23 08:00', '2026-11-24 10:00', c, NULL) AS null_pauses,
       sla.business_time(NULL, '2026-11-24 10:00', c) IS NULL AS null_since FROM office;

-- is_open, next_open, next_close
SELECT sla.is_open('2026-11-23 09:00', c) AS at_opening,
       sla.is_open('2026-11-23 11:59:59.999999', c) AS just_before_lunch,
       sla.is_open('2026-11-23 12:00', c) AS at_lunch,
       sla.is_open('2026-11-28 10:00', c) AS saturday,
       sla.is_open('2026-12-24 10:00', c) AS holiday FROM office;
SELECT sla.next_open('2026-11-23 12:30', c) AS after_lunch,
       sla.next_open('2026-11-23 10:00', c) AS already_open,
       sla.next_open('2026-11-27 17:00', c) AS friday_evening,
       sla.next_open('2026-12-23 18:00', c) AS before_holidays FROM office;
SELECT sla.next_close('2026-11-23 10:00', c) AS morning,
       sla.next_close('2026-11-23 12:30', c) AS already_closed FROM office;
-- touching spans merge: one span from 09:00 to 17:00
SELECT sla.next_close('2026-11-23 10:00', sla.calendar('Mo-Fr 09:00-12:00,12:00-17:00', 'Europe/Berlin'));

-- open_windows clips to the range
SELECT sla.open_windows('[2026-11-23 10:30, 2026-11-23 14:00)', c) FROM office;
SELECT sla.open_windows('empty', c) FROM office;

-- far answers: across many materialized chunks, and never
SET TimeZone = 'UTC';
SELECT sla.next_close('2026-01-01 00:00', sla.calendar('24/7; Dec 25 off')) AS christmas,
       sla.next_close('2026-01-01 00:00', sla.calendar('24/7')) AS never_closes,
       sla.next_open('2026-01-01 00:00', sla.calendar('')) AS never_opens,
       sla.business_add('2026-01-01 00:00', '1 hour', sla.calendar('Dec 25 off')) AS closed_forever;
-- 2000 hours at 40 hours a week are exactly 50 weeks: Friday 2026-12-18 17:00
SELECT sla.business_add('2026-01-05 09:00', '2000 hours', sla.calendar('Mo-Fr 09:00-17:00'));
-- one hour of open time ever
SELECT sla.business_add('2026-12-01', '30 minutes', c) AS within,
       sla.business_add('2026-12-01', '2 hours', c) AS beyond,
       sla.business_add('2027-01-01', '-30 minutes', c) AS back_within,
       sla.business_add('2027-01-01', '-2 hours', c) AS back_beyond
  FROM (SELECT sla.calendar('2026 Dec 24 09:00-10:00') AS c) one_hour;

