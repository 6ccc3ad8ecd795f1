-- test/pgtap/catalog.sql: rules every object of the extension follows, read from
-- the catalog: every function and view of schema sla has a comment; every
-- SQL and PL/pgSQL function pins its search_path; no SECURITY DEFINER
-- function is executable by PUBLIC; of schema sla_private, PUBLIC may
-- execute only the read-only helpers behind the views (and the SQL text
-- builders they call).
BEGIN;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(5);

CREATE TEMP VIEW members AS
SELECT p.oid, p.oid::regprocedure::text AS name, p.pronamespace::regnamespace::text AS schema, p.prolang, p.prosecdef,
       p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') AS public_executes
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'sla';

SELECT is((SELECT array_agg(name ORDER BY name) FROM members
            WHERE schema = 'sla' AND obj_description(oid, 'pg_proc') IS NULL),
          NULL, 'every function of schema sla has a comment');
SELECT is((SELECT array_agg(c.oid::regclass::text ORDER BY 1) FROM pg_class c
            WHERE c.relnamespace = 'sla'::regnamespace AND c.relkind IN ('r', 'v')
              AND obj_description(c.oid, 'pg_class') IS NULL),
          NULL, 'every table and view of schema sla has a comment');
SELECT is((SELECT array_agg(name ORDER BY name) FROM members m JOIN pg_language l ON l.oid = m.prolang
            WHERE l.lanname IN ('sql', 'plpgsql')
              AND NOT coalesce(m.proconfig @> '{"search_path=pg_catalog, pg_temp"}', false)),
          NULL, 'every SQL and PL/pgSQL function pins search_path to pg_catalog, pg_temp');
SELECT is((SELECT array_agg(name ORDER BY name) FROM members WHERE prosecdef AND public_executes),
          NULL, 'no SECURITY DEFINER function is executable by PUBLIC');
SELECT is((SELECT array_agg(name ORDER BY name) FROM members WHERE schema = 'sla_private' AND public_executes),
          ARRAY['sla_private.alerts_are_valid(double precision[])',
                'sla_private.check_during(tstzrange,boolean)',
                'sla_private.check_fraction(numeric,text,boolean)',
                'sla_private.citus_installed()',
                'sla_private.column_name(regclass,smallint)',
                'sla_private.conversation_cycles(text,timestamp with time zone[],"char"[],tstzmultirange)',
                'sla_private.conversation_summary(text,timestamp with time zone[],"char"[],tstzmultirange,interval,sla.calendar,tstzmultirange,timestamp with time zone)',
                'sla_private.distribution(regclass)',
                'sla_private.history_sql(sla.attachments)',
                'sla_private.is_distributed(sla.attachments)',
                'sla_private.merged_ranges_sql(name,text[])',
                'sla_private.merged_sql(sla.attachments,text)',
                'sla_private.paused_before(tstzmultirange,timestamp with time zone)',
                'sla_private.seconds_of(tstzmultirange)',
                'sla_private.sequence_sql(sla.attachments,text)',
                'sla_private.state_sql(sla.attachments)',
                'sla_private.visible(text)'],
          'of sla_private, PUBLIC executes only the read-only helpers behind the views and checks');

SELECT * FROM finish();
ROLLBACK;
