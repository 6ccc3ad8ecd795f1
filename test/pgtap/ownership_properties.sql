-- test/pgtap/ownership_properties.sql: ownership periods (the kind
-- ownership, OLAs per team) against a reference written here.  Random
-- status histories (open, pending, solved, closed; solved and closed
-- resolve, pending pauses) and random team histories (support, engineering,
-- product or no team; each change on a minute of its own, many on the minute
-- of a status change) on whole minutes around the European DST change (29
-- March 2026), most tickets ending resolved; then a few tickets worked out
-- by hand in a second table, among them two with two team changes at one
-- instant (the one recorded later wins).  The reference walks each
-- ticket's instants one by one in time order (op_walk): the status and the
-- team changing at an instant hold from it; a period runs while the ticket
-- has a team and is not resolved, and ends when the team changes (to
-- another or to none) or the ticket is resolved; a reopened ticket starts a
-- new period, of the same team or not.  Then every minute of each ticket's
-- life up to 1 April (after its last change) gives its status and whether
-- the calendar (Mo-Fr 09:00-17:00 in Berlin, from the local time of the
-- minute) is open:
--   business time: with a policy for the team (support 3 hours, engineering
--     7 hours; product has none), the period's minutes open and not
--     pending; without one, its minutes not pending; a running period adds,
--     from 1 April to now(), the calendar's open time of each day (or the
--     wall time) unless the ticket waits pending;
--   paused_for: the period's minutes pending (and, while running pending,
--     the time since 1 April);
--   state: a stopped period is breached when it stops after the end of the
--     minute its target was reached (business time over the target, or
--     equal to it and stopped later, in closed hours or pending), else met;
--     a running one is breached once the target is reached (as of now(),
--     long after March), paused when it waits pending before that.
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(13);
SET LOCAL TimeZone = 'Australia/Lord_Howe';
SELECT setseed(0.63);

