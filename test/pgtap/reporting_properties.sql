-- test/pgtap/reporting_properties.sql: properties of the reporting functions and the
-- compliance view, each against a reference written here: availability
-- against a walk over every minute (real instants, is_open of the
-- calendar), downtime budgets against business_time, compliance rows
-- against counts from the SLA view, percentiles and suggested targets
-- against their definitions, what_if against sla.evaluate, service credits
-- against a CASE.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(17);
SET LOCAL TimeZone = 'America/Sao_Paulo';
SELECT setseed(0.17);

-- Availability -----------------------------------------------------------------
-- Three-day ranges around the European DST change (29 March 2026), outages
-- and maintenance on whole minutes, half of them on a business calendar.
CREATE TEMP TABLE av_cases AS
  SELECT i, tstzrange(s, s + interval '3 days') AS during, d.downtime, e.excluded,
         CASE WHEN i % 2 = 0 THEN sla.calendar('Mo-Fr 09:00-12:00,13:00-17:30; Su 10:00-14:00', 'Europe/Berlin') END AS cal
    FROM (SELECT i, timestamptz '2026-03-26 00:00+00' + floor(random() * 4 * 1440)::int * interval '1 minute' AS s
            FROM generate_series(1, 16) i) x
   CROSS JOIN LATERAL (
         SELECT coalesce(range_agg(tstzrange(o, o + (1 + floor(random() * 240))::int * interval '1 minute')), '{}') AS downtime
           FROM (SELECT x.s - interval '2 hours' + floor(random() * 4400)::int * interval '1 minute' AS o
                   FROM generate_series(1, 1 + (x.i % 5))) a) d
   CROSS JOIN LATERAL (
         SELECT coalesce(range_agg(tstzrange(o, o + (30 + floor(random() * 180))::int * interval '1 minute')), '{}') AS excluded
           FROM (SELECT x.s + floor(random() * 4320)::int * interval '1 minute' AS o
                   FROM generate_series(1, x.i % 3)) a) e;
-- every minute of each range: in service time? down?
CREATE TEMP TABLE av_minutes AS
  SELECT c.i, m,
         (c.cal IS NULL OR sla.is_open(m, c.cal)) AND NOT c.excluded @> m AS service,
         c.downtime @> m AS down
    FROM av_cases c
   CROSS JOIN LATERAL generate_series(lower(c.during), upper(c.during) - interval '1 minute', interval '1 minute') m;

SELECT is((SELECT count(*) FROM av_cases c
             JOIN (SELECT i, count(*) FILTER (WHERE service) AS service, count(*) FILTER (WHERE service AND down) AS down
                     FROM av_minutes GROUP BY i) w USING (i)
            WHERE abs(sla.availability(c.during, c.downtime, c.excluded, c.cal) - (w.service - w.down)::numeric / w.service) > 1e-15),
          0::bigint, 'availability is the share of service minutes not down (minute walk)');

-- with min_outage, each outage counts by its own service minutes
SELECT is((SELECT count(*) FROM av_cases c
             JOIN (SELECT i, count(*) FILTER (WHERE service) AS service FROM av_minutes GROUP BY i) w USING (i)
            CROSS JOIN LATERAL (
                  SELECT coalesce(sum(o.minutes) FILTER (WHERE o.minutes >= 45), 0) AS down
                    FROM (SELECT d, count(*) FILTER (WHERE m.service) AS minutes
                            FROM unnest(c.downtime) d JOIN av_minutes m ON m.i = c.i AND d @> m.m
                           GROUP BY d) o) r
            WHERE abs(sla.availability(c.during, c.downtime, c.excluded, c.cal, '45 minutes') - (w.service - r.down)::numeric / w.service) > 1e-15),
          0::bigint, 'with min_outage, outages with fewer service minutes do not count');

