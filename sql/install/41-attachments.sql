/* sql/install/41-attachments.sql: the catalog of attached ticket tables (part of the install script, see Makefile) */

-- Written only by sla.attach, sla.detach and the DDL event triggers, as the
-- extension's owner.  Columns are attribute numbers and relations regclass,
-- so renaming a table, its schema or a column changes nothing here.
CREATE SEQUENCE @extschema@.attachments_id_seq AS integer;
CREATE TABLE @extschema@.attachments (
    id integer PRIMARY KEY DEFAULT pg_catalog.nextval('@extschema@.attachments_id_seq'),
    tickets regclass NOT NULL UNIQUE,
    id_column smallint NOT NULL,
    created_column smallint NOT NULL,
    status_column smallint NOT NULL,
    paused_statuses text[] NOT NULL,
    resolved_statuses text[] NOT NULL,
    metrics jsonb NOT NULL,              -- metric name -> attribute number of its stop column
    priority_column smallint,
    service_column smallint,
    customer_column smallint,
    view regclass UNIQUE,                -- the SLA view; NULL only while attach runs
    config_seen bigint,                  -- sla_private.config_version its next crossings were computed with
    column_names jsonb                   -- the columns' names, kept with renames: a restore (whose tables
                                         -- may number columns anew) takes the attribute numbers from them
);
ALTER SEQUENCE @extschema@.attachments_id_seq OWNED BY @extschema@.attachments.id;
COMMENT ON TABLE @extschema@.attachments IS
    'Ticket tables with SLA tracking (sla.attach); id numbers the state tables sla_state.*_<id>; columns by attribute number (sla.attached_tables names them)';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.attachments', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.attachments_id_seq', '');
GRANT SELECT ON @extschema@.attachments TO PUBLIC;

-- The attachments with column names, as sla.attach takes them.
CREATE VIEW @extschema@.attached_tables AS
SELECT a.tickets, a.view,
       sla_private.column_name(a.tickets, a.id_column) AS id_column,
       sla_private.column_name(a.tickets, a.created_column) AS created_column,
       sla_private.column_name(a.tickets, a.status_column) AS status_column,
       a.paused_statuses, a.resolved_statuses,
       (SELECT pg_catalog.jsonb_object_agg(m.key, sla_private.column_name(a.tickets, m.value::smallint))
          FROM pg_catalog.jsonb_each_text(a.metrics) m) AS metrics,
       sla_private.column_name(a.tickets, a.priority_column) AS priority_column,
       sla_private.column_name(a.tickets, a.service_column) AS service_column,
       sla_private.column_name(a.tickets, a.customer_column) AS customer_column
  FROM @extschema@.attachments a;
COMMENT ON VIEW @extschema@.attached_tables IS 'Attached ticket tables and the columns sla.attach was given, by name';
GRANT SELECT ON @extschema@.attached_tables TO PUBLIC;

-- The names of an attachment's columns, by role: id, created, status,
-- priority, service, customer, and metrics (metric -> stop column).
CREATE FUNCTION sla_private.column_names(a @extschema@.attachments) RETURNS jsonb
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', sla_private.column_name(a.tickets, a.id_column),
        'created', sla_private.column_name(a.tickets, a.created_column),
        'status', sla_private.column_name(a.tickets, a.status_column),
        'priority', sla_private.column_name(a.tickets, a.priority_column),
        'service', sla_private.column_name(a.tickets, a.service_column),
        'customer', sla_private.column_name(a.tickets, a.customer_column),
        'metrics', (SELECT jsonb_object_agg(m.key, sla_private.column_name(a.tickets, m.value::smallint))
                      FROM jsonb_each_text(a.metrics) m)))
$$;

-- Take an attachment's attribute numbers from its column names (after a
-- restore numbered the table's columns anew), when they disagree.
CREATE FUNCTION sla_private.renumber_columns(attachment integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
BEGIN
    SELECT * INTO STRICT a FROM @extschema@.attachments x WHERE x.id = attachment;
    IF a.column_names IS NULL OR sla_private.column_names(a) = a.column_names THEN
        RETURN;
    END IF;
    UPDATE @extschema@.attachments x
       SET id_column = sla_private.check_column(a.tickets, (a.column_names ->> 'id')::name, 'id', NULL),
           created_column = sla_private.check_column(a.tickets, (a.column_names ->> 'created')::name, 'created', 'timestamptz'),
           status_column = sla_private.check_column(a.tickets, (a.column_names ->> 'status')::name, 'status', NULL),
           priority_column = CASE WHEN a.column_names ? 'priority'
               THEN sla_private.check_column(a.tickets, (a.column_names ->> 'priority')::name, 'priority', NULL) END,
           service_column = CASE WHEN a.column_names ? 'service'
               THEN sla_private.check_column(a.tickets, (a.column_names ->> 'service')::name, 'service', NULL) END,
           customer_column = CASE WHEN a.column_names ? 'customer'
               THEN sla_private.check_column(a.tickets, (a.column_names ->> 'customer')::name, 'customer', NULL) END,
           metrics = (SELECT jsonb_object_agg(m.key, sla_private.check_column(a.tickets, m.value::name, 'stop', 'timestamptz'))
                        FROM jsonb_each_text(a.column_names -> 'metrics') m)
     WHERE x.id = a.id;
END $$;

-- The attachment of a ticket table, or an error when it is not attached.
CREATE FUNCTION sla_private.attachment_of(tickets regclass) RETURNS @extschema@.attachments
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result @extschema@.attachments;
BEGIN
    SELECT * INTO result FROM @extschema@.attachments a WHERE a.tickets = attachment_of.tickets;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table % is not attached', tickets
            USING ERRCODE = '55000', HINT = 'Attach it with sla.attach() first.';
    END IF;
    RETURN result;
END $$;

-- An error unless the role may act as the owner of the attached table.
CREATE FUNCTION sla_private.check_owner(caller oid, tickets regclass) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(caller, (SELECT c.relowner FROM pg_class c WHERE c.oid = tickets), 'USAGE') THEN
        RAISE EXCEPTION 'must be owner of table %', tickets
            USING ERRCODE = '42501', HINT = 'Only the table''s owner (or a member of the owning role) may attach or detach it.';
    END IF;
END $$;

-- The owner of a table.
CREATE FUNCTION sla_private.owner_of(tickets regclass) RETURNS oid
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.relowner FROM pg_class c WHERE c.oid = $1
$$;

-- The role that reads an attached table for "caller": its owner, unless
-- row-level security restricts what the caller sees of it; then the caller.
-- Either way the query runs inside a security-restricted operation
-- (sla_private.select_as), so a superuser never runs another role's code.
CREATE FUNCTION sla_private.reader_for(caller oid, tickets regclass) RETURNS oid
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    owner oid := sla_private.owner_of(tickets);
BEGIN
    IF NOT has_table_privilege(caller, tickets, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for table %', tickets USING ERRCODE = '42501';
    END IF;
    IF pg_has_role(caller, owner, 'USAGE')
       OR (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.oid = caller)
       OR NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = tickets) THEN
        RETURN owner;
    END IF;
    RETURN caller;
END $$;