INSERT INTO sla.calendars VALUES ('op_office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, team, target, calendar) VALUES
    ('op support OLA', 'op_ola', 'support', '3 hours', 'op_office'),
    ('op engineering OLA', 'op_ola', 'engineering', '7 hours', 'op_office');

CREATE SCHEMA op;
CREATE TABLE op.tickets (id integer PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL, assignment_group text);
CREATE TABLE op.cases (LIKE op.tickets INCLUDING ALL);
SELECT sla.attach(t, priority_column => NULL, paused_statuses => '{pending}', resolved_statuses => '{solved,closed}',
                  team_column => 'assignment_group', metrics => '{"op_ola": {"kind": "ownership"}}')
  FROM unnest(ARRAY['op.tickets', 'op.cases']::regclass[]) t;

-- 50 tickets created between 25 March and 29 March 12:00 (UTC), each with
-- 1 to 7 status changes on distinct later minutes within 2.5 days, the last
-- of them resolving it for 7 tickets in 8; and 0 to 4 team changes on
-- distinct minutes, 2 in 5 of them on the minute of a status change
CREATE TEMP TABLE op_created AS
  SELECT i AS id, timestamptz '2026-03-25 00:00+00' + floor(random() * 4.5 * 1440)::int * interval '1 minute' AS created_at,
         (ARRAY['open', 'open', 'open', 'pending', 'solved'])[1 + floor(random() * 5)::int] AS status,
         (ARRAY['support', 'support', 'engineering', 'engineering', 'product', NULL])[1 + floor(random() * 6)::int] AS team
    FROM generate_series(1, 50) i;
CREATE TEMP TABLE op_changes AS
  SELECT c.id, c.created_at + k.m * interval '1 minute' AS at,
         CASE WHEN k.m = max(k.m) OVER (PARTITION BY c.id) AND c.id % 8 <> 0
              THEN (ARRAY['solved', 'closed'])[1 + floor(random() * 2)::int]
              ELSE (ARRAY['open', 'open', 'pending', 'solved', 'closed'])[1 + floor(random() * 5)::int] END AS status
    FROM op_created c
   CROSS JOIN LATERAL (SELECT DISTINCT 1 + floor(random() * 3599)::int AS m FROM generate_series(1, 1 + c.id % 7)) k;
CREATE TEMP TABLE op_team_changes AS
  SELECT c.id, c.created_at + k.m * interval '1 minute' AS at,
         (ARRAY['support', 'engineering', 'product', NULL])[1 + floor(random() * 4)::int] AS team,
         row_number() OVER (PARTITION BY c.id ORDER BY k.m) AS seq
    FROM op_created c
   CROSS JOIN LATERAL (SELECT array_agg((extract(epoch FROM h.at - c.created_at) / 60)::int) AS minutes
                         FROM op_changes h WHERE h.id = c.id) a
   CROSS JOIN LATERAL (SELECT DISTINCT CASE WHEN random() < 0.4 THEN a.minutes[1 + floor(random() * cardinality(a.minutes))::int]
                                            ELSE 1 + floor(random() * 3599)::int END AS m
                         FROM generate_series(1, c.id % 5)) k;

-- the cases worked out by hand (op.cases), in UTC; Berlin is UTC+1 until
-- 29 March, UTC+2 from then on
--   1001: support from Mon 23 08:00; at 09:00 engineering, then support
--         (recorded later: support holds); solved 11:00: one support
--         period 08:00-11:00, 3 h, met (the target reached at its stop).
--   1002: support; at 09:00 support, then engineering; solved 11:00:
--         support 08:00-09:00, engineering 09:00-11:00.
--   1003: support from Mon 23 13:00 (14:00 in Berlin), solved 16:30: 3 h
--         (to 17:00 in Berlin), the target, stopped after it: breached.
--   1004: the same solved 16:00 (17:00 in Berlin): met.
--   1005: support from Tue 24 08:00, pending 11:00 (3 h, the target),
--         solved 12:00: breached, 1 h paused.
--   1006: support from Wed 25 08:00, solved 09:00, reopened 10:00, solved
--         11:00: two support periods.
--   1007: no team from Wed 25 08:00; support 09:00, no team 10:00, solved
--         11:00: one period, 09:00-10:00.
--   1008: support from Thu 26 08:00; solved and engineering at 09:00,
--         reopened 10:00, solved 11:00: support 08:00-09:00, engineering
--         10:00-11:00.
--   1009: engineering from Fri 27 15:00 (16:00 CET), solved Mon 30 13:00
--         (15:00 CEST): 1 h + 6 h = 7 h, met; 1010 the same solved 13:01:
--         breached.
--   1011: product from Mon 23 08:00, pending 09:00-09:30, solved 12:00:
--         no policy, 3 h 30 (4 h less 30 min paused).
--   1012: support from Tue 31 08:00 (10:00 CEST), pending from 08:30 on:
--         running, 30 min, paused since 08:30 (state paused); 1013 the
--         same for product: 30 min, no policy.
INSERT INTO op_created VALUES
    (1001, '2026-03-23 08:00+00', 'open', 'support'), (1002, '2026-03-23 08:00+00', 'open', 'support'),
    (1003, '2026-03-23 13:00+00', 'open', 'support'), (1004, '2026-03-23 13:00+00', 'open', 'support'),
    (1005, '2026-03-24 08:00+00', 'open', 'support'), (1006, '2026-03-25 08:00+00', 'open', 'support'),
    (1007, '2026-03-25 08:00+00', 'open', NULL), (1008, '2026-03-26 08:00+00', 'open', 'support'),
    (1009, '2026-03-27 15:00+00', 'open', 'engineering'), (1010, '2026-03-27 15:00+00', 'open', 'engineering'),
    (1011, '2026-03-23 08:00+00', 'open', 'product'),
    (1012, '2026-03-31 08:00+00', 'open', 'support'), (1013, '2026-03-31 08:00+00', 'open', 'product');
INSERT INTO op_changes VALUES
    (1001, '2026-03-23 11:00+00', 'solved'), (1002, '2026-03-23 11:00+00', 'solved'),
    (1003, '2026-03-23 16:30+00', 'solved'), (1004, '2026-03-23 16:00+00', 'solved'),
    (1005, '2026-03-24 11:00+00', 'pending'), (1005, '2026-03-24 12:00+00', 'solved'),
    (1006, '2026-03-25 09:00+00', 'solved'), (1006, '2026-03-25 10:00+00', 'open'), (1006, '2026-03-25 11:00+00', 'closed'),
    (1007, '2026-03-25 11:00+00', 'solved'),
    (1008, '2026-03-26 09:00+00', 'solved'), (1008, '2026-03-26 10:00+00', 'open'), (1008, '2026-03-26 11:00+00', 'solved'),
    (1009, '2026-03-30 13:00+00', 'solved'), (1010, '2026-03-30 13:01+00', 'solved'),
    (1011, '2026-03-23 09:00+00', 'pending'), (1011, '2026-03-23 09:30+00', 'open'), (1011, '2026-03-23 12:00+00', 'solved'),
    (1012, '2026-03-31 08:30+00', 'pending'), (1013, '2026-03-31 08:30+00', 'pending');
INSERT INTO op_team_changes VALUES
    (1001, '2026-03-23 09:00+00', 'engineering', 1), (1001, '2026-03-23 09:00+00', 'support', 2),
    (1002, '2026-03-23 09:00+00', 'support', 1), (1002, '2026-03-23 09:00+00', 'engineering', 2),
    (1007, '2026-03-25 09:00+00', 'support', 1), (1007, '2026-03-25 10:00+00', NULL, 2),
    (1008, '2026-03-26 09:00+00', 'engineering', 1);

-- each ticket's status timeline (the creation, then the changes) and team
-- timeline, with the order its changes are recorded in (seq; the creation 0)
CREATE TEMP TABLE op_status AS
  SELECT id, created_at AS at, status FROM op_created UNION ALL SELECT id, at, status FROM op_changes;
CREATE TEMP TABLE op_teams AS
  SELECT id, created_at AS at, team, 0::bigint AS seq FROM op_created
  UNION ALL
  SELECT id, at, team, seq FROM op_team_changes;
CREATE INDEX ON op_status (id, at);
CREATE INDEX ON op_teams (id, at);
ANALYZE op_status, op_teams;

INSERT INTO op.tickets SELECT id, status, created_at, team FROM op_created WHERE id < 1000;
INSERT INTO op.cases SELECT id, status, created_at, team FROM op_created WHERE id >= 1000;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM op_changes ORDER BY id, at LOOP
        PERFORM sla.record_status(CASE WHEN r.id < 1000 THEN 'op.tickets' ELSE 'op.cases' END::regclass, r.id::text, r.at, r.status);
    END LOOP;
    FOR r IN SELECT * FROM op_teams WHERE seq > 0 ORDER BY id, seq LOOP
        PERFORM sla.record_team(CASE WHEN r.id < 1000 THEN 'op.tickets' ELSE 'op.cases' END::regclass, r.id::text, r.at, r.team);
    END LOOP;
END $$;

-- the reference: a ticket's ownership periods, walking its instants in
-- time order
CREATE FUNCTION pg_temp.op_walk(ticket integer)
    RETURNS TABLE (period integer, owner text, owned_from timestamptz, owned_until timestamptz)
    LANGUAGE plpgsql AS $$
DECLARE
    x timestamptz;
    changed_to text;
    resolved boolean := false;
    current_team text;
    running text;             -- the team of the running period, NULL when none runs
    since timestamptz;
    n integer := 0;
BEGIN
    FOR x IN SELECT e.at FROM (SELECT h.at FROM op_status h WHERE h.id = ticket
                               UNION SELECT g.at FROM op_teams g WHERE g.id = ticket) e
              ORDER BY e.at LOOP
        changed_to := (SELECT h.status FROM op_status h WHERE h.id = ticket AND h.at = x);
        IF changed_to IS NOT NULL THEN
            resolved := changed_to IN ('solved', 'closed');
        END IF;
        -- the team changes of the instant, in the order recorded: the last one holds
        IF EXISTS (SELECT FROM op_teams g WHERE g.id = ticket AND g.at = x) THEN
            current_team := (SELECT g.team FROM op_teams g WHERE g.id = ticket AND g.at = x ORDER BY g.seq DESC LIMIT 1);
        END IF;
        IF running IS NOT NULL AND (resolved OR current_team IS DISTINCT FROM running) THEN
            n := n + 1;
            period := n; owner := running; owned_from := since; owned_until := x;
            RETURN NEXT;
            running := NULL;
        END IF;
        IF running IS NULL AND current_team IS NOT NULL AND NOT resolved THEN
            running := current_team;
            since := x;
        END IF;
    END LOOP;
    IF running IS NOT NULL THEN
        n := n + 1;
        period := n; owner := running; owned_from := since; owned_until := NULL;
        RETURN NEXT;
    END IF;
END $$;

-- every minute of each ticket's life up to 1 April (all changes lie
-- before), its status, open or not
CREATE TEMP TABLE op_minutes AS
  SELECT s.id, m, s.status,
         extract(isodow FROM m AT TIME ZONE 'Europe/Berlin') <= 5
           AND (m AT TIME ZONE 'Europe/Berlin')::time >= '09:00' AND (m AT TIME ZONE 'Europe/Berlin')::time < '17:00' AS open
    FROM (SELECT h.id, h.at, h.status,
                 coalesce(lead(h.at) OVER (PARTITION BY h.id ORDER BY h.at), timestamptz '2026-04-01 00:00+00') AS until
            FROM op_status h) s
   CROSS JOIN LATERAL generate_series(s.at, s.until - interval '1 minute', interval '1 minute') m;
