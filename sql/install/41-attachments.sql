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
    metrics jsonb NOT NULL,              -- metric name -> its stop column's attribute number, or its definition
                                         -- (sla_private.check_metrics)
    priority_column smallint,
    service_column smallint,
    customer_column smallint,
    team_column smallint,                -- the owning team (assignment group), whose changes teams_<n> records
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

-- The activity table (comments, messages) attached to each attached ticket
-- table, at most one.  Written only by sla.attach_activity and
-- sla.detach_activity, as the extension's owner; columns by attribute
-- number, as in sla.attachments.
CREATE TABLE @extschema@.activities (
    attachment integer PRIMARY KEY REFERENCES @extschema@.attachments ON DELETE CASCADE,
    activity regclass NOT NULL UNIQUE,
    ticket_column smallint NOT NULL,
    at_column smallint NOT NULL,
    author_column smallint NOT NULL,
    customer_authors text[] NOT NULL,
    agent_authors text[] NOT NULL,
    public_column smallint,             -- boolean; when given, only its true rows count
    column_names jsonb NOT NULL         -- the columns' names, kept with renames, for a restore
                                        -- (sla_private.renumber_activity)
);
COMMENT ON TABLE @extschema@.activities IS
    'Activity tables whose messages the SLA clocks of an attached table read (sla.attach_activity)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.activities', '');
GRANT SELECT ON @extschema@.activities TO PUBLIC;

