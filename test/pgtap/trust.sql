-- test/pgtap/trust.sql: the guarantees of sla 1.1 in a database shared with a
-- hostile role.  No role reaches the rights of another through sla: not
-- through code of a table it attaches (section 1: an id type with its own
-- cast, a priority cast to text by its function, a partial index whose
-- predicate calls its function, met by the sweep, the reports, TRUNCATE of
-- a partition and sla.record_status), not by attaching what is no table or
-- registering it by hand (2), not by forging the SLA state as a reader (3)
-- or an insert-only writer (4), not past row-level security (5); and the
-- tracking stays true whatever the application does: partitions two levels
-- deep (7), renames and drops (8), infinite instants (9), a status set by a
-- BEFORE trigger, through a column privilege or by MERGE, ids whose text
-- depends on DateStyle (10), one broken
-- attachment among healthy ones (11).  (6, the NOTIFY payload, is
-- test/t/notify.sh.)  Every expected value is worked out by hand.
--
-- Roles (created inside the transaction, gone with the ROLLBACK, as are
-- the schemas mal, trust_app, trust_ddl and trust_rd):
--   trust_mallory   hostile: owns schema mal (and, in section 2, a table
--                   handed to her in trust_app);
--   trust_owner     owns the application's tables (schemas trust_app, trust_ddl);
--   trust_agent,    may read and write trust_app.desk, row-level security
--   trust_agent2    shows each the tickets assigned to it;
--   trust_reader    may only SELECT trust_app.tickets (owns schema trust_rd);
--   trust_writer    may only INSERT into trust_app.tickets;
--   trust_updater   may only SELECT (id) and UPDATE (status) of trust_app.apps.
-- The superuser running the file is the extension's owner.  Every clock
-- runs on a 24/7 UTC calendar, so that each expected instant is the
-- creation plus a number of hours: reply (1 hour, at risk at 45 minutes),
-- fix (4 hours, at risk at 3 hours).
--
-- pg_temp helpers: trust_run(statement) runs a statement as the current role
-- and returns its SQLSTATE ('00000': success); trust_rows(statement) returns
-- the rows it changed; trust_try(query) returns the query's text value, or
-- 'error <SQLSTATE>', so that a failing check fails its test, not the file;
-- trust_count(query) and trust_text(query) read as the superuser, whatever
-- the current role.
--
-- Run: pg_prove --verbose test/pgtap/trust.sql   (as a superuser)

BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(190);
SET LOCAL TimeZone = 'UTC';

CREATE FUNCTION pg_temp.trust_run(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.trust_rows(statement text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE statement;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
EXCEPTION WHEN OTHERS THEN
    RETURN -1;
END $$;
CREATE FUNCTION pg_temp.trust_try(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.trust_count(query text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE query INTO n;
    RETURN n;
END $$;
CREATE FUNCTION pg_temp.trust_text(query text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    result text;
BEGIN
    EXECUTE query INTO result;
    RETURN result;
END $$;
-- the events of a table as 'ticket metric kind MM-DD HH24:MI' (UTC), in order
CREATE FUNCTION pg_temp.trust_events(tickets regclass) RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(format('%s %s %s %s', e.ticket_id, e.metric, e.kind,
                                     to_char(e.happened_at AT TIME ZONE 'UTC', 'MM-DD HH24:MI'))
                              ORDER BY e.happened_at, e.ticket_id, e.metric, e.kind), '{}')
      FROM sla.events e WHERE e.tickets = $1
$$;
-- a ticket's statuses, in the order they were recorded
CREATE FUNCTION pg_temp.trust_history(tickets regclass, ticket_id text) RETURNS text[]
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT coalesce(array_agg(h.status ORDER BY h.changed_at, h.id), '{}')
      FROM sla.status_history h WHERE h.tickets = $1 AND h.ticket_id = $2
$$;
-- a clock as 'state due elapsed' ('until now': the wall-clock time since the creation, 24/7), '-' when NULL
CREATE FUNCTION pg_temp.trust_clock(state text, due_at timestamptz, elapsed interval, created_at timestamptz) RETURNS text
    LANGUAGE sql AS $$
    SELECT concat_ws(' ', coalesce(state, '-'), coalesce(to_char(due_at AT TIME ZONE 'UTC', 'MM-DD HH24:MI'), '-'),
                     CASE WHEN elapsed IS NULL THEN '-' WHEN elapsed = now() - created_at THEN 'until now' ELSE elapsed::text END)
$$;
CREATE FUNCTION pg_temp.trust_attachment(tickets regclass) RETURNS integer LANGUAGE sql AS $$
    SELECT a.id FROM sla.attachments a WHERE a.tickets = $1
$$;

CREATE ROLE trust_mallory;
CREATE ROLE trust_owner;
CREATE ROLE trust_agent;
CREATE ROLE trust_agent2;
CREATE ROLE trust_reader;
CREATE ROLE trust_writer;
CREATE ROLE trust_updater;
CREATE SCHEMA mal AUTHORIZATION trust_mallory;
CREATE SCHEMA trust_app AUTHORIZATION trust_owner;
CREATE SCHEMA trust_ddl AUTHORIZATION trust_owner;
CREATE SCHEMA trust_rd AUTHORIZATION trust_reader;
GRANT USAGE ON SCHEMA trust_app, trust_ddl TO trust_agent, trust_agent2, trust_reader, trust_writer, trust_updater;

INSERT INTO sla.calendars VALUES ('trust always', '24/7', 'UTC');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES
    ('trust reply', 'trust_reply', '1 hour', 'trust always'),
    ('trust fix', 'trust_fix', '4 hours', 'trust always');

---------------------------------------------------------------------------
-- 1. Escalation through code of the table's owner
---------------------------------------------------------------------------
SET ROLE trust_mallory;
-- the attack: an id whose cast to text is mallory's function
CREATE TYPE mal.tid AS (n int);
CREATE FUNCTION mal.tid_text(mal.tid) RETURNS text LANGUAGE plpgsql AS $$ BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'ALTER ROLE trust_mallory SUPERUSER'; END IF; RETURN ($1).n::text; END $$;
CREATE CAST (mal.tid AS text) WITH FUNCTION mal.tid_text(mal.tid);
CREATE TABLE mal.tickets (id mal.tid PRIMARY KEY, status text, priority text, created_at timestamptz, first_response_at timestamptz, resolved_at timestamptz);
INSERT INTO mal.tickets VALUES (ROW(1), 'open', 'high', '2026-11-02 09:00+00', NULL, NULL);
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets')$$), '42804',
          'attach refuses an id of mallory''s composite type (cast to text by her function)');
CREATE DOMAIN mal.tdom AS mal.tid;
CREATE TABLE mal.tickets_dom (id mal.tdom, status text, priority text, created_at timestamptz, first_response_at timestamptz, resolved_at timestamptz);
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets_dom')$$), '42804',
          'and an id of a domain over that type');
SELECT is((SELECT count(*) FROM sla.attachments WHERE tickets IN ('mal.tickets'::regclass, 'mal.tickets_dom'::regclass)),
          0::bigint, 'nothing of either attempt stays');
RESET ROLE;
-- the other side of the id check: a domain over integer is what its error detail offers
SET ROLE trust_owner;
CREATE DOMAIN trust_app.ticket_no AS integer CHECK (VALUE > 0);
CREATE TABLE trust_app.numbered (id trust_app.ticket_no PRIMARY KEY, status text, priority text,
                                 created_at timestamptz, first_response_at timestamptz, resolved_at timestamptz);
SELECT is(pg_temp.trust_run($$SELECT sla.attach('trust_app.numbered', metrics => '{"trust_reply": "first_response_at"}')$$), '00000',
          'attach accepts an id of a domain over integer');
INSERT INTO trust_app.numbered (id, status, created_at) VALUES (7, 'open', '2026-11-02 09:00+00');
RESET ROLE;
SELECT lives_ok($$SELECT sla.sweep()$$, 'a sweep with the domain-keyed table attached');
SELECT is(pg_temp.trust_events('trust_app.numbered'), '{"7 trust_reply at_risk 11-02 09:45","7 trust_reply breached 11-02 10:00"}',
          'and its ticket''s crossings are recorded (opened 09:00, 1-hour reply)');

-- the second variant: an int id, but a priority whose cast to text is her function
SET ROLE trust_mallory;
CREATE TABLE mal.log (who name);
CREATE TYPE mal.prio AS (p text);
CREATE FUNCTION mal.prio_text(mal.prio) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mal.log VALUES (current_user);
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE 'ALTER ROLE trust_mallory SUPERUSER';
    END IF;
    RETURN ($1).p;
END $$;
CREATE CAST (mal.prio AS text) WITH FUNCTION mal.prio_text(mal.prio);
CREATE TABLE mal.tickets2 (id int PRIMARY KEY, status text, priority mal.prio, created_at timestamptz,
                           first_response_at timestamptz, resolved_at timestamptz);
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets2', metrics => '{"trust_reply": "first_response_at", "trust_fix": "resolved_at"}')$$),
          '00000', 'mallory attaches her table with an int id and a priority cast by her function');
INSERT INTO mal.tickets2 VALUES (1, 'open', ROW('high'), '2026-11-02 09:00+00', NULL, NULL),
                                (2, 'resolved', ROW('low'), '2026-11-02 10:00+00', '2026-11-02 10:30+00', '2026-11-02 12:00+00');
RESET ROLE;
CREATE TEMP TABLE trust_mark AS SELECT count(*) AS n FROM mal.log;
SELECT lives_ok($$SELECT sla.sweep()$$, 'the superuser sweeps, mallory''s table included');
SELECT ok((SELECT count(*) FROM mal.log) > (SELECT n FROM trust_mark), 'her cast ran during the sweep');
UPDATE trust_mark SET n = (SELECT count(*) FROM mal.log);
-- ticket 2: resolved after 2 of its 4 hours, the only stopped fix
SELECT is(pg_temp.trust_try($$SELECT string_agg(format('%s %s %s %s', policy, fraction, elapsed, tickets), '; ')
                                FROM sla.percentiles('mal.tickets2_sla', 'trust_fix', '[2026-11-01, 2026-12-01)', '{0.5}')$$),
          'trust fix 0.5 02:00:00 1', 'the superuser''s percentiles over her view');
SELECT ok((SELECT count(*) FROM mal.log) > (SELECT n FROM trust_mark), 'her cast ran during the percentiles');
-- ticket 1 (09:00, open): reply at risk 09:45, breached 10:00; fix at risk 12:00, breached 13:00; ticket 2 met both
SELECT is((SELECT array_agg(format('%s %s %s', ticket_id, metric, kind) ORDER BY happened_at, metric)
             FROM sla.events WHERE tickets = 'mal.tickets2'::regclass),
          '{"1 trust_reply at_risk","1 trust_reply breached","1 trust_fix at_risk","1 trust_fix breached"}',
          'the superuser reads sla.events: the four crossings of ticket 1');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false, 'mallory is still not a superuser');