CREATE INDEX ON op_minutes (id, m);
ANALYZE op_minutes;
-- the open time of the calendar from an instant to now(), day by day
CREATE FUNCTION pg_temp.op_open_until_now(since timestamptz) RETURNS interval LANGUAGE sql AS $$
    SELECT coalesce(sum(greatest(interval '0',
                                 least(now(), (x.d + time '17:00') AT TIME ZONE 'Europe/Berlin')
                                 - greatest(since, (x.d + time '09:00') AT TIME ZONE 'Europe/Berlin'))), interval '0')
      FROM generate_series(0, (now() AT TIME ZONE 'Europe/Berlin')::date - (since AT TIME ZONE 'Europe/Berlin')::date) k
     CROSS JOIN LATERAL (SELECT (since AT TIME ZONE 'Europe/Berlin')::date + k AS d) x
     WHERE extract(isodow FROM x.d) <= 5
$$;

CREATE TEMP TABLE op_expected AS
  SELECT c.id, w.period, w.owner AS team, w.owned_from, w.owned_until,
         CASE w.owner WHEN 'support' THEN 'op support OLA' WHEN 'engineering' THEN 'op engineering OLA' END AS policy,
         CASE w.owner WHEN 'support' THEN interval '3 hours' WHEN 'engineering' THEN interval '7 hours' END AS target,
         n.wall, n.paused, n.business,
         (SELECT h.status FROM op_status h WHERE h.id = c.id ORDER BY h.at DESC LIMIT 1) AS last_status
    FROM op_created c
   CROSS JOIN LATERAL pg_temp.op_walk(c.id) w
   CROSS JOIN LATERAL (SELECT count(*) AS wall, count(*) FILTER (WHERE x.status = 'pending') AS paused,
                              count(*) FILTER (WHERE x.open AND x.status <> 'pending') AS business
                         FROM op_minutes x
                        WHERE x.id = c.id AND x.m >= w.owned_from
                          AND x.m < coalesce(w.owned_until, timestamptz '2026-04-01 00:00+00')) n;
