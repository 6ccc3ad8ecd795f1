/* sql/install/1-engine.sql: part of the sla extension's install script (see Makefile) */

\echo Use "CREATE EXTENSION sla" to load this file. \quit

-- Every role may use the extension's types and functions (PUBLIC may execute
-- functions by default); the grants on its tables are in 3-helpdesk.sql.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- The calendar type -------------------------------------------------------

CREATE TYPE @extschema@.calendar;

CREATE FUNCTION @extschema@.calendar_in(cstring) RETURNS @extschema@.calendar
    AS 'MODULE_PATHNAME', 'calendar_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_out(@extschema@.calendar) RETURNS cstring
    AS 'MODULE_PATHNAME', 'calendar_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_recv(internal) RETURNS @extschema@.calendar
    AS 'MODULE_PATHNAME', 'calendar_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_send(@extschema@.calendar) RETURNS bytea
    AS 'MODULE_PATHNAME', 'calendar_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.calendar (
    INPUT = @extschema@.calendar_in,
    OUTPUT = @extschema@.calendar_out,
    RECEIVE = @extschema@.calendar_recv,
    SEND = @extschema@.calendar_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.calendar IS
    'Business calendar: time zone, opening_hours-style weekly rules and dated exceptions, holidays';

CREATE FUNCTION @extschema@.calendar(rules text, zone text DEFAULT 'UTC', holidays date[] DEFAULT '{}')
    RETURNS @extschema@.calendar
    AS 'MODULE_PATHNAME', 'calendar_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.calendar(text, text, date[]) IS
    'Build a calendar from opening_hours-style rules, an IANA zone and holidays (selected by PH)';

CREATE FUNCTION @extschema@.calendar_eq(@extschema@.calendar, @extschema@.calendar) RETURNS boolean
    AS 'MODULE_PATHNAME', 'calendar_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_ne(@extschema@.calendar, @extschema@.calendar) RETURNS boolean
    AS 'MODULE_PATHNAME', 'calendar_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_hash(@extschema@.calendar) RETURNS integer
    AS 'MODULE_PATHNAME', 'calendar_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.calendar, RIGHTARG = @extschema@.calendar,
    FUNCTION = @extschema@.calendar_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.calendar, RIGHTARG = @extschema@.calendar,
    FUNCTION = @extschema@.calendar_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS @extschema@.calendar_hash_ops
    DEFAULT FOR TYPE @extschema@.calendar USING hash AS
    OPERATOR 1 @extschema@.= (@extschema@.calendar, @extschema@.calendar),
    FUNCTION 1 @extschema@.calendar_hash(@extschema@.calendar);

-- Business time -----------------------------------------------------------
-- Not declared STRICT: a NULL "paused" means no pauses; a NULL in any other
-- argument gives NULL.

CREATE FUNCTION @extschema@.business_time(since timestamptz, until timestamptz,
        cal @extschema@.calendar, paused tstzmultirange DEFAULT '{}')
    RETURNS interval
    AS 'MODULE_PATHNAME', 'business_time' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.business_time(timestamptz, timestamptz, @extschema@.calendar, tstzmultirange) IS
    'Open time of the calendar in [since, until) minus the paused ranges; negative when until < since';

CREATE FUNCTION @extschema@.business_add(start timestamptz, amount interval,
        cal @extschema@.calendar, paused tstzmultirange DEFAULT '{}')
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'business_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.business_add(timestamptz, interval, @extschema@.calendar, tstzmultirange) IS
    'Instant at which the amount of business time after (or, when negative, before) start is reached';

CREATE FUNCTION @extschema@.is_open(at timestamptz, cal @extschema@.calendar) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_open' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_open(timestamptz, @extschema@.calendar) IS
    'Whether the calendar is open at the instant';

CREATE FUNCTION @extschema@.next_open(at timestamptz, cal @extschema@.calendar) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'next_open' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.next_open(timestamptz, @extschema@.calendar) IS
    'The instant itself when open, else the next opening; infinity when it never opens again';

CREATE FUNCTION @extschema@.next_close(at timestamptz, cal @extschema@.calendar) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'next_close' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.next_close(timestamptz, @extschema@.calendar) IS
    'The instant itself when closed, else the end of the current open span; infinity when it never closes';

CREATE FUNCTION @extschema@.open_windows(during tstzrange, cal @extschema@.calendar) RETURNS tstzmultirange
    AS 'MODULE_PATHNAME', 'open_windows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_windows(tstzrange, @extschema@.calendar) IS
    'The open time of the calendar inside the range';
/* sql/install/2-clocks.sql: part of the sla extension's install script (see Makefile) */

-- SLA clocks ----------------------------------------------------------------

CREATE TYPE @extschema@.state AS ENUM ('running', 'at_risk', 'paused', 'met', 'breached');
COMMENT ON TYPE @extschema@.state IS 'Where an SLA clock stands';

CREATE TYPE @extschema@.result AS (
    state @extschema@.state,
    due_at timestamptz,
    elapsed interval,
    remaining interval,
    used float8
);
COMMENT ON TYPE @extschema@.result IS
    'One SLA clock: its state, deadline, business time used and left, and the fraction used';

-- Not STRICT: NULL started_at, target or cal give NULL; NULL stopped_at means
-- still running; NULL paused means no pauses; NULL warn_at never warns.
CREATE FUNCTION @extschema@.evaluate(started_at timestamptz, target interval, cal @extschema@.calendar,
        stopped_at timestamptz DEFAULT NULL, paused tstzmultirange DEFAULT '{}',
        as_of timestamptz DEFAULT now(), warn_at float8 DEFAULT 0.75)
    RETURNS @extschema@.result
    AS 'MODULE_PATHNAME', 'evaluate' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.evaluate(timestamptz, interval, @extschema@.calendar, timestamptz, tstzmultirange, timestamptz, float8) IS
    'State, due time, elapsed and remaining business time of one SLA target, as of an instant or at its stop';

CREATE FUNCTION @extschema@.pauses_step(internal, timestamptz, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'pauses_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_final(internal) RETURNS tstzmultirange
    AS 'MODULE_PATHNAME', 'pauses_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.pauses(at timestamptz, paused boolean) (
    SFUNC = @extschema@.pauses_step,
    STYPE = internal,
    FINALFUNC = @extschema@.pauses_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.pauses(timestamptz, boolean) IS
    'Paused ranges of a status history: from a paused row after an unpaused one to the next unpaused row';
/* sql/install/3-helpdesk.sql: part of the sla extension's install script (see Makefile) */

-- Named calendars -------------------------------------------------------------
-- Configuration tables: pg_dump keeps their rows (pg_extension_config_dump).
-- Readable by everyone; only the extension's owner (or roles it grants
-- INSERT, UPDATE, DELETE to) may change them.

CREATE TABLE @extschema@.calendars (
    name text PRIMARY KEY,
    rules text NOT NULL,
    zone text NOT NULL DEFAULT 'UTC',
    -- the same validation, and the same errors, as sla.calendar()
    CONSTRAINT calendar_is_valid CHECK (@extschema@.calendar(rules, zone) IS NOT NULL)
);
COMMENT ON TABLE @extschema@.calendars IS 'Named business calendars: rules and zone; holidays in sla.holidays';

CREATE TABLE @extschema@.holidays (
    calendar text NOT NULL REFERENCES @extschema@.calendars ON UPDATE CASCADE ON DELETE CASCADE,
    day date NOT NULL,
    label text,
    PRIMARY KEY (calendar, day),
    CONSTRAINT holiday_is_valid CHECK (@extschema@.calendar('', 'UTC', ARRAY[day]) IS NOT NULL)
);
COMMENT ON TABLE @extschema@.holidays IS 'Holidays of named calendars, one row per date (selected by PH rules)';