SELECT is((SELECT array_agg(DISTINCT who) FROM mal.log), '{trust_mallory}'::name[],
          'her function ran as trust_mallory only, never as the superuser');

-- a third variant: an immutable function in a partial index, run whenever a
-- backend builds the index's predicate (planning a query over the table)
SET ROLE trust_mallory;
CREATE FUNCTION mal.escalate() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mal.log VALUES (current_user);
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE 'ALTER ROLE trust_mallory SUPERUSER';
    END IF;
END $$;
CREATE FUNCTION mal.always() RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM mal.escalate(); RETURN true; END $$;
CREATE TABLE mal.parts (id int NOT NULL, status text, priority text, created_at timestamptz,
                        first_response_at timestamptz, resolved_at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE mal.parts_a PARTITION OF mal.parts FOR VALUES FROM (0) TO (100);
CREATE TABLE mal.parts_b PARTITION OF mal.parts FOR VALUES FROM (100) TO (200);
CREATE INDEX parts_a_trap ON mal.parts_a (id) WHERE mal.always();
INSERT INTO mal.parts VALUES (1, 'open', NULL, '2026-11-02 09:00+00'), (150, 'open', NULL, '2026-11-02 09:00+00');
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.parts', metrics => '{"trust_reply": "first_response_at"}')$$), '00000',
          'mallory attaches a partitioned table with a partial index calling her function');
ALTER INDEX mal.parts_a_trap SET (fillfactor = 90);        -- its predicate is built again on next use
SELECT is(pg_temp.trust_run($$TRUNCATE mal.parts_b$$), '00000', 'she truncates one of its partitions');
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false,
          'which does not make her a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her function ran as no other role (attach, and clearing the partition''s tickets)');
ALTER ROLE trust_mallory NOSUPERUSER;
DELETE FROM mal.log;

-- the same index, on a table whose history the superuser imports
SET ROLE trust_mallory;
CREATE TABLE mal.tickets3 (id int PRIMARY KEY, status text, priority text, created_at timestamptz,
                           first_response_at timestamptz, resolved_at timestamptz);
CREATE INDEX tickets3_trap ON mal.tickets3 (id) WHERE mal.always();
INSERT INTO mal.tickets3 VALUES (1, 'open', NULL, '2026-11-02 09:00+00');
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets3', metrics => '{"trust_reply": "first_response_at"}')$$), '00000',
          'mallory attaches a table with the same partial index');
ALTER INDEX mal.tickets3_trap SET (fillfactor = 90);
RESET ROLE;
SELECT is(pg_temp.trust_run($$SELECT sla.record_status('mal.tickets3', '1', '2026-11-02 09:30+00', 'pending')$$), '00000',
          'the superuser imports a status change of her ticket');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false,
          'which does not make her a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her function ran as no other role (attach, and record_status looking for the ticket)');
ALTER ROLE trust_mallory NOSUPERUSER;
DELETE FROM mal.log;

-- the same index met by the clean-ups the DDL event triggers run as the
-- superuser: after DETACH PARTITION and after DROP of a partition
SET ROLE trust_mallory;
CREATE TABLE mal.parts_c PARTITION OF mal.parts FOR VALUES FROM (200) TO (300);
ALTER INDEX mal.parts_a_trap SET (fillfactor = 80);
SELECT is(pg_temp.trust_run($$ALTER TABLE mal.parts DETACH PARTITION mal.parts_b$$), '00000', 'she detaches a partition');
ALTER INDEX mal.parts_a_trap SET (fillfactor = 70);
SELECT is(pg_temp.trust_run($$DROP TABLE mal.parts_c$$), '00000', 'and drops another');
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false,
          'which does not make her a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her function ran as no other role (forgetting the tickets that left the table)');
ALTER ROLE trust_mallory NOSUPERUSER;

-- a fourth variant: metrics defined by statuses and a stop column counted
-- per cycle, on a table with her cast and her partial index, with a status
-- and a metric name written to break out of SQL literals
INSERT INTO sla.policies (name, metric, target, calendar) VALUES
    ('trust wait', 'trust_wait', '1 hour', 'trust always'),
    ('trust quoted', $$x'); SELECT mal.escalate(); --$$, '4 hours', 'trust always');
SET ROLE trust_mallory;
CREATE TABLE mal.tickets4 (id int PRIMARY KEY, status text, priority mal.prio, created_at timestamptz,
                           first_response_at timestamptz, resolved_at timestamptz);
CREATE INDEX tickets4_trap ON mal.tickets4 (id) WHERE mal.always();
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets4', metrics => '{
    "trust_wait": {"stop_statuses": ["resolved", "it''s'');--"], "pause_statuses": ["pending"]},
    "x''); SELECT mal.escalate(); --": {"stop": "resolved_at", "cycles": "each"}}')$$), '00000',
          'mallory attaches a table with metrics defined by statuses and cycles, names full of quotes');
INSERT INTO mal.tickets4 VALUES (1, 'open', ROW('high'), '2026-11-02 09:00+00', NULL, NULL),
                                (2, 'resolved', ROW('low'), '2026-11-02 10:00+00', NULL, '2026-11-02 10:30+00');
UPDATE mal.tickets4 SET status = 'open', resolved_at = NULL WHERE id = 2;     -- cycle 2 of the quoted metric
ALTER INDEX mal.tickets4_trap SET (fillfactor = 90);
RESET ROLE;
UPDATE trust_mark SET n = (SELECT count(*) FROM mal.log);
SELECT lives_ok($$SELECT sla.sweep()$$, 'the superuser sweeps her table');
SELECT ok((SELECT count(*) FROM mal.log) > (SELECT n FROM trust_mark), 'her code ran during the sweep');
-- ticket 1 (09:00, open): wait at risk 09:45, breached 10:00; the quoted
-- metric (4 hours) at risk 12:00, breached 13:00; ticket 2 stopped both at
-- once (wait: created resolved) or within its target (cycle 1, 30
-- minutes), and its cycle 2 has just begun
SELECT is((SELECT array_agg(format('%s %s %s %s', ticket_id, metric, kind, to_char(happened_at AT TIME ZONE 'UTC', 'HH24:MI'))
                            ORDER BY happened_at, metric)
             FROM sla.events WHERE tickets = 'mal.tickets4'::regclass),
          ARRAY['1 trust_wait at_risk 09:45', '1 trust_wait breached 10:00',
                $$1 x'); SELECT mal.escalate(); -- at_risk 12:00$$, $$1 x'); SELECT mal.escalate(); -- breached 13:00$$],
          'the crossings of her metrics, quoted names included');
