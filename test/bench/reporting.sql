-- test/bench/reporting.sql: the compliance view against the same aggregate
-- written by hand over the raw SLA view, as ratios against that baseline
-- measured in the same run (issue: reporting for BI, section 5).
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';
SET TimeZone = 'Europe/Berlin';
CREATE EXTENSION IF NOT EXISTS sla;
\o /dev/null
SELECT sla.detach(a.tickets) FROM sla.attachments a WHERE a.tickets::text = 'bench_reporting.tickets';
DROP SCHEMA IF EXISTS bench_reporting CASCADE;
DELETE FROM sla.policies WHERE metric IN ('bench_response', 'bench_resolution');
DELETE FROM sla.calendars WHERE name = 'bench_office';
CREATE SCHEMA bench_reporting;

-- A helpdesk's tiered policies on one office calendar
INSERT INTO sla.calendars VALUES ('bench_office', 'Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin');
INSERT INTO sla.holidays VALUES ('bench_office', '2025-04-18', 'Good Friday'), ('bench_office', '2025-12-25', 'Christmas');
INSERT INTO sla.policies (name, metric, priority, target, calendar)
  SELECT initcap(p) || ' ' || m, 'bench_' || m, p, t, 'bench_office'
    FROM (VALUES ('response', 'critical', interval '30 minutes'), ('response', 'high', '2 hours'),
                 ('response', 'medium', '8 hours'), ('response', 'low', '24 hours'),
                 ('resolution', 'critical', '4 hours'), ('resolution', 'high', '24 hours'),
                 ('resolution', 'medium', '40 hours'), ('resolution', 'low', '160 hours')) v(m, p, t);

-- 1M tickets over 2025: 85% resolved within 11 days, the rest open
-- (pending or open); every ticket answered within 20 hours
CREATE TABLE bench_reporting.tickets (
    id bigint PRIMARY KEY, status text NOT NULL, priority text, created_at timestamptz NOT NULL,
    responded_at timestamptz, resolved_at timestamptz);
SELECT setseed(0.5);
INSERT INTO bench_reporting.tickets
  SELECT i, CASE WHEN r < 0.85 THEN 'resolved' WHEN r < 0.9 THEN 'pending' ELSE 'open' END,
         (ARRAY['critical', 'high', 'medium', 'low'])[1 + i % 4],
         c, c + random() * interval '20 hours',
         CASE WHEN r < 0.85 THEN c + interval '1 day' + random() * interval '10 days' END
    FROM (SELECT i, random() AS r, timestamptz '2025-01-01 00:00+00' + random() * interval '365 days' AS c
            FROM generate_series(1, 1000000) i) x;
SELECT sla.attach('bench_reporting.tickets',
                  metrics => '{"bench_response": "responded_at", "bench_resolution": "resolved_at"}') AS attached;
-- (sla.attach creates the compliance view; creating it again is harmless)
SELECT sla.create_reporting_views(a) FROM sla.attachments a WHERE a.tickets = 'bench_reporting.tickets'::regclass;
VACUUM ANALYZE bench_reporting.tickets;
ANALYZE sla.ticket_state;
\o

\ir timing.sql

-- the two month queries must agree before they are timed
SELECT (SELECT row(sum(total), sum(met), sum(breached), sum(open_breached), sum(running), sum(business_seconds_sum))::text
          FROM bench_reporting.tickets_sla_compliance
         WHERE metric = 'bench_resolution' AND policy = 'High resolution' AND day >= '2025-03-01' AND day < '2025-04-01')
     = (SELECT row(count(*), count(*) FILTER (WHERE bench_resolution_state = 'met'),
                   count(*) FILTER (WHERE bench_resolution_state = 'breached'),
                   count(*) FILTER (WHERE bench_resolution_state = 'breached' AND resolved_at IS NULL),
                   count(*) FILTER (WHERE bench_resolution_state NOT IN ('met', 'breached')),
                   coalesce(sum(bench_resolution_elapsed_seconds) FILTER (WHERE resolved_at IS NOT NULL), 0))::text
          FROM bench_reporting.tickets_sla
         WHERE bench_resolution_policy = 'High resolution'
           AND created_at >= '2025-03-01 00:00' AND created_at < '2025-04-01 00:00') AS same_answer \gset
\if :same_answer
\echo the compliance view and the raw SLA view give the same month
\else
\echo 'the compliance view and the raw SLA view disagree: no timing'
\quit
\endif

