/* sql/upgrade/1.0--1.1-after.sql: the last part of the 1.0 -> 1.1 upgrade script (see Makefile) */

-- Every 1.0 attachment becomes a 1.1 attachment with its own state tables:
-- its history, state and events move there, the ticket ids from their 1.0
-- text form back to the id column's type, the history and event ids kept.  Its SLA view
-- is replaced in place (its grants and the views built on it stay).  An
-- attachment 1.1 cannot keep (its table is gone, temporary, or keyed by a
-- type 1.1 refuses) is dropped with a WARNING saying why.
DO $$
DECLARE
    old record;
    a @extschema@.attachments;
    id_type text;
    rel regclass;
BEGIN
    FOR old IN SELECT * FROM @extschema@.attachments_1_0 x ORDER BY x.tickets::text LOOP
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) old.tickets
                              AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}') AND c.relpersistence OPERATOR(pg_catalog.<>) 't') THEN
                RAISE EXCEPTION 'it is no longer a permanent table';
            END IF;
            INSERT INTO @extschema@.attachments (tickets, id_column, created_column, status_column, paused_statuses,
                                                 resolved_statuses, metrics, priority_column, service_column, customer_column)
            SELECT old.tickets,
                   sla_private.check_column(old.tickets, old.id_column, 'id', NULL),
                   sla_private.check_column(old.tickets, old.created_column, 'created', 'timestamptz'),
                   sla_private.check_column(old.tickets, old.status_column, 'status', NULL),
                   old.paused_statuses, old.resolved_statuses,
                   (SELECT pg_catalog.jsonb_object_agg(m.key, sla_private.check_column(old.tickets, m.value::name, 'stop', 'timestamptz'))
                      FROM pg_catalog.jsonb_each_text(old.metrics) m),
                   CASE WHEN old.priority_column IS NOT NULL THEN sla_private.check_column(old.tickets, old.priority_column, 'priority', NULL) END,
                   CASE WHEN old.service_column IS NOT NULL THEN sla_private.check_column(old.tickets, old.service_column, 'service', NULL) END,
                   CASE WHEN old.customer_column IS NOT NULL THEN sla_private.check_column(old.tickets, old.customer_column, 'customer', NULL) END
            RETURNING * INTO a;
            id_type := pg_catalog.format_type(sla_private.id_type(a.tickets, a.id_column), NULL);
            PERFORM sla_private.create_state(a);
            EXECUTE pg_catalog.format($q$
INSERT INTO sla_state.history_%1$s (id, ticket_id, changed_at, status) OVERRIDING SYSTEM VALUE
SELECT h.id, h.ticket_id::%2$s, h.changed_at, h.status FROM @extschema@.status_history_1_0 h
 WHERE h.tickets OPERATOR(pg_catalog.=) %3$L::regclass$q$, a.id, id_type, a.tickets);
            EXECUTE pg_catalog.format($q$
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('sla_state.history_%1$s', 'id'), h.id)
  FROM (SELECT pg_catalog.max(h.id) AS id FROM sla_state.history_%1$s h) h WHERE h.id IS NOT NULL$q$, a.id);
            EXECUTE pg_catalog.format($q$
INSERT INTO sla_state.state_%1$s (ticket_id, status, status_since, paused, reopened)
SELECT s.ticket_id::%2$s, s.status, s.status_since, s.paused, s.reopened FROM @extschema@.ticket_state_1_0 s
 WHERE s.tickets OPERATOR(pg_catalog.=) %3$L::regclass$q$, a.id, id_type, a.tickets);
            EXECUTE pg_catalog.format($q$
INSERT INTO sla_state.events_%1$s (id, ticket_id, metric, kind, level, happened_at, recorded_at)
SELECT e.id, e.ticket_id::%2$s, e.metric, e.kind,
       -- 1.0 warned at one level, warn_at: the smallest among the policies of the metric
       CASE WHEN e.kind OPERATOR(pg_catalog.=) 'breached' THEN 1
            ELSE coalesce((SELECT pg_catalog.min(p.warn_at) FROM @extschema@.policies p
                            WHERE p.metric OPERATOR(pg_catalog.=) e.metric), 0.75) END,
       e.happened_at, e.recorded_at FROM @extschema@.events_1_0 e
 WHERE e.tickets OPERATOR(pg_catalog.=) %3$L::regclass$q$, a.id, id_type, a.tickets);
            -- 1.0 kept no resolved ranges: they come from the history
            EXECUTE pg_catalog.format($q$
UPDATE sla_state.state_%1$s s SET resolved = r.resolved
  FROM (SELECT h.ticket_id,
               @extschema@.pauses(h.changed_at, h.status OPERATOR(pg_catalog.=) ANY ($1) ORDER BY h.changed_at, h.id) AS resolved
          FROM sla_state.history_%1$s h WHERE h.status IS NOT NULL GROUP BY h.ticket_id) r
 WHERE r.ticket_id OPERATOR(pg_catalog.=) s.ticket_id$q$, a.id) USING a.resolved_statuses;
            -- 1.0 kept no state for tickets whose status was never set
            EXECUTE pg_catalog.format($q$
INSERT INTO sla_state.state_%1$s (ticket_id, status_since)
SELECT t.ticket_id, coalesce(t.created, now()) FROM (%2$s) t
ON CONFLICT (ticket_id) DO NOTHING$q$, a.id, sla_private.ticket_ids_sql(a));
            FOR rel IN SELECT sla_private.tree(a.tickets) LOOP
                PERFORM sla_private.add_triggers(a, rel);
            END LOOP;
            -- an extension script may replace only its own objects: the views
            -- are the extension's while they are replaced (see the end)
            FOREACH rel IN ARRAY ARRAY[pg_catalog.to_regclass(old.view_name),
                                       pg_catalog.to_regclass(old.view_name OPERATOR(pg_catalog.||) '_compliance')] LOOP
                IF rel IS NOT NULL THEN
                    EXECUTE pg_catalog.format('ALTER EXTENSION sla ADD VIEW %s', rel);
                END IF;
            END LOOP;
            UPDATE @extschema@.attachments x
               SET view = sla_private.create_view(a, old.view_name, pg_catalog.to_regclass(old.view_name) IS NOT NULL),
                   column_names = sla_private.column_names(a)
             WHERE x.id OPERATOR(pg_catalog.=) a.id
            RETURNING * INTO a;
            PERFORM sla_private.create_reporting_views(a);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'sla 1.1 cannot keep the attachment of table %: %', old.tickets, SQLERRM
                USING HINT = 'Attach the table again after the upgrade.';
        END;
    END LOOP;
    -- what was made here for the attachments belongs to them, not to the
    -- extension (as when sla.attach makes it): pg_dump keeps it
    FOR rel IN SELECT d.objid::regclass FROM pg_catalog.pg_depend d
                 JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
                WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::regclass
                  AND d.refobjid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'sla')
                  AND d.deptype OPERATOR(pg_catalog.=) 'e' AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::regclass
                  AND (c.relnamespace OPERATOR(pg_catalog.=) 'sla_state'::regnamespace
                       OR c.oid OPERATOR(pg_catalog.=) ANY (SELECT x.view FROM @extschema@.attachments x)
                       OR c.oid::regclass::text OPERATOR(pg_catalog.=) ANY (SELECT sla_private.reporting_view_name(x, '_compliance') FROM @extschema@.attachments x))
                ORDER BY c.relkind DESC LOOP
        EXECUTE pg_catalog.format('ALTER EXTENSION sla DROP %s %s',
                                  CASE (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) rel)
                                       WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, rel);
    END LOOP;
    PERFORM pg_catalog.setval('@extschema@.event_id_seq',
                              greatest((SELECT s.last_value FROM @extschema@.events_id_seq s), 1));