-- Metric definitions ----------------------------------------------------------
-- sla.attach takes per metric its stop column (the 1.0 form, stored as the
-- column's attribute number) or an object: "start" (a column) or
-- "start_statuses", "stop" (a column) or "stop_statuses", "pause_statuses"
-- and "cycles"; or, for a metric whose cycles come from the messages of
-- the activity table (sla.attach_activity) or from the owning team,
-- "kind" ("next_reply", "periodic_update", "ownership") and
-- "pause_statuses".  An object that says only what
-- the 1.0 form means (start at creation, the attachment's paused statuses,
-- one cycle, a stop column) is stored in the 1.0 form; any other is stored
-- with every key explicit and columns as attribute numbers.

-- A status list of a metric definition, checked: a JSON array of strings,
-- sorted and without duplicates.
CREATE FUNCTION sla_private.status_list(metric text, key text, value jsonb) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF jsonb_typeof(value) IS DISTINCT FROM 'array'
       OR EXISTS (SELECT 1 FROM jsonb_array_elements(value) e WHERE jsonb_typeof(e) <> 'string') THEN
        RAISE EXCEPTION 'key "%" of metric "%" must be an array of status names (JSON strings)', key, metric
            USING ERRCODE = '22023';
    END IF;
    RETURN ARRAY(SELECT DISTINCT e FROM jsonb_array_elements_text(value) e ORDER BY e);
END $$;

-- The metrics argument of sla.attach, checked against the ticket table and
-- in the form stored in sla.attachments.metrics.
CREATE FUNCTION sla_private.check_metrics(tickets regclass, metrics jsonb, created_column smallint,
                                          paused_statuses text[]) RETURNS jsonb
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    metric record;
    d jsonb;
    key text;
    stored jsonb := '{}';
    definition jsonb;
    default_pauses jsonb := to_jsonb(ARRAY(SELECT DISTINCT p FROM unnest(paused_statuses) p ORDER BY p));
BEGIN
    IF metrics IS NULL OR jsonb_typeof(metrics) <> 'object' OR metrics = '{}' THEN
        RAISE EXCEPTION 'metrics must be a JSON object mapping metric names to stop columns or definitions'
            USING ERRCODE = '22023';
    END IF;
    FOR metric IN SELECT m.key, m.value FROM jsonb_each(metrics) m ORDER BY m.key LOOP
        d := metric.value;
        IF jsonb_typeof(d) = 'string' THEN
            d := jsonb_build_object('stop', d);
        ELSIF jsonb_typeof(d) <> 'object' THEN
            RAISE EXCEPTION 'metric "%" must be a stop column (a JSON string) or a definition (a JSON object)', metric.key
                USING ERRCODE = '22023';
        END IF;
        IF d ? 'kind' THEN
            IF (d -> 'kind') NOT IN ('"next_reply"', '"periodic_update"', '"ownership"') THEN
                RAISE EXCEPTION 'key "kind" of metric "%" must be "next_reply", "periodic_update" or "ownership", not %',
                                metric.key, d -> 'kind'
                    USING ERRCODE = '22023';
            END IF;
            FOR key IN SELECT k FROM jsonb_object_keys(d) k WHERE k NOT IN ('kind', 'pause_statuses') ORDER BY k LIMIT 1 LOOP
                RAISE EXCEPTION 'metric "%" of kind % has a key "%"', metric.key, d -> 'kind', key
                    USING ERRCODE = '22023',
                          HINT = 'The messages or the owning team give such a metric its cycles: it takes only "kind" and "pause_statuses".';
            END LOOP;
            stored := stored || jsonb_build_object(metric.key, jsonb_build_object(
                'kind', d -> 'kind',
                'pause_statuses', CASE WHEN d ? 'pause_statuses'
                                       THEN to_jsonb(sla_private.status_list(metric.key, 'pause_statuses', d -> 'pause_statuses'))
                                       ELSE default_pauses END));
            CONTINUE;
        END IF;
        FOR key IN SELECT k FROM jsonb_object_keys(d) k ORDER BY k LOOP
            IF key NOT IN ('start', 'start_statuses', 'stop', 'stop_statuses', 'pause_statuses', 'cycles') THEN
                RAISE EXCEPTION 'metric "%" has an unknown key "%"', metric.key, key
                    USING ERRCODE = '22023',
                          HINT = 'A definition takes start or start_statuses, stop or stop_statuses, pause_statuses and cycles, or kind and pause_statuses.';
            END IF;
        END LOOP;
        IF (d ? 'start') AND (d ? 'start_statuses') THEN
            RAISE EXCEPTION 'metric "%" has both keys "start" and "start_statuses"', metric.key USING ERRCODE = '22023';
        END IF;
        IF (d ? 'stop') = (d ? 'stop_statuses') THEN
            RAISE EXCEPTION 'metric "%" must have exactly one of the keys "stop" and "stop_statuses"', metric.key
                USING ERRCODE = '22023';
        END IF;
        FOREACH key IN ARRAY ARRAY['start', 'stop'] LOOP
            IF (d ? key) AND jsonb_typeof(d -> key) <> 'string' THEN
                RAISE EXCEPTION 'key "%" of metric "%" must be a column name (a JSON string)', key, metric.key
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
        IF (d ? 'cycles') AND (d -> 'cycles') NOT IN ('"first"', '"each"') THEN
            RAISE EXCEPTION 'key "cycles" of metric "%" must be "first" or "each", not %', metric.key, d -> 'cycles'
                USING ERRCODE = '22023';
        END IF;
        definition := jsonb_strip_nulls(jsonb_build_object(
            'start', CASE WHEN d ? 'start' THEN sla_private.check_column(tickets, (d ->> 'start')::name,
                                                 format('start column of metric "%s"', metric.key), 'timestamptz')
                          WHEN NOT d ? 'start_statuses' THEN created_column END,
            'start_statuses', CASE WHEN d ? 'start_statuses'
                                   THEN to_jsonb(sla_private.status_list(metric.key, 'start_statuses', d -> 'start_statuses')) END,
            'stop', CASE WHEN d ? 'stop' THEN sla_private.check_column(tickets, (d ->> 'stop')::name,
                                                 format('stop column of metric "%s"', metric.key), 'timestamptz') END,
            'stop_statuses', CASE WHEN d ? 'stop_statuses'
                                  THEN to_jsonb(sla_private.status_list(metric.key, 'stop_statuses', d -> 'stop_statuses')) END,
            'pause_statuses', CASE WHEN d ? 'pause_statuses'
                                   THEN to_jsonb(sla_private.status_list(metric.key, 'pause_statuses', d -> 'pause_statuses'))
                                   ELSE default_pauses END,
            'cycles', coalesce(d ->> 'cycles', 'first')));
        IF definition - 'stop' = jsonb_build_object('start', created_column, 'cycles', 'first', 'pause_statuses', default_pauses)
           AND definition ? 'stop' THEN
            definition := definition -> 'stop';
        END IF;
        stored := stored || jsonb_build_object(metric.key, definition);
    END LOOP;
    RETURN stored;
END $$;

-- The metrics of an attachment, as sla.attach takes them: columns by name.
CREATE FUNCTION sla_private.metric_names(a @extschema@.attachments) RETURNS jsonb
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT jsonb_object_agg(m.key, CASE WHEN jsonb_typeof(m.value) = 'number'
            THEN to_jsonb(sla_private.column_name(a.tickets, (m.value #>> '{}')::smallint))
            ELSE m.value || jsonb_strip_nulls(jsonb_build_object(
                     'start', sla_private.column_name(a.tickets, (m.value ->> 'start')::smallint),
                     'stop', sla_private.column_name(a.tickets, (m.value ->> 'stop')::smallint))) END)
      FROM jsonb_each(a.metrics) m
$$;

-- Each metric of an attachment, in name order, with its number (i), its
-- start column or start statuses, stop column or stop statuses, pause
-- statuses, whether it counts each cycle, and its kind when its cycles come
-- from the messages (next_reply, periodic_update) or the owning team
-- (ownership).
CREATE FUNCTION sla_private.metric_definitions(a @extschema@.attachments,
        OUT metric text, OUT i integer, OUT start_column smallint, OUT start_statuses text[],
        OUT stop_column smallint, OUT stop_statuses text[], OUT pause_statuses text[], OUT each_cycle boolean,
        OUT kind text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT m.key, (row_number() OVER (ORDER BY m.key))::integer,
           CASE WHEN jsonb_typeof(m.value) = 'number' THEN a.created_column ELSE (m.value ->> 'start')::smallint END,
           CASE WHEN m.value ? 'start_statuses' THEN ARRAY(SELECT jsonb_array_elements_text(m.value -> 'start_statuses')) END,
           CASE WHEN jsonb_typeof(m.value) = 'number' THEN (m.value #>> '{}')::smallint ELSE (m.value ->> 'stop')::smallint END,
           CASE WHEN m.value ? 'stop_statuses' THEN ARRAY(SELECT jsonb_array_elements_text(m.value -> 'stop_statuses')) END,
           CASE WHEN jsonb_typeof(m.value) = 'number' THEN a.paused_statuses
                ELSE ARRAY(SELECT jsonb_array_elements_text(m.value -> 'pause_statuses')) END,
           coalesce(m.value ->> 'cycles' = 'each', m.value ? 'kind'),
           m.value ->> 'kind'
      FROM jsonb_each(a.metrics) m
$$;

-- The attachments with column names, as sla.attach takes them.
CREATE VIEW @extschema@.attached_tables AS
SELECT a.tickets, a.view,
       sla_private.column_name(a.tickets, a.id_column) AS id_column,
       sla_private.column_name(a.tickets, a.created_column) AS created_column,
       sla_private.column_name(a.tickets, a.status_column) AS status_column,
       a.paused_statuses, a.resolved_statuses,
       sla_private.metric_names(a) AS metrics,
       sla_private.column_name(a.tickets, a.priority_column) AS priority_column,
       sla_private.column_name(a.tickets, a.service_column) AS service_column,
       sla_private.column_name(a.tickets, a.customer_column) AS customer_column,
       sla_private.column_name(a.tickets, a.team_column) AS team_column
  FROM @extschema@.attachments a;
COMMENT ON VIEW @extschema@.attached_tables IS 'Attached ticket tables and the columns sla.attach was given, by name';
GRANT SELECT ON @extschema@.attached_tables TO PUBLIC;

-- The names of an attachment's columns, by role: id, created, status,
-- priority, service, customer, team, and metrics (metric_names).
CREATE FUNCTION sla_private.column_names(a @extschema@.attachments) RETURNS jsonb
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'id', sla_private.column_name(a.tickets, a.id_column),
        'created', sla_private.column_name(a.tickets, a.created_column),
        'status', sla_private.column_name(a.tickets, a.status_column),
        'priority', sla_private.column_name(a.tickets, a.priority_column),
        'service', sla_private.column_name(a.tickets, a.service_column),
        'customer', sla_private.column_name(a.tickets, a.customer_column),
        'team', sla_private.column_name(a.tickets, a.team_column),
        'metrics', sla_private.metric_names(a)))
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
           team_column = CASE WHEN a.column_names ? 'team'
               THEN sla_private.check_column(a.tickets, (a.column_names ->> 'team')::name, 'team', NULL) END,
           metrics = sla_private.check_metrics(a.tickets, a.column_names -> 'metrics',
                       sla_private.check_column(a.tickets, (a.column_names ->> 'created')::name, 'created', 'timestamptz'),
                       a.paused_statuses)
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
