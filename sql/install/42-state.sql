/* sql/install/42-state.sql: each attachment's own state tables, and the views that show them to whoever may read the tickets (part of the install script, see Makefile) */

-- Per attachment n, owned by the extension's owner, in schema sla_state:
--   changes_<n>  what the tracking triggers record: tickets inserted, status
--                changes, other updates (touches); appended only, without
--                indexes, so that a change costs one row; folded into
--                history_<n> and state_<n> by the sweep (fold_changes)
--   state_<n>    one row per ticket, as of the last fold: current status,
--                since when, paused ranges, resolved ranges, times
--                reopened, and the next instant the sweep must look at it
--   history_<n>  every status change folded
--   events_<n>   at-risk and breach crossings recorded by the sweep
--   stops_<n>    the earlier stops of metrics stopped by a column and
--                counted per cycle: each time the column went back to
--                NULL, its value until then and the instant it was cleared
--                (written by the tracking triggers)
--   teams_<n>    the owning team of each ticket (team_column) over time:
--                its team at creation, then each change with the instant
--                it counts from, as for status changes (written by the
--                tracking triggers)
--   messages_<n> the customer and agent messages of each ticket, one row
--                per ticket with their instants and authors in order (at
--                equal instants the customer's first): what the activity
--                table attached to it (sla.attach_activity) holds, kept so
--                by its triggers (a ticket's deletion or new id changes
--                nothing here)
-- Readers see the state with the changes not folded yet (state_sql).
-- The ticket id keeps the id column's own (base) type.  Only the extension
-- writes them; PUBLIC may SELECT them, and row-level security shows exactly
-- the rows of tickets the reader can SELECT from the ticket table (its
-- grants and its row-level security).
CREATE SEQUENCE @extschema@.event_id_seq;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.event_id_seq', '');

-- The base type of the id column, checked: a built-in type with a default
-- btree operator class, so that the state's keys compare with PostgreSQL's
-- own functions, never with code of the table's owner.
CREATE FUNCTION sla_private.id_type(tickets regclass, attnum smallint) RETURNS regtype
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    declared oid;
    base oid;
BEGIN
    SELECT a.atttypid INTO declared FROM pg_attribute a WHERE a.attrelid = tickets AND a.attnum = id_type.attnum;
    base := declared;
    WHILE (SELECT t.typtype = 'd' FROM pg_type t WHERE t.oid = base) LOOP
        base := (SELECT t.typbasetype FROM pg_type t WHERE t.oid = base);
    END LOOP;
    IF base >= 16384 OR (SELECT t.typcategory = 'A' OR t.typtype <> 'b' FROM pg_type t WHERE t.oid = base)
       OR NOT EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am m ON m.oid = o.opcmethod
                       WHERE m.amname = 'btree' AND o.opcintype = base AND o.opcdefault) THEN
        RAISE EXCEPTION 'the id column of % is of type %, which sla cannot key its state by', tickets, declared::regtype
            USING ERRCODE = '42804',
                  DETAIL = 'Ticket ids must be of a built-in scalar type with a btree ordering (or a domain over one), such as integer, bigint, text or uuid.';
    END IF;
    RETURN base;
END $$;

-- Whether the reader can SELECT the ticket of a state row: the SELECT policy
-- of every state table.  When the ticket table has row-level security, the
-- reader's query of it (its policies run as the reader, as when the reader
-- selects from it); else its SELECT privilege, so that reading SLA state
-- runs nothing of the table's owner.
CREATE FUNCTION sla_private.visible_ticket_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN c.relrowsecurity
                THEN format('EXISTS (SELECT 1 FROM %s t WHERE t.%I OPERATOR(pg_catalog.=) ticket_id)',
                            a.tickets, sla_private.column_name(a.tickets, a.id_column))
                ELSE format('pg_catalog.has_table_privilege(%L::pg_catalog.regclass, ''SELECT'')', a.tickets)
           END
      FROM pg_class c WHERE c.oid = a.tickets