-- Downtime budgets -------------------------------------------------------------
CREATE TEMP TABLE budget_cases AS
  SELECT i, tstzrange(s, s + (5 + floor(random() * 56))::int * interval '1 day') AS during,
         round((0.9 + random() * 0.1)::numeric, 3) AS target,
         CASE WHEN i % 3 <> 0 THEN sla.calendar('Mo-Fr 08:00-18:00; PH off', (ARRAY['Europe/Berlin', 'America/New_York', 'Australia/Sydney'])[1 + i % 3], '{2026-12-25}') END AS cal
    FROM (SELECT i, timestamptz '2026-01-01 00:00+00' + floor(random() * 365 * 24)::int * interval '1 hour' AS s
            FROM generate_series(1, 200) i) x;
SELECT is((SELECT count(*) FROM budget_cases
            WHERE sla.downtime_budget(target, during, cal)
                  <> (1 - target) * CASE WHEN cal IS NULL THEN upper(during) - lower(during)
                                         ELSE sla.business_time(lower(during), upper(during), cal) END),
          0::bigint, 'downtime_budget is (1 - target) x the open time (business_time)');
-- an outage of exactly the budget, from the first opening, leaves the target
SELECT is((SELECT count(*) FROM budget_cases b
            CROSS JOIN LATERAL (SELECT CASE WHEN b.cal IS NULL THEN lower(b.during) ELSE sla.next_open(lower(b.during), b.cal) END AS o) s
            WHERE b.target < 1
              AND sla.availability(b.during,
                    tstzmultirange(tstzrange(s.o, CASE WHEN b.cal IS NULL THEN s.o + sla.downtime_budget(b.target, b.during)
                                                       ELSE sla.business_add(s.o, sla.downtime_budget(b.target, b.during, b.cal), b.cal) END)),
                    cal => b.cal) <> b.target),
          0::bigint, 'an outage as long as the downtime budget leaves exactly the target');

-- Service credits ----------------------------------------------------------------
SELECT is((SELECT count(*) FROM (SELECT round(random()::numeric, 5) AS a FROM generate_series(1, 2000)
                                   UNION ALL SELECT unnest('{0, 0.95, 0.99, 0.9995, 1}'::numeric[])) x
            WHERE sla.service_credit(a, '[{"below": 0.99, "credit": 0.25}, {"below": 0.9995, "credit": 0.10}, {"below": 0.95, "credit": 1.0}]')
                  <> CASE WHEN a < 0.95 THEN 1.0 WHEN a < 0.99 THEN 0.25 WHEN a < 0.9995 THEN 0.10 ELSE 0 END),
          0::bigint, 'service_credit follows the tiers (strictly below)');
SELECT throws_ok($$SELECT sla.service_credit(0.9, '[{"below": 0.99, "credit": 0.1}, {"limit": 0.95, "credit": 0.2}]')$$,
                 '22023', 'tier 2 has an unknown key "limit": {"limit": 0.95, "credit": 0.2}',
                 'a malformed tier is named with what is wrong');

