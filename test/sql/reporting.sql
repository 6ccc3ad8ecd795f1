-- Reporting: compliance views, percentiles, what-if, suggested targets,
-- availability, downtime budgets and service credits.  Every value below is
-- worked out by hand in the comments.  Times are shown in Berlin; in
-- February and March 2024 Berlin is UTC+1 (summer time from 31 March), in
-- March 2026 summer time starts on Sunday 29 March at 02:00 (becomes 03:00).
SET TimeZone = 'Europe/Berlin';
\i test/sql/include/try.sql

-- Downtime budgets ------------------------------------------------------------
-- 99.5% of July 2026 in UTC: 31 days = 744 h = 2 678 400 s; 0.5% of it is
-- 13 392 s = 3 h 43 min 12 s.  Of a 30-day month (June): 720 h x 0.005 =
-- 3.6 h = 3 h 36 min.
SELECT sla.downtime_budget(0.995, '[2026-07-01 00:00+00, 2026-08-01 00:00+00)') AS july,
       sla.downtime_budget(0.995, '[2026-06-01 00:00+00, 2026-07-01 00:00+00)') AS june;
-- A DST month: March 2026 in Berlin lasts 31 x 24 - 1 = 743 h = 2 674 800 s
-- (the night of the 29th loses an hour); 0.1% is 2 674.8 s = 44 min 34.8 s.
-- The same month of a 24/7 calendar in Berlin is the same 743 h.
SELECT sla.downtime_budget(0.999, '[2026-03-01, 2026-04-01)') AS march_berlin,
       sla.downtime_budget(0.999, '[2026-03-01, 2026-04-01)', sla.calendar('24/7', 'Europe/Berlin')) AS march_24_7;
-- A leap month: February 2028 has 29 days = 696 h = 2 505 600 s; 0.1% is
-- 2 505.6 s = 41 min 45.6 s.  February 2027: 672 h, 0.1% = 2 419.2 s =
-- 40 min 19.2 s.
SELECT sla.downtime_budget(0.999, '[2028-02-01 00:00+00, 2028-03-01 00:00+00)') AS february_2028,
       sla.downtime_budget(0.999, '[2027-02-01 00:00+00, 2027-03-01 00:00+00)') AS february_2027;
-- Business hours Mo-Fr 09:00-17:00 in Berlin, March 2026: 1 March is a
-- Sunday; weekdays 2-6, 9-13, 16-20, 23-27, 30-31 = 22 days x 8 h = 176 h
-- (the DST night is outside the hours).  1% of 176 h = 1.76 h = 1 h 45 min 36 s.
-- Target 1 allows nothing, target 0 all of it.
SELECT sla.downtime_budget(0.99, '[2026-03-01, 2026-04-01)', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')) AS business,
       sla.downtime_budget(1, '[2026-03-01, 2026-04-01)', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')) AS none,
       sla.downtime_budget(0, '[2026-03-01, 2026-04-01)', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')) AS all_of_it;
SELECT sla.downtime_budget(NULL, '[2026-03-01, 2026-04-01)') AS null_target;
SELECT pg_temp.try($$SELECT sla.downtime_budget(99.5, '[2026-03-01, 2026-04-01)')$$);
SELECT pg_temp.try($$SELECT sla.downtime_budget(-0.1, '[2026-03-01, 2026-04-01)')$$);
SELECT pg_temp.try($$SELECT sla.downtime_budget(0.99, '[2026-03-01,)')$$);
SELECT pg_temp.try($$SELECT sla.downtime_budget(0.99, '[2026-03-01, infinity)')$$);
SELECT pg_temp.try($$SELECT sla.downtime_budget(0.99, 'empty')$$);

-- Availability ----------------------------------------------------------------
-- Excluded maintenance overlapping an outage.  June 2026 in UTC: 720 h.
-- Maintenance 14 June 02:00-04:00 UTC is not service time: 718 h remain.
-- The outage 03:00-05:00 UTC counts only from 04:00: 1 h.  Availability =
-- 717/718 = 0.998607242339832869080...  With min_outage 1 hour the outage
-- (1 h of service time) still counts; with 90 minutes it does not: 1.
-- Without the maintenance: 2 h of 720 = 359/360 = 0.99722...
SELECT sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)',
                        '{[2026-06-14 03:00+00, 2026-06-14 05:00+00)}',
                        '{[2026-06-14 02:00+00, 2026-06-14 04:00+00)}') AS with_maintenance,
       sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)',
                        '{[2026-06-14 03:00+00, 2026-06-14 05:00+00)}',
                        '{[2026-06-14 02:00+00, 2026-06-14 04:00+00)}', min_outage => '1 hour') AS min_1_hour,
       sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)',
                        '{[2026-06-14 03:00+00, 2026-06-14 05:00+00)}',
                        '{[2026-06-14 02:00+00, 2026-06-14 04:00+00)}', min_outage => '90 minutes') AS min_90_minutes,
       sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)',
                        '{[2026-06-14 03:00+00, 2026-06-14 05:00+00)}') AS without_maintenance;
