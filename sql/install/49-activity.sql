/* sql/install/49-activity.sql: the messages of attached tickets, from the application's own activity table (part of the install script, see Makefile) */

-- The names of an activity table's columns that sla reads.
CREATE FUNCTION sla_private.activity_column_names(x @extschema@.activities) RETURNS jsonb
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'ticket', sla_private.column_name(x.activity, x.ticket_column),
        'at', sla_private.column_name(x.activity, x.at_column),
        'author', sla_private.column_name(x.activity, x.author_column),
        'public', sla_private.column_name(x.activity, x.public_column)))
$$;

-- Take an activity's attribute numbers from its columns' names, when they
-- differ (a restored table numbers its columns anew when some were dropped;
-- the tracking triggers are restored after the catalog's rows).
CREATE FUNCTION sla_private.renumber_activity(attachment integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    x @extschema@.activities;
BEGIN
    SELECT * INTO STRICT x FROM @extschema@.activities y WHERE y.attachment = renumber_activity.attachment;
    IF sla_private.activity_column_names(x) = x.column_names THEN
        RETURN;
    END IF;
    UPDATE @extschema@.activities y
       SET ticket_column = sla_private.check_column(x.activity, (x.column_names ->> 'ticket')::name, 'ticket', NULL),
           at_column = sla_private.check_column(x.activity, (x.column_names ->> 'at')::name, 'at', 'timestamptz'),
           author_column = sla_private.check_column(x.activity, (x.column_names ->> 'author')::name, 'author', NULL),
           public_column = CASE WHEN x.column_names ? 'public'
               THEN sla_private.check_column(x.activity, (x.column_names ->> 'public')::name, 'public', 'boolean') END
     WHERE y.attachment = x.attachment;
END $$;

-- An error unless the ticket column "ticket" of an activity table (or of
-- one of its partitions) has the base type of the ticket id: the tracking
-- trigger reads it, as the extension's owner, with PostgreSQL's own
-- functions only.  Checked at attach time, by the trigger on every
-- statement and after DDL (ALTER COLUMN ... TYPE is refused).
CREATE FUNCTION sla_private.check_ticket_column(a @extschema@.attachments, rel regclass, ticket name) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    attnum smallint := sla_private.check_column(rel, ticket, 'ticket', NULL);
BEGIN
    IF sla_private.id_type(rel, attnum) <> sla_private.id_type(a.tickets, a.id_column) THEN
        RAISE EXCEPTION 'column "%" of relation % is of type %, not %', ticket, rel,
                        sla_private.id_type(rel, attnum), sla_private.id_type(a.tickets, a.id_column)
            USING ERRCODE = '42804', DETAIL = 'The ticket column must have the type of the ticket table''s id column.';
    END IF;
END $$;

-- SQL giving the messages of the tickets $1 (an array of ids as text), or
-- of all tickets when "every", as rows (ticket_id, at, author) with author 'c' (a customer) or 'a' (an
-- agent), read from the activity table as its owner inside a
-- security-restricted operation (sla_private.select_as): its casts of the
-- author to text are its owner's.
CREATE FUNCTION sla_private.messages_sql(a @extschema@.attachments, x @extschema@.activities, every boolean) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('SELECT * FROM sla_private.select_as(%s, %L, $1, $2, $3) AS r(ticket_id %s, at timestamptz, author "char")',
        sla_private.owner_of(x.activity),
        format($q$SELECT m.ticket_id, m.at, m.author
  FROM (SELECT v.%1$I::%2$s AS ticket_id, v.%3$I AS at,
               CASE WHEN v.%4$I::text = ANY ($2) THEN 'c' WHEN v.%4$I::text = ANY ($3) THEN 'a' END::"char" AS author
          FROM %5$s v
         WHERE v.%3$I IS NOT NULL%6$s%7$s) m
 WHERE m.ticket_id IS NOT NULL AND m.author IS NOT NULL$q$,
               sla_private.column_name(x.activity, x.ticket_column), id_type,
               sla_private.column_name(x.activity, x.at_column), sla_private.column_name(x.activity, x.author_column),
               x.activity,
               CASE WHEN x.public_column IS NOT NULL
                    THEN format(' AND v.%I IS TRUE', sla_private.column_name(x.activity, x.public_column)) ELSE '' END,
               CASE WHEN NOT every
                    THEN format(' AND v.%I::%s IN (SELECT pg_catalog.unnest($1::%2$s[]))',
                                sla_private.column_name(x.activity, x.ticket_column), id_type) ELSE '' END),
        id_type)
      FROM (SELECT format_type(sla_private.id_type(a.tickets, a.id_column), NULL) AS id_type) t
$$;

-- Make the messages of the tickets "ids" (an array of ids as text; NULL:
-- all) what the activity table holds.  Refreshes of a ticket wait for each
-- other until commit (so that each reads what the one before committed,
-- and none leaves stale or doubled messages): up to 64 tickets take a lock
-- per ticket (and the attachment's shared), more or all tickets the
-- attachment's exclusive, which bounds the locks a COPY takes.  When
-- metrics of the attachment count messages (next_reply, periodic_update),
-- the tickets are due for the sweep: touched (changes_<n>), or all of them
-- looked at again.
CREATE FUNCTION sla_private.refresh_messages(a @extschema@.attachments, x @extschema@.activities, ids text)
    RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids::text[]) > 64 THEN
        PERFORM pg_advisory_xact_lock(hashtext('sla.messages'), a.id);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(hashtext('sla.messages'), a.id);
        PERFORM pg_advisory_xact_lock(hashtext('sla.messages ' || a.id), k.key)
           FROM (SELECT DISTINCT hashtext(u) AS key FROM unnest(ids::text[]) u) k ORDER BY k.key;
    END IF;
    IF ids IS NULL THEN
        EXECUTE format('DELETE FROM sla_state.messages_%s', a.id);
    ELSE
        EXECUTE format('DELETE FROM sla_state.messages_%s m WHERE m.ticket_id IN (SELECT unnest($1::%s[]))',
                       a.id, format_type(sla_private.id_type(a.tickets, a.id_column), NULL)) USING ids;
    END IF;
    EXECUTE format($q$INSERT INTO sla_state.messages_%s (ticket_id, at, author)
                      SELECT m.ticket_id, array_agg(m.at ORDER BY m.at, m.author DESC), array_agg(m.author ORDER BY m.at, m.author DESC)
                        FROM (%s) m GROUP BY m.ticket_id$q$, a.id, sla_private.messages_sql(a, x, ids IS NULL))
        USING ids, x.customer_authors, x.agent_authors;
    IF NOT EXISTS (SELECT 1 FROM sla_private.metric_definitions(a) d WHERE d.kind IN ('next_reply', 'periodic_update')) THEN
        RETURN;
    ELSIF ids IS NULL THEN
        UPDATE @extschema@.attachments SET config_seen = NULL WHERE id = a.id;
    ELSE
        EXECUTE format($q$INSERT INTO sla_state.changes_%s (ticket_id, at, kind)
                          SELECT DISTINCT u, pg_catalog.now(), 't' FROM pg_catalog.unnest($1::%s[]) u$q$,
                       a.id, format_type(sla_private.id_type(a.tickets, a.id_column), NULL)) USING ids;
    END IF;
END $$;

-- The statement triggers on an activity table and its partitions: the
-- tickets a statement's rows name (before and after it) get their messages
-- read again.  SECURITY DEFINER, so that it writes the state as the
-- extension's owner (writers of the activity table need no privilege on
-- it); it reads only the ticket ids of the transition tables (of the id's
-- built-in type) and reads the activity table as its owner.  Not
-- executable by PUBLIC, so that only sla.attach_activity can create
-- triggers calling it.
CREATE FUNCTION sla_private.track_activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    x @extschema@.activities;
    a @extschema@.attachments;
    id_type text;
    ticket text;
    ids text;
BEGIN
    SELECT * INTO x FROM @extschema@.activities WHERE attachment = TG_ARGV[0]::integer;
    IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM sla_private.tree(x.activity) r WHERE r = TG_RELID) THEN
        RAISE EXCEPTION 'relation % is not an activity table attached to SLA tracking', TG_RELID::regclass
            USING ERRCODE = '39P01', HINT = 'Let sla.attach_activity() create the triggers.';
    END IF;
    SELECT * INTO STRICT a FROM @extschema@.attachments WHERE id = x.attachment;
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM sla_private.refresh_messages(a, x, NULL);
        RETURN NULL;
    END IF;
    id_type := format_type(sla_private.id_type(a.tickets, a.id_column), NULL);
    ticket := sla_private.column_name(x.activity, x.ticket_column);
    PERFORM sla_private.check_ticket_column(a, TG_RELID, ticket);
    EXECUTE format('SELECT array_agg(DISTINCT r.id)::text FROM (%s) r WHERE r.id IS NOT NULL',
                   CASE TG_OP WHEN 'INSERT' THEN format('SELECT n.%I::%s AS id FROM sla_new n', ticket, id_type)
                              WHEN 'DELETE' THEN format('SELECT o.%I::%s AS id FROM sla_old o', ticket, id_type)
                              ELSE format('SELECT n.%1$I::%2$s AS id FROM sla_new n UNION ALL SELECT o.%1$I::%2$s FROM sla_old o',
                                          ticket, id_type) END)
        INTO ids;
    IF ids IS NOT NULL THEN
        PERFORM sla_private.refresh_messages(a, x, ids);
    END IF;
    RETURN NULL;
