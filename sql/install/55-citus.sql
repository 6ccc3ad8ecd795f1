/* sql/install/55-citus.sql: scaling out with Citus: the configuration as reference tables on every node, and what sla.attach refuses (part of the install script, see Makefile) */

-- Citus is optional: nothing here calls it unless it is installed in the
-- database, and its catalogs are read with dynamic SQL only.

-- Whether Citus is installed in this database.
CREATE FUNCTION sla_private.citus_installed() RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_extension e WHERE e.extname = 'citus')
$$;

-- How Citus holds a table: its distribution method ('h' hash, 'n' a
-- reference or local table in Citus' metadata) and distribution column, or
-- NULLs for a table of this node only.
CREATE FUNCTION sla_private.distribution(rel regclass, OUT method "char", OUT column_name name) RETURNS record
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF sla_private.citus_installed() THEN
        EXECUTE 'SELECT p.partmethod, pg_catalog.column_to_column_name(p.logicalrelid, p.partkey)
                   FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1'
            INTO method, column_name USING rel;
    END IF;
END $$;

-- An error unless a ticket table can be attached on this node: Citus must
-- not hold it.  Tracking a distributed ticket table would need the state
-- co-located with the tickets and triggers on the workers' shards, which
-- sla does not do yet; the errors say what a DBA can do instead.
CREATE FUNCTION sla_private.check_distribution(tickets regclass, id_column name) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    d record := sla_private.distribution(tickets);
BEGIN
    IF d.method IS NULL THEN
        RETURN;
    ELSIF d.method = 'n' THEN
        RAISE EXCEPTION 'table % is a Citus reference or local table', tickets USING ERRCODE = '0A000',
            DETAIL = 'sla tracks ticket tables of one node only, not tables that Citus holds.',
            HINT = format('To attach it, make it a table of the coordinator again: SELECT undistribute_table(%L);',
                          tickets::text);
    ELSIF d.column_name <> id_column THEN
        RAISE EXCEPTION 'table % is distributed by column "%", not by its id column "%"', tickets, d.column_name, id_column
            USING ERRCODE = '0A000',
                  DETAIL = 'The SLA state of a ticket would live on the worker that holds the ticket, found by its id.',
                  HINT = format('Distribute it by its id: SELECT alter_distributed_table(%L, distribution_column := %L);',
                                tickets::text, id_column);
    ELSE
        RAISE EXCEPTION 'table % is distributed with Citus: sla cannot attach a distributed table yet', tickets
            USING ERRCODE = '0A000',
                  DETAIL = 'Its status changes would have to be tracked on the workers'' shards, which this version of sla does not do.',
                  HINT = format('Attach it as a table of the coordinator: SELECT undistribute_table(%L);', tickets::text);
    END IF;
END $$;

CREATE FUNCTION @extschema@.distribute_config() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT sla_private.citus_installed() THEN
        RAISE EXCEPTION 'Citus is not installed in this database' USING ERRCODE = '55000',
            HINT = 'CREATE EXTENSION citus first.';
    END IF;
    PERFORM sla_private.distribute_config_tables();
END $$;
COMMENT ON FUNCTION @extschema@.distribute_config() IS
    'On Citus: make sla.calendars, sla.holidays and sla.policies reference tables, so that named calendars and policies are read on every node';

-- sla.distribute_config: the three tables become reference tables, their
-- triggers copied to every placement (citus.enable_unsafe_triggers: they
-- only check the row or count a version of the node's own).  Citus keeps
-- foreign keys between reference tables, not from a local table to one:
-- the two foreign keys go while the tables are distributed and come back
-- (their copies on the workers, made by this extension's script there,
-- first dropped).  Does nothing for the tables already distributed.
CREATE FUNCTION sla_private.distribute_config_tables() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning
                     SET citus.enable_unsafe_triggers = on AS $$
BEGIN
    IF (sla_private.distribution('@extschema@.policies')).method IS NOT NULL THEN
        RETURN;
    END IF;
    ALTER TABLE @extschema@.holidays DROP CONSTRAINT holidays_calendar_fkey;
    ALTER TABLE @extschema@.policies DROP CONSTRAINT policies_calendar_fkey;
    PERFORM pg_catalog.create_reference_table('@extschema@.calendars');
    PERFORM pg_catalog.create_reference_table('@extschema@.holidays');
    PERFORM pg_catalog.create_reference_table('@extschema@.policies');
    ALTER TABLE @extschema@.holidays DROP CONSTRAINT IF EXISTS holidays_calendar_fkey;
    ALTER TABLE @extschema@.policies DROP CONSTRAINT IF EXISTS policies_calendar_fkey;
    ALTER TABLE @extschema@.holidays ADD CONSTRAINT holidays_calendar_fkey FOREIGN KEY (calendar)
        REFERENCES @extschema@.calendars ON UPDATE CASCADE ON DELETE CASCADE;
    ALTER TABLE @extschema@.policies ADD CONSTRAINT policies_calendar_fkey FOREIGN KEY (calendar)
        REFERENCES @extschema@.calendars ON UPDATE CASCADE;
END $$;

-- sla.calendar_named and sla.policy_for read the reference tables also
-- inside a query that Citus pushed down to a worker's shards, where Citus
-- refuses to read another of its tables unless allowed: a reference table
-- has a copy on every node, so the read is local and exact (as in
-- src/policy.c).  Without Citus the setting is an unused placeholder.
ALTER FUNCTION @extschema@.calendar_named(text) SET citus.allow_nested_distributed_execution = on;
ALTER FUNCTION @extschema@.policy_for(text, text, text, text, timestamptz)
    SET citus.allow_nested_distributed_execution = on;
ALTER FUNCTION @extschema@.policy_for(text, text, text, text, text, timestamptz)
    SET citus.allow_nested_distributed_execution = on;

-- The SLA views of an attachment are objects of this node, over its state
-- tables: Citus is not to copy them to the workers (it would warn, for
-- each, that it depends on a table not in its metadata).  Without Citus
-- the setting is an unused placeholder.
ALTER FUNCTION sla_private.create_view(@extschema@.attachments, text, boolean) SET citus.enable_ddl_propagation = off;
ALTER FUNCTION sla_private.create_ownership_view(@extschema@.attachments) SET citus.enable_ddl_propagation = off;
ALTER FUNCTION sla_private.create_reporting_views(@extschema@.attachments) SET citus.enable_ddl_propagation = off;