END $$;

-- 1.0 functions that 1.1 replaced by the ones in sla_private, and sla.attach
-- without its team_column.
DROP FUNCTION @extschema@.attach(regclass, name, name, name, text[], text[], jsonb, name, name, name, name);
DROP FUNCTION @extschema@.attachment_for_view(regclass);
DROP FUNCTION @extschema@.attachment_of(regclass);
DROP FUNCTION @extschema@.check_column(regclass, name, text, regtype);
DROP FUNCTION @extschema@.check_during(tstzrange, boolean);
DROP FUNCTION @extschema@.check_fraction(numeric, text, boolean);
DROP FUNCTION @extschema@.check_metric(@extschema@.attachments_1_0, text);
DROP FUNCTION @extschema@.clock_from(@extschema@.attachments_1_0, text);
DROP FUNCTION @extschema@.clock_joins(@extschema@.attachments_1_0, text);
DROP FUNCTION @extschema@.compliance_view_name(@extschema@.attachments_1_0);
DROP FUNCTION @extschema@.create_reporting_views(@extschema@.attachments_1_0);
DROP FUNCTION @extschema@.create_view(@extschema@.attachments_1_0);
DROP FUNCTION @extschema@.crossings_sql(@extschema@.attachments_1_0);
DROP FUNCTION @extschema@.drop_reporting_views(@extschema@.attachments_1_0);
DROP FUNCTION @extschema@.finish_renames();
DROP FUNCTION @extschema@.forget_all_tickets();
DROP FUNCTION @extschema@.forget_ticket(regclass, text);
DROP FUNCTION @extschema@.metric_rows_sql(@extschema@.attachments_1_0, text);
DROP FUNCTION @extschema@.refresh_ticket(regclass, text, text[], text[]);
DROP FUNCTION @extschema@.rename_ticket(regclass, text, text);
DROP FUNCTION @extschema@.seconds_of(tstzmultirange);
DROP FUNCTION @extschema@.track_status();

-- out of the extension first, so that pg_dump's list of configuration tables
-- forgets them too
ALTER EXTENSION sla DROP TABLE @extschema@.attachments_1_0;
ALTER EXTENSION sla DROP TABLE @extschema@.status_history_1_0;
ALTER EXTENSION sla DROP SEQUENCE @extschema@.status_history_id_seq;
ALTER EXTENSION sla DROP TABLE @extschema@.ticket_state_1_0;
ALTER EXTENSION sla DROP TABLE @extschema@.events_1_0;
ALTER EXTENSION sla DROP SEQUENCE @extschema@.events_id_seq;
DROP TABLE @extschema@.attachments_1_0, @extschema@.status_history_1_0, @extschema@.ticket_state_1_0,
           @extschema@.events_1_0;

-- The C functions 1.0 made and 1.1 keeps bound to their sla_-prefixed
-- symbols, as the parts of the install script unchanged since 1.0 now bind
-- them (PostgreSQL loads modules with RTLD_GLOBAL, so a library's symbols
-- need a prefix of their own); the library keeps the 1.0 names for
-- databases not yet updated (src/entry_points_1_0.c).
UPDATE pg_catalog.pg_proc p SET prosrc = 'sla_' OPERATOR(pg_catalog.||) p.prosrc
 WHERE p.pronamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace
   AND p.prolang OPERATOR(pg_catalog.=) (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname OPERATOR(pg_catalog.=) 'c')
   AND NOT pg_catalog.starts_with(p.prosrc, 'sla_');