-- Tickets ------------------------------------------------------------------------
-- Two metrics: tap_fix with policies all in Berlin (the day is known before
-- the policy), tap_reply with one policy in New York (the day comes from
-- each ticket's policy).  Small customers' replies are still running.
INSERT INTO sla.calendars VALUES ('tap_office', 'Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin'),
                                 ('tap_ny', 'Mo-Fr 08:00-18:00', 'America/New_York'),
                                 ('tap_always', '24/7', 'UTC');
INSERT INTO sla.holidays VALUES ('tap_office', '2025-04-18', 'Good Friday');
INSERT INTO sla.policies (name, metric, priority, customer, target, calendar) VALUES
  ('tap reply',      'tap_reply', NULL,   NULL,  '4 hours',  'tap_office'),
  ('tap reply high', 'tap_reply', 'high', NULL,  '1 hour',   'tap_office'),
  ('tap reply big',  'tap_reply', NULL,   'big', '2 hours',  'tap_ny'),
  ('tap reply small', 'tap_reply', NULL, 'small', '100000 hours', 'tap_office'),
  ('tap fix',        'tap_fix',   NULL,   NULL,  '40 hours', 'tap_office'),
  ('tap fix high',   'tap_fix',   'high', NULL,  '8 hours',  'tap_office');
-- a permanent table (the transaction is rolled back): temporary tables cannot be attached
CREATE TABLE tap_tickets (
    id bigint PRIMARY KEY, status text NOT NULL, priority text, service text, customer text,
    created_at timestamptz NOT NULL, replied_at timestamptz, fixed_at timestamptz);
CREATE TEMP TABLE tap_setup AS
  SELECT sla.attach('tap_tickets', metrics => '{"tap_reply": "replied_at", "tap_fix": "fixed_at"}',
                    service_column => 'service', customer_column => 'customer')::text AS done;
-- (sla.attach creates the compliance view; creating it again is harmless)
INSERT INTO tap_setup SELECT sla_private.create_reporting_views(a)::text FROM sla.attachments a WHERE a.tickets = 'tap_tickets'::regclass;
-- created in the first quarter of 2025 (both DST changes), long stopped or not
INSERT INTO tap_tickets
  SELECT i, 'open', (ARRAY['low', 'normal', 'high'])[1 + floor(random() * 3)::int],
         (ARRAY['mail', 'phone'])[1 + floor(random() * 2)::int],
         (ARRAY['big', 'small', NULL])[1 + floor(random() * 3)::int],
         c, CASE WHEN random() < 0.85 THEN c + random() * interval '30 hours' END,
         CASE WHEN random() < 0.7 THEN c + random() * interval '10 days' END
    FROM (SELECT i, timestamptz '2025-01-01 00:00+00' + random() * interval '100 days' AS c
            FROM generate_series(1, 500) i) x;
-- a third wait for the customer for a while; a tenth are reopened
CREATE TEMP TABLE tap_flags AS
  SELECT id, random() < 0.33 AS waits, random() < 0.1 AS reopens FROM tap_tickets;
INSERT INTO tap_setup SELECT count(*) FROM (
  SELECT sla.record_status('tap_tickets', t.id::text, t.created_at + interval '2 hours', 'pending'),
         sla.record_status('tap_tickets', t.id::text, t.created_at + interval '26 hours', 'open')
    FROM tap_tickets t JOIN tap_flags f USING (id) WHERE f.waits) x;
INSERT INTO tap_setup SELECT count(*) FROM (
  SELECT sla.record_status('tap_tickets', t.id::text, t.created_at + interval '3 days', 'resolved'),
         sla.record_status('tap_tickets', t.id::text, t.created_at + interval '4 days', 'open')
    FROM tap_tickets t JOIN tap_flags f USING (id) WHERE f.reopens) x;
-- (half of them twice: a ticket counts once)
INSERT INTO tap_setup SELECT count(*) FROM (
  SELECT sla.record_status('tap_tickets', t.id::text, t.created_at + interval '5 days', 'closed'),
         sla.record_status('tap_tickets', t.id::text, t.created_at + interval '6 days', 'open')
    FROM tap_tickets t JOIN tap_flags f USING (id) WHERE f.reopens AND t.id % 2 = 0) x;

-- the SLA view, one row per ticket and metric, with the policy's zone
CREATE TEMP TABLE tap_clocks AS
  SELECT v.id, m.metric, m.policy, m.state, m.seconds, m.stopped_at, v.created_at, v.priority, v.service, v.customer,
         m.elapsed, m.target, z.zone, f.reopens, sla.calendar_named(p.calendar) AS cal,
         coalesce((SELECT s.paused FROM sla.ticket_state s
                    WHERE s.tickets = 'tap_tickets'::regclass AND s.ticket_id = v.id::text), '{}') AS paused
    FROM tap_tickets_sla v
    JOIN tap_flags f USING (id)
   CROSS JOIN LATERAL (VALUES ('tap_reply', v.tap_reply_policy, v.tap_reply_state, v.tap_reply_elapsed_seconds, v.replied_at,
                               v.tap_reply_elapsed, v.tap_reply_target),
                              ('tap_fix', v.tap_fix_policy, v.tap_fix_state, v.tap_fix_elapsed_seconds, v.fixed_at,
                               v.tap_fix_elapsed, v.tap_fix_target))
         m(metric, policy, state, seconds, stopped_at, elapsed, target)
    JOIN sla.policies p ON p.name = m.policy
    JOIN sla.calendars z ON z.name = p.calendar;

SELECT is((WITH got AS (
               SELECT day, metric, policy, priority, service, customer, total, met, breached, open_breached, running, stopped,
                      reopened, business_seconds_sum, compliance
                 FROM tap_tickets_sla_compliance),
             want AS (
               SELECT (created_at AT TIME ZONE zone)::date, metric, policy, priority, service, customer,
                      count(*), count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'breached'),
                      count(*) FILTER (WHERE state = 'breached' AND stopped_at IS NULL),
                      count(*) FILTER (WHERE state IN ('running', 'at_risk', 'paused')),
                      count(*) FILTER (WHERE stopped_at IS NOT NULL), count(*) FILTER (WHERE reopens),
                      coalesce(sum(seconds) FILTER (WHERE stopped_at IS NOT NULL), 0),
                      trim_scale(count(*) FILTER (WHERE state = 'met')::numeric / nullif(count(*) FILTER (WHERE state IN ('met', 'breached')), 0))
                 FROM tap_clocks GROUP BY 1, 2, 3, 4, 5, 6)
           SELECT (SELECT count(*) FROM (TABLE got EXCEPT ALL TABLE want) x) + (SELECT count(*) FROM (TABLE want EXCEPT ALL TABLE got) y)),
          0::bigint, 'compliance rows are the counts of the SLA view per day in the policy''s zone, metric, policy, priority, service, customer');