END $$;

-- After DDL on an activity table: refuse a ticket column of another type,
-- keep its columns' names (renames), the triggers on exactly the tables of
-- its partition tree (CREATE, ATTACH or DETACH PARTITION), and its
-- messages what the tree holds when that changed.
CREATE FUNCTION sla_private.follow_activity_tree(x @extschema@.activities) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    rel regclass;
    changed boolean := false;
BEGIN
    SELECT * INTO STRICT a FROM @extschema@.attachments y WHERE y.id = x.attachment;
    PERFORM sla_private.check_ticket_column(a, x.activity, sla_private.column_name(x.activity, x.ticket_column));
    UPDATE @extschema@.activities y SET column_names = sla_private.activity_column_names(x)
     WHERE y.attachment = x.attachment;
    FOR rel IN SELECT sla_private.tree(x.activity) LOOP
        changed := sla_private.add_statement_triggers(rel, 'sla_activity_', 'sla_private.track_activity', x.attachment)
                   OR changed;
    END LOOP;
    FOR rel IN SELECT g.tgrelid FROM pg_trigger g
                WHERE g.tgname = 'sla_activity_insert' AND g.tgfoid = 'sla_private.track_activity()'::regprocedure
                  AND split_part(encode(g.tgargs, 'escape'), '\000', 1)::integer = x.attachment
               EXCEPT SELECT sla_private.tree(x.activity) LOOP
        PERFORM sla_private.drop_statement_triggers(rel, 'sla_private.track_activity()');
        changed := true;
    END LOOP;
    IF changed THEN
        PERFORM sla_private.refresh_messages(a, x, NULL);
    END IF;