-- the end of the minute the target was reached (among the minutes walked)
ALTER TABLE op_expected ADD reached_at timestamptz, ADD business_time interval, ADD paused_for interval, ADD state text;
UPDATE op_expected e
   SET reached_at = (SELECT x.m + interval '1 minute' FROM op_minutes x
                      WHERE x.id = e.id AND x.m >= e.owned_from
                        AND x.m < coalesce(e.owned_until, timestamptz '2026-04-01 00:00+00')
                        AND x.open AND x.status <> 'pending'
                      ORDER BY x.m OFFSET (extract(epoch FROM e.target) / 60)::int - 1 LIMIT 1)
 WHERE e.policy IS NOT NULL;
UPDATE op_expected e
   SET business_time = CASE WHEN e.policy IS NOT NULL THEN e.business * interval '1 minute'
                            ELSE (e.wall - e.paused) * interval '1 minute' END
                       + CASE WHEN e.owned_until IS NOT NULL OR e.last_status = 'pending' THEN interval '0'
                              WHEN e.policy IS NOT NULL THEN pg_temp.op_open_until_now('2026-04-01 00:00+00')
                              ELSE now() - timestamptz '2026-04-01 00:00+00' END,
       paused_for = e.paused * interval '1 minute'
                    + CASE WHEN e.owned_until IS NULL AND e.last_status = 'pending'
                           THEN now() - timestamptz '2026-04-01 00:00+00' ELSE interval '0' END;