-- Overlapping outage reports are one outage: 10:00-10:30 and 10:20-10:40
-- are 40 min; with a 4-minute blip at 12:00 ignored by min_outage 5 min,
-- 40 min of 720 h (43 200 min) = 1 - 1/1080 = 0.999074074...; counting the
-- blip, 44 min: 1 - 44/43200 = 1 - 11/10800 = 0.998981481...
SELECT sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)',
                        '{[2026-06-02 10:00+00, 2026-06-02 10:30+00), [2026-06-02 10:20+00, 2026-06-02 10:40+00), [2026-06-02 12:00+00, 2026-06-02 12:04+00)}',
                        min_outage => '5 minutes') AS blip_ignored,
       sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)',
                        '{[2026-06-02 10:00+00, 2026-06-02 10:30+00), [2026-06-02 10:20+00, 2026-06-02 10:40+00), [2026-06-02 12:00+00, 2026-06-02 12:04+00)}') AS blip_counted;
-- Calendar hours versus business hours, in the DST month.  Outages (Berlin
-- time): Tuesday 10 March 16:00-20:00 (4 h) and the DST night, Sunday 29
-- March 01:00-04:00 local, which lasts 2 h (01:00 CET = 00:00 UTC, 04:00
-- CEST = 02:00 UTC).  All hours: 6 h down of 743 h = 737/743 = 0.99192462...
-- Business hours Mo-Fr 09:00-17:00: only Tuesday 16:00-17:00 counts, 1 h of
-- 176 h = 175/176 = 0.99431818...
SELECT sla.availability('[2026-03-01, 2026-04-01)',
                        '{[2026-03-10 16:00, 2026-03-10 20:00), [2026-03-29 01:00, 2026-03-29 04:00)}') AS all_hours,
       sla.availability('[2026-03-01, 2026-04-01)',
                        '{[2026-03-10 16:00, 2026-03-10 20:00), [2026-03-29 01:00, 2026-03-29 04:00)}',
                        cal => sla.calendar('24/7', 'Europe/Berlin')) AS all_hours_24_7,
       sla.availability('[2026-03-01, 2026-04-01)',
                        '{[2026-03-10 16:00, 2026-03-10 20:00), [2026-03-29 01:00, 2026-03-29 04:00)}',
                        cal => sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')) AS business_hours;
-- min_outage measures the service time of an outage: in business hours the
-- Tuesday outage is 1 h long, so 2 hours ignores it: 1; in all hours it is
-- 4 h and counts: 739/743 = 0.99461641991924629878...
SELECT sla.availability('[2026-03-01, 2026-04-01)', '{[2026-03-10 16:00, 2026-03-10 20:00)}',
                        cal => sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin'), min_outage => '2 hours') AS business_2h,
       sla.availability('[2026-03-01, 2026-04-01)', '{[2026-03-10 16:00, 2026-03-10 20:00)}',
                        min_outage => '2 hours') AS all_hours_2h;
-- A leap day: February 2028 in UTC is 696 h; a 1 h outage on the 29th:
-- 695/696 = 0.998563218390804597701...; the whole leap day down: 672/696 =
-- 28/29 = 0.965517241379310344827...
SELECT sla.availability('[2028-02-01 00:00+00, 2028-03-01 00:00+00)', '{[2028-02-29 10:00+00, 2028-02-29 11:00+00)}') AS one_hour,
       sla.availability('[2028-02-01 00:00+00, 2028-03-01 00:00+00)', '{[2028-02-29 00:00+00, 2028-03-01 00:00+00)}') AS leap_day;
-- Outages outside "during" do not count; an outage longer than the period
-- takes all of it; no service time at all gives NULL; NULL downtime is none.
SELECT sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)', '{[2026-05-01 00:00+00, 2026-06-01 00:00+00)}') AS before,
       sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)', '{(,)}') AS all_down,
       sla.availability('[2026-06-06 00:00+00, 2026-06-08 00:00+00)', '{}',
                        cal => sla.calendar('Mo-Fr 09:00-17:00')) AS weekend_only,
       sla.availability('[2026-06-01 00:00+00, 2026-07-01 00:00+00)', NULL) AS null_downtime;
