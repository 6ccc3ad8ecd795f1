/* sql/install/43-tracking.sql: recording status changes, by trigger and by import (part of the install script, see Makefile) */

-- The statement triggers on an attached table and each of its partitions
-- (src/trigger.c).  Not executable by PUBLIC, so that only sla.attach can
-- create triggers calling it.
CREATE FUNCTION sla_private.track_changes() RETURNS trigger
    AS 'MODULE_PATHNAME', 'sla_track_changes' LANGUAGE C;

-- Put the four statement triggers <prefix>insert, <prefix>update,
-- <prefix>delete and <prefix>truncate, with the transition tables sla_new
-- and sla_old, calling "function"(argument) on one table, unless they are
-- there already; whether it put any.  The tracking triggers of attached
-- tables and those of activity tables.
CREATE FUNCTION sla_private.add_statement_triggers(rel regclass, prefix text, function regproc, argument integer)
    RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    event record;
    added boolean := false;
BEGIN
    FOR event IN SELECT * FROM (VALUES ('insert', 'REFERENCING NEW TABLE AS sla_new'),
                                       ('update', 'REFERENCING OLD TABLE AS sla_old NEW TABLE AS sla_new'),
                                       ('delete', 'REFERENCING OLD TABLE AS sla_old'),
                                       ('truncate', '')) e(name, transitions) LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = rel AND g.tgname = prefix || event.name);
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION %s(%s)',
                       prefix || event.name, upper(event.name), rel, event.transitions, function, argument);
        added := true;
    END LOOP;
    RETURN added;
END $$;

-- Remove the triggers calling "function" from one table, when it has them.
CREATE FUNCTION sla_private.drop_statement_triggers(rel regclass, function regprocedure) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    name name;
BEGIN
    FOR name IN SELECT g.tgname FROM pg_trigger g WHERE g.tgrelid = rel AND g.tgfoid = function LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', name, rel);
    END LOOP;
END $$;

-- Put the tracking triggers on one table of an attached table's partition
-- tree, unless they are there already; whether it put any.
CREATE FUNCTION sla_private.add_triggers(a @extschema@.attachments, rel regclass) RETURNS boolean
    LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    SELECT sla_private.add_statement_triggers(rel, 'sla_track_', 'sla_private.track_changes', a.id)
$$;

-- Remove the tracking triggers from one table, when it has them.
CREATE FUNCTION sla_private.drop_triggers(rel regclass) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    SELECT sla_private.drop_statement_triggers(rel, 'sla_private.track_changes()')
$$;

-- The tables of a partition tree, the root first.
CREATE FUNCTION sla_private.tree(root regclass) RETURNS SETOF regclass
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT $1
    UNION ALL
    SELECT t.relid FROM pg_partition_tree($1) t WHERE t.relid <> $1
$$;

-- SQL giving the tickets of an attached table as rows (ticket_id, status,
-- created, team), read as the table's owner inside a security-restricted
-- operation (sla_private.select_as).  The extension reads ticket tables
-- only so: here, in the sweep, the reports and record_status.
CREATE FUNCTION sla_private.ticket_ids_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('SELECT * FROM sla_private.select_as(%s, %L, 0) AS r(ticket_id %s, status text, created timestamptz, team text)',
        sla_private.owner_of(a.tickets),
        format('SELECT t.%I::%s, t.%I::text, t.%I, %s FROM %s t WHERE t.%1$I IS NOT NULL',
               sla_private.column_name(a.tickets, a.id_column), format_type(sla_private.id_type(a.tickets, a.id_column), NULL),
               sla_private.column_name(a.tickets, a.status_column),
               sla_private.column_name(a.tickets, a.created_column), sla_private.text_column_sql(a.tickets, a.team_column),
               a.tickets),
        format_type(sla_private.id_type(a.tickets, a.id_column), NULL))
$$;