SELECT ok((SELECT count(DISTINCT metric) = 2 AND count(DISTINCT policy) = 6 AND count(*) > 100 AND sum(reopened) > 0
                  AND sum(open_breached) > 0 AND sum(running) > 0 AND sum(met) > 0 AND sum(stopped) > sum(met)
             FROM tap_tickets_sla_compliance)
          AND EXISTS (SELECT 1 FROM tap_clocks WHERE zone = 'America/New_York'
                                                 AND (created_at AT TIME ZONE zone)::date <> (created_at AT TIME ZONE 'Europe/Berlin')::date),
          'the ticket sample covers both metrics, reopened, open breached, running tickets and days that differ from UTC');
SELECT is((SELECT count(*) FROM tap_tickets_sla_compliance
            WHERE total <> met + breached + running OR open_breached > breached
               OR stopped <> met + breached - open_breached OR compliance NOT BETWEEN 0 AND 1),
          0::bigint, 'total = met + breached + running, stopped = met + breached - open_breached');

-- Percentiles: nearest rank, p is the smallest elapsed time that at least
-- fraction x n of the stopped tickets do not exceed
SELECT is((SELECT count(*) FROM unnest(ARRAY['tap_reply', 'tap_fix']) m(metric)
            CROSS JOIN LATERAL sla.percentiles('tap_tickets_sla', m.metric, '[2025-01-15, 2025-03-15)', '{0, 0.1, 0.5, 0.9, 0.95, 0.99, 1}') p
            CROSS JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE c.elapsed <= p.elapsed) AS at_most,
                                       count(*) FILTER (WHERE c.elapsed < p.elapsed) AS below,
                                       count(*) FILTER (WHERE c.elapsed = p.elapsed) AS equal
                                  FROM tap_clocks c
                                 WHERE c.metric = m.metric AND c.policy = p.policy AND c.stopped_at IS NOT NULL
                                   AND c.created_at >= '2025-01-15' AND c.created_at < '2025-03-15') r
            WHERE r.n <> p.tickets OR r.equal = 0 OR r.at_most < p.fraction::numeric * r.n
               OR (p.fraction > 0 AND r.below >= p.fraction::numeric * r.n)),
          0::bigint, 'percentiles are the nearest-rank values of stopped tickets'' business time');
SELECT is((SELECT count(*) FROM sla.percentiles('tap_tickets_sla', 'tap_fix', '(,)')),
          (SELECT 3 * count(DISTINCT policy) FROM tap_clocks WHERE metric = 'tap_fix' AND stopped_at IS NOT NULL),
          'three percentiles per policy by default');

