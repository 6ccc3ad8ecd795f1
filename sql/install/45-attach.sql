/* sql/install/45-attach.sql: attaching and detaching ticket tables (part of the install script, see Makefile) */

-- The attribute number of a column, checked to exist and, when "expected"
-- is given, to have that type.
CREATE FUNCTION sla_private.check_column(tickets regclass, col name, role text, expected regtype)
    RETURNS smallint
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    col_info record;
BEGIN
    IF col IS NULL THEN
        RAISE EXCEPTION 'the % column must be named', role USING ERRCODE = '22004';
    END IF;
    SELECT a.attnum, a.atttypid::regtype AS type INTO col_info
      FROM pg_attribute a
     WHERE a.attrelid = tickets AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'column "%" of relation % does not exist', col, tickets
            USING ERRCODE = '42703', DETAIL = format('It was given as the %s column.', role);
    END IF;
    IF expected IS NOT NULL AND col_info.type <> expected THEN
        RAISE EXCEPTION 'column "%" of relation % is of type %, not %', col, tickets, col_info.type, expected
            USING ERRCODE = '42804', DETAIL = format('The %s column must be %s.', role, expected);
    END IF;
    RETURN col_info.attnum;
END $$;

-- An error unless the relation is a table that can be attached: a plain or
-- partitioned table (not a partition or inheritance child: attach the
-- table at the top), permanent, owned by the caller (or a role it is a
-- member of) in a schema where it may create the views, not attached yet.
CREATE FUNCTION sla_private.check_attachable(caller oid, tickets regclass) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel record;
BEGIN
    SELECT c.relkind, c.relpersistence, c.relispartition INTO rel FROM pg_class c WHERE c.oid = tickets;
    IF rel.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% is not a table', tickets USING ERRCODE = '42809',
            DETAIL = 'Only plain and partitioned tables can be attached, not views, foreign tables or other relations.';
    END IF;
    IF rel.relpersistence = 't' THEN
        RAISE EXCEPTION '% is a temporary table', tickets USING ERRCODE = '42809',
            DETAIL = 'SLA state outlives sessions; a temporary table does not.';
    END IF;
    IF rel.relispartition THEN
        RAISE EXCEPTION '% is a partition', tickets USING ERRCODE = '42809',
            HINT = 'Attach the partitioned table it belongs to; its partitions are tracked with it.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = tickets OR i.inhparent = tickets)
       AND rel.relkind = 'r' THEN
        RAISE EXCEPTION '% is part of an inheritance hierarchy', tickets USING ERRCODE = '42809',
            DETAIL = 'Inheritance parents and children cannot be attached; partitioned tables can.';
    END IF;
    PERFORM sla_private.check_owner(caller, tickets);
    IF NOT has_schema_privilege(caller, (SELECT c.relnamespace FROM pg_class c WHERE c.oid = tickets), 'CREATE') THEN
        RAISE EXCEPTION 'permission denied for schema %',
                        (SELECT c.relnamespace::regnamespace FROM pg_class c WHERE c.oid = tickets)
            USING ERRCODE = '42501', DETAIL = 'The SLA views are created in the table''s schema.';
    END IF;
    IF EXISTS (SELECT 1 FROM @extschema@.attachments x WHERE x.tickets = check_attachable.tickets) THEN
        RAISE EXCEPTION 'table % is already attached', tickets
            USING ERRCODE = '42710', HINT = 'Detach it first with sla.detach() to attach it differently.';
    END IF;
END $$;

CREATE FUNCTION @extschema@.attach(tickets regclass,
        id_column name DEFAULT 'id', created_column name DEFAULT 'created_at',
        status_column name DEFAULT 'status', paused_statuses text[] DEFAULT '{pending,on_hold}',
        resolved_statuses text[] DEFAULT '{resolved,closed}',
        metrics jsonb DEFAULT '{"first_response": "first_response_at", "resolution": "resolved_at"}',
        priority_column name DEFAULT 'priority', service_column name DEFAULT NULL,
        customer_column name DEFAULT NULL, view_name name DEFAULT NULL, team_column name DEFAULT NULL) RETURNS regclass
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.attach(regclass, name, name, name, text[], text[], jsonb, name, name, name, name, name) IS
    'Track SLAs of an existing ticket table the caller owns: triggers record status changes, a view shows every metric''s clock';

-- sla.attach, as the extension's owner for "caller".
CREATE FUNCTION sla_private.attach(caller oid, tickets regclass, id_column name, created_column name,
        status_column name, paused_statuses text[], resolved_statuses text[], metrics jsonb,
        priority_column name, service_column name, customer_column name, view_name name, team_column name) RETURNS regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    rel regclass;
    view_text text;