UPDATE op_expected e
   SET state = CASE WHEN e.policy IS NULL THEN NULL
                    WHEN e.owned_until IS NOT NULL
                    THEN CASE WHEN e.owned_until > e.reached_at THEN 'breached' ELSE 'met' END
                    WHEN e.reached_at IS NOT NULL OR e.last_status <> 'pending' THEN 'breached'
                    ELSE 'paused' END;

-- the histories exercise the cases of the semantics
SELECT ok((SELECT count(*) FILTER (WHERE owned_until IS NULL) BETWEEN 1 AND 12
                  AND count(*) FILTER (WHERE policy IS NULL) > 0
                  AND count(*) FILTER (WHERE owned_from < '2026-03-29 01:00+00' AND owned_until > '2026-03-30 07:00+00') > 0
                  AND count(*) FILTER (WHERE period > 2) > 0
             FROM op_expected WHERE id < 1000)
          AND (SELECT count(*) FROM op_created c WHERE c.id < 1000 AND NOT EXISTS (SELECT FROM op_expected e WHERE e.id = c.id)) > 0,
          'some periods run, some teams have no policy, some periods span the DST weekend, tickets have several periods or none');
SELECT ok((SELECT count(*) > 0 FROM op_expected a JOIN op_expected b ON b.id = a.id AND b.period = a.period + 1
            WHERE a.id < 1000 AND a.team = b.team AND a.owned_until < b.owned_from)
          AND (SELECT count(*) > 0 FROM op_expected a JOIN op_expected b ON b.id = a.id AND b.period = a.period + 1
                WHERE a.id < 1000 AND a.team <> b.team AND a.owned_until = b.owned_from)
          AND (SELECT count(*) > 0 FROM op_team_changes g JOIN op_changes h USING (id, at) WHERE g.id < 1000)
          AND (SELECT count(*) > 0 FROM op_team_changes g WHERE g.id < 1000 AND g.team IS NULL)
          AND (SELECT count(*) > 0 FROM op_expected WHERE id < 1000 AND paused > 0),
          'reopened tickets start a new period of the same team, teams hand over, team changes share a status change''s minute, some to no team; periods pause');