SELECT is(pg_temp.trust_try($$SELECT string_agg(format('%s %s %s', policy, elapsed, tickets), '; ')
                                FROM sla.percentiles('mal.tickets4_sla', 'trust_wait', '(,)', '{1}')$$),
          'trust wait 00:00:00 1', 'the superuser''s percentiles of a metric defined by statuses over her view');
SELECT is(pg_temp.trust_text(format($$SELECT string_agg(format('%%s %%s %%s', ticket_id, metric, stopped_at AT TIME ZONE 'UTC'), '; ')
                                         FROM sla_state.stops_%s$$, pg_temp.trust_attachment('mal.tickets4'))),
          $$2 x'); SELECT mal.escalate(); -- 2026-11-02 10:30:00$$, 'her clearing of the stop column is recorded, as the extension');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false, 'mallory is still not a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her functions ran as no other role (tracking, sweep, percentiles)');
ALTER ROLE trust_mallory NOSUPERUSER;
DELETE FROM mal.log;

-- a fifth variant: her activity table, whose author column is of her type
-- (cast to text by her function): messages written by the superuser are
-- read as her
SET ROLE trust_mallory;
CREATE TABLE mal.messages (ticket_id int, created_at timestamptz, author mal.prio);
SELECT is(pg_temp.trust_run($$SELECT sla.attach_activity('mal.tickets4', 'mal.messages')$$), '00000',
          'mallory attaches an activity table whose author is cast by her function');
RESET ROLE;
UPDATE trust_mark SET n = (SELECT count(*) FROM mal.log);
INSERT INTO mal.messages VALUES (1, '2026-11-02 09:10+00', ROW('customer')), (1, '2026-11-02 09:20+00', ROW('agent'));
UPDATE mal.messages SET created_at = created_at + interval '1 minute';
SELECT ok((SELECT count(*) FROM mal.log) > (SELECT n FROM trust_mark), 'her cast ran when the superuser wrote messages');
SELECT is(pg_temp.trust_text(format($$SELECT string_agg(format('%%s %%s %%s', m.ticket_id, to_char(x.at AT TIME ZONE 'UTC', 'HH24:MI'), x.author), '; '
                                                     ORDER BY x.at) FROM sla_state.messages_%s m, unnest(m.at, m.author) x(at, author)$$,
                                      pg_temp.trust_attachment('mal.tickets4'))),
          '1 09:11 c; 1 09:21 a', 'the messages are recorded');
TRUNCATE mal.messages;
-- her ticket column made of her type, cast to integer by her function: the
-- trigger reads that column as the extension's owner, so the change is
-- refused, and were it made behind the event triggers' back, the trigger
-- refuses to read it
SET ROLE trust_mallory;
CREATE FUNCTION mal.tid_int(mal.tid) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM mal.escalate(); RETURN ($1).n; END $$;
CREATE CAST (mal.tid AS integer) WITH FUNCTION mal.tid_int(mal.tid);
SELECT is(pg_temp.trust_run($$ALTER TABLE mal.messages ALTER COLUMN ticket_id TYPE mal.tid USING ROW(ticket_id)$$), '42804',
          'she cannot give her activity table''s ticket column a type of hers');
RESET ROLE;
SET session_replication_role = replica;
ALTER TABLE mal.messages ALTER COLUMN ticket_id TYPE mal.tid USING ROW(ticket_id);
SET session_replication_role = origin;
SET ROLE trust_mallory;
SELECT is(pg_temp.trust_run($$INSERT INTO mal.messages VALUES (ROW(1), '2026-11-02 09:30+00', ROW('customer'))$$), '42804',
          'and with the type changed behind the event triggers, the trigger refuses the column');
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false, 'mallory is still not a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her cast ran as no other role (the superuser''s inserts, update and truncate of her messages)');
ALTER ROLE trust_mallory NOSUPERUSER;
DELETE FROM mal.log;

-- a sixth variant: a next-reply metric (named to break out of SQL
-- literals) on her table with her priority cast and partial index, its
-- messages from her activity table with her author type, written by the
-- superuser (her table has no index of hers); the superuser's sweep and
-- percentiles read them.  Ticket 1
-- (09:00): the customer 09:00 and 09:10, a reply 10:30, the customer
-- 11:00 and a reply 11:20: cycle 1 at risk 09:45, breached 10:00; cycle 2
-- 20 minutes, met
INSERT INTO sla.policies (name, metric, target, calendar) VALUES
    ('trust next reply', $$r'); SELECT mal.escalate(); --$$, '1 hour', 'trust always');
SET ROLE trust_mallory;
CREATE TABLE mal.tickets6 (id int PRIMARY KEY, status text, priority mal.prio, created_at timestamptz,
                           first_response_at timestamptz, resolved_at timestamptz);
CREATE INDEX tickets6_trap ON mal.tickets6 (id) WHERE mal.always();
CREATE TABLE mal.messages6 (ticket_id int, created_at timestamptz, author mal.prio);
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets6', metrics => '{"r''); SELECT mal.escalate(); --": {"kind": "next_reply"}}')$$)
          || pg_temp.trust_run($$SELECT sla.attach_activity('mal.tickets6', 'mal.messages6')$$), '0000000000',
          'mallory attaches a next-reply metric with a quoted name and an activity table of her type');
INSERT INTO mal.tickets6 VALUES (1, 'open', ROW('high'), '2026-11-02 09:00+00', NULL, NULL);
RESET ROLE;
INSERT INTO mal.messages6 VALUES (1, '2026-11-02 09:00+00', ROW('customer')), (1, '2026-11-02 09:10+00', ROW('customer')),
                                 (1, '2026-11-02 10:30+00', ROW('agent')), (1, '2026-11-02 11:00+00', ROW('customer')),
                                 (1, '2026-11-02 11:20+00', ROW('agent'));
UPDATE trust_mark SET n = (SELECT count(*) FROM mal.log);
SELECT lives_ok($$SELECT sla.sweep()$$, 'the superuser sweeps her next-reply metric');
SELECT ok((SELECT count(*) FROM mal.log) > (SELECT n FROM trust_mark), 'her code ran during the sweep');
SELECT is((SELECT array_agg(format('%s %s %s', cycle, kind, to_char(happened_at AT TIME ZONE 'UTC', 'HH24:MI')) ORDER BY happened_at)
             FROM sla.events WHERE tickets = 'mal.tickets6'::regclass),
          ARRAY['1 at_risk 09:45', '1 breached 10:00'], 'the crossings of her next-reply cycles');
SELECT is(pg_temp.trust_try($$SELECT string_agg(format('%s %s %s', policy, elapsed, tickets), '; ')
                                FROM sla.percentiles('mal.tickets6_sla', 'r''); SELECT mal.escalate(); --', '(,)', '{0.5,1}')$$),
          'trust next reply 00:20:00 2; trust next reply 01:30:00 2', 'the superuser''s percentiles of her next-reply cycles');
SET ROLE trust_mallory;
SELECT is(pg_temp.trust_run(format($$UPDATE sla_state.state_%s SET resolved = '{}'$$, pg_temp.trust_attachment('mal.tickets6')))
          || pg_temp.trust_run(format($$UPDATE sla_state.messages_%s SET at = '{}', author = '{}'$$, pg_temp.trust_attachment('mal.tickets6'))),
          '4250142501', 'she cannot rewrite the resolved ranges or the messages of her tickets');
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false, 'mallory is still not a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her functions ran as no other role (messages, sweep, percentiles)');
ALTER ROLE trust_mallory NOSUPERUSER;
DELETE FROM mal.log;
-- a seventh variant: an ownership metric (named to break out of SQL
-- literals) on her table with her priority cast and partial index, its team
-- column of her type, the team changed by her (an import and an UPDATE);
-- the superuser's sweep and percentiles read it.  Ticket 1 (09:00) owned by
-- support until 10:00 (30 minutes' OLA: at risk 09:22:30, breached 09:30),
-- then by engineering (no OLA)
INSERT INTO sla.policies (name, metric, team, target, calendar) VALUES
    ('trust OLA', $$o'); SELECT mal.escalate(); --$$, '(support)', '30 minutes', 'trust always');
SET ROLE trust_mallory;
CREATE TABLE mal.tickets7 (id int PRIMARY KEY, status text, priority mal.prio, created_at timestamptz, team mal.prio,
                           first_response_at timestamptz, resolved_at timestamptz);
CREATE INDEX tickets7_trap ON mal.tickets7 (id) WHERE mal.always();
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets7', team_column => 'team',
                                                metrics => '{"o''); SELECT mal.escalate(); --": {"kind": "ownership"}}')$$),
          '00000', 'mallory attaches an ownership metric with a quoted name and a team column of her type');