-- Every named calendar as a value, holidays included.
CREATE VIEW @extschema@.calendar_values AS
SELECT c.name,
       @extschema@.calendar(c.rules, c.zone, coalesce(h.days, '{}')) AS cal
  FROM @extschema@.calendars c
  LEFT JOIN (SELECT calendar, pg_catalog.array_agg(day ORDER BY day) AS days
               FROM @extschema@.holidays GROUP BY calendar) h ON h.calendar OPERATOR(pg_catalog.=) c.name;

CREATE FUNCTION @extschema@.calendar_named(name text) RETURNS @extschema@.calendar
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result @extschema@.calendar;
BEGIN
    SELECT v.cal INTO result FROM @extschema@.calendar_values v WHERE v.name = calendar_named.name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar "%" does not exist', calendar_named.name
            USING ERRCODE = '22023', HINT = 'Named calendars are the rows of sla.calendars.';
    END IF;
    RETURN result;
END $$;
COMMENT ON FUNCTION @extschema@.calendar_named(text) IS 'The named calendar of sla.calendars with its holidays, as a value';

-- Policies --------------------------------------------------------------------

CREATE TABLE @extschema@.policies (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    metric text NOT NULL,
    priority text,
    service text,
    customer text,
    target interval NOT NULL,
    calendar text NOT NULL REFERENCES @extschema@.calendars ON UPDATE CASCADE,
    warn_at float8 NOT NULL DEFAULT 0.75,
    valid tstzrange NOT NULL DEFAULT '(,)',
    CONSTRAINT target_is_positive CHECK (target OPERATOR(pg_catalog.>) interval '0'),
    CONSTRAINT target_has_no_months CHECK (pg_catalog.date_part('month', target) OPERATOR(pg_catalog.=) 0
                                           AND pg_catalog.date_part('year', target) OPERATOR(pg_catalog.=) 0),
    CONSTRAINT warn_at_is_a_fraction CHECK (warn_at OPERATOR(pg_catalog.>) 0 AND warn_at OPERATOR(pg_catalog.<=) 1),
    CONSTRAINT valid_is_not_empty CHECK (NOT pg_catalog.isempty(valid))
);
COMMENT ON TABLE @extschema@.policies IS
    'SLA targets per metric; NULL priority, service or customer match any; valid holds versions over time';

-- Two policies that would tie for some ticket: same metric, same match
-- columns, overlapping validity.  Refused when written, not at query time.
CREATE FUNCTION @extschema@.policies_refuse_ties() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    other record;
BEGIN
    -- writers of policies take turns, so two concurrent inserts cannot both pass
    PERFORM pg_advisory_xact_lock(hashtext('sla.policies'));
    SELECT p.id, p.name INTO other
      FROM @extschema@.policies p
     WHERE p.id <> NEW.id AND p.metric = NEW.metric
       AND p.priority IS NOT DISTINCT FROM NEW.priority
       AND p.service IS NOT DISTINCT FROM NEW.service
       AND p.customer IS NOT DISTINCT FROM NEW.customer
       AND p.valid && NEW.valid
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'policy "%" ties with policy "%" (id %)', NEW.name, other.name, other.id
            USING ERRCODE = '23P01',
                  DETAIL = format('Both are for metric "%s" with the same priority, service and customer over overlapping validity, so neither is more specific.', NEW.metric),
                  HINT = 'Make their validity ranges adjacent, or match on another column.';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER refuse_ties BEFORE INSERT OR UPDATE ON @extschema@.policies
    FOR EACH ROW EXECUTE FUNCTION @extschema@.policies_refuse_ties();

-- The choice itself, in C (src/policy.c): reads the policies once per query.
CREATE FUNCTION @extschema@.policy_id_for(metric text, priority text, service text, customer text, at timestamptz)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'policy_id_for' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.policy_for(metric text, priority text, service text, customer text, at timestamptz)
    RETURNS @extschema@.policies
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT p.* FROM @extschema@.policies p
     WHERE p.id = @extschema@.policy_id_for($1, $2, $3, $4, $5)
$$;
COMMENT ON FUNCTION @extschema@.policy_for(text, text, text, text, timestamptz) IS
    'The policy for a metric and a ticket: in force at the instant, matching, most specific (customer > service > priority > any)';

-- Attached ticket tables --------------------------------------------------------
-- The owner of a ticket table may attach it; the state kept for its tickets
-- is readable and writable by whoever may read and write the ticket table
-- (row-level security), so the tracking triggers run as the invoker.

CREATE TABLE @extschema@.attachments (
    tickets regclass PRIMARY KEY,
    id_column name NOT NULL,
    created_column name NOT NULL,
    status_column name NOT NULL,
    paused_statuses text[] NOT NULL,
    resolved_statuses text[] NOT NULL,
    metrics jsonb NOT NULL,
    priority_column name,
    service_column name,
    customer_column name,
    view_name text NOT NULL
);
COMMENT ON TABLE @extschema@.attachments IS 'Ticket tables with SLA tracking (sla.attach), and how their columns are used';

CREATE TABLE @extschema@.status_history (
    id bigserial,               -- orders changes recorded at the same instant
    tickets regclass NOT NULL,
    ticket_id text NOT NULL,
    changed_at timestamptz NOT NULL,
    status text
);
CREATE INDEX status_history_ticket ON @extschema@.status_history (tickets, ticket_id, changed_at, id);
COMMENT ON TABLE @extschema@.status_history IS 'Status changes of attached tickets, recorded by the triggers or sla.record_status';

CREATE TABLE @extschema@.ticket_state (
    tickets regclass NOT NULL,
    ticket_id text NOT NULL,
    status text,
    status_since timestamptz NOT NULL,
    paused tstzmultirange NOT NULL DEFAULT '{}',
    reopened integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tickets, ticket_id)
);
COMMENT ON TABLE @extschema@.ticket_state IS
    'Per ticket: current status, paused ranges so far (the last one open while paused), times reopened';

CREATE TABLE @extschema@.events (
    id bigserial PRIMARY KEY,
    tickets regclass NOT NULL,
    ticket_id text NOT NULL,
    metric text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('at_risk', 'breached')),
    happened_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tickets, ticket_id, metric, kind)
);
COMMENT ON TABLE @extschema@.events IS 'At-risk and breach crossings found by sla.sweep, each once';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.calendars', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.holidays', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policies', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policies_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.attachments', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.status_history', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.status_history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ticket_state', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.events', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.events_id_seq', '');

GRANT SELECT ON @extschema@.calendars, @extschema@.holidays, @extschema@.calendar_values,
                @extschema@.policies TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON @extschema@.attachments, @extschema@.status_history,
                @extschema@.ticket_state, @extschema@.events TO PUBLIC;
GRANT USAGE ON SEQUENCE @extschema@.status_history_id_seq, @extschema@.events_id_seq TO PUBLIC;

ALTER TABLE @extschema@.attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY visible ON @extschema@.attachments FOR SELECT USING (true);
CREATE POLICY owner_writes ON @extschema@.attachments FOR ALL
    USING (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tickets), 'USAGE'))
    WITH CHECK (pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) tickets), 'USAGE'));
ALTER TABLE @extschema@.status_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.ticket_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE @extschema@.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY readers ON @extschema@.status_history FOR SELECT USING (pg_catalog.has_table_privilege(tickets, 'SELECT'));
CREATE POLICY writers ON @extschema@.status_history FOR ALL
    USING (pg_catalog.has_table_privilege(tickets, 'INSERT, UPDATE, DELETE, TRUNCATE'))
    WITH CHECK (pg_catalog.has_table_privilege(tickets, 'INSERT, UPDATE, DELETE, TRUNCATE'));
CREATE POLICY readers ON @extschema@.ticket_state FOR SELECT USING (pg_catalog.has_table_privilege(tickets, 'SELECT'));
CREATE POLICY writers ON @extschema@.ticket_state FOR ALL
    USING (pg_catalog.has_table_privilege(tickets, 'INSERT, UPDATE, DELETE, TRUNCATE'))
    WITH CHECK (pg_catalog.has_table_privilege(tickets, 'INSERT, UPDATE, DELETE, TRUNCATE'));
