-- demo/reporting.sql: what the demo shows last, after demo/helpdesk.sql has
-- loaded and attached helpdesk.tickets: a monthly compliance table rolled
-- up from the daily compliance view, realistic targets from the history,
-- and an availability and service-credit example over an incidents table.
SET jit = off;                  -- as the README advises for dashboards
\set QUIET on
\pset footer off
SET client_min_messages = warning;

\echo
\echo '== Monthly SLA compliance, rolled up from the daily helpdesk.tickets_sla_compliance'
\echo '   (compliance = met / (met + breached); running tickets are not decided yet)'
SELECT to_char(day, 'YYYY-MM') AS month, metric,
       sum(total) AS tickets, sum(met) AS met, sum(breached) AS breached,
       sum(open_breached) AS "breached, open", sum(running) AS running, sum(reopened) AS reopened,
       to_char(100 * sum(met) / nullif(sum(met) + sum(breached), 0), 'FM990.0"%"') AS compliance,
       round(sum(business_seconds_sum) / 3600 / nullif(sum(stopped), 0), 1) AS "avg business hours"
  FROM helpdesk.tickets_sla_compliance
 GROUP BY 1, 2
 ORDER BY 2, 1;

\echo
\echo '== Resolution compliance per policy over the whole history'
SELECT policy, sum(total) AS tickets, sum(met) AS met, sum(breached) AS breached,
       to_char(100 * sum(met) / nullif(sum(met) + sum(breached), 0), 'FM990.0"%"') AS compliance
  FROM helpdesk.tickets_sla_compliance
 WHERE metric = 'resolution'
 GROUP BY policy
 ORDER BY policy;

\echo
\echo '== Business hours to resolve (stopped tickets): median, 90th and 95th percentile'
SELECT policy, tickets, fraction, round(elapsed_seconds / 3600, 2) AS business_hours
  FROM sla.percentiles('helpdesk.tickets_sla', 'resolution', '(,)')
 ORDER BY policy, fraction;

\echo
\echo '== Targets the history would have met 90% of the time (rounded up to a minute)'
SELECT policy, tickets, current_target, round(100 * current_compliance, 1) AS "current %",
       suggested_target, round(100 * suggested_compliance, 1) AS "with suggestion %"
  FROM sla.suggest_target('helpdesk.tickets_sla', 'first_response', 0.9)
 ORDER BY policy;

\echo
\echo '== What if first responses had to come within 4 business hours?'
SELECT policy, tickets, actual_target, round(100 * actual_compliance, 1) AS "actual %",
       what_if_target, round(100 * what_if_compliance, 1) AS "what if %"
  FROM sla.what_if('helpdesk.tickets_sla', 'first_response', '4 hours')
 ORDER BY policy;

-- Availability ----------------------------------------------------------------
-- Outages of two services, with announced maintenance (planned) that does
-- not count against the agreement.
DROP VIEW IF EXISTS helpdesk.monthly_availability;
DROP TABLE IF EXISTS helpdesk.incidents;
CREATE TABLE helpdesk.incidents (
    id serial PRIMARY KEY,
    service text NOT NULL,
    down tstzrange NOT NULL,
    planned boolean NOT NULL DEFAULT false,
    note text
);
INSERT INTO helpdesk.incidents (service, down, planned, note) VALUES
  ('portal', '[2026-07-08 09:12+00, 2026-07-08 10:03+00)', false, 'database failover'),
  ('portal', '[2026-07-19 01:00+00, 2026-07-19 03:00+00)', true,  'announced maintenance'),
  ('portal', '[2026-07-19 02:30+00, 2026-07-19 03:40+00)', false, 'maintenance overran'),
  ('portal', '[2026-08-03 14:00+00, 2026-08-03 14:03+00)', false, 'blip, under 5 minutes'),
  ('portal', '[2026-08-21 07:45+00, 2026-08-21 12:15+00)', false, 'certificate expired'),
  ('mail',   '[2026-07-02 16:00+00, 2026-07-02 16:20+00)', false, 'queue stuck'),
  ('mail',   '[2026-08-12 22:00+00, 2026-08-13 06:30+00)', false, 'relay down overnight'),
  ('mail',   '[2026-09-05 08:00+00, 2026-09-05 08:45+00)', true,  'announced upgrade');

-- One row per service and calendar month (UTC): outages shorter than five
-- minutes do not count, planned work is not service time.  Months are made
-- in local time and then placed in the agreement's zone, so that a month is
-- a month on either side of a DST change.
CREATE VIEW helpdesk.monthly_availability AS
SELECT s.service, m.month::date AS month,
       sla.availability(r.during,
                        range_agg(i.down) FILTER (WHERE NOT i.planned),
                        range_agg(i.down) FILTER (WHERE i.planned),
                        min_outage => '5 minutes') AS availability,
       sla.downtime_budget(0.999, r.during) AS budget_999
  FROM (SELECT DISTINCT service FROM helpdesk.incidents) s
 CROSS JOIN generate_series(timestamp '2026-07-01', timestamp '2026-09-01', interval '1 month') m(month)
 CROSS JOIN LATERAL (SELECT tstzrange(m.month AT TIME ZONE 'UTC', (m.month + interval '1 month') AT TIME ZONE 'UTC') AS during) r
  LEFT JOIN helpdesk.incidents i ON i.service = s.service AND i.down && r.during
 GROUP BY s.service, m.month, r.during;

\echo
\echo '== Monthly availability and the service credit owed'
\echo '   (tiers: below 99.95% 10%, below 99% 25%, below 95% 100%)'
SELECT service, to_char(month, 'YYYY-MM') AS month,
       to_char(100 * availability, 'FM990.000"%"') AS availability, budget_999 AS "budget at 99.9%",
       to_char(100 * sla.service_credit(availability, '[{"below": 0.9995, "credit": 0.10},
                                                        {"below": 0.99, "credit": 0.25},
                                                        {"below": 0.95, "credit": 1.0}]'), 'FM990"%"') AS credit
  FROM helpdesk.monthly_availability
 ORDER BY service, month;

\echo
\echo '== The same August outages of the mail service, round the clock and in support hours'
\echo '   (Mo-Fr 08:00-18:00 Berlin: the overnight outage hardly touches them)'
SELECT to_char(100 * sla.availability(during, downtime), 'FM990.000"%"') AS round_the_clock,
       to_char(100 * sla.availability(during, downtime,
                                      cal => sla.calendar('Mo-Fr 08:00-18:00', 'Europe/Berlin')), 'FM990.000"%"') AS support_hours
  FROM (SELECT tstzrange('2026-08-01 00:00+00', '2026-09-01 00:00+00') AS during,
               range_agg(down) AS downtime
          FROM helpdesk.incidents WHERE service = 'mail' AND NOT planned) x;
