/* sql/install/46-ddl.sql: DDL that touches attached tables keeps their tracking true (part of the install script, see Makefile) */

-- Whether an attachment is a Citus worker's copy of an attachment of the
-- coordinator (sla_private.take_attachment): it has no view there.  DDL on
-- its table comes from the coordinator, whose event triggers guard and
-- follow it: the event triggers here pass copies by, and forget a copy
-- with its table.
CREATE FUNCTION sla_private.is_worker_copy(a @extschema@.attachments) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.view IS NULL
$$;

-- Forget the state of every ticket no longer in an attached table (a
-- partition was truncated, detached or dropped).  The table's ids are read
-- as its owner (sla_private.ticket_ids_sql).
CREATE FUNCTION sla_private.forget_missing_tickets(attachment integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
BEGIN
    SELECT * INTO STRICT a FROM @extschema@.attachments x WHERE x.id = attachment;
    PERFORM sla_private.fold_changes(a);
    EXECUTE sla_private.on_state(a.id, format($q$
WITH t AS (%2$s),
     c AS (DELETE FROM sla_state.changes_%1$s c WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.ticket_id = c.ticket_id)),
     gone AS (DELETE FROM sla_state.state_%1$s s
               WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.ticket_id = s.ticket_id) RETURNING s.ticket_id),
     h AS (DELETE FROM sla_state.history_%1$s h USING gone WHERE h.ticket_id = gone.ticket_id),
     st AS (DELETE FROM sla_state.stops_%1$s st USING gone WHERE st.ticket_id = gone.ticket_id),
     g AS (DELETE FROM sla_state.teams_%1$s g USING gone WHERE g.ticket_id = gone.ticket_id)
DELETE FROM sla_state.events_%1$s e USING gone WHERE e.ticket_id = gone.ticket_id$q$,
        a.id, sla_private.ticket_ids_sql(a)));
END $$;