CREATE POLICY readers ON @extschema@.events FOR SELECT USING (pg_catalog.has_table_privilege(tickets, 'SELECT'));
CREATE POLICY writers ON @extschema@.events FOR ALL
    USING (pg_catalog.has_table_privilege(tickets, 'SELECT'))
    WITH CHECK (pg_catalog.has_table_privilege(tickets, 'SELECT'));

-- Recompute a ticket's state from its whole history (a new ticket, changes
-- out of order, backfill).  The tracking trigger (src/trigger.c) keeps the
-- state up to date incrementally and falls back to this.
CREATE FUNCTION @extschema@.refresh_ticket(tickets regclass, ticket_id text,
        paused_statuses text[], resolved_statuses text[]) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    computed record;
BEGIN
    SELECT @extschema@.pauses(o.changed_at, o.status = ANY (paused_statuses) ORDER BY o.changed_at, o.id) AS paused,
           count(*) FILTER (WHERE o.previous = ANY (resolved_statuses) AND NOT o.status = ANY (resolved_statuses)) AS reopened,
           (array_agg(o.status ORDER BY o.changed_at DESC, o.id DESC))[1] AS status,
           max(o.changed_at) FILTER (WHERE o.previous IS DISTINCT FROM o.status) AS since,
           count(*) AS changes
      INTO computed
      FROM (SELECT h.id, h.changed_at, h.status,
                   lag(h.status) OVER (ORDER BY h.changed_at, h.id) AS previous
              FROM @extschema@.status_history h
             WHERE h.tickets = refresh_ticket.tickets AND h.ticket_id = refresh_ticket.ticket_id
               AND h.status IS NOT NULL) o;
    IF computed.changes = 0 THEN
        DELETE FROM @extschema@.ticket_state s
         WHERE s.tickets = refresh_ticket.tickets AND s.ticket_id = refresh_ticket.ticket_id;
        RETURN;
    END IF;
    INSERT INTO @extschema@.ticket_state AS s (tickets, ticket_id, status, status_since, paused, reopened)
    VALUES (refresh_ticket.tickets, refresh_ticket.ticket_id, computed.status, computed.since,
            computed.paused, computed.reopened)
    ON CONFLICT ON CONSTRAINT ticket_state_pkey DO UPDATE
       SET status = EXCLUDED.status, status_since = EXCLUDED.status_since,
           paused = EXCLUDED.paused, reopened = EXCLUDED.reopened;
END $$;

-- The attachment of a ticket table, or an error when it is not attached.
CREATE FUNCTION @extschema@.attachment_of(tickets regclass) RETURNS @extschema@.attachments
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