END $$;

CREATE FUNCTION @extschema@.attach_activity(tickets regclass, activity regclass,
        ticket_column name DEFAULT 'ticket_id', at_column name DEFAULT 'created_at',
        author_column name DEFAULT 'author', customer_authors text[] DEFAULT '{customer}',
        agent_authors text[] DEFAULT '{agent}', public_column name DEFAULT NULL) RETURNS void
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.attach_activity(regclass, regclass, name, name, name, text[], text[], name) IS
    'Let the SLA clocks of an attached table read its messages from the application''s activity table, which the caller owns: triggers keep them';

-- sla.attach_activity, as the extension's owner for "caller".
CREATE FUNCTION sla_private.attach_activity(caller oid, tickets regclass, activity regclass,
        ticket_column name, at_column name, author_column name, customer_authors text[],
        agent_authors text[], public_column name) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    x @extschema@.activities;
BEGIN
    IF tickets IS NULL OR activity IS NULL THEN
        RAISE EXCEPTION 'tickets and activity must not be NULL' USING ERRCODE = '22004';
    END IF;
    a := sla_private.attachment_of(tickets);
    PERFORM sla_private.check_owner(caller, tickets);
    PERFORM sla_private.check_owner(caller, activity);
    IF sla_private.is_distributed(a) OR (sla_private.distribution(activity)).method IS NOT NULL THEN
        RAISE EXCEPTION 'sla cannot attach an activity table on Citus yet' USING ERRCODE = '0A000',
            DETAIL = format('%s or %s is a table that Citus holds.', tickets, activity);
    END IF;
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = activity) NOT IN ('r', 'p')
       OR (SELECT c.relispartition FROM pg_class c WHERE c.oid = activity) THEN
        RAISE EXCEPTION '% is not a table or is a partition', activity USING ERRCODE = '42809',
            HINT = 'Attach a plain or partitioned table (a partitioned one at its top).';
    END IF;
    IF EXISTS (SELECT 1 FROM @extschema@.activities y WHERE y.attachment = a.id) THEN
        RAISE EXCEPTION 'table % already has an activity table attached', tickets
            USING ERRCODE = '42710', HINT = 'Detach it first with sla.detach_activity().';
    END IF;
    x.attachment := a.id;
    x.activity := activity;
    x.ticket_column := sla_private.check_column(activity, ticket_column, 'ticket', NULL);
    PERFORM sla_private.check_ticket_column(a, activity, ticket_column);
    x.at_column := sla_private.check_column(activity, at_column, 'at', 'timestamptz');
    x.author_column := sla_private.check_column(activity, author_column, 'author', NULL);
    x.public_column := CASE WHEN public_column IS NOT NULL
                            THEN sla_private.check_column(activity, public_column, 'public', 'boolean') END;
    x.column_names := sla_private.activity_column_names(x);
    x.customer_authors := coalesce(customer_authors, '{}');
    x.agent_authors := coalesce(agent_authors, '{}');
    IF x.customer_authors && x.agent_authors THEN
        RAISE EXCEPTION 'an author cannot be both a customer and an agent' USING ERRCODE = '22023',
            DETAIL = format('Both lists name %s.', (SELECT string_agg(u, ', ') FROM unnest(x.customer_authors) u
                                                     WHERE u = ANY (x.agent_authors)));
    END IF;
    INSERT INTO @extschema@.activities VALUES (x.*) RETURNING * INTO x;
    -- the triggers first, then the rows already there
    PERFORM sla_private.follow_activity_tree(x);