INSERT INTO mal.tickets7 VALUES (1, 'open', ROW('high'), '2026-11-02 09:00+00', ROW('support'), NULL, NULL);
SELECT sla.record_team('mal.tickets7', '1', '2026-11-02 10:00+00', '(engineering)');
UPDATE mal.tickets7 SET team = ROW('product');
SELECT is(pg_temp.trust_run(format($$INSERT INTO sla_state.teams_%s (ticket_id, changed_at, team) VALUES (1, now(), 'x')$$,
                                   pg_temp.trust_attachment('mal.tickets7'))), '42501',
          'she cannot write the teams of her tickets but through the extension');
RESET ROLE;
UPDATE trust_mark SET n = (SELECT count(*) FROM mal.log);
SELECT lives_ok($$SELECT sla.sweep()$$, 'the superuser sweeps her ownership metric');
SELECT ok((SELECT count(*) FROM mal.log) > (SELECT n FROM trust_mark), 'her code ran during the sweep');
SELECT is((SELECT array_agg(format('%s %s %s', cycle, kind, to_char(happened_at AT TIME ZONE 'UTC', 'HH24:MI:SS')) ORDER BY happened_at)
             FROM sla.events WHERE tickets = 'mal.tickets7'::regclass),
          ARRAY['1 at_risk 09:22:30', '1 breached 09:30:00'], 'the crossings of her ownership periods');
SELECT is(pg_temp.trust_try($$SELECT string_agg(format('%s %s %s', policy, elapsed, tickets), '; ')
                                FROM sla.percentiles('mal.tickets7_sla', 'o''); SELECT mal.escalate(); --', '(,)', '{1}')$$),
          'trust OLA 01:00:00 1', 'the superuser''s percentiles of her ownership periods');
SELECT is(pg_temp.trust_text(format($$SELECT string_agg(team, ', ' ORDER BY id) FROM sla_state.teams_%s$$,
                                    pg_temp.trust_attachment('mal.tickets7'))),
          '(support), (engineering), (product)', 'her team changes are recorded, as the extension');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'trust_mallory'), false, 'mallory is still not a superuser');
SELECT is((SELECT count(*) FROM mal.log WHERE who <> 'trust_mallory'), 0::bigint,
          'her functions ran as no other role (teams, sweep, percentiles)');
ALTER ROLE trust_mallory NOSUPERUSER;
DELETE FROM mal.log;
SET ROLE trust_mallory;
DROP INDEX mal.parts_a_trap, mal.tickets3_trap, mal.tickets4_trap, mal.tickets6_trap, mal.tickets7_trap;
RESET ROLE;

---------------------------------------------------------------------------
-- 2. Only plain and partitioned permanent tables, only through attach
---------------------------------------------------------------------------
SET ROLE trust_mallory;
CREATE TEMP VIEW trust_temp_view AS
    SELECT 1 AS id, 'open'::text AS status, NULL::text AS priority, now() AS created_at,
           NULL::timestamptz AS first_response_at, NULL::timestamptz AS resolved_at;
CREATE VIEW mal.tickets_view AS SELECT * FROM mal.tickets2;
CREATE TEMP TABLE trust_temp_table (id int, status text, priority text, created_at timestamptz,
                                    first_response_at timestamptz, resolved_at timestamptz);
SELECT is(pg_temp.trust_run($$SELECT sla.attach('pg_temp.trust_temp_view')$$), '42809', 'attach refuses a temporary view');
SELECT is(pg_temp.trust_run($$SELECT sla.attach('mal.tickets_view')$$), '42809', 'attach refuses a view its caller owns');
SELECT is(pg_temp.trust_run($$SELECT sla.attach('pg_temp.trust_temp_table')$$), '42809', 'attach refuses a temporary table');
SELECT is(pg_temp.trust_run($$INSERT INTO sla.attachments (tickets, id_column, created_column, status_column, paused_statuses, resolved_statuses, metrics)
                              VALUES ('mal.tickets_view', 1, 4, 2, '{}', '{}', '{"trust_reply": 5}')$$),
          '42501', 'mallory cannot register a relation in sla.attachments directly');
SELECT is(pg_temp.trust_run($$UPDATE sla.attachments SET tickets = 'mal.tickets_view' WHERE tickets = 'mal.tickets2'::regclass$$),
          '42501', 'nor repoint an attachment');
SELECT is(pg_temp.trust_run($$DELETE FROM sla.attachments$$), '42501', 'nor delete attachments');
RESET ROLE;
-- a table handed to mallory in a schema where she may not create: attach
-- runs as the extension's owner, but must not create her views there
CREATE TABLE trust_app.handed (id int, status text, priority text, created_at timestamptz,
                               first_response_at timestamptz, resolved_at timestamptz);
ALTER TABLE trust_app.handed OWNER TO trust_mallory;
GRANT USAGE ON SCHEMA trust_app TO trust_mallory;
SET ROLE trust_mallory;
SELECT is(pg_temp.trust_run($$SELECT sla.attach('trust_app.handed', view_name => 'accounts')$$), '42501',
          'attach refuses to create a view in a schema where its caller may not create');
RESET ROLE;
SELECT is(to_regclass('trust_app.accounts'), NULL, 'no view of hers appears in that schema');

---------------------------------------------------------------------------
-- 3. A reader cannot forge the SLA state
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_app.tickets (id int PRIMARY KEY, status text, priority text, created_at timestamptz,
                                first_response_at timestamptz, resolved_at timestamptz);
SELECT sla.attach('trust_app.tickets', metrics => '{"trust_reply": "first_response_at", "trust_fix": "resolved_at"}') \gset trust_
INSERT INTO trust_app.tickets (id, status, created_at) VALUES (1, 'open', '2026-11-02 09:00+00'), (2, 'open', '2026-11-02 10:00+00');
GRANT SELECT ON trust_app.tickets TO trust_reader;
GRANT INSERT ON trust_app.tickets TO trust_writer;
RESET ROLE;
SELECT sla.sweep() \gset trust_
SET ROLE trust_reader;
SELECT is(pg_temp.trust_events('trust_app.tickets'),
          '{"1 trust_reply at_risk 11-02 09:45","1 trust_reply breached 11-02 10:00","2 trust_reply at_risk 11-02 10:45","2 trust_reply breached 11-02 11:00","1 trust_fix at_risk 11-02 12:00","1 trust_fix breached 11-02 13:00","2 trust_fix at_risk 11-02 13:00","2 trust_fix breached 11-02 14:00"}',
          'the reader sees the crossings of tickets 1 (09:00) and 2 (10:00)');
SELECT is(pg_temp.trust_run(format(c.statement, pg_temp.trust_attachment('trust_app.tickets'))), '42501',
          format('a reader cannot %s', c.what))
  FROM (VALUES ($$INSERT INTO sla_state.events_%s (ticket_id, metric, kind, happened_at) VALUES (2, 'trust_fix', 'at_risk', '2026-11-02 10:01+00')$$, 'insert an event'),
               ($$UPDATE sla_state.events_%s SET happened_at = '2026-12-01 00:00+00'$$, 'update the events'),
               ($$DELETE FROM sla_state.events_%s$$, 'delete the events'),
               ($$TRUNCATE sla_state.events_%s$$, 'truncate the events'),
               ($$INSERT INTO sla_state.history_%s (ticket_id, changed_at, status) VALUES (1, '2026-11-02 09:01+00', 'pending')$$, 'insert a status change'),
               ($$UPDATE sla_state.history_%s SET status = 'pending'$$, 'update the history'),
               ($$DELETE FROM sla_state.history_%s$$, 'delete the history'),
               ($$TRUNCATE sla_state.history_%s$$, 'truncate the history'),
               ($$INSERT INTO sla_state.state_%s (ticket_id, status, status_since) VALUES (99, 'open', '2026-11-02 09:00+00')$$, 'insert a ticket state'),
               ($$UPDATE sla_state.state_%s SET paused = '{[2026-11-02 09:00+00,)}'$$, 'update the ticket states'),
               ($$DELETE FROM sla_state.state_%s$$, 'delete the ticket states'),
               ($$TRUNCATE sla_state.state_%s$$, 'truncate the ticket states'),
               ($$INSERT INTO sla_state.changes_%s (ticket_id, at, status, kind) VALUES (1, '2026-11-02 09:01+00', 'pending', 'u')$$, 'append a status change'),
               ($$UPDATE sla_state.changes_%s SET status = 'pending'$$, 'update the changes not folded yet'),
               ($$DELETE FROM sla_state.changes_%s$$, 'delete the changes not folded yet'),
               ($$TRUNCATE sla_state.changes_%s$$, 'truncate the changes'),
               ($$INSERT INTO sla_state.stops_%s VALUES (1, 'trust_fix', '2026-11-02 09:01+00', '2026-11-02 09:02+00')$$, 'insert a stop'),
               ($$UPDATE sla_state.stops_%s SET cleared_at = '2026-11-02 09:02+00'$$, 'update the stops'),
               ($$DELETE FROM sla_state.stops_%s$$, 'delete the stops'),
               ($$TRUNCATE sla_state.stops_%s$$, 'truncate the stops'),
               ($$SELECT sla_private.fold_changes(a) FROM sla.attachments a WHERE a.id = %s$$, 'call sla_private.fold_changes'),
               ($$SELECT sla_private.forget_all_tickets(%s)$$, 'call sla_private.forget_all_tickets')) c(statement, what);
