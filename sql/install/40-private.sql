/* sql/install/40-private.sql: the extension's internal schemas and the helpers every later part uses (part of the install script, see Makefile) */

-- sla_private holds internal functions.  Those that read only what their
-- caller may read are executable by PUBLIC; the implementations of the
-- privileged API (run as the extension's owner by sla_call_privileged,
-- src/privilege.c) and select_as are not (REVOKE at the end of the script).
-- sla_state holds each attachment's state tables (sql/install/42-state.sql),
-- created and owned by the extension's owner.
CREATE SCHEMA sla_private;
CREATE SCHEMA sla_state;
GRANT USAGE ON SCHEMA sla_private, sla_state TO PUBLIC;
COMMENT ON SCHEMA sla_private IS 'Internal functions of the sla extension: not an interface';
COMMENT ON SCHEMA sla_state IS 'SLA state of attached tables, one set of tables per attachment, written only by the sla extension';

-- A read-only query over someone's table, as that table's owner inside a
-- security-restricted operation (src/privilege.c).
CREATE FUNCTION sla_private.select_as(role oid, query text, VARIADIC args "any") RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'sla_select_as' LANGUAGE C;

-- The name of a column of a table, by attribute number.
CREATE FUNCTION sla_private.column_name(tickets regclass, attnum smallint) RETURNS name
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.attname FROM pg_attribute a
     WHERE a.attrelid = $1 AND a.attnum = $2 AND NOT a.attisdropped
$$;

-- A generated name: base followed by suffix, at most 63 bytes.  A base too
-- long is cut (at a character boundary) and told apart by 8 hex digits of
-- its md5, so that the same base always gives the same name.
CREATE FUNCTION sla_private.short_name(base text, suffix text) RETURNS name
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cut text := base;
    tag text := '_' || left(md5(base), 8);
BEGIN
    IF octet_length(base || suffix) <= 63 THEN
        RETURN base || suffix;
    END IF;
    WHILE octet_length(cut || tag || suffix) > 63 LOOP
        cut := left(cut, -1);
    END LOOP;
    RETURN cut || tag || suffix;
END $$;

-- Counts the changes of calendars, holidays and policies, so that the sweep
-- knows when every ticket's next crossing must be computed again.
CREATE TABLE sla_private.config_version (version bigint NOT NULL);
INSERT INTO sla_private.config_version VALUES (1);

CREATE FUNCTION sla_private.config_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE sla_private.config_version SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER sla_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.calendars
    FOR EACH STATEMENT EXECUTE FUNCTION sla_private.config_changed();
CREATE TRIGGER sla_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.holidays
    FOR EACH STATEMENT EXECUTE FUNCTION sla_private.config_changed();
CREATE TRIGGER sla_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.policies
    FOR EACH STATEMENT EXECUTE FUNCTION sla_private.config_changed();

-- A ticket column as text in SQL over the tickets "t" (its type's cast to
-- text), or NULL::text when the attachment has no such column.
CREATE FUNCTION sla_private.text_column_sql(tickets regclass, attnum smallint) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT format('t.%I::text', a.attname) FROM pg_attribute a
                      WHERE a.attrelid = $1 AND a.attnum = $2 AND NOT a.attisdropped), 'NULL::text')
$$;