$$;

-- The kinds of state table each attachment has (sla_state.<kind>_<n>).
CREATE FUNCTION sla_private.state_kinds() RETURNS text[]
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT ARRAY['state', 'history', 'changes', 'events', 'stops', 'messages', 'teams']
$$;

CREATE FUNCTION sla_private.create_state(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    id_type text := format_type(sla_private.id_type(a.tickets, a.id_column), NULL);
    kind text;
BEGIN
    EXECUTE format($t$CREATE TABLE sla_state.state_%1$s (
        ticket_id %2$s PRIMARY KEY,
        status text,
        status_since timestamptz NOT NULL,
        paused tstzmultirange NOT NULL DEFAULT '{}',
        resolved tstzmultirange NOT NULL DEFAULT '{}',
        reopened integer NOT NULL DEFAULT 0,
        next_check timestamptz NOT NULL DEFAULT '-infinity')$t$, a.id, id_type);
    EXECUTE format('CREATE INDEX state_%1$s_next_check ON sla_state.state_%1$s (next_check)', a.id);
    EXECUTE format($t$CREATE TABLE sla_state.history_%1$s (
        id bigint GENERATED ALWAYS AS IDENTITY,
        ticket_id %2$s NOT NULL,
        changed_at timestamptz NOT NULL,
        status text)$t$, a.id, id_type);
    EXECUTE format('CREATE INDEX history_%1$s_ticket ON sla_state.history_%1$s (ticket_id, changed_at, id)', a.id);
    -- a change keeps its number in the history (its order among the ticket's changes)
    EXECUTE format($t$CREATE TABLE sla_state.changes_%1$s (
        id bigint NOT NULL DEFAULT pg_catalog.nextval(%3$L),
        ticket_id %2$s NOT NULL,
        at timestamptz NOT NULL,          -- creation, or the changing transaction's start
        status text,
        kind "char" NOT NULL)             -- i: inserted, u: status changed, t: touched$t$,
        a.id, id_type, pg_get_serial_sequence(format('sla_state.history_%s', a.id), 'id'));
    EXECUTE format($t$CREATE TABLE sla_state.events_%1$s (
        id bigint PRIMARY KEY DEFAULT pg_catalog.nextval('@extschema@.event_id_seq'),
        ticket_id %2$s NOT NULL,
        metric text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('at_risk', 'breached')),
        level float8 NOT NULL,            -- the fraction of the target crossed: an alert level, 1 for a breach
        happened_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
        cycle integer NOT NULL DEFAULT 1, -- the metric's cycle (1 but for "cycles": "each")
        UNIQUE (ticket_id, metric, cycle, kind, level))$t$, a.id, id_type);
    EXECUTE format($t$CREATE TABLE sla_state.stops_%1$s (
        ticket_id %2$s NOT NULL,
        metric text NOT NULL,
        stopped_at timestamptz NOT NULL,  -- the stop column's value before it was cleared
        cleared_at timestamptz NOT NULL)  -- the clearing transaction's start: the next cycle's start$t$, a.id, id_type);
    EXECUTE format('CREATE INDEX stops_%1$s_ticket ON sla_state.stops_%1$s (ticket_id)', a.id);
    EXECUTE format($t$CREATE TABLE sla_state.teams_%1$s (
        id bigint GENERATED ALWAYS AS IDENTITY,  -- orders changes of one instant
        ticket_id %2$s NOT NULL,
        changed_at timestamptz NOT NULL,
        team text)                        -- NULL: no team from then on$t$, a.id, id_type);
    EXECUTE format('CREATE INDEX teams_%1$s_ticket ON sla_state.teams_%1$s (ticket_id, changed_at)', a.id);
    EXECUTE format($t$CREATE TABLE sla_state.messages_%1$s (
        ticket_id %2$s PRIMARY KEY,
        at timestamptz[] NOT NULL,
        author "char"[] NOT NULL CHECK (author OPERATOR(pg_catalog.<@) '{c,a}'),  -- c: the customer, a: an agent
        CHECK (pg_catalog.cardinality(at) OPERATOR(pg_catalog.=) pg_catalog.cardinality(author)))$t$, a.id, id_type);
    FOREACH kind IN ARRAY sla_private.state_kinds() LOOP
        EXECUTE format('ALTER TABLE sla_state.%s_%s ENABLE ROW LEVEL SECURITY', kind, a.id);
        EXECUTE format('CREATE POLICY visible ON sla_state.%s_%s FOR SELECT USING (%s)',
                       kind, a.id, sla_private.visible_ticket_sql(a));
        EXECUTE format('GRANT SELECT ON sla_state.%s_%s TO PUBLIC', kind, a.id);
        EXECUTE format('COMMENT ON TABLE sla_state.%s_%s IS %L', kind, a.id,
                       format('SLA %s of the tickets of %s (written only by the sla extension)', kind, a.tickets));
    END LOOP;
END $$;

-- Make the state tables' policy follow the ticket table's row-level
-- security (turned on or off since).
CREATE FUNCTION sla_private.follow_row_security(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind text;
BEGIN
    FOREACH kind IN ARRAY sla_private.state_kinds() LOOP
        EXECUTE format('ALTER POLICY visible ON sla_state.%s_%s USING (%s)', kind, a.id, sla_private.visible_ticket_sql(a));
    END LOOP;
END $$;

CREATE FUNCTION sla_private.drop_state(attachment integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE (SELECT 'DROP TABLE IF EXISTS ' || string_agg(format('sla_state.%s_%s', k, attachment), ', ')
               FROM unnest(sla_private.state_kinds()) k);
END $$;

-- The lock on an attachment's state (of one shard group, on a worker
-- working on one: sla_private.current_shard): folding changes takes it
-- exclusive, forgetting or renaming tickets shared, so that a fold never
-- brings back the state of a ticket deleted meanwhile.
CREATE FUNCTION sla_private.lock_state(attachment integer, exclusive boolean) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF exclusive THEN
        PERFORM pg_advisory_xact_lock(sla_private.state_lock(), attachment);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(sla_private.state_lock(), attachment);
    END IF;
END $$;

-- The first key of the advisory locks on attachments' state (the second
-- is the attachment's number).
CREATE FUNCTION sla_private.state_lock() RETURNS integer
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT hashtext('sla.state' || coalesce(':' || sla_private.current_shard()::text, ''))
$$;

-- The changes "source" (a relation with changes_<n>'s columns) as a ticket's sequence
-- of statuses, as SQL: per ticket in "source", its folded state as a
-- first row (id 0, kind 'f', with its paused and resolved ranges and times
-- reopened),
-- then its changes in order, each with the instant it counts from: an
-- insertion its creation, a status change the transaction's start but
-- never before the ticket's last recorded change.
CREATE FUNCTION sla_private.sequence_sql(a @extschema@.attachments, source text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format($q$
SELECT q.ticket_id, q.id, q.kind, q.status, q.paused, q.resolved, q.reopened,
       CASE WHEN q.kind = 'i' THEN q.at
            ELSE max(q.at) FILTER (WHERE q.kind <> 't') OVER (PARTITION BY q.ticket_id ORDER BY q.id) END AS changed_at
  FROM (SELECT s.ticket_id, 0::bigint AS id, 'f'::"char" AS kind, s.status, s.status_since AS at, s.paused, s.resolved,
               s.reopened
          FROM sla_state.state_%1$s s WHERE s.ticket_id IN (SELECT c.ticket_id FROM %2$s c)
        UNION ALL
        SELECT c.ticket_id, c.id, c.kind, c.status, c.at, NULL::tstzmultirange AS paused, NULL::tstzmultirange AS resolved,
               NULL::integer AS reopened
          FROM %2$s c) q$q$, a.id, source)
$$;

-- The ranges of a ticket's sequence "m" (merged_sql) in one of the
-- statuses, kept in the state's column "ranges": the folded ones up to the
-- folded status' start, then those of the changes from there on.
CREATE FUNCTION sla_private.merged_ranges_sql(ranges name, statuses text[]) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format($e$coalesce((array_agg(m.%1$I) FILTER (WHERE m.id = 0))[1]
                  OPERATOR(pg_catalog.-) tstzmultirange(tstzrange(min(m.changed_at) FILTER (WHERE m.id = 0), NULL)), '{}')
         OPERATOR(pg_catalog.+) coalesce(@extschema@.pauses(m.changed_at, m.status = ANY (%2$L::text[]) ORDER BY m.id), '{}')$e$,
        ranges, statuses)
$$;

-- The state of each ticket of a sequence (a relation, or a parenthesized
-- sequence_sql) after its changes,
-- as SQL giving (ticket_id, status, status_since, paused, resolved,
-- reopened): the folded paused (resolved) ranges up to the folded status'
-- start, then the ranges in a paused (resolved) status from there on;
-- status changes to NULL count only in the history, as they did when
-- recorded one by one.
CREATE FUNCTION sla_private.merged_sql(a @extschema@.attachments, sequence text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format($q$
SELECT m.ticket_id,
       (array_agg(m.status ORDER BY m.id DESC))[1] AS status,
       (array_agg(m.changed_at ORDER BY m.id DESC))[1] AS status_since,
       %1$s AS paused,
       %2$s AS resolved,
       (coalesce(max(m.reopened), 0)
        + count(*) FILTER (WHERE m.id > 0 AND m.previous = ANY (%3$L::text[]) AND NOT m.status = ANY (%3$L::text[])))::integer
         AS reopened
  FROM (SELECT k.*, lag(k.status) OVER (PARTITION BY k.ticket_id ORDER BY k.id) AS previous
          FROM %4$s k WHERE k.kind <> 't' AND (k.status IS NOT NULL OR k.id = 0)) m
 GROUP BY m.ticket_id$q$,
        sla_private.merged_ranges_sql('paused', a.paused_statuses), sla_private.merged_ranges_sql('resolved', a.resolved_statuses),
        a.resolved_statuses, sequence)
$$;

-- The state of every ticket of an attachment as readers see it, as SQL
-- giving (ticket_id, status, status_since, paused, resolved, reopened,
-- next_check):
-- the folded state, with the changes not folded yet applied (such a ticket
-- is due for the sweep: next_check -infinity).
CREATE FUNCTION sla_private.state_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format($q$
SELECT s.ticket_id, s.status, s.status_since, s.paused, s.resolved, s.reopened, s.next_check
  FROM sla_state.state_%1$s s
 WHERE NOT EXISTS (SELECT 1 FROM sla_state.changes_%1$s c WHERE c.ticket_id = s.ticket_id)
UNION ALL
SELECT m.ticket_id, m.status, m.status_since, m.paused, m.resolved, m.reopened, '-infinity'::timestamptz
  FROM (%2$s) m$q$, a.id, sla_private.merged_sql(a, format('(%s)', sla_private.sequence_sql(a, format('sla_state.changes_%s', a.id)))))
$$;

-- Every status change of an attachment's tickets as readers see it, as SQL
-- giving (id, ticket_id, changed_at, status): the history with the changes
-- not folded yet (skipped at once when there are none; not so for a
-- distributed attachment, where Citus runs on the shards only what is
-- joined by the ticket).
CREATE FUNCTION sla_private.history_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format($q$
SELECT h.id, h.ticket_id, h.changed_at, h.status FROM sla_state.history_%1$s h
UNION ALL
SELECT k.id, k.ticket_id, k.changed_at, k.status FROM (%2$s) k
 WHERE k.kind IN ('i', 'u')%3$s$q$,
        a.id, sla_private.sequence_sql(a, format('sla_state.changes_%s', a.id)),
        CASE WHEN NOT sla_private.is_distributed(a) THEN format(' AND EXISTS (SELECT FROM sla_state.changes_%s)', a.id) END)
$$;

-- A ticket's statuses over time, as SQL over history_sql: the changes to a
-- status (those to NULL count only in the history, as for the state).
CREATE FUNCTION sla_private.status_timeline_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('SELECT * FROM (%s) h WHERE h.status IS NOT NULL', sla_private.history_sql(a))
$$;

-- Fold the changes recorded so far into the history and the state (their
-- tickets are due for the sweep).  A ticket inserted again under an id
-- with state (a table whose ids are not unique) is rebuilt from its whole
-- history.
CREATE FUNCTION sla_private.fold_changes(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rebuild text[];
BEGIN
    IF sla_private.is_distributed(a) AND sla_private.current_shard() IS NULL THEN
        PERFORM sla_private.on_shards(a, 'fold', NULL, NULL);
        RETURN;
    END IF;
    PERFORM sla_private.lock_state(a.id, true);
    EXECUTE sla_private.on_state(a.id, format($q$
WITH c AS (DELETE FROM sla_state.changes_%1$s c RETURNING c.*),
k AS (%2$s),
h AS (INSERT INTO sla_state.history_%1$s (id, ticket_id, changed_at, status) OVERRIDING SYSTEM VALUE
      SELECT k.id, k.ticket_id, k.changed_at, k.status FROM k WHERE k.kind IN ('i', 'u')),
m AS (%3$s),
s AS (INSERT INTO sla_state.state_%1$s AS s (ticket_id, status, status_since, paused, resolved, reopened)
      SELECT m.ticket_id, m.status, m.status_since, m.paused, m.resolved, m.reopened FROM m WHERE m.status_since IS NOT NULL
      ON CONFLICT (ticket_id) DO UPDATE
         SET status = EXCLUDED.status, status_since = EXCLUDED.status_since, paused = EXCLUDED.paused,
             resolved = EXCLUDED.resolved, reopened = EXCLUDED.reopened, next_check = '-infinity')
SELECT array_agg(DISTINCT k.ticket_id::text) FROM k
 WHERE k.kind = 'i' AND EXISTS (SELECT 1 FROM k f WHERE f.ticket_id = k.ticket_id AND f.id = 0)$q$,
        a.id, sla_private.sequence_sql(a, 'c'), sla_private.merged_sql(a, 'k')))
        INTO rebuild;
    IF rebuild IS NOT NULL THEN
        EXECUTE format('SELECT sla_private.refresh_ticket(%s, r::%s) FROM unnest($1) r',
                       a.id, format_type(sla_private.id_type(a.tickets, a.id_column), NULL))
            USING rebuild;
    END IF;
END $$;

-- Recompute a ticket's state from its whole history (changes imported out
-- of order, a ticket inserted after its history was imported).
CREATE FUNCTION sla_private.refresh_ticket(attachment integer, ticket_id anyelement) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
BEGIN
    SELECT * INTO STRICT a FROM @extschema@.attachments x WHERE x.id = attachment;
    EXECUTE sla_private.on_state(attachment, format($q$
INSERT INTO sla_state.state_%1$s AS s (ticket_id, status, status_since, paused, resolved, reopened)
SELECT $1, c.status, coalesce(c.since, c.first, now()), coalesce(c.paused, '{}'), coalesce(c.resolved, '{}'), c.reopened
  FROM (SELECT @extschema@.pauses(o.changed_at, o.status = ANY ($2) ORDER BY o.changed_at, o.id)
                 FILTER (WHERE o.status IS NOT NULL) AS paused,
               @extschema@.pauses(o.changed_at, o.status = ANY ($3) ORDER BY o.changed_at, o.id)
                 FILTER (WHERE o.status IS NOT NULL) AS resolved,
               count(*) FILTER (WHERE o.previous = ANY ($3) AND NOT o.status = ANY ($3)) AS reopened,
               (array_agg(o.status ORDER BY o.changed_at DESC, o.id DESC) FILTER (WHERE o.status IS NOT NULL))[1] AS status,
               max(o.changed_at) FILTER (WHERE o.status IS NOT NULL AND o.previous IS DISTINCT FROM o.status) AS since,
               min(o.changed_at) AS first
          FROM (SELECT h.id, h.changed_at, h.status,
                       lag(h.status) OVER (ORDER BY h.changed_at, h.id) AS previous
                  FROM sla_state.history_%1$s h
                 WHERE h.ticket_id = $1 AND h.status IS NOT NULL) o) c
ON CONFLICT (ticket_id) DO UPDATE
   SET status = EXCLUDED.status, status_since = EXCLUDED.status_since, paused = EXCLUDED.paused,
       resolved = EXCLUDED.resolved, reopened = EXCLUDED.reopened, next_check = '-infinity'$q$, attachment))
    USING ticket_id, a.paused_statuses, a.resolved_statuses;
END $$;

-- The rows of one kind of state table ('events', 'history', 'state') of
-- every attachment whose ticket table the caller may read, with the table
-- and the ticket id as text; row-level security on each state table leaves
-- the rows of the tickets the caller can see.  The views below use it.
CREATE FUNCTION sla_private.visible(kind text) RETURNS SETOF record
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    columns text := CASE kind
        WHEN 'events' THEN 'x.id, %1$L::regclass, x.ticket_id::text, x.metric, x.kind, x.level, x.happened_at, x.recorded_at, x.cycle'
        WHEN 'history' THEN 'x.id, %1$L::regclass, x.ticket_id::text, x.changed_at, x.status'
        WHEN 'state' THEN '%1$L::regclass, x.ticket_id::text, x.status, x.status_since, x.paused, x.reopened, x.next_check'
    END;
    source text;
BEGIN
    FOR a IN SELECT x.* FROM @extschema@.attachments x
              WHERE coalesce(has_table_privilege(x.tickets, 'SELECT'), false) ORDER BY x.id LOOP
        source := CASE kind
            WHEN 'events' THEN format('sla_state.events_%s', a.id)
            WHEN 'history' THEN format('(%s)', sla_private.history_sql(a))
            WHEN 'state' THEN format('(%s)', sla_private.state_sql(a))
        END;
        -- the table's column outside what Citus may run on the workers,
        -- where its name means another relation
        RETURN QUERY EXECUTE format('SELECT ' || columns || ' FROM (SELECT * FROM %2$s s OFFSET 0) x', a.tickets, source);
    END LOOP;
END $$;

CREATE VIEW @extschema@.events AS
SELECT * FROM sla_private.visible('events')
    AS e(id bigint, tickets regclass, ticket_id text, metric text, kind text, level float8,
         happened_at timestamptz, recorded_at timestamptz, cycle integer);
COMMENT ON VIEW @extschema@.events IS
    'At-risk crossings (one per alert level) and breaches recorded by sla.sweep, each once per metric cycle, of the tickets the reader may SELECT';
CREATE VIEW @extschema@.status_history AS
SELECT * FROM sla_private.visible('history')
    AS h(id bigint, tickets regclass, ticket_id text, changed_at timestamptz, status text);
COMMENT ON VIEW @extschema@.status_history IS
    'Status changes of attached tickets the reader may SELECT, recorded by the triggers or sla.record_status';
CREATE VIEW @extschema@.ticket_state AS
SELECT * FROM sla_private.visible('state')
    AS s(tickets regclass, ticket_id text, status text, status_since timestamptz, paused tstzmultirange,
         reopened integer, next_check timestamptz);
COMMENT ON VIEW @extschema@.ticket_state IS
    'Per ticket the reader may SELECT: current status, paused ranges so far, times reopened, next instant the sweep looks at it';
GRANT SELECT ON @extschema@.events, @extschema@.status_history, @extschema@.ticket_state TO PUBLIC;
