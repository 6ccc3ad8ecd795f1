-- test/pgtap/pauses_parallel.sql: sla.pauses aggregated in parts.  Parallel
-- workers each aggregate some rows of a group; their partial states
-- (values of sla.pauses_state) are sent to the leader and combined.  The result
-- must be what one serial aggregation gives, and what a brute-force
-- reference over the sorted rows gives (range_agg over lead()).  The
-- state's text and binary forms are checked against bytes written by hand.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(14);
SELECT setseed(0.31);

-- 300,000 status rows of 2,000 tickets, in random physical order, one row
-- per instant and ticket (ties at one instant have no order in a parallel plan)
CREATE TABLE p_rows AS               -- not TEMP: parallel workers do not read temporary tables
SELECT 1 + (random() * 1999)::int AS ticket, k % 7 AS team,
       timestamptz '2026-01-01 00:00+00' + k * interval '1 minute' + (random() * 59)::int * interval '1 second' AS at,
       random() < 0.4 AS paused
  FROM generate_series(1, 300000) k
 ORDER BY random();
ANALYZE p_rows;

-- the reference: sorted rows, a range from each paused row to the next row
CREATE TEMP TABLE p_want AS
SELECT ticket,
       coalesce(range_agg(tstzrange(at, next_at)) FILTER (WHERE paused AND (next_at IS NULL OR next_at > at)), '{}') AS want
  FROM (SELECT ticket, at, paused, lead(at) OVER (PARTITION BY ticket ORDER BY at) AS next_at FROM p_rows) r
 GROUP BY ticket;
CREATE TEMP TABLE p_team_want AS
SELECT team,
       coalesce(range_agg(tstzrange(at, next_at)) FILTER (WHERE paused AND (next_at IS NULL OR next_at > at)), '{}') AS want
  FROM (SELECT team, at, paused, lead(at) OVER (PARTITION BY team ORDER BY at) AS next_at FROM p_rows) r
 GROUP BY team;

SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE p_serial AS SELECT ticket, sla.pauses(at, paused) AS got FROM p_rows GROUP BY ticket;

SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL enable_hashagg = off;
\ir include/plan_of.sql
SELECT matches(pg_temp.plan_of('SELECT ticket, sla.pauses(at, paused) FROM p_rows GROUP BY ticket'),
               'Partial (Group)?Aggregate',
               'grouped by ticket, sla.pauses is planned as partial aggregates in parallel workers');
CREATE TEMP TABLE p_parallel AS SELECT ticket, sla.pauses(at, paused) AS got FROM p_rows GROUP BY ticket;
SELECT is((SELECT count(*) FROM p_parallel p JOIN p_want w USING (ticket) WHERE p.got <> w.want)
          + (SELECT abs(count(*) - 2000) FROM p_parallel), 0::bigint,
          'the parallel result of every ticket is the reference');
SELECT is((SELECT count(*) FROM p_parallel p JOIN p_serial s USING (ticket) WHERE p.got <> s.got), 0::bigint,
          'and the serial result');
-- few groups, each spread over every worker: many partial states per group combined
SELECT matches(pg_temp.plan_of('SELECT team, sla.pauses(at, paused) FROM p_rows GROUP BY team'),
               'Partial (Group)?Aggregate', 'grouped by a column of seven values, in parallel too');
SELECT is((SELECT count(*) FROM (SELECT team, sla.pauses(at, paused) AS got FROM p_rows GROUP BY team) p
             JOIN p_team_want w USING (team) WHERE p.got <> w.want), 0::bigint,
          'each of the seven is the reference');
SELECT is((SELECT sla.pauses(at, paused) FROM p_rows WHERE ticket = 0), '{}'::tstzmultirange,
          'no rows at all: no pauses, in parallel as serially');

-- The state as a value (how Citus passes it between nodes): text and
-- binary forms written out by hand
SELECT is('1p   2r -5p '::sla.pauses_state::text, '1p 2r -5p', 'the text form: microseconds and p or r, in order');
SELECT is(''::sla.pauses_state::text, '', 'no rows: the empty text');
SELECT is(sla.pauses_state_send('1p 2r'),
          ('\x00000002' || '000000000000000101' || '000000000000000200')::bytea,
          'the binary form: the count, then each instant (8 bytes) and a paused byte');
SELECT throws_ok($$SELECT 'x1p'::sla.pauses_state$$, '22P02',
                 'invalid input syntax for type sla.pauses_state: "x1p"', 'text that is not rows is refused');
SELECT throws_ok($$SELECT '1p2r'::sla.pauses_state$$, '22P02', NULL, 'rows must be separated');
SELECT throws_ok($$SELECT '9223372036854775806p'::sla.pauses_state$$, '22008', NULL,
                 'an instant beyond timestamptz''s range is refused');
SELECT is('9223372036854775807r'::sla.pauses_state::text, '9223372036854775807r', 'infinity is an instant a state may hold');
SELECT throws_ok($$SELECT sla.pauses_step(NULL, now(), true)$$, '0A000', NULL,
                 'the support functions refuse to run outside the aggregate');

SELECT * FROM finish();
ROLLBACK;
