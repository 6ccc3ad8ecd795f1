/* sql/install/55-citus.sql: scaling out with Citus: the configuration as reference tables on every node, attached distributed tables (their state co-located, tracked and swept on the shards), and what sla.attach refuses (part of the install script, see Makefile) */

-- Citus is optional: nothing here calls it unless it is installed in the
-- database, and its catalogs are read with dynamic SQL only.
--
-- An attachment of a table distributed by its id has its state tables
-- distributed by ticket, co-located with it: the state of a ticket is on
-- the worker holding the ticket.  Each worker keeps a copy of the
-- attachment (take_attachment).  Statements on the state then run where it
-- is: the SLA view and the readers' views are queries Citus plans over the
-- co-located tables; the tracking triggers fire on the shards; the fold and
-- the sweep run on each shard group, on its worker (on_shards,
-- shard_step), with the SQL they build naming that group's shards
-- (on_state).

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

-- An error unless Citus holds a ticket table as sla can track it: not at
-- all, or hash-distributed by its id column (a plain table: the state of a
-- ticket lives on the worker holding the ticket).  The errors say what a
-- DBA can do instead.
CREATE FUNCTION sla_private.check_distribution(tickets regclass, id_column name) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    d record := sla_private.distribution(tickets);
BEGIN
    IF d.method IS NULL THEN
        RETURN;
    ELSIF d.method <> 'h' THEN
        RAISE EXCEPTION 'table % is a Citus reference or local table', tickets USING ERRCODE = '0A000',
            DETAIL = 'sla tracks ticket tables of one node, or distributed by their id.',
            HINT = format('Distribute it by its id: SELECT undistribute_table(%1$L); SELECT create_distributed_table(%1$L, %2$L);',
                          tickets::text, id_column);
    ELSIF d.column_name <> id_column THEN
        RAISE EXCEPTION 'table % is distributed by column "%", not by its id column "%"', tickets, d.column_name, id_column
            USING ERRCODE = '0A000',
                  DETAIL = 'The SLA state of a ticket lives on the worker that holds the ticket, found by its id.',
                  HINT = format('Distribute it by its id: SELECT alter_distributed_table(%L, distribution_column := %L);',
                                tickets::text, id_column);
    ELSIF (SELECT c.relkind = 'p' FROM pg_class c WHERE c.oid = tickets) THEN
        RAISE EXCEPTION 'table % is a distributed partitioned table: sla cannot attach one yet', tickets
            USING ERRCODE = '0A000', HINT = 'Attach a distributed table that is not partitioned.';
    ELSIF (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = tickets) THEN
        RAISE EXCEPTION 'table % is distributed and has row-level security: sla cannot attach such a table yet', tickets
            USING ERRCODE = '0A000',
                  DETAIL = 'The SLA state on the workers would have to follow the policies of each shard.';
    END IF;
END $$;

-- Whether an attachment's tickets are a Citus distributed table, so that
-- its state tables are distributed with them.
CREATE FUNCTION sla_private.is_distributed(a @extschema@.attachments) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((sla_private.distribution(a.tickets)).method = 'h', false)
$$;

-- The shard "shard_id" of a distributed table, as a relation (of the
-- worker that holds it).
CREATE FUNCTION sla_private.shard_relation(rel regclass, shard_id bigint) RETURNS regclass
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    name text;
BEGIN
    -- Citus names a shard without its schema when that is public
    EXECUTE 'SELECT pg_catalog.shard_name($1, $2)' INTO name USING rel, shard_id;
    RETURN pg_catalog.to_regclass(CASE WHEN (SELECT c.relnamespace FROM pg_class c WHERE c.oid = rel) = 'public'::regnamespace
                                       THEN 'public.' || name ELSE name END);
END $$;

-- The shard of distributed table "rel" that holds the rows of the same
-- tickets as "shard", a shard of a table co-located with it; NULL when
-- "shard" is no Citus shard of such a table.
CREATE FUNCTION sla_private.colocated_shard(rel regclass, shard regclass) RETURNS regclass
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    shard_id bigint := substring((SELECT c.relname FROM pg_class c WHERE c.oid = shard) FROM '_([0-9]+)$')::bigint;
    found record;
