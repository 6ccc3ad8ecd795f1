/* sql/install/47-sweep.sql: recording at-risk and breach crossings as events (part of the install script, see Makefile) */

-- The sweep looks only at the tickets whose next crossing is due: each
-- state row keeps next_check, the next instant one of the ticket's clocks
-- crosses a threshold (at risk, breach), -infinity when the ticket changed
-- since, infinity when nothing is to come; an index on it makes the sweep a
-- range scan.  When calendars, holidays or policies change
-- (sla_private.config_version), every ticket of an attachment is looked at
-- once.

-- The crossings of the due tickets of an attachment, as SQL giving
-- (ticket_id, metric, cycle, kind, level, happened_at, next_at) over rows "t" with
-- the ticket columns (clock_columns) as of $1: each crossing that has
-- happened with its instant, and for a running clock the instant each
-- crossing to come will happen (at risk: the business time used reaches an
-- alert level of the policy, each of its alerts or else its warn_at;
-- breach, level 1: the deadline instant has passed, so the breach happened
-- at the deadline).
CREATE FUNCTION sla_private.crossings_sql(a @extschema@.attachments) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT string_agg(format('
SELECT t.%1$I AS ticket_id, %2$L AS metric, coalesce(%9$s, 1) AS cycle, k.kind, k.level, k.happened_at, k.next_at
  FROM t
  LEFT JOIN sla_state.state_%3$s s ON s.ticket_id = t.%1$I%4$s
  CROSS JOIN LATERAL (
      SELECT ''at_risk'', l.level,
             CASE WHEN (e%5$s.r).used >= l.level
                  THEN @extschema@.business_add(%6$s, p%5$s.target * l.level, c%5$s.cal, %8$s) END,
             CASE WHEN %7$s IS NULL AND (e%5$s.r).used < l.level
                  THEN @extschema@.business_add(%6$s, p%5$s.target * l.level, c%5$s.cal, %8$s) END
        FROM unnest(coalesce(p%5$s.alerts, ARRAY[p%5$s.warn_at])) l(level)
      UNION ALL
      SELECT ''breached'', 1.0::float8,
             CASE WHEN (e%5$s.r).state = ''breached'' THEN (e%5$s.r).due_at END,
             CASE WHEN %7$s IS NULL AND (e%5$s.r).state <> ''breached'' THEN (e%5$s.r).due_at END)
      k(kind, level, happened_at, next_at)',
        sla_private.column_name(a.tickets, a.id_column), j.metric, a.id, sla_private.shared_joins(a, j.timeline_columns, j.reads_messages) || j.joins, j.i,
        j.start_sql, j.stop_sql, j.paused_sql, j.cycle_sql), '
UNION ALL' ORDER BY j.i)
      FROM sla_private.clock_joins(a, '$1', true) j
$$;

-- Sweep one attachment as of "as_of": record the crossings of its due
-- tickets not recorded before (record_crossings: here, or on each shard
-- group of a distributed attachment, on the workers), and NOTIFY
-- sla_events of each (the event's id only).  Returns the events recorded.
CREATE FUNCTION sla_private.sweep_attachment(a @extschema@.attachments, as_of timestamptz, config bigint)
    RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    recheck boolean := a.config_seen IS DISTINCT FROM config;
    recorded bigint[];
BEGIN
    recorded := CASE WHEN sla_private.is_distributed(a) THEN sla_private.on_shards(a, 'sweep', as_of, recheck)
                     ELSE sla_private.record_crossings(a, as_of, recheck) END;
    PERFORM pg_notify('sla_events', e::text) FROM unnest(recorded) e ORDER BY e;
    IF recheck THEN
        UPDATE @extschema@.attachments x SET config_seen = config WHERE x.id = a.id;
    END IF;
    RETURN coalesce(cardinality(recorded), 0);
END $$;

-- Record the crossings of an attachment's due tickets up to "as_of": fold
-- the changes recorded since the last sweep (their tickets are due),
-- record the crossings not recorded before, and store each due ticket's
-- next crossing; with "recheck" (calendars, holidays or policies changed)
-- every ticket is due.  Returns the ids of the events recorded.  Without
-- parallel workers: the statement that records cannot have them anyway,
-- and on a Citus node, where it reads the reference tables, Citus plans
-- parts of it apart and cannot carry its transaction into parallel workers
-- ("cannot use 2PC in transactions involving multiple servers").
CREATE FUNCTION sla_private.record_crossings(a @extschema@.attachments, as_of timestamptz, recheck boolean)
    RETURNS bigint[]
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
    columns record;
    anything_due boolean;
    recorded bigint[];
BEGIN
    IF NOT recheck THEN
        EXECUTE sla_private.on_state(a.id, format('SELECT EXISTS (SELECT 1 FROM sla_state.state_%1$s s WHERE s.next_check <= $1)
                                                      OR EXISTS (SELECT 1 FROM sla_state.changes_%1$s)', a.id))
            INTO anything_due USING as_of;
        IF NOT anything_due THEN
            RETURN '{}';
        END IF;
    END IF;
    -- sweeps of one attachment take turns (the state lock, taken by the
    -- fold); the later one finds recorded what the earlier recorded.  A
    -- ticket changed since the fold waits for the next sweep.
    PERFORM sla_private.fold_changes(a);
    columns := sla_private.clock_columns(a);
    EXECUTE sla_private.on_state(a.id, format($q$
WITH due AS (SELECT s.ticket_id FROM sla_state.state_%1$s s
              WHERE %2$s AND NOT EXISTS (SELECT 1 FROM sla_state.changes_%1$s c WHERE c.ticket_id = s.ticket_id)),
t AS (SELECT * FROM sla_private.select_as(%3$s, %4$L, (SELECT array_agg(due.ticket_id) FROM due)) AS t(%5$s)),
k AS (%6$s),
recorded AS (
    INSERT INTO sla_state.events_%1$s (id, ticket_id, metric, cycle, kind, level, happened_at)
    SELECT pg_catalog.nextval('@extschema@.event_id_seq'), k.ticket_id, k.metric, k.cycle, k.kind, k.level, k.happened_at FROM k
     WHERE k.happened_at <= $1
       AND NOT EXISTS (SELECT 1 FROM sla_state.events_%1$s e
                        WHERE e.ticket_id = k.ticket_id AND e.metric = k.metric AND e.cycle = k.cycle
                          AND e.kind = k.kind AND e.level = k.level)
    ON CONFLICT (ticket_id, metric, cycle, kind, level) DO NOTHING
    RETURNING id),
next AS (
    UPDATE sla_state.state_%1$s s SET next_check = coalesce(n.next_at, 'infinity')
      FROM (SELECT due.ticket_id, min(k.next_at) AS next_at
              FROM due LEFT JOIN k ON k.ticket_id = due.ticket_id
             GROUP BY due.ticket_id) n
     WHERE s.ticket_id = n.ticket_id)
SELECT coalesce(array_agg(recorded.id ORDER BY recorded.id), '{}') FROM recorded$q$,
        a.id,
        CASE WHEN recheck THEN 'true' ELSE 's.next_check <= $1' END,
        sla_private.owner_of(a.tickets),
        format('SELECT %s FROM %s t%s', columns.select_list, a.tickets,
               CASE WHEN recheck THEN ''
                    ELSE format(' WHERE t.%I = ANY ($1)', sla_private.column_name(a.tickets, a.id_column)) END),
        columns.definition,
        sla_private.crossings_sql(a)))
        INTO recorded USING as_of;
    RETURN recorded;
END $$;

CREATE FUNCTION @extschema@.sweep(as_of timestamptz DEFAULT now()) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.sweep(timestamptz) IS
    'Record in sla.events each at-risk and breach crossing up to as_of (at most now()) not recorded before, and NOTIFY sla_events of each event''s id';

-- sla.sweep, as the extension's owner.  Each attachment is swept in a
-- subtransaction of its own: one that fails is skipped with a WARNING
-- naming it, and the others go on.
CREATE FUNCTION sla_private.sweep(caller oid, as_of timestamptz) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments;
    config bigint := (SELECT v.version FROM sla_private.config_version v);
    added bigint := 0;
BEGIN
    IF as_of IS NULL THEN
        RETURN 0;          -- as in 1.0: nothing has happened by an unknown instant
    END IF;
    IF as_of > now() THEN
        RAISE EXCEPTION 'as_of % is later than now()', as_of
            USING ERRCODE = '22023', DETAIL = 'Events record crossings that have happened.';
    END IF;
    FOR a IN SELECT * FROM @extschema@.attachments x ORDER BY x.id LOOP
        BEGIN
            added := added + sla_private.sweep_attachment(a, as_of, config);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'sla.sweep skipped table %: %', a.tickets, SQLERRM
                USING HINT = 'The other attached tables were swept; fix this one, or detach it.';
        END;
    END LOOP;
    RETURN added;
END $$;

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