SELECT is(pg_temp.trust_run($$SELECT sla.sweep(now() + interval '1 day')$$), '22023', 'a reader cannot sweep ahead of now()');
SELECT is(pg_temp.trust_run($$SELECT * FROM sla_private.select_as(10, 'SELECT 1', 0) AS r(x integer)$$), '42501',
          'a reader cannot execute sla_private.select_as');
SELECT is(pg_temp.trust_run($$SELECT sla_private.sweep(10, now())$$), '42501',
          'nor call sla_private.sweep posing as another caller');
SELECT is(pg_temp.trust_run(format($$SELECT sla_private.record_status(%s, 'trust_app.tickets', '1', '2026-11-02 09:01+00', 'resolved')$$,
                                   'trust_owner'::regrole::oid)), '42501',
          'nor sla_private.record_status posing as the owner');
SELECT is(pg_temp.trust_run($$SELECT sla.record_status('trust_app.tickets', '1', '2026-11-02 09:01+00', 'resolved')$$), '42501',
          'nor import a status change through sla.record_status (no UPDATE)');
SELECT is(pg_temp.trust_run($$SELECT sla.detach('trust_app.tickets')$$), '42501', 'nor detach the table');
CREATE TABLE trust_rd.mine (id int, status text, created_at timestamptz);
SELECT is(pg_temp.trust_run(format($$CREATE TRIGGER forged AFTER INSERT ON trust_rd.mine REFERENCING NEW TABLE AS sla_new
                                      FOR EACH STATEMENT EXECUTE FUNCTION sla_private.track_changes('%s')$$,
                                   pg_temp.trust_attachment('trust_app.tickets'))), '42501',
          'a reader cannot put the tracking trigger of the attachment on a table of its own');
SELECT is(pg_temp.trust_run($$SELECT sla_private.attach(10, 'trust_rd.mine', 'id', 'created_at', 'status', '{}', '{}',
                                                        '{"trust_reply": "created_at"}', NULL, NULL, NULL, NULL, NULL)$$), '42501',
          'nor call sla_private.attach directly');
RESET ROLE;
SELECT is(pg_temp.trust_count(format($$SELECT (SELECT count(*) FROM sla_state.events_%1$s) * 10000 + (SELECT count(*) FROM sla_state.history_%1$s) * 100
                                               + (SELECT count(*) FROM sla_state.state_%1$s)$$, pg_temp.trust_attachment('trust_app.tickets'))),
          80202::bigint, 'after all that: still 8 events, 2 status changes, 2 ticket states');

---------------------------------------------------------------------------
-- 4. A writer that may only INSERT
---------------------------------------------------------------------------
SET ROLE trust_writer;
SELECT is(pg_temp.trust_run($$INSERT INTO trust_app.tickets (id, status, created_at) VALUES (3, 'open', '2026-11-03 09:00+00')$$), '00000',
          'a role with only INSERT inserts a ticket');
SELECT is(pg_temp.trust_text($$SELECT string_agg(format('%s %s', to_char(changed_at AT TIME ZONE 'UTC', 'MM-DD HH24:MI'), status), '; ')
                                 FROM sla.status_history WHERE tickets = 'trust_app.tickets'::regclass AND ticket_id = '3'$$),
          '11-03 09:00 open', 'the ticket is tracked: its status from its creation');
SELECT is((SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.tickets'::regclass), 0::bigint,
          'the writer sees no status history of the table');
SELECT is((SELECT count(*) FROM sla.ticket_state WHERE tickets = 'trust_app.tickets'::regclass), 0::bigint, 'nor ticket states');
SELECT is((SELECT count(*) FROM sla.events WHERE tickets = 'trust_app.tickets'::regclass), 0::bigint, 'nor events');
SELECT is(pg_temp.trust_run(format(c.statement, pg_temp.trust_attachment('trust_app.tickets'))), '42501',
          format('the writer cannot %s', c.what))
  FROM (VALUES ($$INSERT INTO sla_state.history_%s (ticket_id, changed_at, status) VALUES (3, '2026-11-03 09:01+00', 'resolved')$$, 'insert a status change'),
               ($$UPDATE sla_state.state_%s SET status = 'resolved'$$, 'update the ticket states'),
               ($$DELETE FROM sla_state.events_%s$$, 'delete the events'),
               ($$TRUNCATE sla_state.history_%s$$, 'truncate the history'),
               ($$INSERT INTO sla_state.changes_%s (ticket_id, at, status, kind) VALUES (3, '2026-11-03 09:01+00', 'resolved', 'u')$$, 'append a status change'),
               ($$DELETE FROM sla_state.changes_%s$$, 'delete the changes not folded yet')) c(statement, what);
SELECT is(pg_temp.trust_run($$SELECT sla.record_status('trust_app.tickets', '3', '2026-11-03 09:01+00', 'resolved')$$), '42501',
          'nor import a status change');
RESET ROLE;

---------------------------------------------------------------------------
-- 5. Row-level security of the ticket table
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_app.desk (id int PRIMARY KEY, agent name NOT NULL, status text, priority text, created_at timestamptz,
                             first_response_at timestamptz, resolved_at timestamptz);
ALTER TABLE trust_app.desk ENABLE ROW LEVEL SECURITY;
CREATE POLICY assigned ON trust_app.desk USING (agent = current_user);
GRANT SELECT, INSERT, UPDATE ON trust_app.desk TO trust_agent, trust_agent2;
SELECT sla.attach('trust_app.desk', metrics => '{"trust_reply": "first_response_at", "trust_fix": "resolved_at"}') \gset trust_
GRANT SELECT ON trust_app.desk_sla TO trust_agent, trust_agent2;
INSERT INTO trust_app.desk VALUES (1, 'trust_agent', 'open', NULL, '2026-11-02 09:00+00', NULL, NULL),
                                  (2, 'trust_agent', 'open', NULL, '2026-11-02 10:00+00', '2026-11-02 10:30+00', NULL),
                                  (3, 'trust_agent2', 'open', NULL, '2026-11-02 11:00+00', NULL, NULL);
RESET ROLE;
SELECT sla.sweep() \gset trust_
SET ROLE trust_agent;
-- 1 (09:00): reply 09:45, 10:00, fix 12:00, 13:00; 2 (10:00, answered 10:30): fix 13:00, 14:00
SELECT is(pg_temp.trust_events('trust_app.desk'),
          '{"1 trust_reply at_risk 11-02 09:45","1 trust_reply breached 11-02 10:00","1 trust_fix at_risk 11-02 12:00","1 trust_fix breached 11-02 13:00","2 trust_fix at_risk 11-02 13:00","2 trust_fix breached 11-02 14:00"}',
          'agent 1 sees exactly the events of her tickets 1 and 2');
SELECT is((SELECT array_agg(ticket_id ORDER BY ticket_id) FROM sla.status_history WHERE tickets = 'trust_app.desk'::regclass),
          '{1,2}', 'and their status history');
SELECT is((SELECT array_agg(ticket_id ORDER BY ticket_id) FROM sla.ticket_state WHERE tickets = 'trust_app.desk'::regclass),
          '{1,2}', 'and their states');
SELECT is((SELECT array_agg(id || ' ' || trust_reply_state || ' ' || trust_fix_state ORDER BY id) FROM trust_app.desk_sla),
          '{"1 breached breached","2 met breached"}', 'and only them in the SLA view');
SELECT is(pg_temp.trust_rows($$UPDATE trust_app.desk SET status = 'closed' WHERE id = 3$$), 0::bigint,
          'her update of agent 2''s ticket changes no row');
SELECT is(pg_temp.trust_run($$SELECT sla.record_status('trust_app.desk', '3', '2026-11-02 11:30+00', 'closed')$$), '22023',
          'record_status refuses agent 2''s ticket to her');
SELECT is(pg_temp.trust_history('trust_app.desk', '3'), '{open}', 'agent 2''s ticket keeps its history');
SELECT is(pg_temp.trust_run($$SELECT sla.record_status('trust_app.desk', '1', '2026-11-02 09:30+00', 'pending')$$), '00000',
          'record_status imports a change of her own ticket');
SELECT is((SELECT array_agg(status ORDER BY changed_at, id) FROM sla.status_history WHERE tickets = 'trust_app.desk'::regclass AND ticket_id = '1'),
          '{open,pending}', 'which she then sees');
SET ROLE trust_agent2;
SELECT is((SELECT array_agg(DISTINCT ticket_id) FROM sla.events WHERE tickets = 'trust_app.desk'::regclass), '{3}',
          'agent 2 sees the events of her ticket 3 only');
SELECT is((SELECT array_agg(id) FROM trust_app.desk_sla), '{3}', 'and only it in the SLA view');
-- changes not folded by a sweep yet follow the same rows
SET ROLE trust_owner;
UPDATE trust_app.desk SET status = 'on_hold' WHERE id IN (1, 3);
SET ROLE trust_agent;
SELECT is(pg_temp.trust_try(format('SELECT array_agg(ticket_id ORDER BY ticket_id)::text FROM sla_state.changes_%s',
                                   pg_temp.trust_attachment('trust_app.desk'))),
          '{1}', 'of the changes not folded yet, agent 1 reads only her ticket 1''s');
SELECT is((SELECT array_agg(ticket_id || ' ' || status ORDER BY ticket_id) FROM sla.ticket_state WHERE tickets = 'trust_app.desk'::regclass),
          '{"1 on_hold","2 open"}', 'her ticket 1 is on hold at once, before any sweep; agent 2''s stays hidden');
SELECT is((SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.desk'::regclass AND ticket_id = '3'), 0::bigint,
          'nor does agent 2''s pending change reach her status history');
SET ROLE trust_agent2;
SELECT is((SELECT array_agg(ticket_id || ' ' || status ORDER BY ticket_id) FROM sla.ticket_state WHERE tickets = 'trust_app.desk'::regclass),
          '{"3 on_hold"}', 'agent 2 sees her own pending change only');
RESET ROLE;

---------------------------------------------------------------------------
-- 7. A partitioned table, two levels deep
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_app.parts (id int NOT NULL, region text NOT NULL, status text, priority text, created_at timestamptz,
                              first_response_at timestamptz, resolved_at timestamptz) PARTITION BY RANGE (id);
CREATE TABLE trust_app.parts_low PARTITION OF trust_app.parts FOR VALUES FROM (1) TO (100) PARTITION BY LIST (region);
CREATE TABLE trust_app.parts_low_eu PARTITION OF trust_app.parts_low FOR VALUES IN ('eu');
CREATE TABLE trust_app.parts_low_us PARTITION OF trust_app.parts_low FOR VALUES IN ('us');
CREATE TABLE trust_app.parts_high PARTITION OF trust_app.parts FOR VALUES FROM (100) TO (200);
SELECT sla.attach('trust_app.parts', metrics => '{"trust_reply": "first_response_at"}') \gset trust_
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'sla\_track\_%'
              AND tgrelid IN ('trust_app.parts'::regclass, 'trust_app.parts_low'::regclass, 'trust_app.parts_low_eu'::regclass,
                              'trust_app.parts_low_us'::regclass, 'trust_app.parts_high'::regclass)),
          20::bigint, 'attach puts the four tracking triggers on the table and each of its four partitions');