CREATE FUNCTION @extschema@.record_status(tickets regclass, ticket_id text, at timestamptz, status text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := @extschema@.attachment_of(tickets);
BEGIN
    IF ticket_id IS NULL OR at IS NULL THEN
        RAISE EXCEPTION 'ticket_id and at must not be NULL' USING ERRCODE = '22004';
    END IF;
    INSERT INTO @extschema@.status_history (tickets, ticket_id, changed_at, status)
    VALUES (record_status.tickets, record_status.ticket_id, record_status.at, record_status.status);
    PERFORM @extschema@.refresh_ticket(tickets, ticket_id, a.paused_statuses, a.resolved_statuses);
END $$;
COMMENT ON FUNCTION @extschema@.record_status(regclass, text, timestamptz, text) IS
    'Import one status change of an attached ticket (backfill); changes may come in any order';

-- The row trigger of attached tables (src/trigger.c) and its helpers.
CREATE FUNCTION @extschema@.track_status() RETURNS trigger
    AS 'MODULE_PATHNAME', 'track_status' LANGUAGE C;
CREATE FUNCTION @extschema@.rename_ticket(tickets regclass, old_id text, new_id text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- parked under a key no ticket has (chr(1) first) until the statement ends,
    -- so that ids swapped or shifted in one statement never collide
    UPDATE @extschema@.status_history h SET ticket_id = chr(1) || new_id
     WHERE h.tickets = rename_ticket.tickets AND h.ticket_id = old_id;
    UPDATE @extschema@.ticket_state s SET ticket_id = chr(1) || new_id
     WHERE s.tickets = rename_ticket.tickets AND s.ticket_id = old_id;
    UPDATE @extschema@.events e SET ticket_id = chr(1) || new_id
     WHERE e.tickets = rename_ticket.tickets AND e.ticket_id = old_id;
END $$;

CREATE FUNCTION @extschema@.finish_renames() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE @extschema@.status_history h SET ticket_id = substr(h.ticket_id, 2)
     WHERE h.tickets = TG_RELID AND h.ticket_id LIKE chr(1) || '%';
    UPDATE @extschema@.ticket_state s SET ticket_id = substr(s.ticket_id, 2)
     WHERE s.tickets = TG_RELID AND s.ticket_id LIKE chr(1) || '%';
    UPDATE @extschema@.events e SET ticket_id = substr(e.ticket_id, 2)
     WHERE e.tickets = TG_RELID AND e.ticket_id LIKE chr(1) || '%';
    RETURN NULL;
END $$;

CREATE FUNCTION @extschema@.forget_ticket(tickets regclass, ticket_id text) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    DELETE FROM @extschema@.status_history h WHERE h.tickets = $1 AND h.ticket_id = $2;
    DELETE FROM @extschema@.ticket_state s WHERE s.tickets = $1 AND s.ticket_id = $2;
    DELETE FROM @extschema@.events e WHERE e.tickets = $1 AND e.ticket_id = $2;
$$;

CREATE FUNCTION @extschema@.forget_all_tickets() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM @extschema@.status_history h WHERE h.tickets = TG_RELID;
    DELETE FROM @extschema@.ticket_state s WHERE s.tickets = TG_RELID;
    DELETE FROM @extschema@.events e WHERE e.tickets = TG_RELID;
    RETURN NULL;
END $$;

-- The joins that give each metric of an attached table its policy (p<i>),
-- calendar (c<i>) and clock (e<i>.r, sla.result) as of the SQL expression
-- "as_of"; the ticket is "t", its state "s".  Metrics in name order.
CREATE FUNCTION @extschema@.clock_joins(a @extschema@.attachments, as_of text,
        OUT metric text, OUT i integer, OUT joins text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT m.key, (row_number() OVER (ORDER BY m.key))::integer, format($j$
  LEFT JOIN @extschema@.policies p%6$s
         ON p%6$s.id = @extschema@.policy_id_for(%1$L, %2$s, %3$s, %4$s, t.%5$I)
  LEFT JOIN @extschema@.calendar_values c%6$s ON c%6$s.name = p%6$s.calendar
  LEFT JOIN LATERAL (
      SELECT @extschema@.evaluate(t.%5$I, p%6$s.target, c%6$s.cal, t.%7$I, s.paused, %8$s, p%6$s.warn_at) AS r
      OFFSET 0) e%6$s ON true$j$,
        m.key,
        CASE WHEN a.priority_column IS NULL THEN 'NULL' ELSE format('t.%I::text', a.priority_column) END,
        CASE WHEN a.service_column IS NULL THEN 'NULL' ELSE format('t.%I::text', a.service_column) END,
        CASE WHEN a.customer_column IS NULL THEN 'NULL' ELSE format('t.%I::text', a.customer_column) END,
        a.created_column,
        row_number() OVER (ORDER BY m.key),
        m.value,
        as_of)
      FROM jsonb_each_text(a.metrics) m
$$;

-- The FROM clause shared by the SLA view and the sweep.
CREATE FUNCTION @extschema@.clock_from(a @extschema@.attachments, as_of text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('
  FROM %s t
  LEFT JOIN @extschema@.ticket_state s ON s.tickets = %L::regclass AND s.ticket_id = t.%I::text', a.tickets, a.tickets, a.id_column)
        || string_agg(j.joins, '' ORDER BY j.i)
      FROM @extschema@.clock_joins(a, as_of) j
$$;

-- (Re)create the SLA view of an attached table: every ticket column, then
-- per metric its policy, target, due time, state, elapsed, remaining, used.
CREATE FUNCTION @extschema@.create_view(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    columns text;
BEGIN
    SELECT string_agg(format(',
       p%1$s.name AS %2$I, p%1$s.target AS %3$I, (e%1$s.r).due_at AS %4$I, ((e%1$s.r).state)::text AS %5$I,
       (e%1$s.r).elapsed AS %6$I, extract(epoch FROM (e%1$s.r).elapsed) AS %7$I,
       (e%1$s.r).remaining AS %8$I, (e%1$s.r).used AS %9$I',
           j.i, j.metric || '_policy', j.metric || '_target', j.metric || '_due_at', j.metric || '_state',
           j.metric || '_elapsed', j.metric || '_elapsed_seconds', j.metric || '_remaining', j.metric || '_used'),
           '' ORDER BY j.i)
      INTO columns
      FROM @extschema@.clock_joins(a, 'now()') j;
    EXECUTE format('CREATE VIEW %s WITH (security_invoker = true) AS
SELECT t.*%s,
       coalesce((SELECT sum(least(upper(r), now()) - lower(r)) FROM unnest(s.paused) r WHERE lower(r) < now()),
                interval ''0'') AS paused_for%s',
        a.view_name, columns, @extschema@.clock_from(a, 'now()'));
END $$;

-- Check that a column exists and, when "expected" is given, has that type.
CREATE FUNCTION @extschema@.check_column(tickets regclass, col name, role text, expected regtype)
    RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    found_type regtype;
BEGIN
    IF col IS NULL THEN
        RAISE EXCEPTION 'the % column must be named', role USING ERRCODE = '22004';
    END IF;
    SELECT a.atttypid::regtype INTO found_type
      FROM pg_attribute a
     WHERE a.attrelid = tickets AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'column "%" of relation % does not exist', col, tickets
            USING ERRCODE = '42703', DETAIL = format('It was given as the %s column.', role);
    END IF;
    IF expected IS NOT NULL AND found_type <> expected THEN
        RAISE EXCEPTION 'column "%" of relation % is of type %, not %', col, tickets, found_type, expected
            USING ERRCODE = '42804', DETAIL = format('The %s column must be %s.', role, expected);
    END IF;
END $$;

CREATE FUNCTION @extschema@.attach(tickets regclass,
        id_column name DEFAULT 'id', created_column name DEFAULT 'created_at',
        status_column name DEFAULT 'status', paused_statuses text[] DEFAULT '{pending,on_hold}',
        resolved_statuses text[] DEFAULT '{resolved,closed}',
        metrics jsonb DEFAULT '{"first_response": "first_response_at", "resolution": "resolved_at"}',
        priority_column name DEFAULT 'priority', service_column name DEFAULT NULL,
        customer_column name DEFAULT NULL, view_name name DEFAULT NULL) RETURNS regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    table_schema name;
    table_name name;
    metric record;
BEGIN
    IF tickets IS NULL THEN
        RAISE EXCEPTION 'tickets must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF current_setting('server_version_num')::integer < 150000 THEN
        RAISE EXCEPTION 'sla.attach needs PostgreSQL 15 or later'
            USING ERRCODE = '0A000',
                  DETAIL = 'The SLA view must be a security_invoker view, so that the ticket table''s grants and row-level security apply.';
    END IF;
    SELECT n.nspname, c.relname INTO table_schema, table_name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = tickets AND c.relkind IN ('r', 'p');
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a table', tickets USING ERRCODE = '42809';
    END IF;
    IF EXISTS (SELECT 1 FROM @extschema@.attachments x WHERE x.tickets = attach.tickets) THEN
        RAISE EXCEPTION 'table % is already attached', tickets
            USING ERRCODE = '42710', HINT = 'Detach it first with sla.detach() to attach it differently.';
    END IF;
    PERFORM @extschema@.check_column(tickets, id_column, 'id', NULL);
    PERFORM @extschema@.check_column(tickets, created_column, 'created', 'timestamptz');
    PERFORM @extschema@.check_column(tickets, status_column, 'status', NULL);
    IF priority_column IS NOT NULL THEN
        PERFORM @extschema@.check_column(tickets, priority_column, 'priority', NULL);
    END IF;
    IF service_column IS NOT NULL THEN
        PERFORM @extschema@.check_column(tickets, service_column, 'service', NULL);
    END IF;
    IF customer_column IS NOT NULL THEN
        PERFORM @extschema@.check_column(tickets, customer_column, 'customer', NULL);
    END IF;
    IF metrics IS NULL OR jsonb_typeof(metrics) <> 'object' OR metrics = '{}' THEN
        RAISE EXCEPTION 'metrics must be a JSON object mapping metric names to stop columns'
            USING ERRCODE = '22023';
    END IF;
    FOR metric IN SELECT key, value FROM jsonb_each(metrics) LOOP
        IF jsonb_typeof(metric.value) <> 'string' THEN
            RAISE EXCEPTION 'the stop column of metric "%" must be a column name (a JSON string)', metric.key
                USING ERRCODE = '22023';
        END IF;
        PERFORM @extschema@.check_column(tickets, (metric.value #>> '{}')::name,
                                         format('stop column of metric "%s"', metric.key), 'timestamptz');
    END LOOP;

    a := ROW(tickets, id_column, created_column, status_column, coalesce(paused_statuses, '{}'),
             coalesce(resolved_statuses, '{}'), metrics, priority_column, service_column, customer_column,
             format('%I.%I', table_schema, coalesce(view_name, table_name || '_sla')));
    INSERT INTO @extschema@.attachments SELECT a.*;

    -- the tracking trigger runs as whoever changes the tickets
    EXECUTE format('CREATE TRIGGER sla_track AFTER INSERT OR UPDATE OF %I, %I OR DELETE ON %s
                    FOR EACH ROW EXECUTE FUNCTION @extschema@.track_status(%L, %L, %L, %L, %L)',
                   status_column, id_column, tickets,
                   id_column, status_column, created_column, a.paused_statuses, a.resolved_statuses);
    EXECUTE format('CREATE TRIGGER sla_track_renames AFTER UPDATE OF %I ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.finish_renames()', id_column, tickets);
    EXECUTE format('CREATE TRIGGER sla_track_truncate AFTER TRUNCATE ON %s
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.forget_all_tickets()', tickets);

    -- tickets already there: their status is known from now on (their
    -- earlier history, if any, comes through sla.record_status)
    EXECUTE format('INSERT INTO @extschema@.status_history (tickets, ticket_id, changed_at, status)
                    SELECT %1$L::regclass, t.%2$I::text, greatest(t.%3$I, now()), t.%4$I::text FROM %1$s t',
                   tickets, id_column, created_column, status_column);
    EXECUTE format('INSERT INTO @extschema@.ticket_state (tickets, ticket_id, status, status_since, paused)
                    SELECT %1$L::regclass, t.%2$I::text, t.%4$I::text, greatest(t.%3$I, now()),
                           CASE WHEN t.%4$I::text = ANY (%5$L::text[])
                                THEN tstzmultirange(tstzrange(greatest(t.%3$I, now()), NULL)) ELSE ''{}'' END
                      FROM %1$s t WHERE t.%4$I IS NOT NULL',
                   tickets, id_column, created_column, status_column, a.paused_statuses);

    PERFORM @extschema@.create_view(a);
    PERFORM @extschema@.create_reporting_views(a);
    RETURN a.view_name::regclass;
END $$;
COMMENT ON FUNCTION @extschema@.attach(regclass, name, name, name, text[], text[], jsonb, name, name, name, name) IS
    'Track SLAs of an existing ticket table: triggers record status changes, a view shows every metric''s clock';

CREATE FUNCTION @extschema@.detach(tickets regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := @extschema@.attachment_of(tickets);
BEGIN
    PERFORM @extschema@.drop_reporting_views(a);
    EXECUTE format('DROP VIEW IF EXISTS %s', a.view_name);
    EXECUTE format('DROP TRIGGER IF EXISTS sla_track ON %s', tickets);
    EXECUTE format('DROP TRIGGER IF EXISTS sla_track_renames ON %s', tickets);
    EXECUTE format('DROP TRIGGER IF EXISTS sla_track_truncate ON %s', tickets);
    -- no foreign keys to sla.attachments: a key share lock per status change
    -- would make every concurrent writer share one row
    DELETE FROM @extschema@.status_history h WHERE h.tickets = detach.tickets;
    DELETE FROM @extschema@.ticket_state s WHERE s.tickets = detach.tickets;
    DELETE FROM @extschema@.events e WHERE e.tickets = detach.tickets;
    DELETE FROM @extschema@.attachments x WHERE x.tickets = detach.tickets;
END $$;
COMMENT ON FUNCTION @extschema@.detach(regclass) IS
    'Stop tracking a ticket table: drop its triggers and view and forget its SLA state; the table is untouched';

-- Breach and at-risk events ------------------------------------------------------

-- The crossings of an attached table as of $1: (ticket_id, metric, kind, happened_at).
CREATE FUNCTION @extschema@.crossings_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT string_agg(format('
SELECT t.%1$I::text AS ticket_id, %2$L AS metric, k.kind, k.happened_at
  FROM %3$s t
  LEFT JOIN @extschema@.ticket_state s ON s.tickets = %4$L::regclass AND s.ticket_id = t.%1$I::text%5$s
  CROSS JOIN LATERAL (VALUES
      (''at_risk'', CASE WHEN (e%6$s.r).used >= p%6$s.warn_at
                        THEN @extschema@.business_add(t.%7$I, p%6$s.target * p%6$s.warn_at, c%6$s.cal, s.paused) END),
      (''breached'', CASE WHEN (e%6$s.r).elapsed > p%6$s.target THEN (e%6$s.r).due_at END)) k(kind, happened_at)
 WHERE k.happened_at IS NOT NULL AND k.happened_at <= $1',
        a.id_column, j.metric, a.tickets, a.tickets, j.joins, j.i, a.created_column), '
UNION ALL' ORDER BY j.i)
      FROM @extschema@.clock_joins(a, '$1') j
$$;

CREATE FUNCTION @extschema@.sweep(as_of timestamptz DEFAULT now()) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    event @extschema@.events;
    added bigint := 0;
BEGIN
    FOR a IN SELECT * FROM @extschema@.attachments ORDER BY tickets::text LOOP
        -- events already recorded are skipped before the insert (sparing their
        -- ids); a sweep running at the same time is left to ON CONFLICT
        FOR event IN EXECUTE format('INSERT INTO @extschema@.events (tickets, ticket_id, metric, kind, happened_at)
                                     SELECT %1$L::regclass, c.ticket_id, c.metric, c.kind, c.happened_at FROM (%2$s) c
                                      WHERE NOT EXISTS (SELECT 1 FROM @extschema@.events e
                                                         WHERE e.tickets = %1$L::regclass AND e.ticket_id = c.ticket_id
                                                           AND e.metric = c.metric AND e.kind = c.kind)
                                     ON CONFLICT (tickets, ticket_id, metric, kind) DO NOTHING
                                     RETURNING *', a.tickets, @extschema@.crossings_sql(a))
                     USING as_of LOOP
            PERFORM pg_notify('sla_events', json_build_object(
                'id', event.id, 'table', event.tickets::text, 'ticket_id', event.ticket_id,
                'metric', event.metric, 'kind', event.kind,
                'happened_at', event.happened_at, 'recorded_at', event.recorded_at)::text);
            added := added + 1;
        END LOOP;
    END LOOP;
    RETURN added;
END $$;
COMMENT ON FUNCTION @extschema@.sweep(timestamptz) IS
    'Record in sla.events each at-risk and breach crossing not recorded before, and NOTIFY sla_events of each';

CREATE FUNCTION @extschema@.schedule_sweep(every interval DEFAULT '1 minute') RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    seconds numeric := extract(epoch FROM every);
    schedule text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in this database'
            USING ERRCODE = '55000',
                  HINT = 'On Debian: apt-get install postgresql-15-cron; in postgresql.conf set shared_preload_libraries = ''pg_cron'' and cron.database_name to this database; restart PostgreSQL; CREATE EXTENSION pg_cron; then call sla.schedule_sweep() again.';
    END IF;
    IF seconds < 60 AND (SELECT string_to_array(split_part(extversion, '-', 1), '.')::int[] < '{1,5}'
                           FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'this pg_cron schedules by the minute, not every %', every
            USING ERRCODE = '22023', HINT = 'Sweep every minute or more, or install pg_cron 1.5 or later.';
    END IF;
    schedule := CASE
        WHEN seconds >= 1 AND seconds < 60 AND seconds = trunc(seconds) THEN format('%s seconds', seconds::bigint)
        WHEN seconds >= 60 AND seconds < 3600 AND seconds % 60 = 0 AND 3600 % seconds = 0
            THEN format('*/%s * * * *', (seconds / 60)::bigint)
        WHEN seconds >= 3600 AND seconds < 86400 AND seconds % 3600 = 0 AND 86400 % seconds = 0
            THEN format('0 */%s * * *', (seconds / 3600)::bigint)
        WHEN seconds = 86400 THEN '0 0 * * *'
    END;
    IF schedule IS NULL THEN
        RAISE EXCEPTION 'cannot schedule a sweep every %', every
            USING ERRCODE = '22023',
                  HINT = 'Use whole seconds below a minute, minutes dividing an hour, hours dividing a day, or one day.';
    END IF;
    RETURN cron.schedule('sla-sweep', schedule, 'SELECT @extschema@.sweep()');
END $$;
COMMENT ON FUNCTION @extschema@.schedule_sweep(interval) IS 'Run sla.sweep() periodically with pg_cron';
/* sql/install/4-reporting.sql: part of the sla extension's install script (see Makefile) */

-- Reporting -------------------------------------------------------------------
-- Compliance views for BI tools, business-time percentiles, what-if on the
-- history, suggested targets, availability, downtime budgets and service
-- credits.  Business time always comes from the C functions (business_time,
-- open_windows) through the policy and calendar choice of the SLA view
-- (clock_joins), never from calendar logic written here.
--
-- "History" for percentiles, what_if and suggest_target means the tickets
-- of an attached table whose clock for the metric has stopped (the metric's
-- stop column is set), that have a policy for the metric and whose creation
-- instant lies in "during"; their business time is the elapsed time of the
-- SLA view (the policy's calendar, the ticket's pauses).

-- Arguments -------------------------------------------------------------------

-- The attachment whose SLA view (or ticket table) is "view", or an error.
CREATE FUNCTION @extschema@.attachment_for_view(view regclass) RETURNS @extschema@.attachments
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result @extschema@.attachments;
BEGIN
    IF view IS NULL THEN
        RAISE EXCEPTION 'view must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO result
      FROM @extschema@.attachments a
     WHERE to_regclass(a.view_name) = attachment_for_view.view OR a.tickets = attachment_for_view.view
     LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not the SLA view of an attached table', view
            USING ERRCODE = '22023',
                  HINT = 'Pass the view that sla.attach() created (sla.attachments.view_name).';
    END IF;
    RETURN result;
END $$;

-- An error unless the attachment tracks the metric.
CREATE FUNCTION @extschema@.check_metric(a @extschema@.attachments, metric text) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF metric IS NULL THEN
        RAISE EXCEPTION 'metric must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF NOT a.metrics ? metric THEN
        RAISE EXCEPTION 'metric "%" is not tracked on %', metric, a.view_name
            USING ERRCODE = '22023',
                  DETAIL = format('The metrics of %s are: %s.', a.view_name,
                                  (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(a.metrics) k));
    END IF;
END $$;

-- An error unless "during" selects something: not NULL, not empty, and,
-- when bounded is true, with two finite bounds.
CREATE FUNCTION @extschema@.check_during(during tstzrange, bounded boolean) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF during IS NULL THEN
        RAISE EXCEPTION 'during must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF isempty(during) THEN
        RAISE EXCEPTION 'during is empty' USING ERRCODE = '22023',
            HINT = 'Give a range such as ''[2026-07-01, 2026-08-01)''; ''(,)'' is all time.';
    END IF;
    IF bounded AND (lower_inf(during) OR upper_inf(during)
                    OR NOT isfinite(lower(during)) OR NOT isfinite(upper(during))) THEN
        RAISE EXCEPTION 'during must be bounded, not %', during USING ERRCODE = '22023',
            HINT = 'Service time is measured over a finite range such as ''[2026-07-01, 2026-08-01)''.';
    END IF;
END $$;

-- An error unless "value" is a fraction from 0 to 1 (above 0 when above_zero);
-- "what" names it in the message.
CREATE FUNCTION @extschema@.check_fraction(value numeric, what text, above_zero boolean) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF value IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', what USING ERRCODE = '22004';
    END IF;
    IF value = 'NaN' OR value > 1 OR value < 0 OR (above_zero AND value = 0) THEN
        RAISE EXCEPTION '% must be a fraction % 1, not %', what,
                        CASE WHEN above_zero THEN 'above 0 and at most' ELSE 'from 0 to' END, value
            USING ERRCODE = '22023', HINT = 'Write 99.5% as 0.995.';
    END IF;
END $$;

-- Seconds covered by a multirange of finite ranges.
CREATE FUNCTION @extschema@.seconds_of(m tstzmultirange) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(sum(extract(epoch FROM upper(r)) - extract(epoch FROM lower(r))), 0) FROM unnest(m) r
$$;

-- Per ticket rows --------------------------------------------------------------

-- A query with one row per ticket of an attached table that has a policy for
-- the metric: its id, creation and stop instants, creation day in the
-- policy calendar's zone, policy, calendar (name and value), target,
-- priority, service and customer (as text), clock state and elapsed
-- business time as of now() (as in the SLA view), times reopened and
-- paused ranges.  The policy and the clock are the SLA view's (clock_joins).
--
-- Two parts, of which only one runs (a one-time filter): when all policies
-- of the metric use calendars of one zone (the usual case), the day is known
-- from the ticket alone, so that a filter on the day is applied before the
-- policy of each ticket is looked up; the day is then computed once per
-- ticket under an optimization fence (a filter such as "day >= a AND
-- day < b" would otherwise convert each creation instant twice).  When the
-- zones differ, the day comes from the zone of each ticket's policy.
CREATE FUNCTION @extschema@.metric_rows_sql(a @extschema@.attachments, metric text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    j record;
    one_zone text;
    day_column name := '_sla_day';
    day text;
    columns text[] := '{}';
    joins text;
    condition text;
BEGIN
    SELECT * INTO STRICT j FROM @extschema@.clock_joins(a, 'now()') c WHERE c.metric = metric_rows_sql.metric;
    one_zone := format('SELECT min(z.zone) FROM @extschema@.policies zp JOIN @extschema@.calendars z ON z.name = zp.calendar
                         WHERE zp.metric = %L HAVING count(DISTINCT z.zone) = 1', j.metric);
    -- a name for the day that no ticket column has
    FOR k IN 1..60 LOOP
        EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_attribute x
                               WHERE x.attrelid = a.tickets AND x.attname = day_column AND x.attnum > 0);
        day_column := day_column || '_';
    END LOOP;
    -- the columns, with the day from the metric's one zone, or else from the policy's
    FOREACH day IN ARRAY ARRAY[format('t.%I', day_column),
                               format('(t.%I AT TIME ZONE z%s.zone)::date', a.created_column, j.i)] LOOP
        columns := columns || format($c$t.%1$I::text AS ticket_id, %2$L::text AS metric,
       t.%3$I AS created_at, t.%4$I AS stopped_at, %9$s AS day,
       p%5$s.name AS policy, p%5$s.calendar AS calendar, c%5$s.cal AS cal, p%5$s.target AS target,
       %6$s AS priority, %7$s AS service, %8$s AS customer,
       (e%5$s.r).state AS state, (e%5$s.r).elapsed AS elapsed,
       coalesce(s.reopened, 0) AS reopened, coalesce(s.paused, '{}') AS paused$c$,
            a.id_column, j.metric, a.created_column, a.metrics ->> j.metric, j.i,
            CASE WHEN a.priority_column IS NULL THEN 'NULL::text' ELSE format('t.%I::text', a.priority_column) END,
            CASE WHEN a.service_column IS NULL THEN 'NULL::text' ELSE format('t.%I::text', a.service_column) END,
            CASE WHEN a.customer_column IS NULL THEN 'NULL::text' ELSE format('t.%I::text', a.customer_column) END,
            day);
    END LOOP;
    joins := format($f$
  LEFT JOIN @extschema@.ticket_state s ON s.tickets = %1$L::regclass AND s.ticket_id = t.%2$I::text%3$s$f$,
        a.tickets, a.id_column, j.joins);
    condition := format('t.%I IS NOT NULL AND p%s.name IS NOT NULL', a.created_column, j.i);
    RETURN format($q$
SELECT %1$s
  FROM (SELECT t.*, (t.%2$I AT TIME ZONE (%3$s))::date AS %4$I FROM %5$s t OFFSET 0) t%6$s
 WHERE %7$s AND (%3$s) IS NOT NULL
UNION ALL
SELECT %8$s
  FROM %5$s t%6$s
  JOIN @extschema@.calendars z%9$s ON z%9$s.name = p%9$s.calendar
 WHERE %7$s AND (%3$s) IS NULL$q$,
        columns[1], a.created_column, one_zone, day_column, a.tickets, joins, condition, columns[2], j.i);
END $$;

-- Compliance views --------------------------------------------------------------

-- The name of the compliance view of an attachment: its SLA view's name
-- followed by _compliance, in the same schema.
CREATE FUNCTION @extschema@.compliance_view_name(a @extschema@.attachments) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('%I.%I', n[cardinality(n) - 1], n[cardinality(n)] || '_compliance')
      FROM parse_ident(a.view_name) n
$$;

CREATE FUNCTION @extschema@.create_reporting_views(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    view text := @extschema@.compliance_view_name(a);
    branches text;
BEGIN
    SELECT string_agg(@extschema@.metric_rows_sql(a, m), '
UNION ALL' ORDER BY m)
      INTO branches
      FROM jsonb_object_keys(a.metrics) m;
    EXECUTE format($v$CREATE OR REPLACE VIEW %s WITH (security_invoker = true) AS
SELECT r.day, r.metric, r.policy, r.priority, r.service, r.customer,
       count(*) AS total,
       count(*) FILTER (WHERE r.state = 'met') AS met,
       count(*) FILTER (WHERE r.state = 'breached') AS breached,
       count(*) FILTER (WHERE r.state = 'breached' AND r.stopped_at IS NULL) AS open_breached,
       count(*) FILTER (WHERE r.state <> 'breached' AND r.stopped_at IS NULL) AS running,
       count(*) FILTER (WHERE r.stopped_at IS NOT NULL) AS stopped,
       count(*) FILTER (WHERE r.reopened > 0) AS reopened,
       coalesce(sum(extract(epoch FROM r.elapsed)) FILTER (WHERE r.stopped_at IS NOT NULL), 0) AS business_seconds_sum,
       trim_scale((count(*) FILTER (WHERE r.state = 'met'))::numeric
                  / nullif(count(*) FILTER (WHERE r.state IN ('met', 'breached')), 0)) AS compliance
  FROM (%s) r
 GROUP BY r.day, r.metric, r.policy, r.priority, r.service, r.customer$v$, view, branches);
    EXECUTE format('COMMENT ON VIEW %s IS %L', view, format(
        'SLA compliance of %s per creation day (in the policy calendar''s zone), metric, policy, priority, service '
        'and customer: total = met + breached + running; open_breached are breached and not stopped; '
        'compliance = met / (met + breached)', a.tickets));
END $$;
COMMENT ON FUNCTION @extschema@.create_reporting_views(@extschema@.attachments) IS
    'Create (or replace) the compliance view <SLA view>_compliance of an attached table';

CREATE FUNCTION @extschema@.drop_reporting_views(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    view text := @extschema@.compliance_view_name(a);
BEGIN
    IF to_regclass(view) IS NOT NULL THEN      -- quietly, when it is gone already
        EXECUTE format('DROP VIEW %s', view);
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@.drop_reporting_views(@extschema@.attachments) IS
    'Drop the compliance view of an attached table';

-- Percentiles, what-if, suggested targets -----------------------------------------

CREATE FUNCTION @extschema@.percentiles(view regclass, metric text, during tstzrange,
        fractions float8[] DEFAULT '{0.5,0.9,0.95}')
    RETURNS TABLE (policy text, fraction float8, elapsed interval, elapsed_seconds numeric, tickets bigint)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := @extschema@.attachment_for_view(view);
    f float8;
BEGIN
    PERFORM @extschema@.check_metric(a, metric);
    PERFORM @extschema@.check_during(during, false);
    IF fractions IS NULL OR cardinality(fractions) = 0 THEN
        RAISE EXCEPTION 'fractions must not be empty' USING ERRCODE = '22023';
    END IF;
    FOREACH f IN ARRAY fractions LOOP
        IF f IS NULL OR f = 'NaN' OR f < 0 OR f > 1 THEN
            RAISE EXCEPTION 'each fraction must be from 0 to 1, not %', coalesce(f::text, 'NULL')
                USING ERRCODE = '22023', HINT = 'Write the 95th percentile as 0.95.';
        END IF;
    END LOOP;
    RETURN QUERY EXECUTE format($q$
SELECT s.policy, f.fraction, s.elapsed, extract(epoch FROM s.elapsed), s.n
  FROM (SELECT r.policy, r.elapsed,
               row_number() OVER (PARTITION BY r.policy ORDER BY r.elapsed) AS k,
               count(*) OVER (PARTITION BY r.policy) AS n
          FROM (%s) r
         WHERE r.stopped_at IS NOT NULL AND $1 @> r.created_at) s
  JOIN unnest($2) WITH ORDINALITY f(fraction, ord)
    ON s.k = greatest(1, ceil(f.fraction::numeric * s.n))
 ORDER BY s.policy, f.ord$q$, @extschema@.metric_rows_sql(a, metric))
    USING during, fractions;
END $$;
COMMENT ON FUNCTION @extschema@.percentiles(regclass, text, tstzrange, float8[]) IS
    'Nearest-rank percentiles (the k-th smallest, k = ceil(fraction x tickets)) of the business time of stopped tickets created in during, per policy';

CREATE FUNCTION @extschema@.what_if(view regclass, metric text, target interval,
        calendar text DEFAULT NULL, during tstzrange DEFAULT '(,)')
    RETURNS TABLE (policy text, tickets bigint, actual_target interval, actual_met bigint, actual_compliance numeric,
                   what_if_target interval, what_if_calendar text, what_if_met bigint, what_if_compliance numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := @extschema@.attachment_for_view(view);
    cal @extschema@.calendar;
BEGIN
    PERFORM @extschema@.check_metric(a, metric);
    PERFORM @extschema@.check_during(during, false);
    IF what_if.target <= interval '0' THEN
        RAISE EXCEPTION 'target must be positive, not %', what_if.target USING ERRCODE = '22023';
    END IF;
    IF date_part('month', what_if.target) <> 0 OR date_part('year', what_if.target) <> 0 THEN
        RAISE EXCEPTION 'target must not count months or years: %', what_if.target USING ERRCODE = '22023',
            HINT = 'Business time is counted in hours and minutes, e.g. ''160 hours''.';
    END IF;
    IF what_if.calendar IS NOT NULL THEN
        cal := @extschema@.calendar_named(what_if.calendar);
    END IF;
    RETURN QUERY EXECUTE format($q$
SELECT r.policy, count(*),
       CASE WHEN min(r.target) = max(r.target) THEN min(r.target) END,
       count(*) FILTER (WHERE r.state = 'met'),
       trim_scale((count(*) FILTER (WHERE r.state = 'met'))::numeric / count(*)),
       coalesce($2, CASE WHEN min(r.target) = max(r.target) THEN min(r.target) END),
       coalesce($3, CASE WHEN min(r.calendar) = max(r.calendar) THEN min(r.calendar) END),
       count(*) FILTER (WHERE w.elapsed <= coalesce($2, r.target)),
       trim_scale((count(*) FILTER (WHERE w.elapsed <= coalesce($2, r.target)))::numeric / count(*))
  FROM (%s) r
 CROSS JOIN LATERAL (SELECT CASE WHEN $4 IS NULL THEN r.elapsed
                            ELSE greatest(@extschema@.business_time(r.created_at, r.stopped_at, $4, r.paused), interval '0')
                            END AS elapsed) w
 WHERE r.stopped_at IS NOT NULL AND $1 @> r.created_at
 GROUP BY r.policy
 ORDER BY r.policy$q$, @extschema@.metric_rows_sql(a, metric))
    USING during, what_if.target, what_if.calendar, cal;
END $$;
COMMENT ON FUNCTION @extschema@.what_if(regclass, text, interval, text, tstzrange) IS
    'Per policy, the compliance that stopped tickets created in during had, and would have had with another target (NULL: the policy''s) and named calendar (NULL: the policy''s), their pauses kept';

CREATE FUNCTION @extschema@.suggest_target(view regclass, metric text, compliance float8, during tstzrange DEFAULT '(,)')
    RETURNS TABLE (policy text, tickets bigint, current_target interval, current_compliance numeric,
                   suggested_target interval, suggested_compliance numeric)
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := @extschema@.attachment_for_view(view);
BEGIN
    PERFORM @extschema@.check_metric(a, metric);
    PERFORM @extschema@.check_during(during, false);
    PERFORM @extschema@.check_fraction(suggest_target.compliance::numeric, 'compliance', true);
    RETURN QUERY EXECUTE format($q$
SELECT s.policy, s.n, s.current_target, trim_scale(s.current_met::numeric / s.n), g.target,
       trim_scale((SELECT count(*) FROM unnest(s.all_elapsed) x WHERE x <= g.target)::numeric / s.n)
  FROM (SELECT r.policy, count(*) AS n,
               CASE WHEN min(r.target) = max(r.target) THEN min(r.target) END AS current_target,
               count(*) FILTER (WHERE r.state = 'met') AS current_met,
               array_agg(r.elapsed ORDER BY r.elapsed) AS all_elapsed
          FROM (%s) r
         WHERE r.stopped_at IS NOT NULL AND $1 @> r.created_at
         GROUP BY r.policy) s
 CROSS JOIN LATERAL (
       SELECT make_interval(mins => greatest(1, ceil(extract(epoch FROM
                  s.all_elapsed[greatest(1, ceil($2::numeric * s.n))::integer]) / 60))::integer) AS target) g
 ORDER BY s.policy$q$, @extschema@.metric_rows_sql(a, metric))
    USING during, suggest_target.compliance;
END $$;
COMMENT ON FUNCTION @extschema@.suggest_target(regclass, text, float8, tstzrange) IS
    'Per policy, the smallest whole-minute target that stopped tickets created in during would have met at the compliance (a fraction), beside the current one';

-- Availability, downtime budgets, service credits ------------------------------------

CREATE FUNCTION @extschema@.availability(during tstzrange, downtime tstzmultirange,
        excluded tstzmultirange DEFAULT '{}', cal @extschema@.calendar DEFAULT NULL,
        min_outage interval DEFAULT '0')
    RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    service tstzmultirange;
    service_seconds numeric;
    down_seconds numeric;
BEGIN
    IF during IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM @extschema@.check_during(during, true);
    IF min_outage < interval '0' THEN
        RAISE EXCEPTION 'min_outage must not be negative, not %', min_outage USING ERRCODE = '22023';
    END IF;
    service := CASE WHEN cal IS NULL THEN tstzmultirange(during) ELSE @extschema@.open_windows(during, cal) END
               - coalesce(excluded, '{}');
    service_seconds := @extschema@.seconds_of(service);
    IF service_seconds = 0 THEN
        RETURN NULL;            -- no service time: nothing to be available in
    END IF;
    -- each outage (a range of the downtime multirange) counts by its part in
    -- service time, and only when that part is at least min_outage
    SELECT coalesce(sum(o.seconds), 0) INTO down_seconds
      FROM unnest(coalesce(downtime, '{}')) d
     CROSS JOIN LATERAL (SELECT @extschema@.seconds_of(tstzmultirange(d) * service) AS seconds) o
     WHERE o.seconds > 0 AND o.seconds >= extract(epoch FROM coalesce(min_outage, interval '0'));
    RETURN trim_scale((service_seconds - down_seconds) / service_seconds);
END $$;
COMMENT ON FUNCTION @extschema@.availability(tstzrange, tstzmultirange, tstzmultirange, @extschema@.calendar, interval) IS
    'Fraction of service time (open time of cal, or all time, in during, minus excluded) not covered by outages; an outage counts by its service time and not when that is shorter than min_outage; NULL without service time';

CREATE FUNCTION @extschema@.downtime_budget(target numeric, during tstzrange, cal @extschema@.calendar DEFAULT NULL)
    RETURNS interval
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    seconds numeric;
BEGIN
    IF target IS NULL OR during IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM @extschema@.check_fraction(target, 'target', false);
    PERFORM @extschema@.check_during(during, true);
    seconds := (1 - target) * @extschema@.seconds_of(
        CASE WHEN cal IS NULL THEN tstzmultirange(during) ELSE @extschema@.open_windows(during, cal) END);
    RETURN (round(seconds, 6)::text || ' seconds')::interval;
END $$;
COMMENT ON FUNCTION @extschema@.downtime_budget(numeric, tstzrange, @extschema@.calendar) IS
    'Downtime allowed by an availability target (a fraction) over the service time (open time of cal, or all time) in during';

CREATE FUNCTION @extschema@.service_credit(availability numeric, tiers jsonb) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    tier record;
    key text;
    clash record;
    credit numeric := 0;
BEGIN
    IF availability IS NULL OR tiers IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM @extschema@.check_fraction(availability, 'availability', false);
    IF jsonb_typeof(tiers) <> 'array' THEN
        RAISE EXCEPTION 'tiers must be a JSON array, not %', jsonb_typeof(tiers) USING ERRCODE = '22023',
            HINT = 'Write tiers as [{"below": 0.9995, "credit": 0.10}, {"below": 0.99, "credit": 0.25}].';
    END IF;
    FOR tier IN SELECT e.value, e.n FROM jsonb_array_elements(tiers) WITH ORDINALITY e(value, n) LOOP
        IF jsonb_typeof(tier.value) <> 'object' THEN
            RAISE EXCEPTION 'tier % must be a JSON object, not %: %', tier.n, jsonb_typeof(tier.value), tier.value
                USING ERRCODE = '22023', HINT = 'A tier is {"below": <availability>, "credit": <fraction>}.';
        END IF;
        FOR key IN SELECT k FROM jsonb_object_keys(tier.value) k WHERE k NOT IN ('below', 'credit') ORDER BY k LOOP
            RAISE EXCEPTION 'tier % has an unknown key "%": %', tier.n, key, tier.value
                USING ERRCODE = '22023', HINT = 'A tier has the keys "below" and "credit" only.';
        END LOOP;
        FOREACH key IN ARRAY ARRAY['below', 'credit'] LOOP
            IF NOT tier.value ? key THEN
                RAISE EXCEPTION 'tier % has no "%": %', tier.n, key, tier.value
                    USING ERRCODE = '22023', HINT = 'A tier is {"below": <availability>, "credit": <fraction>}.';
            END IF;
            IF jsonb_typeof(tier.value -> key) <> 'number' THEN
                RAISE EXCEPTION 'tier %: "%" must be a number, not %: %', tier.n, key,
                                jsonb_typeof(tier.value -> key), tier.value
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
        IF (tier.value ->> 'below')::numeric <= 0 OR (tier.value ->> 'below')::numeric > 1 THEN
            RAISE EXCEPTION 'tier %: "below" must be an availability above 0 and at most 1, not %',
                            tier.n, tier.value -> 'below'
                USING ERRCODE = '22023', HINT = 'Write 99.95% as 0.9995.';
        END IF;
        IF (tier.value ->> 'credit')::numeric < 0 OR (tier.value ->> 'credit')::numeric > 1 THEN
            RAISE EXCEPTION 'tier %: "credit" must be a fraction from 0 to 1, not %', tier.n, tier.value -> 'credit'
                USING ERRCODE = '22023', HINT = 'Write a 10% credit as 0.10.';
        END IF;
    END LOOP;
    -- a lower availability must never earn less; each threshold once
    SELECT lo.n AS lo_n, lo.below AS lo_below, lo.credit AS lo_credit,
           hi.n AS hi_n, hi.below AS hi_below, hi.credit AS hi_credit
      INTO clash
      FROM (SELECT e.n, (e.value ->> 'below')::numeric AS below, (e.value ->> 'credit')::numeric AS credit
              FROM jsonb_array_elements(tiers) WITH ORDINALITY e(value, n)) lo
      JOIN (SELECT e.n, (e.value ->> 'below')::numeric AS below, (e.value ->> 'credit')::numeric AS credit
              FROM jsonb_array_elements(tiers) WITH ORDINALITY e(value, n)) hi
        ON lo.n <> hi.n AND (lo.below = hi.below AND lo.n < hi.n OR lo.below < hi.below AND lo.credit < hi.credit)
     ORDER BY least(lo.n, hi.n), greatest(lo.n, hi.n)
     LIMIT 1;
    IF FOUND THEN
        IF clash.lo_below = clash.hi_below THEN
            RAISE EXCEPTION 'tiers % and % are both below %', clash.lo_n, clash.hi_n, clash.lo_below
                USING ERRCODE = '22023', HINT = 'Give each availability threshold once.';
        END IF;
        RAISE EXCEPTION 'tier % (below %) credits %, less than tier % (below %) credits %',
                        clash.lo_n, clash.lo_below, clash.lo_credit, clash.hi_n, clash.hi_below, clash.hi_credit
            USING ERRCODE = '22023',
                  HINT = 'A lower availability must earn at least the same credit: the lower "below", the larger "credit".';
    END IF;
    SELECT coalesce(max((e.value ->> 'credit')::numeric), 0) INTO credit
      FROM jsonb_array_elements(tiers) e
     WHERE availability < (e.value ->> 'below')::numeric;
    RETURN credit;
END $$;
COMMENT ON FUNCTION @extschema@.service_credit(numeric, jsonb) IS
    'Credit owed for an availability: the largest credit among tiers [{"below": b, "credit": c}, ...] with availability < b, else 0';
