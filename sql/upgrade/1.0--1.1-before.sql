/* sql/upgrade/1.0--1.1-before.sql: the first part of the 1.0 -> 1.1 upgrade script (see Makefile) */

\echo Use "ALTER EXTENSION sla UPDATE TO '1.1'" to load this file. \quit

-- Between this part and 1.0--1.1-after.sql come the install script's parts
-- of the concepts 1.1 changed (Makefile: UPGRADE_1_1_PARTS), their public
-- functions replaced in place (CREATE OR REPLACE), so that users' objects
-- depending on them survive.  Here: the 1.0 state tables are kept under
-- other names until after.sql has moved their rows into each attachment's
-- own tables, and the 1.0 tracking triggers go (they call functions that
-- 1.1 drops).

ALTER TABLE @extschema@.attachments RENAME TO attachments_1_0;
ALTER INDEX @extschema@.attachments_pkey RENAME TO attachments_1_0_pkey;
ALTER TABLE @extschema@.status_history RENAME TO status_history_1_0;
ALTER TABLE @extschema@.ticket_state RENAME TO ticket_state_1_0;
ALTER INDEX @extschema@.ticket_state_pkey RENAME TO ticket_state_1_0_pkey;
ALTER TABLE @extschema@.events RENAME TO events_1_0;
ALTER INDEX @extschema@.events_pkey RENAME TO events_1_0_pkey;

DO $$
DECLARE
    tickets regclass;
    name text;
BEGIN
    FOR tickets IN SELECT a.tickets FROM @extschema@.attachments_1_0 a
                    WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) a.tickets) LOOP
        FOREACH name IN ARRAY ARRAY['sla_track', 'sla_track_renames', 'sla_track_truncate'] LOOP
            EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS %I ON %s', name, tickets);
        END LOOP;
    END LOOP;
END $$;