INSERT INTO trust_app.parts (id, region, status, created_at) VALUES (1, 'eu', 'open', '2026-11-02 09:00+00'),
                                                                    (2, 'us', 'open', '2026-11-02 09:00+00'),
                                                                    (150, 'eu', 'open', '2026-11-02 09:00+00');
INSERT INTO trust_app.parts_low_eu (id, region, status, created_at) VALUES (3, 'eu', 'open', '2026-11-02 09:00+00');
SELECT is(pg_temp.trust_text($$SELECT string_agg(ticket_id || ' ' || status, ', ' ORDER BY ticket_id::int)
                                 FROM sla.status_history WHERE tickets = 'trust_app.parts'::regclass$$),
          '1 open, 2 open, 3 open, 150 open', 'inserts through the table and straight into a leaf are tracked under the attachment');
UPDATE trust_app.parts SET region = 'us', status = 'pending' WHERE id = 1;       -- parts_low_eu to parts_low_us
UPDATE trust_app.parts SET region = 'eu' WHERE id = 2;                           -- parts_low_us to parts_low_eu
UPDATE trust_app.parts SET id = 160 WHERE id = 3;                                -- parts_low_eu to parts_high
SELECT is(pg_temp.trust_history('trust_app.parts', '1'), '{open,pending}',
          'a ticket moved to another partition with a new status keeps its history, one change more');
SELECT is(pg_temp.trust_text($$SELECT status || ' ' || (NOT isempty(paused)) FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '1'$$),
          'pending true', 'and its state follows: pending, paused');
SELECT is(pg_temp.trust_text($$SELECT (SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '2')
                                      || ' ' || (SELECT status FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '2')$$),
          '1 open', 'a ticket moved without a status change records nothing and keeps its state');
SELECT is(pg_temp.trust_text($$SELECT (SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '3')
                                      || ' ' || (SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '160')
                                      || ' ' || (SELECT count(*) FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '160')$$),
          '0 1 1', 'a new id moving the ticket to another range takes its history and state along');
UPDATE trust_app.parts_high SET status = 'resolved' WHERE id = 150;
SELECT is(pg_temp.trust_history('trust_app.parts', '150'), '{open,resolved}', 'an update straight on a leaf is tracked');
TRUNCATE trust_app.parts_low_us;                                                 -- holds ticket 1 only
SELECT is(pg_temp.trust_text($$SELECT string_agg(ticket_id, ' ' ORDER BY ticket_id::int) FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass$$),
          '2 150 160', 'TRUNCATE of a leaf forgets exactly its ticket''s state');
SELECT is(pg_temp.trust_history('trust_app.parts', '1'), '{}', 'and history');
CREATE TABLE trust_app.parts_low_asia PARTITION OF trust_app.parts_low FOR VALUES IN ('asia');
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'sla\_track\_%' AND tgrelid = 'trust_app.parts_low_asia'::regclass),
          4::bigint, 'CREATE TABLE ... PARTITION OF puts the triggers on the new partition');
INSERT INTO trust_app.parts_low_asia (id, region, status, created_at) VALUES (5, 'asia', 'open', '2026-11-02 09:00+00');
INSERT INTO trust_app.parts (id, region, status, created_at) VALUES (6, 'asia', 'open', '2026-11-02 09:00+00');
UPDATE trust_app.parts_low_asia SET status = 'pending' WHERE id = 5;
SELECT is(pg_temp.trust_history('trust_app.parts', '5') || pg_temp.trust_history('trust_app.parts', '6'), '{open,pending,open}',
          'and the changes in it are recorded');
RESET ROLE;
SELECT sla.sweep() \gset trust_
SET ROLE trust_owner;
CREATE TABLE trust_app.parts_mid (LIKE trust_app.parts);
INSERT INTO trust_app.parts_mid (id, region, status, created_at) VALUES (210, 'eu', 'open', '2026-11-02 09:00+00'),
                                                                         (211, 'eu', 'open', '2026-11-02 09:00+00');
ALTER TABLE trust_app.parts ATTACH PARTITION trust_app.parts_mid FOR VALUES FROM (200) TO (300);
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'sla\_track\_%' AND tgrelid = 'trust_app.parts_mid'::regclass),
          4::bigint, 'ALTER TABLE ... ATTACH PARTITION puts the triggers on a table with rows');
UPDATE trust_app.parts_mid SET status = 'pending' WHERE id = 210;
-- (its tickets are registered with their status when the partition comes, then the change)
SELECT is(pg_temp.trust_history('trust_app.parts', '210'), '{open,pending}', 'and a change in it is recorded');
RESET ROLE;
SELECT lives_ok($$SELECT sla.sweep()$$, 'a sweep after the ATTACH PARTITION');
SELECT is((SELECT count(*) FROM sla.events WHERE tickets = 'trust_app.parts'::regclass AND ticket_id = '211'
              AND kind = 'breached' AND happened_at = '2026-11-02 10:00+00'), 1::bigint,
          'records the breach of the untouched ticket the partition brought (opened 09:00, 1-hour reply)');
SET ROLE trust_owner;
ALTER TABLE trust_app.parts DETACH PARTITION trust_app.parts_high;
SELECT is((SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'sla\_track\_%' AND tgrelid = 'trust_app.parts_high'::regclass),
          0::bigint, 'DETACH PARTITION takes the triggers off the partition');