SELECT pg_temp.try($$SELECT sla.availability('(,)', '{}')$$);
SELECT pg_temp.try($$SELECT sla.availability('[2026-06-01, 2026-06-01)', '{}')$$);
SELECT pg_temp.try($$SELECT sla.availability('[2026-06-01, 2026-07-01)', '{}', min_outage => '-1 minute')$$);

-- Service credits -------------------------------------------------------------
-- The issue's tiers: the largest credit among the tiers whose "below" is
-- above the availability (strictly), else 0.  0.9995 is not below 0.9995;
-- 0.99 is below 0.9995 but not below 0.99: 10%; 0.95 is below 0.99: 25%;
-- 0.9499 is below 0.95: 100%.  The order of the tiers does not matter.
SELECT a AS availability,
       sla.service_credit(a, '[{"below": 0.9995, "credit": 0.10}, {"below": 0.99, "credit": 0.25}, {"below": 0.95, "credit": 1.0}]') AS credit,
       sla.service_credit(a, '[{"below": 0.95, "credit": 1.0}, {"below": 0.9995, "credit": 0.10}, {"below": 0.99, "credit": 0.25}]') AS reordered
  FROM unnest('{1, 0.9996, 0.9995, 0.99949, 0.99, 0.9899, 0.95, 0.9499, 0}'::numeric[]) a;
