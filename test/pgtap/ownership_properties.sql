-- test/pgtap/ownership_properties.sql: ownership metrics (team_column, kind
-- ownership) against a reference written here.  Random status histories
-- (open, pending, solved, closed; solved and closed resolve, pending
-- pauses) and random team histories (support, engineering, product, or no
-- team) on distinct whole minutes around the European DST change (29 March
-- 2026), each ticket closed at the end.  The reference walks every minute
-- of each ticket's first 6 days, takes its status and team from the
-- histories, and cuts the minutes into islands: consecutive minutes with
-- one team and not resolved are one ownership period (a reopened ticket
-- starts a new one).  A period's business time is its minutes open in the
-- calendar of its team's policy (Mo-Fr 09:00-17:00 in Berlin, from the
-- local time of the minute) and not pending; product has no policy, so its
-- business time is its minutes not pending.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(9);
SET LOCAL TimeZone = 'Pacific/Chatham';
SELECT setseed(0.31);

INSERT INTO sla.calendars VALUES ('op_office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, team, target, calendar) VALUES
    ('op support', 'op_ola', 'support', '4 hours', 'op_office'),
    ('op engineering', 'op_ola', 'engineering', '8 hours', 'op_office');

CREATE SCHEMA op;
CREATE TABLE op.tickets (id integer PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL, team text);
SELECT sla.attach('op.tickets', priority_column => NULL, paused_statuses => '{pending}',
                  resolved_statuses => '{solved,closed}', team_column => 'team',
                  metrics => '{"op_ola": {"kind": "ownership"}}');

-- 50 tickets created between 26 and 31 March with a team or none, each with
-- up to 8 status changes and up to 5 team changes on distinct later
-- minutes within 4 days, the last status change closing it
CREATE TEMP TABLE op_created AS
  SELECT i AS id, timestamptz '2026-03-26 00:00+00' + floor(random() * 5 * 1440)::int * interval '1 minute' AS created_at,
         (ARRAY['support', 'support', 'engineering', NULL])[1 + floor(random() * 4)::int] AS team
    FROM generate_series(1, 50) i;
CREATE TEMP TABLE op_statuses AS
  SELECT c.id, c.created_at + k.m * interval '1 minute' AS at,
         CASE WHEN k.m = max(k.m) OVER (PARTITION BY c.id) THEN 'closed'
              ELSE (ARRAY['open', 'pending', 'solved', 'open'])[1 + floor(random() * 4)::int] END AS status
    FROM op_created c
   CROSS JOIN LATERAL (SELECT DISTINCT 1 + floor(random() * 4 * 1440)::int AS m FROM generate_series(1, 1 + c.id % 8)) k;
CREATE TEMP TABLE op_teams AS
  SELECT c.id, c.created_at + k.m * interval '1 minute' AS at,
         (ARRAY['support', 'engineering', 'product', NULL])[1 + floor(random() * 4)::int] AS team
    FROM op_created c
   CROSS JOIN LATERAL (SELECT DISTINCT 1 + floor(random() * 4 * 1440)::int AS m FROM generate_series(1, c.id % 6)) k;
INSERT INTO op.tickets SELECT id, 'open', created_at, team FROM op_created;
SELECT count(*) AS imported FROM (SELECT sla.record_status('op.tickets', s.id::text, s.at, s.status) FROM op_statuses s) x;
SELECT count(*) AS imported FROM (SELECT sla.record_team('op.tickets', g.id::text, g.at, g.team) FROM op_teams g) x;

-- the reference: every minute of each ticket's first 6 days
CREATE TEMP TABLE op_minutes AS
  SELECT c.id, m,
         coalesce((SELECT s.status FROM op_statuses s WHERE s.id = c.id AND s.at <= m ORDER BY s.at DESC LIMIT 1), 'open') AS status,
         (SELECT g.team FROM (SELECT c.created_at AS at, c.team UNION ALL SELECT g.at, g.team FROM op_teams g WHERE g.id = c.id) g
           WHERE g.at <= m ORDER BY g.at DESC LIMIT 1) AS team,
         extract(isodow FROM m AT TIME ZONE 'Europe/Berlin') <= 5
           AND (m AT TIME ZONE 'Europe/Berlin')::time >= '09:00' AND (m AT TIME ZONE 'Europe/Berlin')::time < '17:00' AS open
    FROM op_created c
   CROSS JOIN LATERAL generate_series(c.created_at, c.created_at + interval '6 days', interval '1 minute') m;
-- the periods: islands of consecutive minutes with one team, not resolved
CREATE TEMP TABLE op_periods AS
  SELECT id, team, min(m) AS owned_from, max(m) + interval '1 minute' AS owned_until,
         count(*) FILTER (WHERE status <> 'pending' AND (open OR team = 'product')) AS business_minutes,
         count(*) FILTER (WHERE status = 'pending') AS paused_minutes,
         CASE team WHEN 'support' THEN 'op support' WHEN 'engineering' THEN 'op engineering' END AS policy,
         CASE team WHEN 'support' THEN 240 WHEN 'engineering' THEN 480 END AS target_minutes
    FROM (SELECT x.*, sum(x.starts::int) OVER (PARTITION BY x.id ORDER BY x.m) AS island
            FROM (SELECT x.*, x.team IS NOT NULL AND x.status NOT IN ('solved', 'closed')
                              AND (lag(x.team) OVER w IS DISTINCT FROM x.team
                                   OR lag(x.status) OVER w IN ('solved', 'closed') OR lag(x.m) OVER w IS NULL) AS starts,
                         x.team IS NOT NULL AND x.status NOT IN ('solved', 'closed') AS owned
                    FROM op_minutes x WINDOW w AS (PARTITION BY x.id ORDER BY x.m)) x) k
   WHERE owned
   GROUP BY id, team, island;

SELECT ok((SELECT count(*) FROM op_periods) > 60 AND (SELECT count(DISTINCT team) FROM op_periods) = 3
          AND EXISTS (SELECT 1 FROM op_periods p JOIN op_periods q ON q.id = p.id AND q.team = p.team AND q.owned_from > p.owned_from),
          'the histories hold periods of all three teams, and a team owning a ticket twice');
SELECT is((SELECT count(*) FROM ((SELECT id, team, owned_from, owned_until FROM op.tickets_sla_ownership
                                  EXCEPT ALL SELECT id, team, owned_from, owned_until FROM op_periods)
                                 UNION ALL
                                 (SELECT id, team, owned_from, owned_until FROM op_periods
                                  EXCEPT ALL SELECT id, team, owned_from, owned_until FROM op.tickets_sla_ownership)) d),
          0::bigint, 'the ownership view has exactly the reference''s periods');
SELECT is((SELECT count(*) FROM op.tickets_sla_ownership o JOIN op_periods p USING (id, team, owned_from)
            WHERE o.business_time = p.business_minutes * interval '1 minute'), (SELECT count(*) FROM op_periods),
          'each period''s business time: minutes open in its policy''s calendar (or any, without one), not paused');
SELECT is((SELECT count(*) FROM op.tickets_sla_ownership o JOIN op_periods p USING (id, team, owned_from)
            WHERE o.paused_for = p.paused_minutes * interval '1 minute'), (SELECT count(*) FROM op_periods),
          'each period''s time paused');
SELECT is((SELECT count(*) FROM op.tickets_sla_ownership o JOIN op_periods p USING (id, team, owned_from)
            WHERE o.policy IS NOT DISTINCT FROM p.policy), (SELECT count(*) FROM op_periods),
          'each period has the policy of its team (none for product)');
SELECT is((SELECT count(*) FROM op.tickets_sla_ownership o JOIN op_periods p USING (id, team, owned_from)
            WHERE p.policy IS NOT NULL AND p.business_minutes <> p.target_minutes
              AND o.state = CASE WHEN p.business_minutes > p.target_minutes THEN 'breached' ELSE 'met' END),
          (SELECT count(*) FROM op_periods WHERE policy IS NOT NULL AND business_minutes <> target_minutes),
          'a period with a policy is met within its target, else breached');
SELECT ok((SELECT count(*) FROM op.tickets_sla_ownership WHERE state = 'breached') > 0
          AND (SELECT count(*) FROM op.tickets_sla_ownership WHERE state = 'met') > 0, 'both met and breached periods occur');
SELECT is((SELECT count(*) FROM op.tickets_sla v
            LEFT JOIN (SELECT id, count(*) AS periods, (array_agg(team ORDER BY owned_from DESC))[1] AS last_team
                         FROM op_periods GROUP BY id) p USING (id)
            WHERE v.op_ola_cycle IS NOT DISTINCT FROM p.periods AND v.op_ola_team IS NOT DISTINCT FROM p.last_team),
          50::bigint, 'the SLA view shows each ticket''s number of periods and the last one''s team');
SELECT is((SELECT array_agg(format('%s %s', team, total) ORDER BY team)
             FROM (SELECT team, sum(total) AS total FROM op.tickets_sla_compliance WHERE metric = 'op_ola' GROUP BY team) c),
          (SELECT array_agg(format('%s %s', team, n) ORDER BY team)
             FROM (SELECT team, count(*) AS n FROM op_periods WHERE policy IS NOT NULL GROUP BY team) p),
          'the compliance view counts the periods with a policy per team');

SELECT * FROM finish();
ROLLBACK;