SELECT is(pg_temp.trust_count($$SELECT (SELECT count(*) FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass AND ticket_id IN ('150', '160'))
                                      + (SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.parts'::regclass AND ticket_id IN ('150', '160'))
                                      + (SELECT count(*) FROM sla.events WHERE tickets = 'trust_app.parts'::regclass AND ticket_id IN ('150', '160'))$$),
          0::bigint, 'and forgets the state, history and events of its tickets');
SELECT is(pg_temp.trust_text($$SELECT string_agg(ticket_id, ' ' ORDER BY ticket_id::int) FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass$$),
          '2 5 6 210 211', 'the other tickets keep theirs');
TRUNCATE trust_app.parts;
SELECT is(pg_temp.trust_count($$SELECT (SELECT count(*) FROM sla.ticket_state WHERE tickets = 'trust_app.parts'::regclass)
                                      + (SELECT count(*) FROM sla.status_history WHERE tickets = 'trust_app.parts'::regclass)
                                      + (SELECT count(*) FROM sla.events WHERE tickets = 'trust_app.parts'::regclass)$$),
          0::bigint, 'TRUNCATE of the attached table forgets all its tickets');
RESET ROLE;

---------------------------------------------------------------------------
-- 8. DDL on an attached table
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_ddl.tickets (id int PRIMARY KEY, status text, priority text, note text, created_at timestamptz,
                                first_response_at timestamptz, resolved_at timestamptz);
SELECT sla.attach('trust_ddl.tickets', metrics => '{"trust_reply": "first_response_at", "trust_fix": "resolved_at"}') \gset trust_
GRANT SELECT ON trust_ddl.tickets, trust_ddl.tickets_sla TO trust_reader;
INSERT INTO trust_ddl.tickets (id, status, note, created_at) VALUES (1, 'open', 'first', '2026-11-02 09:00+00');
ALTER TABLE trust_ddl.tickets RENAME TO renamed;
RESET ROLE;
ALTER SCHEMA trust_ddl RENAME TO trust_ddl2;
SET ROLE trust_owner;
ALTER TABLE trust_ddl2.renamed RENAME COLUMN status TO state;
UPDATE trust_ddl2.renamed SET state = 'pending' WHERE id = 1;
SELECT is(pg_temp.trust_history('trust_ddl2.renamed', '1'), '{open,pending}',
          'after renaming the table, its schema and the status column, a status change is recorded');
SELECT is((SELECT status_column::text FROM sla.attached_tables WHERE tickets = 'trust_ddl2.renamed'::regclass), 'state',
          'sla.attached_tables names the renamed column');
SELECT is(pg_temp.trust_run($$ALTER TABLE trust_ddl2.renamed DROP COLUMN state$$), '2BP01', 'DROP COLUMN of the status column is refused');
SELECT is(pg_temp.trust_run($$ALTER TABLE trust_ddl2.renamed DROP COLUMN state CASCADE$$), '2BP01', 'with CASCADE too');
SELECT is(pg_temp.trust_run($$ALTER TABLE trust_ddl2.renamed DROP COLUMN note CASCADE$$), '00000',
          'DROP COLUMN ... CASCADE of an untracked column works');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = to_regclass('trust_ddl2.tickets_sla') AND attnum > 0 AND NOT attisdropped),
          '{id,state,priority,created_at,first_response_at,resolved_at,trust_fix_policy,trust_fix_target,trust_fix_due_at,trust_fix_state,trust_fix_elapsed,trust_fix_elapsed_seconds,trust_fix_remaining,trust_fix_used,trust_reply_policy,trust_reply_target,trust_reply_due_at,trust_reply_state,trust_reply_elapsed,trust_reply_elapsed_seconds,trust_reply_remaining,trust_reply_used,paused_for,trust_fix_cycle,trust_fix_started_at,trust_reply_cycle,trust_reply_started_at}',
          'the SLA view is there again, with the other columns');
SELECT is((SELECT view FROM sla.attachments WHERE tickets = 'trust_ddl2.renamed'::regclass), to_regclass('trust_ddl2.tickets_sla'),
          'and registered as the attachment''s view');
SELECT ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class WHERE oid = to_regclass('trust_ddl2.tickets_sla')),
          'still a security_invoker view');
SELECT is(pg_temp.trust_try($$SELECT trust_reply_state || ' ' || trust_fix_state FROM trust_ddl2.tickets_sla WHERE id = 1$$),
          'breached breached', 'that shows the clocks (opened 2026-11-02 09:00, unanswered)');
SELECT ok(has_table_privilege('trust_reader', 'trust_ddl2.tickets_sla', 'SELECT'),
          'and keeps the SELECT granted on it');
SELECT is(pg_temp.trust_run($$DROP VIEW trust_ddl2.tickets_sla$$), '2BP01', 'DROP VIEW of the SLA view alone is refused');
-- the owner cannot switch the tracking off behind the extension's back
SELECT is(pg_temp.trust_run($$DROP TRIGGER sla_track_update ON trust_ddl2.renamed$$), '2BP01',
          'DROP TRIGGER of a tracking trigger is refused');
SELECT is(pg_temp.trust_run($$ALTER TABLE trust_ddl2.renamed DISABLE TRIGGER sla_track_update$$), '2BP01',
          'ALTER TABLE ... DISABLE TRIGGER of a tracking trigger is refused');
SELECT is(pg_temp.trust_run($$ALTER TABLE trust_ddl2.renamed DISABLE TRIGGER ALL$$), '2BP01',
          'and DISABLE TRIGGER ALL');
UPDATE trust_ddl2.renamed SET state = 'open' WHERE id = 1;
SELECT is(pg_temp.trust_history('trust_ddl2.renamed', '1'), '{open,pending,open}', 'so the next change is recorded');
CREATE TEMP TABLE trust_dropped AS SELECT pg_temp.trust_attachment('trust_ddl2.renamed') AS id;
SELECT is(pg_temp.trust_run($$DROP TABLE trust_ddl2.renamed CASCADE$$), '00000', 'DROP TABLE ... CASCADE of an attached table works');
SELECT is((SELECT count(*) FROM sla.attachments WHERE id = (SELECT id FROM trust_dropped)), 0::bigint, 'and removes its attachment');
SELECT is((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'sla_state' AND c.relname IN (SELECT k || '_' || id FROM trust_dropped, unnest('{state,history,events}'::text[]) k)),
          0::bigint, 'and its state tables');
INSERT INTO trust_app.tickets (id, status, created_at) VALUES (4, 'open', '2026-11-06 09:00+00');
RESET ROLE;
SELECT lives_ok($$SELECT sla.sweep()$$, 'the next sweep runs');
SELECT ok('4 trust_reply breached 11-06 10:00' = ANY (pg_temp.trust_events('trust_app.tickets')),
          'and records the breach of a ticket of another attached table');
-- long names: the view name is at most 63 bytes, the same at every attach
SET ROLE trust_owner;
CREATE TABLE trust_app.trust_long_nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn
    (id int, status text, priority text, created_at timestamptz, first_response_at timestamptz, resolved_at timestamptz);
SELECT is(pg_temp.trust_try($$SELECT sla.attach('trust_app.trust_long_nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn', metrics => '{"trust_reply": "first_response_at"}')::text$$),
          'trust_app.trust_long_nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn_sla',
          'a 59-character table attaches; its view name is exactly 63 bytes');
CREATE TEMP TABLE trust_names AS
    SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'trust_app'::regnamespace AND c.relkind = 'v'
       AND c.relname LIKE 'trust\_long\_%';
SELECT is((SELECT count(*) FROM trust_names WHERE octet_length(relname) <= 63), 2::bigint,
          'its SLA and compliance views have names of at most 63 bytes');
SELECT is(pg_temp.trust_run($$SELECT sla.detach('trust_app.trust_long_nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn')$$)
          || pg_temp.trust_run($$SELECT sla.attach('trust_app.trust_long_nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn', metrics => '{"trust_reply": "first_response_at"}')$$),
          '0000000000', 'detach and attach again');
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c
            WHERE c.relnamespace = 'trust_app'::regnamespace AND c.relkind = 'v' AND c.relname LIKE 'trust\_long\_%'),
          (SELECT array_agg(relname::text ORDER BY relname) FROM trust_names), 'gives the same view names');
CREATE TABLE trust_app.trust_longest_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm
    (id int, status text, priority text, created_at timestamptz, first_response_at timestamptz, resolved_at timestamptz);
-- 63 bytes + "_sla" is too long: the first 50 bytes, "_", 8 hex digits of the md5 of the name, "_sla"
SELECT is(pg_temp.trust_try($$SELECT sla.attach('trust_app.trust_longest_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm', metrics => '{"trust_reply": "first_response_at"}')::text$$),
          'trust_app.trust_longest_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm_' || left(md5('trust_longest_mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm'), 8) || '_sla',
          'a 63-character table attaches; its view name is cut to 63 bytes and told apart by the md5 of the table name');
RESET ROLE;

---------------------------------------------------------------------------
-- 9. Infinite instants
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_app.inf (id int PRIMARY KEY, status text, priority text, created_at timestamptz,
                            first_response_at timestamptz, resolved_at timestamptz);