SELECT sla.service_credit(0.5, '[]') AS no_tiers, sla.service_credit(NULL, '[]') AS null_availability;
-- the month of the calendar-versus-business example above, both ways
SELECT sla.service_credit(sla.availability('[2026-03-01, 2026-04-01)',
                              '{[2026-03-10 16:00, 2026-03-10 20:00), [2026-03-29 01:00, 2026-03-29 04:00)}'),
                          '[{"below": 0.9995, "credit": 0.10}, {"below": 0.99, "credit": 0.25}]') AS all_hours,
       sla.service_credit(sla.availability('[2026-03-01, 2026-04-01)',
                              '{[2026-03-10 16:00, 2026-03-10 20:00), [2026-03-29 01:00, 2026-03-29 04:00)}',
                              cal => sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')),
                          '[{"below": 0.9995, "credit": 0.10}, {"below": 0.995, "credit": 0.25}]') AS business_hours;
-- malformed tiers say what is wrong
SELECT pg_temp.try(format('SELECT sla.service_credit(0.99, %L)', t))
  FROM unnest(ARRAY[
    '{"below": 0.99, "credit": 0.1}',
    '[[0.99, 0.1]]',
    '[{"below": 0.99}]',
    '[{"credit": 0.1}]',
    '[{"below": 0.99, "credit": 0.1, "bellow": 0.9}]',
    '[{"below": "99%", "credit": 0.1}]',
    '[{"below": 0.99, "credit": null}]',
    '[{"below": 99.5, "credit": 0.1}]',
    '[{"below": 0, "credit": 0.1}]',
    '[{"below": 0.99, "credit": 10}]',
    '[{"below": 0.99, "credit": -0.1}]',
    '[{"below": 0.99, "credit": 0.1}, {"below": 0.99, "credit": 0.2}]',
    '[{"below": 0.95, "credit": 0.1}, {"below": 0.99, "credit": 0.25}]']::jsonb[]) t;
SELECT pg_temp.try($$SELECT sla.service_credit(1.5, '[]')$$);

-- Tickets ---------------------------------------------------------------------
-- An application's table with its own column names, two metrics.  The
-- office is in Berlin; the customer globex is answered from New York.
INSERT INTO sla.calendars VALUES ('rep_office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin'),
                                 ('rep_ny', 'Mo-Fr 09:00-17:00', 'America/New_York'),
                                 ('rep_always', '24/7', 'UTC');
INSERT INTO sla.policies (name, metric, priority, customer, target, calendar) VALUES
  ('Reply 2h',      'reply', NULL,     NULL,     '2 hours',      'rep_office'),
  ('Reply low',     'reply', 'low',    NULL,     '100000 hours', 'rep_office'),
  ('Reply globex',  'reply', NULL,     'globex', '4 hours',      'rep_ny'),
  ('Fix 16h',       'fix',   NULL,     NULL,     '16 hours',     'rep_office'),
  ('Fix urgent 4h', 'fix',   'urgent', NULL,     '4 hours',      'rep_office');
CREATE SCHEMA shop;
CREATE TABLE shop.tickets (
    id integer PRIMARY KEY,
    status text NOT NULL,
    priority text,
    team text,
    account text,
    created_at timestamptz NOT NULL,
    replied_at timestamptz,
    fixed_at timestamptz
);
SELECT sla.attach('shop.tickets', metrics => '{"reply": "replied_at", "fix": "fixed_at"}',
                  service_column => 'team', customer_column => 'account');
-- (sla.attach creates the compliance view; creating it again is harmless)
SELECT sla_private.create_reporting_views(a) FROM sla.attachments a WHERE a.tickets = 'shop.tickets'::regclass;
-- standard types only, for BI tools
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
 WHERE attrelid = 'shop.tickets_sla_compliance'::regclass AND attnum > 0 ORDER BY attnum;
-- February-March 2024: Monday 26 Feb, Thursday 29 Feb (leap day), Friday
-- 1 Mar, Monday 4 Mar.  Office hours 09:00-17:00, 8 h a day.  New York is
-- UTC-5 (summer time from 10 March), 6 h behind Berlin.
INSERT INTO shop.tickets VALUES
  (1, 'open', 'normal', 'web', 'acme',   '2024-02-26 09:00', '2024-02-26 10:00',    '2024-02-27 12:00'),
  (2, 'open', 'normal', 'web', 'acme',   '2024-02-26 16:00', '2024-02-27 09:30',    '2024-02-29 10:00'),
  (3, 'open', 'urgent', 'web', 'acme',   '2024-02-29 11:00', '2024-02-29 14:00',    '2024-03-01 10:00'),
  (4, 'open', 'normal', 'app', NULL,     '2024-02-29 10:00', '2024-02-29 10:45',    '2024-03-04 11:00'),
  (5, 'open', 'normal', 'app', NULL,     '2024-02-29 23:30+00', '2024-03-01 09:30', NULL),
  (6, 'open', 'low',    'app', NULL,     '2024-03-01 09:00', NULL,                  NULL),
  (7, 'open', 'normal', 'web', 'acme',   '2024-03-04 09:00', '2024-03-04 09:05:30', '2024-03-04 09:50'),
  (8, 'open', 'normal', 'web', 'globex', '2024-03-01 03:00', '2024-03-01 16:00',    NULL);
-- their status histories (backfill): 3 is resolved, reopened and closed;
-- 4 waits for the customer from Thursday 12:00 to Monday 09:00
SELECT sla.record_status('shop.tickets', '3', '2024-02-29 15:00', 'resolved'),
       sla.record_status('shop.tickets', '3', '2024-02-29 16:00', 'open'),
       sla.record_status('shop.tickets', '3', '2024-03-01 10:00', 'closed'),
       sla.record_status('shop.tickets', '4', '2024-02-29 12:00', 'pending'),
       sla.record_status('shop.tickets', '4', '2024-03-04 09:00', 'open'),
       sla.record_status('shop.tickets', '4', '2024-03-04 11:00', 'resolved');
SELECT ticket_id, status, paused, reopened FROM sla.ticket_state
 WHERE tickets = 'shop.tickets'::regclass ORDER BY ticket_id;

-- Business time of each clock (office hours unless said):
--   reply: 1: 09:00-10:00 = 1 h, met.  2: Mon 16-17 + Tue 09:00-09:30 =
--   1.5 h, met.  3: Thu 11:00-14:00 = 3 h > 2 h, breached.  4: 45 min,
--   met.  5: created Thursday 23:30 UTC = Friday 00:30 Berlin, office opens
--   09:00: 30 min, met.  6: low priority, 100 000 h: still running.
--   7: 5 min 30 s, met.  8: globex, New York hours: created Friday 03:00
--   Berlin = Thursday 21:00 in New York, answered Friday 16:00 Berlin =
--   10:00 in New York: 09:00-10:00 = 1 h of 4 h, met.
--   fix: 1: Mon 8 h + Tue 09-12 3 h = 11 h, met.  2: Mon 1 + Tue 8 + Wed 8
--   + Thu 1 = 18 h > 16, breached.  3: urgent, 4 h: Thu 11-17 6 h + Fri
--   1 h = 7 h, breached.  4: Thu 10-12 2 h, paused until Monday 09:00, then
--   09-11 2 h = 4 h, met.  5, 6 and 8: not fixed, 16 h were over on Monday
--   4 March 17:00: breached and open.  7: 50 min, met.
SELECT id, reply_policy, reply_state, CASE WHEN replied_at IS NOT NULL THEN reply_elapsed END AS reply_elapsed,
       fix_policy, fix_state,
       CASE WHEN fixed_at IS NOT NULL THEN fix_elapsed END AS fix_elapsed
  FROM shop.tickets_sla ORDER BY id;

-- Compliance: one row per creation day in the policy calendar's zone,
-- metric, policy, priority, service and customer.  5 is on 1 March (Berlin)
-- although created on 29 February in UTC; 8 is on 1 March for its fix
-- (Berlin) but on 29 February for its reply (New York).
--   fix 26 Feb Fix 16h normal web acme: 1 and 2: total 2, met 1, breached 1,
--     stopped 2, 11 h + 18 h = 29 h = 104 400 s, compliance 1/2.
--   fix 29 Feb Fix 16h normal app: 4: met, 4 h = 14 400 s.
--   fix 29 Feb Fix urgent 4h urgent web acme: 3: breached, reopened, 7 h = 25 200 s.
--   fix 1 Mar Fix 16h low app, normal app and normal web globex: 6, 5 and
--     8, each breached and open: stopped 0, 0 s, compliance 0.
--   fix 4 Mar: 7: met, 50 min = 3 000 s.
--   reply 26 Feb Reply 2h normal web acme: 1 and 2 met, 1 h + 1.5 h = 9 000 s.
--   reply 29 Feb Reply 2h normal app: 4 met, 2 700 s; urgent web acme: 3
--     breached (stopped), reopened, 10 800 s, compliance 0; Reply globex
--     normal web globex: 8 met, 3 600 s.
--   reply 1 Mar Reply 2h normal app: 5 met, 1 800 s; Reply low low app: 6
--     running, compliance NULL (nothing decided yet).
--   reply 4 Mar: 7 met, 330 s.
SELECT * FROM shop.tickets_sla_compliance ORDER BY metric, day, policy, priority, service, customer;
-- rolled up by month (counts add up; the rate is recomputed from them):
-- fix February: 1, 2, 3, 4: met 2 (1, 4), breached 2: 50%, ticket 3 reopened;
-- March: 5, 6, 7, 8: met 1, breached 3 (all open): 25%.  reply February:
-- 1, 2, 3, 4, 8: met 4, breached 1: 80%; March: 5, 6, 7: met 2, running
-- 1: 100%.
SELECT metric, date_trunc('month', day)::date AS month, sum(total) AS total, sum(met) AS met,
       sum(breached) AS breached, sum(open_breached) AS open_breached, sum(running) AS running,
       sum(reopened) AS reopened, round(sum(met) / nullif(sum(met) + sum(breached), 0), 4) AS compliance
  FROM shop.tickets_sla_compliance GROUP BY 1, 2 ORDER BY 1, 2;

-- Percentiles of stopped tickets' business time, nearest rank: the k-th
-- smallest with k = ceil(fraction x n).
--   Fix 16h stopped: 50 min, 4 h, 11 h, 18 h (n = 4): 0.5 -> k = 2: 4 h;
--     0.9 and 0.95 -> k = 4: 18 h; 0.25 -> k = 1: 50 min; 0 -> k = 1.
--   Fix urgent 4h: only 3, 7 h.
SELECT * FROM sla.percentiles('shop.tickets_sla', 'fix', '(,)');
SELECT * FROM sla.percentiles('shop.tickets_sla', 'fix', '(,)', '{0, 0.25, 1}');
--   Reply 2h stopped: 5 min 30 s, 30 min, 45 min, 1 h, 1.5 h, 3 h (n = 6):
--     0.5 -> k = 3: 45 min; 0.9 -> k = ceil(5.4) = 6: 3 h.  Reply globex:
--     only 8, 1 h.
--   Created in February (instants, Berlin): 1, 2, 3, 4 (not 5, 1 March
--   00:30, nor 8, 1 March 03:00): 45 min, 1 h, 1.5 h, 3 h: 0.5 -> k = 2: 1 h.
SELECT * FROM sla.percentiles('shop.tickets_sla', 'reply', '(,)', '{0.5, 0.9}');
SELECT * FROM sla.percentiles('shop.tickets_sla', 'reply', '[2024-02-01, 2024-03-01)', '{0.5}');

-- What if: the same stopped tickets against another target or calendar.
--   reply within 1 hour: Reply 2h: 5.5 min, 30 min, 45 min, 1 h meet it
--   (1 h is not over 1 h): 4/6 where 5/6 met 2 h.  Reply globex: 8's 1 h
--   meets it, as it met 4 h: 1/1.
SELECT * FROM sla.what_if('shop.tickets_sla', 'reply', '1 hour');
--   fix within 12 hours round the clock (UTC), pauses kept: 1: Mon 09:00 to
--   Tue 12:00 = 27 h, no; 2: Mon 16:00 to Thu 10:00 = 66 h, no; 4: Thu
--   10-12 2 h + (paused to Monday 09:00) + 2 h = 4 h, yes; 7: 50 min, yes:
--   2/4 against 3/4 actually.  Fix urgent 4h: 3: Thu 11:00 to Fri 10:00 =
--   23 h, no: 0/1 both ways.
SELECT * FROM sla.what_if('shop.tickets_sla', 'fix', '12 hours', 'rep_always');
--   the policies' own targets round the clock: 1 (27 h) and 2 (66 h) miss
--   16 h, 4 and 7 meet it: 2/4; 3 (23 h) misses 4 h.  Only February
--   (1, 2, 3, 4): Fix 16h 1/3.
SELECT * FROM sla.what_if('shop.tickets_sla', 'fix', NULL, 'rep_always');
SELECT policy, tickets, what_if_met, what_if_compliance
  FROM sla.what_if('shop.tickets_sla', 'fix', NULL, 'rep_always', '[2024-02-01, 2024-03-01)');

-- Suggested targets: the smallest whole-minute target that n x compliance
-- of the stopped tickets meet: the k-th smallest, rounded up.
--   fix at 75%: Fix 16h k = 3 of 4: 11 h (11 h meets it: 3/4); Fix urgent
--   k = 1 of 1: 7 h.
SELECT * FROM sla.suggest_target('shop.tickets_sla', 'fix', 0.75);
--   reply at 80%: Reply 2h k = ceil(4.8) = 5: 1.5 h = 90 min, 5/6 meet it;
--   Reply globex k = 1: 1 h.  At 10%: k = 1: 5 min 30 s rounded up to
--   6 min, 1/6.  At 100%: 3 h.
SELECT * FROM sla.suggest_target('shop.tickets_sla', 'reply', 0.8);
SELECT policy, suggested_target, suggested_compliance FROM sla.suggest_target('shop.tickets_sla', 'reply', 0.1);
SELECT policy, suggested_target, suggested_compliance FROM sla.suggest_target('shop.tickets_sla', 'reply', 1);
-- the table itself is accepted for its view
SELECT policy, suggested_target FROM sla.suggest_target('shop.tickets', 'reply', 1);

-- Bad arguments
SELECT pg_temp.try($$SELECT * FROM sla.percentiles('shop.tickets_sla', 'answer', '(,)')$$);
SELECT pg_temp.try($$SELECT * FROM sla.percentiles('pg_class', 'fix', '(,)')$$);
SELECT pg_temp.try($$SELECT * FROM sla.percentiles(NULL, 'fix', '(,)')$$);
SELECT pg_temp.try($$SELECT * FROM sla.percentiles('shop.tickets_sla', 'fix', 'empty')$$);
SELECT pg_temp.try($$SELECT * FROM sla.percentiles('shop.tickets_sla', 'fix', NULL)$$);
SELECT pg_temp.try($$SELECT * FROM sla.percentiles('shop.tickets_sla', 'fix', '(,)', '{0.5, 95}')$$);
SELECT pg_temp.try($$SELECT * FROM sla.percentiles('shop.tickets_sla', 'fix', '(,)', '{}')$$);
SELECT pg_temp.try($$SELECT * FROM sla.what_if('shop.tickets_sla', 'fix', '0')$$);
SELECT pg_temp.try($$SELECT * FROM sla.what_if('shop.tickets_sla', 'fix', '1 month')$$);
SELECT pg_temp.try($$SELECT * FROM sla.what_if('shop.tickets_sla', 'fix', '1 hour', 'nowhere')$$);
SELECT pg_temp.try($$SELECT * FROM sla.suggest_target('shop.tickets_sla', 'fix', 95)$$);
SELECT pg_temp.try($$SELECT * FROM sla.suggest_target('shop.tickets_sla', 'fix', 0)$$);
SELECT pg_temp.try($$SELECT * FROM sla.suggest_target('shop.tickets_sla', 'fix', 'NaN')$$);

-- detach drops the compliance view with the SLA view
-- (sla.detach calls sla.drop_reporting_views; calling it again is harmless)
SELECT sla_private.drop_reporting_views(a) FROM sla.attachments a WHERE a.tickets = 'shop.tickets'::regclass;
SELECT sla.detach('shop.tickets');
SELECT to_regclass('shop.tickets_sla_compliance') AS compliance_view, to_regclass('shop.tickets_sla') AS sla_view;
DROP SCHEMA shop CASCADE;
DELETE FROM sla.policies WHERE calendar IN ('rep_office', 'rep_ny', 'rep_always');
DELETE FROM sla.calendars WHERE name IN ('rep_office', 'rep_ny', 'rep_always');