BEGIN
    IF shard_id IS NULL OR NOT sla_private.citus_installed() THEN
        RETURN NULL;
    END IF;
    EXECUTE 'SELECT s.logicalrelid AS of_table, t.shardid AS colocated
               FROM pg_catalog.pg_dist_shard s
               JOIN pg_catalog.pg_dist_partition ps ON ps.logicalrelid OPERATOR(pg_catalog.=) s.logicalrelid
               JOIN pg_catalog.pg_dist_partition pt ON pt.logicalrelid OPERATOR(pg_catalog.=) $2
                                                   AND pt.colocationid OPERATOR(pg_catalog.=) ps.colocationid
               JOIN pg_catalog.pg_dist_shard t ON t.logicalrelid OPERATOR(pg_catalog.=) $2
                                              AND t.shardminvalue OPERATOR(pg_catalog.=) s.shardminvalue
              WHERE s.shardid OPERATOR(pg_catalog.=) $1'
        INTO found USING shard_id, rel;
    IF found IS NULL OR sla_private.shard_relation(found.of_table, shard_id) IS DISTINCT FROM shard THEN
        RETURN NULL;
    END IF;
    RETURN sla_private.shard_relation(rel, found.colocated);
END $$;

-- The tickets shard whose shard group the statements of this transaction
-- work on: on a worker, while sla_private.shard_step runs or a tracking
-- trigger fires on a shard; else NULL.
CREATE FUNCTION sla_private.current_shard() RETURNS regclass
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_catalog.to_regclass(nullif(pg_catalog.current_setting('sla.shard', true), ''))
$$;

-- SQL about the state of attachment "attachment" as it runs here: as it
-- is, or, while working on a shard group (current_shard), with each state
-- table and the ticket table named by their shards of that group.  Every
-- statement on the state of a ticket reads and writes the rows of that
-- ticket only, so that on a shard group it means what it means on one
-- node; the names are those the SQL builders print (schema-qualified).
CREATE FUNCTION sla_private.on_state(attachment integer, sql text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    shard regclass := sla_private.current_shard();
    tickets regclass;
    kind text;
BEGIN
    IF shard IS NULL THEN
        RETURN sql;
    END IF;
    SELECT x.tickets INTO STRICT tickets FROM @extschema@.attachments x WHERE x.id = attachment;
    FOREACH kind IN ARRAY sla_private.state_kinds() LOOP
        sql := sla_private.rename_relation(sql, format('sla_state.%s_%s', kind, attachment)::regclass,
                                           sla_private.colocated_shard(format('sla_state.%s_%s', kind, attachment), shard));
    END LOOP;
    RETURN sla_private.rename_relation(sql, tickets, shard);
END $$;

-- SQL with each mention of relation "old" (as regclass prints it) naming "new".
CREATE FUNCTION sla_private.rename_relation(sql text, old regclass, new regclass) RETURNS text
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT regexp_replace(sql, regexp_replace(old::text, '([^[:alnum:]_])', '\\\1', 'g') || '(?![[:alnum:]_$])',
                          regexp_replace(new::text, '([\\&])', '\\\1', 'g'), 'g')
$$;

-- On a worker: keep "definition", an attachment of the coordinator, as
-- this node's row of sla.attachments (so that the tracking triggers on the
-- shards and the steps of sla_private.shard_step find it), its columns
-- numbered by their names in the ticket table here (whose shards number
-- them alike).
CREATE FUNCTION sla_private.take_attachment(definition jsonb) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := jsonb_populate_record(NULL::@extschema@.attachments, definition);
BEGIN
    DELETE FROM @extschema@.attachments x WHERE x.id = a.id OR x.tickets = a.tickets;
    INSERT INTO @extschema@.attachments SELECT a.*;
    PERFORM sla_private.renumber_columns(a.id);
END $$;