BEGIN
    IF tickets IS NULL THEN
        RAISE EXCEPTION 'tickets must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF current_setting('server_version_num')::integer < 150000 THEN
        RAISE EXCEPTION 'sla.attach needs PostgreSQL 15 or later'
            USING ERRCODE = '0A000',
                  DETAIL = 'The SLA view must be a security_invoker view, so that the ticket table''s grants and row-level security apply.';
    END IF;
    PERFORM sla_private.check_attachable(caller, tickets);
    a.tickets := tickets;
    a.id_column := sla_private.check_column(tickets, id_column, 'id', NULL);
    PERFORM sla_private.check_distribution(tickets, id_column);
    a.created_column := sla_private.check_column(tickets, created_column, 'created', 'timestamptz');
    a.status_column := sla_private.check_column(tickets, status_column, 'status', NULL);
    a.priority_column := CASE WHEN priority_column IS NOT NULL
                              THEN sla_private.check_column(tickets, priority_column, 'priority', NULL) END;
    a.service_column := CASE WHEN service_column IS NOT NULL
                             THEN sla_private.check_column(tickets, service_column, 'service', NULL) END;
    a.customer_column := CASE WHEN customer_column IS NOT NULL
                              THEN sla_private.check_column(tickets, customer_column, 'customer', NULL) END;
    a.team_column := CASE WHEN team_column IS NOT NULL
                          THEN sla_private.check_column(tickets, team_column, 'team', NULL) END;
    PERFORM sla_private.id_type(tickets, a.id_column);
    a.paused_statuses := coalesce(paused_statuses, '{}');
    a.resolved_statuses := coalesce(resolved_statuses, '{}');
    a.metrics := sla_private.check_metrics(tickets, metrics, a.created_column, a.paused_statuses);
    IF a.team_column IS NULL AND EXISTS (SELECT 1 FROM jsonb_each(a.metrics) m WHERE m.value ->> 'kind' = 'ownership') THEN
        RAISE EXCEPTION 'an ownership metric needs the owning team: team_column'
            USING ERRCODE = '22023', HINT = 'Name the ticket column of the owning team (assignment group) in team_column.';
    END IF;
    INSERT INTO @extschema@.attachments (tickets, id_column, created_column, status_column, paused_statuses,
                                         resolved_statuses, metrics, priority_column, service_column, customer_column,
                                         team_column)
    VALUES (a.tickets, a.id_column, a.created_column, a.status_column, a.paused_statuses,
            a.resolved_statuses, a.metrics, a.priority_column, a.service_column, a.customer_column, a.team_column)
    RETURNING * INTO a;

    PERFORM sla_private.create_state(a);
    IF sla_private.is_distributed(a) THEN
        PERFORM sla_private.distribute_state(a);
    END IF;
    -- the triggers first: creating them waits for the table's writers and
    -- holds back new ones, so that no ticket is missed by both
    FOR rel IN SELECT sla_private.tree(tickets) LOOP
        PERFORM sla_private.add_triggers(a, rel);
    END LOOP;
    PERFORM sla_private.register_new_tickets(a);
    SELECT format('%I.%I', n.nspname, coalesce(view_name, sla_private.short_name(c.relname, '_sla'))) INTO view_text
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = attach.tickets;
    UPDATE @extschema@.attachments x
       SET view = sla_private.create_view(a, view_text, false), column_names = sla_private.column_names(a)
     WHERE x.id = a.id
    RETURNING * INTO a;
    PERFORM sla_private.create_reporting_views(a);
    RETURN a.view;
END $$;

CREATE FUNCTION @extschema@.detach(tickets regclass) RETURNS void
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.detach(regclass) IS
    'Stop tracking a ticket table: drop its triggers and views and forget its SLA state; the table is untouched';

-- sla.detach, as the extension's owner for "caller".  The attachment goes
-- first, so that the DDL event triggers let its views and state go.
CREATE FUNCTION sla_private.detach(caller oid, tickets regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_of(tickets);
    rel regclass;
BEGIN
    PERFORM sla_private.check_owner(caller, tickets);
    PERFORM sla_private.forget_activity(a);
    DELETE FROM @extschema@.attachments x WHERE x.id = a.id;
    PERFORM sla_private.drop_reporting_views(a);
    IF a.view IS NOT NULL AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = a.view) THEN
        EXECUTE format('DROP VIEW %s', a.view);
    END IF;
    FOR rel IN SELECT sla_private.tree(tickets) LOOP
        PERFORM sla_private.drop_triggers(rel);
    END LOOP;
    PERFORM sla_private.drop_state(a.id);
    -- last: until here the triggers on the shards need it
    IF sla_private.is_distributed(a) THEN
        PERFORM sla_private.on_workers(format('DELETE FROM @extschema@.attachments x WHERE x.id = %s', a.id));
    END IF;
END $$;
