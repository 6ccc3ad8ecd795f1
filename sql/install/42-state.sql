/* sql/install/42-state.sql: each attachment's own state tables, and the views that show them to whoever may read the tickets (part of the install script, see Makefile) */

-- Per attachment n, owned by the extension's owner, in schema sla_state:
--   state_<n>    one row per ticket: current status, since when, paused ranges,
--                times reopened, and the next instant the sweep must look at it
--   history_<n>  every status change
--   events_<n>   at-risk and breach crossings recorded by the sweep
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
        reopened integer NOT NULL DEFAULT 0,
        next_check timestamptz NOT NULL DEFAULT '-infinity',
        version bigint NOT NULL DEFAULT 0)$t$, a.id, id_type);
    EXECUTE format('CREATE INDEX state_%1$s_next_check ON sla_state.state_%1$s (next_check)', a.id);
    EXECUTE format($t$CREATE TABLE sla_state.history_%1$s (
        id bigint GENERATED ALWAYS AS IDENTITY,
        ticket_id %2$s NOT NULL,
        changed_at timestamptz NOT NULL,
        status text)$t$, a.id, id_type);
    EXECUTE format('CREATE INDEX history_%1$s_ticket ON sla_state.history_%1$s (ticket_id, changed_at, id)', a.id);
    EXECUTE format($t$CREATE TABLE sla_state.events_%1$s (
        id bigint PRIMARY KEY DEFAULT pg_catalog.nextval('@extschema@.event_id_seq'),
        ticket_id %2$s NOT NULL,
        metric text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('at_risk', 'breached')),
        level float8 NOT NULL,            -- the fraction of the target crossed: an alert level, 1 for a breach
        happened_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
        UNIQUE (ticket_id, metric, kind, level))$t$, a.id, id_type);
    FOREACH kind IN ARRAY ARRAY['state', 'history', 'events'] LOOP
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
    FOREACH kind IN ARRAY ARRAY['state', 'history', 'events'] LOOP
        EXECUTE format('ALTER POLICY visible ON sla_state.%s_%s USING (%s)', kind, a.id, sla_private.visible_ticket_sql(a));
    END LOOP;
END $$;

CREATE FUNCTION sla_private.drop_state(attachment integer) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS sla_state.state_%1$s, sla_state.history_%1$s, sla_state.events_%1$s',
                   attachment);
END $$;

-- Recompute a ticket's state from its whole history (changes imported out
-- of order, a ticket inserted after its history was imported).
CREATE FUNCTION sla_private.refresh_ticket(attachment integer, ticket_id anyelement) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
BEGIN
    SELECT * INTO STRICT a FROM @extschema@.attachments x WHERE x.id = attachment;
    EXECUTE format($q$
INSERT INTO sla_state.state_%1$s AS s (ticket_id, status, status_since, paused, reopened)
SELECT $1, c.status, coalesce(c.since, c.first, now()), coalesce(c.paused, '{}'), c.reopened
  FROM (SELECT @extschema@.pauses(o.changed_at, o.status = ANY ($2) ORDER BY o.changed_at, o.id)
                 FILTER (WHERE o.status IS NOT NULL) AS paused,
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
       reopened = EXCLUDED.reopened, next_check = '-infinity', version = s.version + 1$q$, attachment)
    USING ticket_id, a.paused_statuses, a.resolved_statuses;
END $$;

-- The rows of one kind of state table ('events', 'history', 'state') of
-- every attachment whose ticket table the caller may read, with the table
-- and the ticket id as text; row-level security on each state table leaves
-- the rows of the tickets the caller can see.  The views below use it.
CREATE FUNCTION sla_private.visible(kind text) RETURNS SETOF record
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a record;
    columns text := CASE kind
        WHEN 'events' THEN 'x.id, %1$L::regclass, x.ticket_id::text, x.metric, x.kind, x.level, x.happened_at, x.recorded_at'
        WHEN 'history' THEN 'x.id, %1$L::regclass, x.ticket_id::text, x.changed_at, x.status'
        WHEN 'state' THEN '%1$L::regclass, x.ticket_id::text, x.status, x.status_since, x.paused, x.reopened, x.next_check'
    END;
BEGIN
    FOR a IN SELECT x.id, x.tickets FROM @extschema@.attachments x
              WHERE coalesce(has_table_privilege(x.tickets, 'SELECT'), false) ORDER BY x.id LOOP
        RETURN QUERY EXECUTE format('SELECT ' || columns || ' FROM sla_state.%2$s_%3$s x', a.tickets, kind, a.id);
    END LOOP;
END $$;

CREATE VIEW @extschema@.events AS
SELECT * FROM sla_private.visible('events')
    AS e(id bigint, tickets regclass, ticket_id text, metric text, kind text, level float8,
         happened_at timestamptz, recorded_at timestamptz);
COMMENT ON VIEW @extschema@.events IS
    'At-risk crossings (one per alert level) and breaches recorded by sla.sweep, each once, of the tickets the reader may SELECT';
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