-- Run "command" on every worker, as the extension's owner, in a
-- transaction of its own; an error when it fails on one.
CREATE FUNCTION sla_private.on_workers(command text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    failed record;
BEGIN
    EXECUTE 'SELECT r.nodename, r.nodeport, r.result FROM pg_catalog.run_command_on_workers($1) r WHERE NOT r.success LIMIT 1'
        INTO failed USING command;
    IF failed IS NOT NULL THEN
        RAISE EXCEPTION 'sla could not update worker %:%: %', failed.nodename, failed.nodeport, failed.result
            USING ERRCODE = '08000';
    END IF;
END $$;

-- Distribute the state tables of a new attachment of a distributed table
-- by ticket, co-located with the tickets, and give the workers the
-- attachment.
CREATE FUNCTION sla_private.distribute_state(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
    kind text;
BEGIN
    EXECUTE format('ALTER TABLE sla_state.events_%1$s DROP CONSTRAINT events_%1$s_pkey, ADD PRIMARY KEY (ticket_id, id)', a.id);
    FOREACH kind IN ARRAY sla_private.state_kinds() LOOP
        EXECUTE 'SELECT pg_catalog.create_distributed_table($1, ''ticket_id'', colocate_with := $2)'
            USING format('sla_state.%s_%s', kind, a.id)::regclass, a.tickets::text;
    END LOOP;
    PERFORM sla_private.share_attachment(a);
END $$;

-- Give every worker a distributed attachment (take_attachment), with its
-- own range of event ids.
CREATE FUNCTION sla_private.share_attachment(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM sla_private.on_workers(format('SELECT sla_private.take_attachment(%L)',
        to_jsonb(a) || jsonb_build_object('view', NULL, 'column_names', sla_private.column_names(a))));
    PERFORM sla_private.on_workers('SELECT sla_private.spread_event_ids()');
END $$;

-- On a worker: move sla.event_id_seq into this node's range (its group
-- number in the top 16 bits), so that its events' ids differ from those
-- of every other node.
CREATE FUNCTION sla_private.spread_event_ids() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    low bigint;
BEGIN
    EXECUTE 'SELECT g.groupid::bigint << 48 FROM pg_catalog.pg_dist_local_group g' INTO low;
    IF (SELECT s.last_value < low FROM @extschema@.event_id_seq s) THEN
        PERFORM setval('@extschema@.event_id_seq', low);
    END IF;
END $$;

-- Run one step of the upkeep of a distributed attachment on each shard
-- group, on the worker holding it (sla_private.shard_step), each in a
-- transaction of its own there: 'fold' the changes, or 'sweep' as of
-- "as_of" (written in ISO form, which every DateStyle reads alike).
-- Returns the ids of the events the steps recorded.
CREATE FUNCTION sla_private.on_shards(a @extschema@.attachments, step text, as_of timestamptz, recheck boolean)
    RETURNS bigint[]
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET datestyle = 'ISO, YMD' AS $$
DECLARE
    shard record;
    recorded bigint[] := '{}';
BEGIN
    FOR shard IN EXECUTE 'SELECT r.shardid, r.success, r.result FROM pg_catalog.run_command_on_shards($1, $2) r'
        USING a.tickets, format('SELECT sla_private.shard_step(%s, %L, %L, %L, %L)', a.id, '%s', step, as_of, recheck) LOOP
        IF NOT shard.success THEN
            RAISE EXCEPTION 'sla could not % shard % of table %: %', step, shard.shardid, a.tickets, shard.result
                USING ERRCODE = '08000';
        END IF;
        recorded := recorded || shard.result::bigint[];
    END LOOP;
    RETURN recorded;
END $$;

-- On a worker: one step of sla_private.on_shards on the shard group of
-- tickets shard "shard".  A shard group whose state another step holds
-- (its fold's lock) is left for the next one; returns the ids of the
-- events recorded, as text.
CREATE FUNCTION sla_private.shard_step(attachment integer, shard regclass, step text, as_of timestamptz, recheck boolean)
    RETURNS text
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
BEGIN
    SELECT * INTO STRICT a FROM @extschema@.attachments x WHERE x.id = attachment;
    IF sla_private.colocated_shard(a.tickets, shard) IS DISTINCT FROM shard THEN
        RAISE EXCEPTION '% is not a shard of table % on this node', shard, a.tickets USING ERRCODE = '22023';
    END IF;
    PERFORM set_config('sla.shard', shard::text, true);
    IF NOT pg_try_advisory_xact_lock(sla_private.state_lock(), attachment) THEN
        RETURN '{}';
    END IF;
    IF step = 'fold' THEN
        PERFORM sla_private.fold_changes(a);
        RETURN '{}';
    END IF;
    RETURN sla_private.record_crossings(a, as_of, recheck)::text;
END $$;

CREATE FUNCTION @extschema@.distribute_config() RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT sla_private.citus_installed() THEN
        RAISE EXCEPTION 'Citus is not installed in this database' USING ERRCODE = '55000',
            HINT = 'CREATE EXTENSION citus first.';
    END IF;
    PERFORM sla_private.distribute_config_tables();
    PERFORM sla_private.share_attachment(a) FROM @extschema@.attachments a WHERE sla_private.is_distributed(a);
END $$;
COMMENT ON FUNCTION @extschema@.distribute_config() IS
    'On Citus: make sla.calendars, sla.holidays and sla.policies reference tables, so that named calendars and policies are read on every node, and give every worker the attachments of distributed tables (after adding a node)';

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

-- The tracking triggers of a distributed table are Citus' triggers on a
-- distributed table: Citus puts them on every shard, where they fire for
-- the rows of that shard and write the state's co-located shards
-- (src/trigger.c).  Citus calls such triggers unsafe because it cannot
-- know what they do; these write only the shard group they fire on.
-- Without Citus the setting is an unused placeholder.
ALTER FUNCTION sla_private.add_statement_triggers(regclass, text, regproc, integer) SET citus.enable_unsafe_triggers = on;
ALTER FUNCTION sla_private.drop_statement_triggers(regclass, regprocedure) SET citus.enable_unsafe_triggers = on;