-- Suggested targets: met at the compliance, one minute less is not (met:
-- stopped no later than the deadline the target gives)
SELECT is((SELECT count(*) FROM unnest(ARRAY['tap_reply', 'tap_fix']) m(metric)
            CROSS JOIN unnest('{0.5, 0.8, 0.9, 0.95, 0.99, 1}'::float8[]) k(compliance)
            CROSS JOIN LATERAL sla.suggest_target('tap_tickets_sla', m.metric, k.compliance) s
            CROSS JOIN LATERAL (SELECT count(*) AS n,
                                       count(*) FILTER (WHERE c.stopped_at <= sla.business_add(c.created_at, s.suggested_target, c.cal, c.paused)) AS met,
                                       count(*) FILTER (WHERE c.stopped_at <= sla.business_add(c.created_at, s.suggested_target - interval '1 minute', c.cal, c.paused)) AS met_minute_less
                                  FROM tap_clocks c
                                 WHERE c.metric = m.metric AND c.policy = s.policy AND c.stopped_at IS NOT NULL) r
            WHERE extract(epoch FROM s.suggested_target) % 60 <> 0
               OR r.met < k.compliance::numeric * r.n
               OR (s.suggested_target > interval '1 minute' AND r.met_minute_less >= k.compliance::numeric * r.n)
               OR s.suggested_compliance <> r.met::numeric / r.n),
          0::bigint, 'suggest_target is the smallest whole-minute target meeting the compliance');
SELECT is((SELECT count(*) FROM sla.suggest_target('tap_tickets_sla', 'tap_fix', 0.9) s
             JOIN (SELECT policy, count(*) AS n, count(*) FILTER (WHERE state = 'met') AS met, min(target) AS target
                     FROM tap_clocks WHERE metric = 'tap_fix' AND stopped_at IS NOT NULL GROUP BY policy) r USING (policy)
            WHERE s.tickets <> r.n OR s.current_target <> r.target OR s.current_compliance <> r.met::numeric / r.n),
          0::bigint, 'suggest_target shows the current target and compliance of the stopped tickets');

-- What if: the policies' own targets and calendars give the actual
-- compliance; another calendar and target are sla.evaluate over the same
-- tickets with their pauses.
SELECT is((SELECT count(*) FROM unnest(ARRAY['tap_reply', 'tap_fix']) m(metric)
            CROSS JOIN LATERAL sla.what_if('tap_tickets_sla', m.metric, NULL) w
            WHERE w.what_if_met <> w.actual_met OR w.what_if_compliance <> w.actual_compliance),
          0::bigint, 'what_if with the policies'' targets and calendars is the actual compliance');
SELECT is((SELECT count(*) FROM (
             SELECT policy, tickets, what_if_met FROM sla.what_if('tap_tickets_sla', 'tap_fix', '20 hours', 'tap_always', '[2025-02-01, 2025-04-01)')
             EXCEPT ALL
             SELECT c.policy, count(*), count(*) FILTER (WHERE r.state = 'met')
               FROM tap_clocks c
               JOIN sla.ticket_state s ON s.tickets = 'tap_tickets'::regclass AND s.ticket_id = c.id::text
              CROSS JOIN LATERAL sla.evaluate(c.created_at, '20 hours', sla.calendar('24/7'), c.stopped_at, s.paused) r
              WHERE c.metric = 'tap_fix' AND c.stopped_at IS NOT NULL AND c.created_at >= '2025-02-01' AND c.created_at < '2025-04-01'
              GROUP BY c.policy) d),
          0::bigint, 'what_if with another target and calendar re-evaluates stopped tickets with their pauses');

-- the compliance view goes with sla_private.drop_reporting_views (called by detach)
INSERT INTO tap_setup SELECT sla_private.drop_reporting_views(a)::text FROM sla.attachments a WHERE a.tickets = 'tap_tickets'::regclass;
SELECT is(to_regclass('tap_tickets_sla_compliance'), NULL, 'drop_reporting_views drops the compliance view');
SELECT throws_ok($$SELECT * FROM sla.what_if('pg_class', 'tap_fix', '1 hour')$$, '22023',
                 'pg_class is not the SLA view of an attached table', 'a view that is not an SLA view is refused');

SELECT * FROM finish();
ROLLBACK;