-- Forget the state of all tickets of an attachment (its table was
-- truncated); the messages follow the activity table, not the tickets.
CREATE FUNCTION sla_private.forget_all_tickets(attachment integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE sla_private.on_state(attachment, (SELECT 'TRUNCATE ' || string_agg(format('sla_state.%s_%s', k, attachment), ', ')
                                                FROM unnest(sla_private.state_kinds()) k WHERE k <> 'messages'));
END $$;

-- The attachment a table with tracking triggers belongs to (the first
-- argument of its triggers), or NULL.
CREATE FUNCTION sla_private.tracked_by(rel regclass) RETURNS integer
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT split_part(encode(g.tgargs, 'escape'), '\000', 1)::integer
      FROM pg_trigger g
     WHERE g.tgrelid = $1 AND g.tgname = 'sla_track_insert'
       AND g.tgfoid = 'sla_private.track_changes()'::regprocedure
$$;

-- The grants on the SLA views, as they were when the DDL command now running
-- began: an SLA view that the command drops (DROP COLUMN ... CASCADE) is
-- made again with them.
CREATE TABLE sla_private.view_grants (view regclass PRIMARY KEY, acl aclitem[]);

CREATE FUNCTION sla_private.on_ddl_command_start() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM sla_private.view_grants;
    INSERT INTO sla_private.view_grants
    SELECT x.view, c.relacl FROM @extschema@.attachments x JOIN pg_class c ON c.oid = x.view WHERE c.relacl IS NOT NULL;
END $$;

-- Grant on a made-again SLA view what its predecessor granted.
CREATE FUNCTION sla_private.restore_grants(old_view regclass, new_view regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT a.grantee, a.privilege_type, a.is_grantable
               FROM sla_private.view_grants v, aclexplode(v.acl) a
              WHERE v.view = old_view AND a.grantee <> (SELECT c.relowner FROM pg_class c WHERE c.oid = new_view) LOOP
        EXECUTE format('GRANT %s ON %s TO %s%s', g.privilege_type, new_view,
                       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
                       CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
    END LOOP;
END $$;

-- After CREATE TABLE ... PARTITION OF and ALTER TABLE ... ATTACH or DETACH
-- PARTITION: every table of an attached tree has the tracking triggers and
-- the tickets a new partition brought are registered; a table that left the
-- tree loses its triggers, and its tickets' state goes.  After any ALTER
-- TABLE of an attached tree: the column names kept follow renames, the
-- state tables' policy follows the table's row-level security, and a
-- tracking trigger may not be disabled (2BP01).  An attached table without
-- triggers is being restored by pg_restore, which creates them itself; when
-- it does, the attribute numbers are taken from the names.
CREATE FUNCTION sla_private.on_ddl_command_end() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    activity @extschema@.activities;
    rel regclass;
    added boolean;
BEGIN
    FOR a IN SELECT DISTINCT x.* FROM pg_event_trigger_ddl_commands() c
               JOIN pg_trigger g ON g.oid = c.objid AND g.tgname = 'sla_track_insert'
               JOIN @extschema@.attachments x ON x.tickets = g.tgrelid
              WHERE c.classid = 'pg_trigger'::regclass AND NOT sla_private.is_worker_copy(x) LOOP
        PERFORM sla_private.renumber_columns(a.id);
    END LOOP;
    FOR a IN SELECT DISTINCT x.* FROM pg_event_trigger_ddl_commands() c
               JOIN pg_trigger g ON g.oid = c.objid AND g.tgname = 'sla_activity_insert'
               JOIN @extschema@.activities y ON y.activity = g.tgrelid
               JOIN @extschema@.attachments x ON x.id = y.attachment
              WHERE c.classid = 'pg_trigger'::regclass LOOP
        PERFORM sla_private.renumber_activity(a.id);
    END LOOP;
    FOR a IN SELECT DISTINCT x.*
               FROM pg_event_trigger_ddl_commands() c
               JOIN pg_class r ON r.oid = c.objid AND r.relkind IN ('r', 'p')
               JOIN @extschema@.attachments x
                 ON x.tickets = c.objid OR x.tickets IN (SELECT pg_partition_ancestors(c.objid))
              WHERE c.classid = 'pg_class'::regclass AND NOT sla_private.is_worker_copy(x)
                AND EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = x.tickets AND g.tgname = 'sla_track_insert') LOOP
        UPDATE @extschema@.attachments x SET column_names = sla_private.column_names(a) WHERE x.id = a.id;
        PERFORM sla_private.follow_row_security(a);
        IF EXISTS (SELECT 1 FROM pg_trigger g
                    WHERE g.tgrelid IN (SELECT sla_private.tree(a.tickets)) AND g.tgenabled = 'D'
                      AND g.tgfoid = 'sla_private.track_changes()'::regprocedure) THEN
            RAISE EXCEPTION 'cannot disable the SLA tracking triggers of %', a.tickets
                USING ERRCODE = '2BP01', HINT = format('Detach the table instead: SELECT sla.detach(%L);', a.tickets::text);
        END IF;
        added := false;
        FOR rel IN SELECT sla_private.tree(a.tickets) LOOP
            added := sla_private.add_triggers(a, rel) OR added;
        END LOOP;
        IF added THEN
            PERFORM sla_private.register_new_tickets(a);
        END IF;
        FOR rel IN SELECT g.tgrelid FROM pg_trigger g
                    WHERE g.tgname = 'sla_track_insert' AND g.tgfoid = 'sla_private.track_changes()'::regprocedure
                      AND sla_private.tracked_by(g.tgrelid) = a.id
                   EXCEPT SELECT sla_private.tree(a.tickets) LOOP
            FOR rel IN SELECT sla_private.tree(rel) LOOP
                PERFORM sla_private.drop_triggers(rel);
            END LOOP;
            PERFORM sla_private.forget_missing_tickets(a.id);
        END LOOP;
    END LOOP;
    FOR activity IN SELECT DISTINCT y.*
                      FROM pg_event_trigger_ddl_commands() c
                      JOIN pg_class r ON r.oid = c.objid AND r.relkind IN ('r', 'p')
                      JOIN @extschema@.activities y
                        ON y.activity = c.objid OR y.activity IN (SELECT pg_partition_ancestors(c.objid))
                     WHERE c.classid = 'pg_class'::regclass
                       -- not while a restore has not made the triggers (and renumbered) yet
                       AND EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = y.activity AND g.tgname = 'sla_activity_insert') LOOP
        PERFORM sla_private.follow_activity_tree(activity);
    END LOOP;
END $$;

-- On DROP: a tracked column cannot go (2BP01), nor the tracking triggers of
-- a table that stays attached; an attached table takes its attachment and
-- state along, and its activity table's triggers; an activity table
-- dropped is detached; a partition takes its tickets' state; an SLA view
-- dropped with an untracked column (DROP COLUMN ... CASCADE) is made
-- again, with its grants, and one dropped on its own is refused (2BP01).
CREATE FUNCTION sla_private.on_sql_drop() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    dropped record;
BEGIN
    SELECT o.object_identity, x.tickets INTO dropped
      FROM pg_event_trigger_dropped_objects() o
      JOIN @extschema@.attachments x ON x.tickets = o.objid AND o.object_type = 'table column' AND NOT sla_private.is_worker_copy(x)
     WHERE o.objsubid IN (x.id_column, x.created_column, x.status_column, x.priority_column,
                          x.service_column, x.customer_column, x.team_column)
        OR o.objsubid IN (SELECT c FROM sla_private.metric_definitions(x) d, unnest(ARRAY[d.start_column, d.stop_column]) c)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot drop column % because sla tracks it', dropped.object_identity
            USING ERRCODE = '2BP01',
                  HINT = format('Detach the table first: SELECT sla.detach(%L); then drop the column and attach it again.',
                                dropped.tickets::text);
    END IF;
    SELECT o.object_identity, y.activity AS tickets INTO dropped
      FROM pg_event_trigger_dropped_objects() o
      JOIN @extschema@.activities y ON y.activity = o.objid AND o.object_type = 'table column'
     WHERE o.objsubid IN (y.ticket_column, y.at_column, y.author_column, y.public_column)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot drop column % because sla reads messages from it', dropped.object_identity
            USING ERRCODE = '2BP01',
                  HINT = 'Detach the activity table first with sla.detach_activity(), then drop the column and attach it again.';
    END IF;
    -- an activity table dropped: its ticket table reads no messages any more
    FOR a IN SELECT x.* FROM @extschema@.attachments x JOIN @extschema@.activities y ON y.attachment = x.id
               JOIN pg_event_trigger_dropped_objects() o ON o.objid = y.activity AND o.object_type = 'table' LOOP
        PERFORM sla_private.forget_activity(a);
    END LOOP;
    FOR a IN SELECT x.* FROM @extschema@.attachments x
               JOIN pg_event_trigger_dropped_objects() o ON o.objid = x.tickets AND o.object_type = 'table' LOOP
        IF sla_private.is_worker_copy(a) THEN     -- the coordinator drops the state
            DELETE FROM @extschema@.attachments x WHERE x.id = a.id;
            CONTINUE;
        END IF;
        -- (Citus forgets the table first: its state tables tell)
        IF (sla_private.distribution(format('sla_state.state_%s', a.id)::regclass)).method IS NOT NULL THEN
            RAISE EXCEPTION 'cannot drop table % because sla tracks it on Citus', a.tickets
                USING ERRCODE = '2BP01',
                      HINT = format('Detach it first: SELECT sla.detach(%L); then drop it.', a.tickets::text);
        END IF;
        PERFORM sla_private.forget_activity(a);
        DELETE FROM @extschema@.attachments x WHERE x.id = a.id;
        PERFORM sla_private.drop_reporting_views(a);
        PERFORM sla_private.drop_state(a.id);
    END LOOP;
    -- a tracking trigger dropped: with its table, by sla.detach, or refused
    SELECT o.object_identity INTO dropped
      FROM pg_event_trigger_dropped_objects() o
      CROSS JOIN LATERAL (SELECT to_regclass(substr(o.object_identity, strpos(o.object_identity, ' on ') + 4)) AS rel) t
     WHERE o.object_type = 'trigger' AND o.object_identity LIKE 'sla\_track\_% on %'
       AND EXISTS (SELECT 1 FROM @extschema@.attachments x
                    WHERE (x.tickets = t.rel OR x.tickets IN (SELECT pg_partition_ancestors(t.rel))) AND NOT sla_private.is_worker_copy(x))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot drop trigger % because sla tracks the table with it', dropped.object_identity
            USING ERRCODE = '2BP01',
                  HINT = 'Detach the table instead with sla.detach().'
                         || CASE WHEN sla_private.citus_installed()
                                 THEN ' To distribute an attached table with Citus, distribute it first: detach it,'
                                      ' SELECT create_distributed_table(<table>, <id column>), then attach it again.'
                                 ELSE '' END;
    END IF;
    FOR a IN SELECT DISTINCT x.* FROM @extschema@.attachments x
               JOIN pg_event_trigger_dropped_objects() o ON o.object_type = 'trigger'
                AND o.object_identity LIKE 'sla\_track\_insert on %'
              WHERE (SELECT c.relkind FROM pg_class c WHERE c.oid = x.tickets) = 'p' LOOP
        PERFORM sla_private.forget_missing_tickets(a.id);
    END LOOP;
    FOR dropped IN SELECT x.id, x.view, o.object_identity FROM @extschema@.attachments x
                    JOIN pg_event_trigger_dropped_objects() o ON o.objid = x.view AND o.object_type = 'view' LOOP
        SELECT * INTO a FROM @extschema@.attachments x WHERE x.id = dropped.id;
        IF NOT EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() o
                        WHERE o.objid = a.tickets AND o.object_type = 'table column') THEN
            RAISE EXCEPTION 'cannot drop view % because sla keeps it', dropped.object_identity
                USING ERRCODE = '2BP01', HINT = format('Detach the table instead: SELECT sla.detach(%L);', a.tickets::text);
        END IF;
        UPDATE @extschema@.attachments x SET view = sla_private.create_view(a, dropped.object_identity, false)
         WHERE x.id = a.id RETURNING * INTO a;
        PERFORM sla_private.restore_grants(dropped.view, a.view);
        PERFORM sla_private.create_reporting_views(a);
    END LOOP;
END $$;

CREATE EVENT TRIGGER sla_ddl_command_start ON ddl_command_start
    WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION sla_private.on_ddl_command_start();
CREATE EVENT TRIGGER sla_ddl_command_end ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE', 'CREATE TRIGGER')
    EXECUTE FUNCTION sla_private.on_ddl_command_end();
CREATE EVENT TRIGGER sla_sql_drop ON sql_drop
    EXECUTE FUNCTION sla_private.on_sql_drop();