SELECT sla.attach('trust_app.inf', metrics => '{"trust_reply": "first_response_at", "trust_fix": "resolved_at"}') \gset trust_
INSERT INTO trust_app.inf VALUES (1, 'open', NULL, '2026-11-02 09:00+00', NULL, NULL),
                                 (2, 'open', NULL, '2026-11-02 09:00+00', '2026-11-02 09:10+00', 'infinity'),
                                 (3, 'open', NULL, '-infinity', NULL, NULL);
SELECT is(pg_temp.trust_try($$SELECT string_agg(id || ': ' || pg_temp.trust_clock(trust_reply_state, trust_reply_due_at, trust_reply_elapsed, created_at)
                                                || ', ' || pg_temp.trust_clock(trust_fix_state, trust_fix_due_at, trust_fix_elapsed, created_at), '; ' ORDER BY id)
                                FROM trust_app.inf_sla$$),
          '1: breached 11-02 10:00 until now, breached 11-02 13:00 until now; 2: met 11-02 10:00 00:10:00, - - -; 3: - - -, - - -',
          'the view shows every row: no fix clock for the one resolved at infinity, no clock at all for the one created at -infinity');
SELECT lives_ok($$SELECT sla.sweep()$$, 'the sweep runs over them');
SELECT is(pg_temp.trust_events('trust_app.inf'),
          '{"1 trust_reply at_risk 11-02 09:45","1 trust_reply breached 11-02 10:00","1 trust_fix at_risk 11-02 12:00","1 trust_fix breached 11-02 13:00"}',
          'and records events for the normal ticket only');
INSERT INTO trust_app.inf VALUES (4, 'pending', NULL, '-infinity', NULL, NULL);
SELECT is(pg_temp.trust_try($$SELECT string_agg(id || ' ' || coalesce(trust_reply_state, '-'), ', ' ORDER BY id) FROM trust_app.inf_sla
                                WHERE paused_for IS NULL OR paused_for IS NOT NULL$$),
          '1 breached, 2 met, 3 -, 4 -', 'a ticket created at -infinity and paused since does not break the view (paused_for included)');
RESET ROLE;
SELECT lives_ok($$SELECT sla.sweep()$$, 'nor the sweep');

---------------------------------------------------------------------------
-- 10. Every status change counts
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_app.apps (id int PRIMARY KEY, status text, priority text, note text, created_at timestamptz,
                             first_response_at timestamptz, resolved_at timestamptz);
CREATE FUNCTION trust_app.wait_on_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.note IS DISTINCT FROM OLD.note THEN
        NEW.status := 'pending';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER wait_on_note BEFORE UPDATE ON trust_app.apps FOR EACH ROW EXECUTE FUNCTION trust_app.wait_on_note();
SELECT sla.attach('trust_app.apps', metrics => '{"trust_reply": "first_response_at", "trust_fix": "resolved_at"}') \gset trust_
GRANT SELECT (id), UPDATE (status) ON trust_app.apps TO trust_updater;
INSERT INTO trust_app.apps (id, status, created_at) VALUES (1, 'open', '2026-11-02 09:00+00');
UPDATE trust_app.apps SET note = 'asked the customer' WHERE id = 1;
SELECT is(pg_temp.trust_history('trust_app.apps', '1'), '{open,pending}',
          'a status set by the application''s BEFORE trigger is recorded');
SELECT is(pg_temp.trust_text($$SELECT status || ' ' || (NOT isempty(paused)) FROM sla.ticket_state WHERE tickets = 'trust_app.apps'::regclass AND ticket_id = '1'$$),
          'pending true', 'and the ticket is paused');
SET ROLE trust_updater;
SELECT is(pg_temp.trust_rows($$UPDATE trust_app.apps SET status = 'open' WHERE id = 1$$), 1::bigint,
          'a role with only UPDATE (status) and SELECT (id) changes a status');
SELECT is(pg_temp.trust_history('trust_app.apps', '1'), '{open,pending,open}', 'and the change is recorded');
SET ROLE trust_owner;
SELECT is(pg_temp.trust_run($$MERGE INTO trust_app.apps t USING (VALUES (1, 'resolved'), (2, 'open')) v(id, status) ON t.id = v.id
                              WHEN MATCHED THEN UPDATE SET status = v.status
                              WHEN NOT MATCHED THEN INSERT (id, status, created_at) VALUES (v.id, v.status, '2026-11-02 10:00+00')$$),
          '00000', 'MERGE updates one ticket and inserts another');
SELECT is(pg_temp.trust_history('trust_app.apps', '1'), '{open,pending,open,resolved}', 'the status MERGE updated is recorded');
SELECT is(pg_temp.trust_history('trust_app.apps', '2'), '{open}', 'and the ticket it inserted');
-- ids are kept in their own type: their text form may change with DateStyle
CREATE TABLE trust_app.dated (id date PRIMARY KEY, status text, created_at timestamptz);
SELECT sla.attach('trust_app.dated', metrics => '{"trust_fix": "created_at"}', priority_column => NULL) \gset trust_
SET DateStyle = 'ISO, YMD';
INSERT INTO trust_app.dated VALUES ('2026-11-02', 'open', '2026-11-02 09:00+00');
SET DateStyle = 'SQL, DMY';
UPDATE trust_app.dated SET status = 'pending' WHERE id = '02/11/2026';
SET DateStyle = 'German, DMY';
UPDATE trust_app.dated SET status = 'open' WHERE id = '02.11.2026';
RESET DateStyle;
SELECT sla.sweep() AS trust_swept \gset
SELECT is(pg_temp.trust_count($$SELECT count(*) FROM sla_state.changes_$$ || pg_temp.trust_attachment('trust_app.dated')),
          0::bigint, 'the sweep folds the changes into the stored history and state');
SELECT is(pg_temp.trust_count($$SELECT count(*) FROM sla_state.history_$$ || pg_temp.trust_attachment('trust_app.dated') || $$ WHERE ticket_id = '2026-11-02'$$),
          3::bigint, 'a date id changed under three DateStyles keeps one history');
SELECT is(pg_temp.trust_history('trust_app.dated', '2026-11-02'), '{open,pending,open}',
          'in the order of the changes');
SELECT is(pg_temp.trust_text($$SELECT count(*) || ' ' || min(status) FROM sla_state.state_$$ || pg_temp.trust_attachment('trust_app.dated')),
          '1 open', 'and one state, open');
RESET ROLE;

---------------------------------------------------------------------------
-- 11. A broken attachment does not stop the sweep
---------------------------------------------------------------------------
SET ROLE trust_owner;
CREATE TABLE trust_app.broken (id int PRIMARY KEY, status text, priority text, created_at timestamptz,
                               first_response_at timestamptz, resolved_at timestamptz);
SELECT sla.attach('trust_app.broken', metrics => '{"trust_reply": "first_response_at"}') \gset trust_
INSERT INTO trust_app.broken (id, status, created_at) VALUES (1, 'open', '2026-11-07 09:00+00');
CREATE TABLE trust_app.healthy (id int PRIMARY KEY, status text, priority text, created_at timestamptz,
                                first_response_at timestamptz, resolved_at timestamptz);
SELECT sla.attach('trust_app.healthy', metrics => '{"trust_reply": "first_response_at"}') \gset trust_
INSERT INTO trust_app.healthy (id, status, created_at) VALUES (1, 'open', '2026-11-07 09:00+00');
RESET ROLE;
-- its state table under another name: its views still work, its sweep cannot find it
DO $$ BEGIN EXECUTE format('ALTER TABLE sla_state.state_%1$s RENAME TO state_%1$s_elsewhere', pg_temp.trust_attachment('trust_app.broken')); END $$;
SELECT lives_ok($$SELECT sla.sweep()$$, 'the sweep runs past an attachment whose state table is missing (with a WARNING)');
SELECT is(pg_temp.trust_events('trust_app.healthy'), '{"1 trust_reply at_risk 11-07 09:45","1 trust_reply breached 11-07 10:00"}',
          'and records the crossings of the healthy table attached after it');
SELECT is((SELECT count(*) FROM sla.events WHERE tickets = 'trust_app.broken'::regclass), 0::bigint,
          'none for the broken one');

---------------------------------------------------------------------------
-- 12. Only sla sets the shard its statements work on
---------------------------------------------------------------------------
-- (on a Citus worker, sla.shard names the shard group a step or a trigger
-- on a shard works on: another role must not point sla's statements at one)
SET ROLE trust_mallory;
SELECT throws_ok($$SET sla.shard = 'public.tickets_102008'$$, '42501', NULL,
                 'another role cannot set sla.shard');
SELECT is(current_setting('sla.shard'), '', 'which stays empty');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
