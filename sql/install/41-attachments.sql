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
    config_seen bigint                   -- sla_private.config_version its next crossings were computed with
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