CREATE TEMP TABLE results (name text, ms float8);
INSERT INTO results VALUES
 ('raw SLA view: one month, one policy', pg_temp.time_ms($q$
    SELECT count(*), count(*) FILTER (WHERE bench_resolution_state = 'met'),
           count(*) FILTER (WHERE bench_resolution_state = 'breached'),
           count(*) FILTER (WHERE bench_resolution_state = 'breached' AND resolved_at IS NULL),
           count(*) FILTER (WHERE bench_resolution_state NOT IN ('met', 'breached')),
           sum(bench_resolution_elapsed_seconds) FILTER (WHERE resolved_at IS NOT NULL)
      FROM bench_reporting.tickets_sla
     WHERE bench_resolution_policy = 'High resolution'
       AND created_at >= '2025-03-01 00:00' AND created_at < '2025-04-01 00:00'$q$)),
 ('compliance view: one month, one policy', pg_temp.time_ms($q$
    SELECT sum(total), sum(met), sum(breached), sum(open_breached), sum(running), sum(business_seconds_sum)
      FROM bench_reporting.tickets_sla_compliance
     WHERE metric = 'bench_resolution' AND policy = 'High resolution'
       AND day >= '2025-03-01' AND day < '2025-04-01'$q$)),
 ('raw SLA view: one month, every policy', pg_temp.time_ms($q$
    SELECT bench_resolution_policy, count(*), count(*) FILTER (WHERE bench_resolution_state = 'met'),
           count(*) FILTER (WHERE bench_resolution_state = 'breached')
      FROM bench_reporting.tickets_sla
     WHERE created_at >= '2025-03-01 00:00' AND created_at < '2025-04-01 00:00'
     GROUP BY 1$q$)),
 ('compliance view: one month, every policy', pg_temp.time_ms($q$
    SELECT policy, sum(total), sum(met), sum(breached)
      FROM bench_reporting.tickets_sla_compliance
     WHERE metric = 'bench_resolution' AND day >= '2025-03-01' AND day < '2025-04-01'
     GROUP BY 1$q$)),
 ('raw SLA view: every month and policy', pg_temp.time_ms($q$
    SELECT date_trunc('month', created_at), bench_resolution_policy, count(*),
           count(*) FILTER (WHERE bench_resolution_state = 'met'),
           count(*) FILTER (WHERE bench_resolution_state = 'breached')
      FROM bench_reporting.tickets_sla GROUP BY 1, 2$q$, 1)),
 ('compliance view: every month and policy', pg_temp.time_ms($q$
    SELECT date_trunc('month', day), policy, sum(total), sum(met), sum(breached)
      FROM bench_reporting.tickets_sla_compliance WHERE metric = 'bench_resolution' GROUP BY 1, 2$q$, 1));

SELECT name, round(ms::numeric, 1) AS ms FROM results;
WITH v AS (SELECT (SELECT ms FROM results WHERE name = 'raw SLA view: one month, one policy') AS raw_month,
                  (SELECT ms FROM results WHERE name = 'compliance view: one month, one policy') AS compliance_month,
                  (SELECT ms FROM results WHERE name = 'raw SLA view: one month, every policy') AS raw_month_all,
                  (SELECT ms FROM results WHERE name = 'compliance view: one month, every policy') AS compliance_month_all,
                  (SELECT ms FROM results WHERE name = 'raw SLA view: every month and policy') AS raw_all,
                  (SELECT ms FROM results WHERE name = 'compliance view: every month and policy') AS compliance_all)
SELECT ratio, round(measured::numeric, 2) AS measured, target FROM v, LATERAL (VALUES
    ('compliance view / raw SLA view, one month and policy of 1M tickets', compliance_month / raw_month, 'within 3x'),
    ('compliance view / raw SLA view, one month of 1M tickets, every policy', compliance_month_all / raw_month_all, '(for information)'),
    ('compliance view / raw SLA view, all 1M tickets by month and policy', compliance_all / raw_all, '(for information)'))
    AS x(ratio, measured, target);

\o /dev/null
SELECT sla.detach('bench_reporting.tickets');
\o
DROP SCHEMA bench_reporting CASCADE;
DELETE FROM sla.policies WHERE metric IN ('bench_response', 'bench_resolution');
DELETE FROM sla.calendars WHERE name = 'bench_office';
