--
-- Security: hostile objects in the search path cannot hijack the
-- extension's functions, triggers, views or install and update scripts.
--
-- An unprivileged role plants, in a schema of its own, operators and
-- functions that log who called them (and then behave like the real ones),
-- and a type named "text" with casts.  A superuser then uses everything the
-- extension offers with that schema first in its search_path: first with
-- pg_catalog implicitly ahead of it (only better-matching signatures can
-- win), then with pg_catalog explicitly after it (any name can win), then
-- last.  Nothing may be logged.  Then the same objects are planted in the
-- extension's own schema, where CREATE EXTENSION and ALTER EXTENSION UPDATE
-- scripts look (search_path = sla, pg_temp), and the extension is installed
-- and walked along every update path with them there.
-- Must run last: it drops and re-creates the extension.
--
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
-- start from a fresh extension: the tests before leave calendars and policies
DROP EXTENSION sla CASCADE;
CREATE EXTENSION sla;

CREATE ROLE regress_sla_attacker;
CREATE SCHEMA regress_sla_evil AUTHORIZATION regress_sla_attacker;

SET ROLE regress_sla_attacker;
CREATE TABLE regress_sla_evil.hijacks (what text, by_role text);
GRANT INSERT ON regress_sla_evil.hijacks TO PUBLIC;
GRANT USAGE ON SCHEMA regress_sla_evil TO PUBLIC;
CREATE FUNCTION regress_sla_evil.caught(what pg_catalog.text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO regress_sla_evil.hijacks VALUES (what, current_user);
END $$;

-- functions: each logs, then answers like the one it impersonates
CREATE FUNCTION regress_sla_evil.plant(name pg_catalog.text, args pg_catalog.text, result pg_catalog.text, body pg_catalog.text)
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE pg_catalog.format('CREATE FUNCTION regress_sla_evil.%s(%s) RETURNS %s LANGUAGE plpgsql AS %L',
        name, args, result,
        pg_catalog.format('BEGIN PERFORM regress_sla_evil.caught(%L); %s END',
                          pg_catalog.format('%s(%s)', name, args),
                          CASE WHEN result = 'void' THEN pg_catalog.format('PERFORM %s; RETURN;', body)
                               ELSE pg_catalog.format('RETURN %s;', body) END));
END $$;
SELECT regress_sla_evil.plant(f, a, r, b) FROM (VALUES
    ('lower', 'x tstzrange', 'timestamptz', 'pg_catalog.lower(x)'),
    ('upper', 'x tstzrange', 'timestamptz', 'pg_catalog.upper(x)'),
    ('lower_inf', 'x tstzrange', 'boolean', 'pg_catalog.lower_inf(x)'),
    ('upper_inf', 'x tstzrange', 'boolean', 'pg_catalog.upper_inf(x)'),
    ('lower_inc', 'x tstzrange', 'boolean', 'pg_catalog.lower_inc(x)'),
    ('upper_inc', 'x tstzrange', 'boolean', 'pg_catalog.upper_inc(x)'),
    ('isempty', 'x tstzrange', 'boolean', 'pg_catalog.isempty(x)'),
    ('isempty', 'x tstzmultirange', 'boolean', 'pg_catalog.isempty(x)'),
    ('lower', 'x tstzmultirange', 'timestamptz', 'pg_catalog.lower(x)'),
    ('upper', 'x tstzmultirange', 'timestamptz', 'pg_catalog.upper(x)'),
    ('tstzrange', 'a timestamptz, b timestamptz', 'tstzrange', 'pg_catalog.tstzrange(a, b)'),
    ('tstzmultirange', 'x tstzrange', 'tstzmultirange', 'pg_catalog.tstzmultirange(x)'),
    ('now', '', 'timestamptz', 'pg_catalog.now()'),
    ('hashtext', 'x pg_catalog.text', 'integer', 'pg_catalog.hashtext(x)'),
    ('pg_advisory_xact_lock', 'x bigint', 'void', 'pg_catalog.pg_advisory_xact_lock(x)'),
    ('pg_notify', 'a pg_catalog.text, b pg_catalog.text', 'void', 'pg_catalog.pg_notify(a, b)'),
    ('has_table_privilege', 'a regclass, b pg_catalog.text', 'boolean', 'pg_catalog.has_table_privilege(a, b)'),
    ('has_table_privilege', 'a oid, b pg_catalog.text', 'boolean', 'pg_catalog.has_table_privilege(a, b)'),
    ('pg_has_role', 'a oid, b pg_catalog.text', 'boolean', 'pg_catalog.pg_has_role(a, b)'),
    ('jsonb_typeof', 'x jsonb', 'pg_catalog.text', 'pg_catalog.jsonb_typeof(x)'),
    ('date_part', 'a pg_catalog.text, b interval', 'double precision', 'pg_catalog.date_part(a, b)'),
    ('array_length', 'a pg_catalog.text[], b integer', 'integer', 'pg_catalog.array_length(a, b)'),
    ('quote_ident', 'x pg_catalog.text', 'pg_catalog.text', 'pg_catalog.quote_ident(x)'),
    ('substr', 'a pg_catalog.text, b integer', 'pg_catalog.text', 'pg_catalog.substr(a, b)'),
    ('chr', 'x integer', 'pg_catalog.text', 'pg_catalog.chr(x)'),
    ('calendar', 'r pg_catalog.text, z pg_catalog.text', 'sla.calendar', 'sla.calendar(r, z, ''{}'')'),
    ('calendar', 'r pg_catalog.text', 'sla.calendar', 'sla.calendar(r, ''UTC'', ''{}'')')
) f(f, a, r, b);

-- operators: the same, for the types the extension compares
CREATE FUNCTION regress_sla_evil.plant_operator(op pg_catalog.text, l pg_catalog.text, r pg_catalog.text)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    fn pg_catalog.text := pg_catalog.format('op_%s', pg_catalog.md5(op || l || r));
BEGIN
    EXECUTE pg_catalog.format('CREATE FUNCTION regress_sla_evil.%s(a %s, b %s) RETURNS %s LANGUAGE plpgsql AS %L',
        fn, l, r,
        CASE WHEN op IN ('+', '-') THEN l ELSE 'boolean' END,
        pg_catalog.format('BEGIN PERFORM regress_sla_evil.caught(%L); RETURN a OPERATOR(pg_catalog.%s) b; END',
                          pg_catalog.format('%s %s %s', l, op, r), op));
    EXECUTE pg_catalog.format('CREATE OPERATOR regress_sla_evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = regress_sla_evil.%s)',
        op, l, r, fn);
END $$;
SELECT regress_sla_evil.plant_operator(o, l, r) FROM (VALUES
    ('=', 'pg_catalog.text', 'pg_catalog.text'), ('<>', 'pg_catalog.text', 'pg_catalog.text'),
    ('=', 'name', 'name'), ('=', 'name', 'pg_catalog.text'), ('=', 'pg_catalog.text', 'name'),
    ('=', 'oid', 'regclass'), ('=', 'regclass', 'oid'), ('=', 'regclass', 'regclass'), ('=', 'oid', 'oid'),
    ('=', 'integer', 'integer'), ('=', 'bigint', 'bigint'), ('<>', 'bigint', 'bigint'),
    ('=', 'timestamptz', 'timestamptz'), ('<', 'timestamptz', 'timestamptz'), ('<=', 'timestamptz', 'timestamptz'),
    ('>', 'timestamptz', 'timestamptz'), ('>=', 'timestamptz', 'timestamptz'),
    ('>', 'interval', 'interval'), ('=', 'interval', 'interval'), ('>=', 'double precision', 'double precision'),
    ('=', 'jsonb', 'jsonb'), ('=', 'pg_catalog.text[]', 'pg_catalog.text[]'),
    ('+', 'tstzmultirange', 'tstzmultirange'), ('-', 'tstzmultirange', 'tstzmultirange'),
    ('@>', 'tstzrange', 'timestamptz'), ('@>', 'tstzmultirange', 'timestamptz'), ('&&', 'tstzrange', 'tstzrange'),
    ('=', 'sla.calendar', 'sla.calendar'), ('<>', 'sla.calendar', 'sla.calendar'),
    ('=', 'sla.state', 'sla.state')
) o(o, l, r);

-- a type named text, with casts that log: "::text" written unqualified in
-- a query the extension runs would find it when the schema comes first
CREATE TYPE regress_sla_evil.text AS (x integer);
CREATE FUNCTION regress_sla_evil.to_evil(x pg_catalog.text) RETURNS regress_sla_evil.text[] LANGUAGE plpgsql AS $$
BEGIN PERFORM regress_sla_evil.caught('cast to text[]'); RETURN '{}'; END $$;
CREATE FUNCTION regress_sla_evil.from_evil(x regress_sla_evil.text[]) RETURNS pg_catalog.text[] LANGUAGE plpgsql AS $$
BEGIN PERFORM regress_sla_evil.caught('cast from text[]'); RETURN '{pending,on_hold}'; END $$;
CREATE CAST (pg_catalog.text AS regress_sla_evil.text[]) WITH FUNCTION regress_sla_evil.to_evil(pg_catalog.text);
CREATE CAST (regress_sla_evil.text[] AS pg_catalog.text[]) WITH FUNCTION regress_sla_evil.from_evil(regress_sla_evil.text[]) AS IMPLICIT;
RESET ROLE;

SELECT count(*) AS planted FROM pg_proc WHERE pronamespace = 'regress_sla_evil'::regnamespace;

-- The victim's data: a calendar, policies, a ticket table attached
CREATE SCHEMA regress_sla_app;
INSERT INTO sla.calendars VALUES ('regress office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.holidays VALUES ('regress office', '2026-06-04', 'Corpus Christi');
INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES
    ('regress response', 'first_response', NULL, '1 hour', 'regress office'),
    ('regress resolution', 'resolution', NULL, '8 hours', 'regress office'),
    ('regress high', 'resolution', 'high', '2 hours', 'regress office');
CREATE TABLE regress_sla_app.tickets (
    id integer PRIMARY KEY DEFERRABLE,
    status text NOT NULL,
    priority text,
    created_at timestamptz NOT NULL DEFAULT now(),
    first_response_at timestamptz,
    resolved_at timestamptz
);
INSERT INTO regress_sla_app.tickets VALUES (1, 'open', 'high', '2026-06-01 09:00+02', NULL, NULL);
SELECT sla.attach('regress_sla_app.tickets');

-- Everything the extension offers, as statements the victim writes with
-- operators and types qualified (the victim's own text is not under test).
-- Run k uses tickets 100+10k+1 to 100+10k+3 and calendar 'regress other k'.
CREATE FUNCTION pg_temp.statements(k integer) RETURNS pg_catalog.text[] LANGUAGE sql AS $$
SELECT ARRAY[
    $q$SELECT sla.business_add('2026-06-01 09:00+02', '2 hours', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin', '{2026-06-04}'),
                               '{[2026-06-01 10:00+02,2026-06-01 11:00+02)}')$q$,
    $q$SELECT sla.business_time('2026-06-01', '2026-06-08', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin'), '{[2026-06-02,2026-06-03)}')$q$,
    $q$SELECT sla.is_open('2026-06-01 10:00+02', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin'))$q$,
    $q$SELECT sla.next_open('2026-06-06', sla.calendar('Mo-Fr 09:00-17:00')), sla.next_close('2026-06-01 10:00', sla.calendar('Mo-Fr 09:00-17:00'))$q$,
    $q$SELECT sla.open_windows('[2026-06-01,2026-06-08)', sla.calendar('Mo-Fr 09:00-17:00'))$q$,
    $q$SELECT sla.evaluate('2026-06-01 09:00+02', '2 hours', sla.calendar('Mo-Fr 09:00-17:00'), NULL, '{[2026-06-01 10:00+02,)}', '2026-06-02', 0.5)$q$,
    $q$SELECT sla.pauses(at, p ORDER BY at) FROM (VALUES ('2026-06-01 10:00+02'::timestamptz, true), ('2026-06-01 11:00+02', false)) v(at, p)$q$,
    $q$SELECT 'zone=UTC rules="Mo-Fr" holidays=2026-12-25'::sla.calendar::pg_catalog.text$q$,
    $q$SELECT sla.calendar_named('regress office')$q$,
    $q$SELECT sla.policy_for('resolution', 'high', NULL, NULL, '2026-06-01')$q$,
    pg_catalog.format($q$INSERT INTO sla.calendars VALUES ('regress other %s', 'Mo-Fr 08:00-16:00', 'UTC')$q$, k),
    pg_catalog.format($q$INSERT INTO sla.holidays VALUES ('regress other %s', '2026-12-25', 'Christmas')$q$, k),
    pg_catalog.format($q$INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES ('regress low %s', 'resolution', 'low %s', '16 hours', 'regress other %s')$q$, k, k, k),
    pg_catalog.format($q$UPDATE sla.policies SET target = '20 hours' WHERE name OPERATOR(pg_catalog.=) 'regress low %s'$q$, k),
    pg_catalog.format($q$INSERT INTO regress_sla_app.tickets VALUES (%s, 'open', 'high', '2026-06-01 10:00+02', NULL, NULL),
                                                                   (%s, 'pending', NULL, '2026-06-01 11:00+02', NULL, NULL)$q$, 100 + 10 * k + 1, 100 + 10 * k + 2),
    pg_catalog.format($q$UPDATE regress_sla_app.tickets SET status = 'pending' WHERE id OPERATOR(pg_catalog.=) %s$q$, 100 + 10 * k + 1),
    pg_catalog.format($q$UPDATE regress_sla_app.tickets SET status = 'open', first_response_at = '2026-06-01 10:30+02' WHERE id OPERATOR(pg_catalog.=) %s$q$, 100 + 10 * k + 2),
    pg_catalog.format($q$SELECT sla.record_status('regress_sla_app.tickets', '%s', '2026-06-01 09:30+02', 'new')$q$, 100 + 10 * k + 1),
    pg_catalog.format($q$UPDATE regress_sla_app.tickets SET id = %s WHERE id OPERATOR(pg_catalog.=) %s$q$, 100 + 10 * k + 3, 100 + 10 * k + 2),
    $q$SELECT * FROM regress_sla_app.tickets_sla$q$,
    $q$SELECT * FROM sla.calendar_values$q$,
    $q$SELECT sla.sweep('2026-07-01')$q$,
    pg_catalog.format($q$DELETE FROM regress_sla_app.tickets WHERE id OPERATOR(pg_catalog.=) %s$q$, 100 + 10 * k + 3),
    $q$CREATE TABLE regress_sla_app.more (LIKE regress_sla_app.tickets)$q$,
    $q$SELECT sla.attach('regress_sla_app.more', metrics => '{"resolution": "resolved_at"}')$q$,
    $q$INSERT INTO regress_sla_app.more VALUES (1, 'open', NULL, '2026-06-01 09:00+02', NULL, NULL)$q$,
    $q$TRUNCATE regress_sla_app.more$q$,
    $q$SELECT sla.detach('regress_sla_app.more')$q$,
    $q$DROP TABLE regress_sla_app.more$q$
]
$$;
-- Run them under the current search_path; report the ones that fail.  No
-- operator and no unqualified type in here: this function runs under the
-- hostile search_path too.
CREATE FUNCTION pg_temp.run_statements(k integer) RETURNS SETOF pg_catalog.text LANGUAGE plpgsql AS $$
DECLARE
    statement pg_catalog.text;
BEGIN
    FOREACH statement IN ARRAY pg_temp.statements(k) LOOP
        BEGIN
            EXECUTE statement;
        EXCEPTION WHEN OTHERS THEN
            RETURN NEXT pg_catalog.concat(SQLSTATE, ': ', SQLERRM, ' in: ', pg_catalog.left(statement, 60));
        END;
    END LOOP;
END $$;

-- 0. Nothing hostile on the path: a baseline (and every statement works)
SELECT pg_temp.run_statements(0) AS failed;

-- 1. The hostile schema first, pg_catalog implicitly before it
SET search_path = regress_sla_evil, public;
SELECT pg_temp.run_statements(1) AS failed;
RESET search_path;
SELECT what, by_role, count(*) FROM regress_sla_evil.hijacks GROUP BY 1, 2 ORDER BY 1, 2;

-- 2. The hostile schema first, even before pg_catalog
SET search_path = regress_sla_evil, pg_catalog, public;
SELECT pg_temp.run_statements(2) AS failed;
RESET search_path;
SELECT what, by_role, count(*) FROM regress_sla_evil.hijacks GROUP BY 1, 2 ORDER BY 1, 2;

-- 3. The hostile schema last
SET search_path = public, regress_sla_evil;
SELECT pg_temp.run_statements(3) AS failed;
RESET search_path;
SELECT what, by_role, count(*) FROM regress_sla_evil.hijacks GROUP BY 1, 2 ORDER BY 1, 2;

-- the work was done: the triggers recorded every run's statuses
SELECT count(DISTINCT ticket_id) AS tickets_tracked, count(*) AS status_changes
  FROM sla.status_history WHERE tickets = 'regress_sla_app.tickets'::regclass;
SELECT count(*) > 0 AS events_recorded FROM sla.events WHERE tickets = 'regress_sla_app.tickets'::regclass;

-- The extension's own discipline, from the catalogs:
-- every SQL or PL/pgSQL function pins its search_path ...
SELECT p.oid::regprocedure AS unpinned
  FROM pg_depend d
  JOIN pg_proc p ON p.oid = d.objid AND d.classid = 'pg_proc'::regclass
  JOIN pg_language l ON l.oid = p.prolang
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sla')
   AND l.lanname IN ('sql', 'plpgsql')
   AND NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=pg_catalog%')
 ORDER BY 1;
-- ... no SECURITY DEFINER function lacks a pinned search_path or is
-- executable by PUBLIC ...
SELECT p.oid::regprocedure AS unsafe_definer
  FROM pg_proc p
 WHERE p.pronamespace = 'sla'::regnamespace AND p.prosecdef
   AND (NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=pg_catalog%')
        OR has_function_privilege('public', p.oid, 'EXECUTE'))
 ORDER BY 1;
-- ... the schema belongs to a superuser and PUBLIC may use it but not create in it ...
SELECT r.rolsuper AS owner_is_superuser,
       has_schema_privilege('public', 'sla', 'USAGE') AS public_usage,
       has_schema_privilege('public', 'sla', 'CREATE') AS public_create,
       has_schema_privilege('regress_sla_attacker', 'sla', 'CREATE') AS attacker_create
  FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = 'sla';
-- ... every object of the extension is owned by a superuser ...
SELECT count(*) AS owned_by_others
  FROM pg_depend d
  JOIN pg_class c ON c.oid = d.objid AND d.classid = 'pg_class'::regclass
  JOIN pg_roles r ON r.oid = c.relowner
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sla') AND NOT r.rolsuper;
-- ... and PUBLIC may not truncate, reference or put triggers on its tables.
SELECT c.relname, a.privilege_type
  FROM pg_class c, aclexplode(c.relacl) a
 WHERE c.relnamespace = 'sla'::regnamespace AND a.grantee = 0
   AND a.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')
 ORDER BY 1, 2;

-- sla is not a trusted extension: a role with CREATE on the database
-- cannot install it (as it could a trusted one, like seg)
DROP SCHEMA regress_sla_app CASCADE;
DELETE FROM sla.policies WHERE name LIKE 'regress %';
DELETE FROM sla.holidays WHERE calendar LIKE 'regress %';
DELETE FROM sla.calendars WHERE name LIKE 'regress %';
-- (CASCADE: the hostile functions and operators on sla's types go too)
DROP EXTENSION sla CASCADE;
SELECT current_database() AS datname \gset
GRANT CREATE ON DATABASE :"datname" TO regress_sla_attacker;
SET ROLE regress_sla_attacker;
CREATE EXTENSION sla;
RESET ROLE;

-- 4. The install and update scripts, with the hostile objects in the
-- extension's own schema, where those scripts look (as if the attacker had
-- created the schema first, or been granted CREATE on it).
TRUNCATE regress_sla_evil.hijacks;
CREATE FUNCTION pg_temp.plant_in_sla() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    f record;
    planted integer := 0;
BEGIN
    -- copies of the hostile functions and operators, in schema sla
    FOR f IN SELECT p.oid, p.proname FROM pg_proc p
              WHERE p.pronamespace = 'regress_sla_evil'::regnamespace
                AND p.proname NOT IN ('caught', 'plant', 'plant_operator', 'to_evil', 'from_evil')
                AND p.proname NOT LIKE 'op\_%' LOOP
        EXECUTE replace(pg_get_functiondef(f.oid), 'FUNCTION regress_sla_evil.', 'FUNCTION sla.');
        planted := planted + 1;
    END LOOP;
    FOR f IN SELECT o.oprname, o.oprleft::regtype AS l, o.oprright::regtype AS r, o.oprcode::regproc AS code
               FROM pg_operator o
              WHERE o.oprnamespace = 'regress_sla_evil'::regnamespace LOOP
        EXECUTE format('CREATE OPERATOR sla.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %s)', f.oprname, f.l, f.r, f.code);
        planted := planted + 1;
    END LOOP;
    RETURN planted;
END $$;
-- (schema sla outlives DROP EXTENSION: the control file names it, the
-- extension does not own it)
SELECT pg_temp.plant_in_sla() AS planted_in_sla;
CREATE EXTENSION sla;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'sla') AS installed_default
  FROM pg_extension WHERE extname = 'sla';
SELECT what, by_role, count(*) FROM regress_sla_evil.hijacks GROUP BY 1, 2 ORDER BY 1, 2;
-- what the install script bound (constraints, policies, views, defaults)
-- is exercised by the statements again, under a harmless search_path
CREATE SCHEMA regress_sla_app;
INSERT INTO sla.calendars VALUES ('regress office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, priority, target, calendar) VALUES
    ('regress resolution', 'resolution', NULL, '8 hours', 'regress office');
CREATE TABLE regress_sla_app.tickets (
    id integer PRIMARY KEY DEFERRABLE, status text NOT NULL, priority text,
    created_at timestamptz NOT NULL DEFAULT now(), first_response_at timestamptz, resolved_at timestamptz);
SELECT sla.attach('regress_sla_app.tickets') IS NOT NULL AS attached;
SELECT pg_temp.run_statements(4) AS failed;
SELECT what, by_role, count(*) FROM regress_sla_evil.hijacks GROUP BY 1, 2 ORDER BY 1, 2;

-- ALTER EXTENSION UPDATE along every update path to the default version,
-- with the hostile objects still in schema sla.  (With a single version
-- there is no path yet: the count below then reads 0 and goes up as
-- sql/sla--X--Y.sql scripts are added; see test/t/upgrade.sh.)
DROP SCHEMA regress_sla_app CASCADE;
DELETE FROM sla.policies WHERE name LIKE 'regress %';
DELETE FROM sla.calendars WHERE name LIKE 'regress %';
CREATE FUNCTION pg_temp.walk_update_paths() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    goal text := (SELECT default_version FROM pg_available_extensions WHERE name = 'sla');
    source text;
    walked integer := 0;
BEGIN
    FOR source IN SELECT u.source FROM pg_extension_update_paths('sla') u
                   WHERE u.target = goal AND u.path IS NOT NULL ORDER BY 1 LOOP
        DROP EXTENSION sla;
        EXECUTE format('CREATE EXTENSION sla VERSION %L', source);
        ALTER EXTENSION sla UPDATE;
        IF (SELECT extversion FROM pg_extension WHERE extname = 'sla') <> goal THEN
            RAISE EXCEPTION 'update from % did not reach %', source, goal;
        END IF;
        walked := walked + 1;
    END LOOP;
    RETURN walked;
END $$;
SELECT pg_temp.walk_update_paths() >= 0 AS walked;
SELECT count(*) AS update_paths_to_default
  FROM pg_extension_update_paths('sla') u
 WHERE u.target = (SELECT default_version FROM pg_available_extensions WHERE name = 'sla') AND u.path IS NOT NULL;
ALTER EXTENSION sla UPDATE;
SELECT what, by_role, count(*) FROM regress_sla_evil.hijacks GROUP BY 1, 2 ORDER BY 1, 2;

-- Clean up: the hostile objects out of schema sla, the extension as it was
SET client_min_messages = warning;
DROP EXTENSION sla;
DROP SCHEMA sla CASCADE;
CREATE EXTENSION sla;
DROP SCHEMA regress_sla_evil CASCADE;
REVOKE CREATE ON DATABASE :"datname" FROM regress_sla_attacker;
DROP ROLE regress_sla_attacker;
SELECT count(*) AS leftovers FROM pg_proc WHERE pronamespace = 'sla'::regnamespace
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = pg_proc.oid AND d.deptype = 'e');
