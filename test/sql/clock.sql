-- SLA clocks: sla.evaluate for each state and rule, and the sla.pauses
-- aggregate, worked out by hand on the Berlin office calendar
-- (Mo-Fr 09:00-12:00,13:00-17:00).  Wall-clock times are Berlin's.
SET TimeZone = 'Europe/Berlin';
CREATE TEMP TABLE office AS
  SELECT sla.calendar('Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin') AS c;

-- A ticket opened Monday 2026-11-23 09:00 with a 4-hour target: due 14:00.
SELECT 'running' AS expect, r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, as_of => '2026-11-23 10:00') r
UNION ALL
-- 3 h of 4 used: 0.75 reaches the default warning level
SELECT 'at_risk', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, as_of => '2026-11-23 13:00') r
UNION ALL
SELECT 'running (warn at 0.9)', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, as_of => '2026-11-23 13:00', warn_at => 0.9) r
UNION ALL
-- at the deadline and not stopped: used up, not yet breached
SELECT 'at_risk (at due time)', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, as_of => '2026-11-23 14:00') r
UNION ALL
SELECT 'breached', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, as_of => '2026-11-23 15:00') r
UNION ALL
-- a deadline at a closing (Friday 15:00 plus 2 hours: Friday 17:00) is
-- breached just after it, all weekend, with nothing left and all used
SELECT 'breached (after a closing)', r.* FROM office, sla.evaluate('2026-11-27 15:00', '2 hours', c, as_of => '2026-11-27 17:00:00.000001') r
UNION ALL
SELECT 'breached (weekend)', r.* FROM office, sla.evaluate('2026-11-27 15:00', '2 hours', c, as_of => '2026-11-28 12:00') r
UNION ALL
-- stopped exactly at the deadline is met, a microsecond later breached
SELECT 'met (stopped at due)', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, stopped_at => '2026-11-23 14:00', as_of => '2026-11-30') r
UNION ALL
SELECT 'breached (1 us late)', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, stopped_at => '2026-11-23 14:00:00.000001', as_of => '2026-11-30') r
UNION ALL
-- a pause still open at as_of counts up to as_of, and the deadline moves: 09-10, 11-12, 13-15
SELECT 'paused', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, paused => '{[2026-11-23 10:00,)}', as_of => '2026-11-23 11:00') r
UNION ALL
-- stopped while paused: the pause ends at the stop
SELECT 'met (stopped in a pause)', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, stopped_at => '2026-11-23 11:00', paused => '{[2026-11-23 10:00,)}', as_of => '2026-11-30') r
UNION ALL
-- as_of before the start: nothing used yet
SELECT 'running (not started)', r.* FROM office, sla.evaluate('2026-11-23 09:00', '4 hours', c, as_of => '2026-11-20 10:00') r;

-- Friday 2026-11-27 15:00, 4 hours.  A pause over the weekend, Friday 16:00 to
-- Monday 11:00: Fri 15-16, Mon 11-12 used; due Mon 15:00 (11-12, 13-15).
SELECT r.* FROM office, sla.evaluate('2026-11-27 15:00', '4 hours', c,
    paused => '{[2026-11-27 16:00, 2026-11-30 11:00)}', as_of => '2026-11-30 12:00') r;
-- a pause outside business hours changes nothing: Fri 15-17 and Mon 09-10 used, due Mon 11:00
SELECT r.* FROM office, sla.evaluate('2026-11-27 15:00', '4 hours', c,
    paused => '{[2026-11-28 00:00, 2026-11-29 00:00)}', as_of => '2026-11-30 10:00') r;

-- NULL inputs give NULL; a zero target is an error
SELECT sla.evaluate(NULL, '4 hours', c) IS NULL AS null_start,
       sla.evaluate('2026-11-23 09:00', NULL, c) IS NULL AS null_target,
       sla.evaluate('2026-11-23 09:00', '4 hours', NULL) IS NULL AS null_calendar FROM office;
SELECT sla.evaluate('2026-11-23 09:00', '0', c) FROM office;

-- sla.pauses over a status history (pending and on_hold pause the clock)
CREATE TEMP TABLE history (ticket int, changed_at timestamptz, status text);
INSERT INTO history VALUES
  (1, '2026-11-23 09:00', 'open'),
  (1, '2026-11-23 10:00', 'pending'),
  (1, '2026-11-23 10:30', 'on_hold'),      -- still paused: repeated values are harmless
  (1, '2026-11-23 11:00', 'open'),
  (1, '2026-11-23 15:00', 'pending'),      -- still pending at the end: no upper bound
  (2, '2026-11-23 09:00', 'pending'),      -- paused from the start
  (2, '2026-11-23 12:00', NULL),           -- NULL rows are ignored
  (2, '2026-11-23 13:00', 'solved'),
  (3, '2026-11-23 09:00', 'open');
SELECT ticket, sla.pauses(changed_at, status IN ('pending', 'on_hold') ORDER BY changed_at)
  FROM history GROUP BY ticket ORDER BY ticket;
-- the rows may come in any order
SELECT sla.pauses(changed_at, status IN ('pending', 'on_hold'))
  FROM (SELECT * FROM history WHERE ticket = 1 ORDER BY changed_at DESC) h;
-- as a window aggregate: the pauses known after each change
SELECT ticket, changed_at, status,
       sla.pauses(changed_at, status IN ('pending', 'on_hold')) OVER (PARTITION BY ticket ORDER BY changed_at)
  FROM history WHERE ticket = 1 ORDER BY changed_at;

-- the LATERAL idiom evaluates once per ticket.  Ticket 1 used its 4 hours
-- by 15:00 (09-10, 11-12, 13-15) and went pending then: its deadline,
-- 15:00, has passed at 16:00, so it is breached although paused
SELECT h.ticket, r.state, r.due_at, r.elapsed
  FROM (SELECT ticket, min(changed_at) AS opened,
               sla.pauses(changed_at, status IN ('pending', 'on_hold') ORDER BY changed_at) AS paused
          FROM history GROUP BY ticket) h
  CROSS JOIN office
  CROSS JOIN LATERAL sla.evaluate(h.opened, '4 hours', office.c, paused => h.paused, as_of => '2026-11-23 16:00') r
 ORDER BY h.ticket;