SELECT ok((SELECT bool_and(b > 0 AND m > 0)
             FROM (SELECT team, count(*) FILTER (WHERE state = 'breached') AS b, count(*) FILTER (WHERE state = 'met') AS m
                     FROM op_expected WHERE id < 1000 AND policy IS NOT NULL GROUP BY team) s)
          AND (SELECT count(DISTINCT team) = 2 FROM op_expected WHERE id < 1000 AND policy IS NOT NULL),
          'periods of each team with a policy are met, others breached');

-- the random tickets (op.tickets)
SELECT bag_eq($$SELECT id, team, owned_from, owned_until FROM op.tickets_sla_ownership$$,
              $$SELECT id, team, owned_from, owned_until FROM op_expected WHERE id < 1000$$,
              'ownership periods: a team owns the ticket until the team changes or the ticket is resolved, as the walk says');
SELECT bag_eq($$SELECT id, owned_from, business_time, business_seconds, paused_for FROM op.tickets_sla_ownership
                 WHERE owned_until IS NOT NULL$$,
              $$SELECT id, owned_from, business_time, extract(epoch FROM business_time), paused_for FROM op_expected
                 WHERE id < 1000 AND owned_until IS NOT NULL$$,
              'each stopped period''s business time: minutes open and not pending with a policy, minutes not pending without; its minutes pending');
SELECT bag_eq($$SELECT id, owned_from, business_time, paused_for FROM op.tickets_sla_ownership WHERE owned_until IS NULL$$,
              $$SELECT id, owned_from, business_time, paused_for FROM op_expected WHERE id < 1000 AND owned_until IS NULL$$,
              'each running period''s business time and pauses count up to now()');
SELECT bag_eq($$SELECT id, owned_from, policy, target, state FROM op.tickets_sla_ownership$$,
              $$SELECT id, owned_from, policy, target, state FROM op_expected WHERE id < 1000$$,
              'each period has its team''s policy (none for product), met or breached by its stop against the deadline');

-- the SLA view: per ticket the number of periods and the last one (no
-- period: NULL)
CREATE TEMP TABLE op_last AS
  SELECT c.id, e.period, e.team, e.owned_from, e.owned_until, e.policy, e.state,
         CASE WHEN e.policy IS NOT NULL THEN e.business_time END AS elapsed
    FROM op_created c
    LEFT JOIN LATERAL (SELECT * FROM op_expected e WHERE e.id = c.id ORDER BY e.period DESC LIMIT 1) e ON true
   WHERE c.id < 1000;
SELECT bag_eq($$SELECT id, op_ola_cycle, op_ola_team, op_ola_started_at, op_ola_stopped_at, op_ola_policy, op_ola_state,
                       op_ola_elapsed FROM op.tickets_sla$$,
              $$SELECT id, period, team, owned_from, owned_until, policy, state, elapsed FROM op_last$$,
              'the SLA view: the number of periods, and the last period with its team, policy, state and business time');

-- the compliance view counts each period with a policy once, per team
SELECT results_eq($$SELECT team, sum(total)::bigint, sum(met)::bigint, sum(breached)::bigint, sum(stopped)::bigint
                      FROM op.tickets_sla_compliance WHERE metric = 'op_ola' GROUP BY team ORDER BY team$$,
                  $$SELECT team, count(*), count(*) FILTER (WHERE state = 'met'), count(*) FILTER (WHERE state = 'breached'),
                           count(*) FILTER (WHERE owned_until IS NOT NULL)
                      FROM op_expected WHERE id < 1000 AND policy IS NOT NULL GROUP BY team ORDER BY team$$,
                  'the compliance view: periods, met, breached and stopped per team with a policy');