-- The statement registering tickets into history_<n>, teams_<n> or
-- state_<n> ("kind"), reading rows r (ticket_id, status, team, since) from
-- "source": their status counts from "since", in their paused or resolved
-- ranges when it is a paused or resolved status.
CREATE FUNCTION sla_private.register_sql(a @extschema@.attachments, kind text, source text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE kind
        WHEN 'history' THEN format('INSERT INTO sla_state.history_%s (ticket_id, changed_at, status)
             SELECT r.ticket_id, r.since, r.status FROM %s r', a.id, source)
        WHEN 'teams' THEN format('INSERT INTO sla_state.teams_%s (ticket_id, changed_at, team)
             SELECT r.ticket_id, r.since, r.team FROM %s r WHERE r.team IS NOT NULL', a.id, source)
        WHEN 'state' THEN format($q$INSERT INTO sla_state.state_%s (ticket_id, status, status_since, paused, resolved)
SELECT r.ticket_id, r.status, r.since,
       CASE WHEN r.status OPERATOR(pg_catalog.=) ANY (%L::text[]) THEN tstzmultirange(tstzrange(r.since, NULL)) ELSE '{}' END,
       CASE WHEN r.status OPERATOR(pg_catalog.=) ANY (%L::text[]) THEN tstzmultirange(tstzrange(r.since, NULL)) ELSE '{}' END
  FROM %s r$q$, a.id, a.paused_statuses, a.resolved_statuses, source)
    END
$$;

-- Register the tickets of a table that have no state yet (at attach time,
-- or brought by ATTACH PARTITION): their status counts from now (or their
-- creation, when later); older history comes through sla.record_status.
CREATE FUNCTION sla_private.register_new_tickets(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF sla_private.is_distributed(a) THEN
        PERFORM sla_private.register_distributed_tickets(a);
        RETURN;
    END IF;
    PERFORM sla_private.fold_changes(a);
    EXECUTE format($q$
WITH r AS (SELECT t.ticket_id, t.status, t.team, greatest(t.created, now()) AS since FROM (%2$s) t
            WHERE NOT EXISTS (SELECT 1 FROM sla_state.state_%1$s s WHERE s.ticket_id = t.ticket_id)),
     h AS (%3$s),
     g AS (%4$s)
%5$s ON CONFLICT (ticket_id) DO NOTHING$q$, a.id, sla_private.ticket_ids_sql(a),
        sla_private.register_sql(a, 'history', 'r'), sla_private.register_sql(a, 'teams', 'r'),
        sla_private.register_sql(a, 'state', 'r'));
END $$;

-- register_new_tickets for a table distributed with Citus, while sla.attach
-- runs (its state is new, in this transaction): statements that Citus runs
-- on each shard group, in this transaction, with their values written in
-- them (now() in ISO form, which every DateStyle reads alike).  They read
-- the tickets as the extension's owner, and only so that nothing but
-- built-in code runs: columns by their type's output function (format),
-- not by a cast another role may have defined.
CREATE FUNCTION sla_private.register_distributed_tickets(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET datestyle = 'ISO, YMD' AS $$
DECLARE
    tickets text := format($q$(SELECT t.%1$I AS ticket_id,
                                      CASE WHEN t.%2$I IS NOT NULL THEN pg_catalog.format('%%s', t.%2$I) END AS status,
                                      CASE WHEN %3$s IS NOT NULL THEN pg_catalog.format('%%s', %3$s) END AS team,
                                      greatest(t.%4$I, %5$L::timestamptz) AS since
                                 FROM %6$s t)$q$,
        sla_private.column_name(a.tickets, a.id_column), sla_private.column_name(a.tickets, a.status_column),
        CASE WHEN a.team_column IS NULL THEN 'NULL' ELSE format('t.%I', sla_private.column_name(a.tickets, a.team_column)) END,
        sla_private.column_name(a.tickets, a.created_column), now(), a.tickets);
    kind text;
BEGIN
    FOREACH kind IN ARRAY ARRAY['history', 'teams', 'state'] LOOP
        EXECUTE sla_private.register_sql(a, kind, tickets);
    END LOOP;
END $$;

CREATE FUNCTION @extschema@.record_status(tickets regclass, ticket_id text, at timestamptz, status text) RETURNS void
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.record_status(regclass, text, timestamptz, text) IS
    'Import one status change of an attached ticket (backfill); changes may come in any order; needs UPDATE on the table and a ticket the caller can see';

-- An error unless "caller" may import history of the ticket "ticket_id"
-- of an attachment: UPDATE on the ticket table, and a ticket it can see.
CREATE FUNCTION sla_private.check_importable(caller oid, a @extschema@.attachments, ticket_id text, at timestamptz)
    RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    visible boolean;
BEGIN
    IF ticket_id IS NULL OR at IS NULL THEN
        RAISE EXCEPTION 'ticket_id and at must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF NOT has_table_privilege(caller, a.tickets, 'UPDATE') THEN
        RAISE EXCEPTION 'permission denied for table %', a.tickets USING ERRCODE = '42501',
            DETAIL = 'Importing history needs UPDATE on the ticket table.';
    END IF;
    EXECUTE format('SELECT v FROM sla_private.select_as(%s, %L, %L::text) AS r(v boolean)',
                   sla_private.reader_for(caller, a.tickets), format('SELECT EXISTS (SELECT 1 FROM %s t WHERE t.%I = $1::%s)',
                                  a.tickets, sla_private.column_name(a.tickets, a.id_column),
                                  format_type(sla_private.id_type(a.tickets, a.id_column), NULL)),
                   ticket_id)
        INTO visible;
    IF NOT visible THEN
        RAISE EXCEPTION 'table % has no ticket % that you can see', a.tickets, ticket_id USING ERRCODE = '22023',
            HINT = 'Import the history of tickets after inserting them.';
    END IF;
END $$;

-- sla.record_status, as the extension's owner for "caller".  The changes
-- recorded so far are folded first, under the attachment's state lock, so
-- that the rebuild sees them, and a change committed meanwhile is folded
-- after this import.
CREATE FUNCTION sla_private.record_status(caller oid, tickets regclass, ticket_id text, at timestamptz, status text)
    RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_of(tickets);
    id_type text := format_type(sla_private.id_type(a.tickets, a.id_column), NULL);
BEGIN
    PERFORM sla_private.check_importable(caller, a, ticket_id, at);
    PERFORM sla_private.fold_changes(a);
    EXECUTE format('INSERT INTO sla_state.history_%1$s (ticket_id, changed_at, status) VALUES ($1::%2$s, $2, $3)',
                   a.id, id_type) USING ticket_id, at, status;
    EXECUTE format('SELECT sla_private.refresh_ticket(%s, $1::%s)', a.id, id_type) USING ticket_id;
END $$;

CREATE FUNCTION @extschema@.record_team(tickets regclass, ticket_id text, at timestamptz, team text) RETURNS void
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.record_team(regclass, text, timestamptz, text) IS
    'Import one change of an attached ticket''s owning team (backfill; NULL: no team from then on); needs UPDATE on the table and a ticket the caller can see';

-- sla.record_team, as the extension's owner for "caller": the change goes
-- to teams_<n>, and the ticket is due for the sweep (a touch).
CREATE FUNCTION sla_private.record_team(caller oid, tickets regclass, ticket_id text, at timestamptz, team text)
    RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_of(tickets);
    id_type text := format_type(sla_private.id_type(a.tickets, a.id_column), NULL);
BEGIN
    IF a.team_column IS NULL THEN
        RAISE EXCEPTION 'table % is attached without a team column', tickets
            USING ERRCODE = '55000', HINT = 'Attach it with team_column to track its owning team.';
    END IF;
    PERFORM sla_private.check_importable(caller, a, ticket_id, at);
    EXECUTE format('INSERT INTO sla_state.teams_%s (ticket_id, changed_at, team) VALUES ($1::%s, $2, $3)', a.id, id_type)
        USING ticket_id, at, team;
    EXECUTE format($q$INSERT INTO sla_state.changes_%s (ticket_id, at, kind) VALUES ($1::%s, pg_catalog.now(), 't')$q$, a.id, id_type)
        USING ticket_id;
END $$;