END $$;

CREATE FUNCTION @extschema@.detach_activity(tickets regclass) RETURNS void
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.detach_activity(regclass) IS
    'Stop reading messages for an attached table: drop the activity table''s triggers and forget the messages';

-- sla.detach_activity, as the extension's owner for "caller".
CREATE FUNCTION sla_private.detach_activity(caller oid, tickets regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_of(tickets);
BEGIN
    PERFORM sla_private.check_owner(caller, tickets);
    IF NOT EXISTS (SELECT 1 FROM @extschema@.activities y WHERE y.attachment = a.id) THEN
        RAISE EXCEPTION 'table % has no activity table attached', tickets USING ERRCODE = '55000';
    END IF;
    PERFORM sla_private.forget_activity(a);
END $$;

-- Drop an attachment's activity triggers and messages (by sla.detach too).
CREATE FUNCTION sla_private.forget_activity(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    x @extschema@.activities;
    rel regclass;
BEGIN
    SELECT * INTO x FROM @extschema@.activities y WHERE y.attachment = a.id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    DELETE FROM @extschema@.activities WHERE attachment = a.id;
    IF EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = x.activity) THEN
        FOR rel IN SELECT sla_private.tree(x.activity) LOOP
            PERFORM sla_private.drop_statement_triggers(rel, 'sla_private.track_activity()');
        END LOOP;
    END IF;
    EXECUTE format('TRUNCATE sla_state.messages_%s', a.id);
END $$;