-- the cases worked out by hand (op.cases): the reference agrees with them,
-- and the extension with the reference
SELECT results_eq($$SELECT id, team, owned_from, owned_until, business_time, paused_for, state FROM op_expected
                     WHERE id >= 1000 ORDER BY id, period$$,
                  $$VALUES (1001, 'support', timestamptz '2026-03-23 08:00+00', timestamptz '2026-03-23 11:00+00', interval '3 hours', interval '0', 'met'),
                           (1002, 'support', '2026-03-23 08:00+00', '2026-03-23 09:00+00', '1 hour', '0', 'met'),
                           (1002, 'engineering', '2026-03-23 09:00+00', '2026-03-23 11:00+00', '2 hours', '0', 'met'),
                           (1003, 'support', '2026-03-23 13:00+00', '2026-03-23 16:30+00', '3 hours', '0', 'breached'),
                           (1004, 'support', '2026-03-23 13:00+00', '2026-03-23 16:00+00', '3 hours', '0', 'met'),
                           (1005, 'support', '2026-03-24 08:00+00', '2026-03-24 12:00+00', '3 hours', '1 hour', 'breached'),
                           (1006, 'support', '2026-03-25 08:00+00', '2026-03-25 09:00+00', '1 hour', '0', 'met'),
                           (1006, 'support', '2026-03-25 10:00+00', '2026-03-25 11:00+00', '1 hour', '0', 'met'),
                           (1007, 'support', '2026-03-25 09:00+00', '2026-03-25 10:00+00', '1 hour', '0', 'met'),
                           (1008, 'support', '2026-03-26 08:00+00', '2026-03-26 09:00+00', '1 hour', '0', 'met'),
                           (1008, 'engineering', '2026-03-26 10:00+00', '2026-03-26 11:00+00', '1 hour', '0', 'met'),
                           (1009, 'engineering', '2026-03-27 15:00+00', '2026-03-30 13:00+00', '7 hours', '0', 'met'),
                           (1010, 'engineering', '2026-03-27 15:00+00', '2026-03-30 13:01+00', '7 hours 1 minute', '0', 'breached'),
                           (1011, 'product', '2026-03-23 08:00+00', '2026-03-23 12:00+00', '3 hours 30 minutes', '30 minutes', NULL),
                           (1012, 'support', '2026-03-31 08:00+00', NULL, '30 minutes', now() - '2026-03-31 08:30+00', 'paused'),
                           (1013, 'product', '2026-03-31 08:00+00', NULL, '30 minutes', now() - '2026-03-31 08:30+00', NULL)$$,
                  'the reference gives the periods worked out by hand');
SELECT bag_eq($$SELECT id, team, owned_from, owned_until, business_time, paused_for, policy, state FROM op.cases_sla_ownership
                 WHERE id NOT IN (1001, 1002)$$,
              $$SELECT id, team, owned_from, owned_until, business_time, paused_for, policy, state FROM op_expected
                 WHERE id >= 1000 AND id NOT IN (1001, 1002)$$,
              'hand-worked periods: the target reached exactly at the stop, before a stop in closed hours or pending, across DST, reopened, handed over on a resolution, running paused');
SELECT bag_eq($$SELECT id, op_ola_cycle, op_ola_team, op_ola_started_at, op_ola_stopped_at, op_ola_policy, op_ola_state,
                       op_ola_elapsed FROM op.cases_sla WHERE id NOT IN (1001, 1002)$$,
              $$SELECT DISTINCT ON (id) id, period, team, owned_from, owned_until, policy, state,
                       CASE WHEN policy IS NOT NULL THEN business_time END
                  FROM op_expected WHERE id >= 1000 AND id NOT IN (1001, 1002) ORDER BY id, period DESC$$,
              'the SLA view of the hand-worked tickets: their number of periods and the last one');
SELECT bag_eq($$SELECT id, team, owned_from, owned_until, business_time, state FROM op.cases_sla_ownership
                 WHERE id IN (1001, 1002)$$,
              $$SELECT id, team, owned_from, owned_until, business_time, state FROM op_expected WHERE id IN (1001, 1002)$$,
              'two team changes at one instant: the one recorded later holds (back to the owning team: no new period)');

SELECT * FROM finish();
ROLLBACK;
