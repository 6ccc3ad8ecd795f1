/* sql/install/44-views.sql: the clocks of an attached table's tickets, as SQL shared by the SLA view, the sweep and the reports (part of the install script, see Makefile) */

-- Whether a clock from the SQL instant "start" to "stop" (NULL while
-- running) lies in the years calendars are evaluated in, as SQL.
CREATE FUNCTION sla_private.evaluable_sql(start text, stop text) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format($e$%1$s >= '0001-01-02 00:00+00' AND %1$s <= '9990-01-01 00:00+00'
         AND (%2$s IS NULL OR (%2$s >= '0001-01-02 00:00+00' AND %2$s <= '9990-01-01 00:00+00'))$e$, start, stop)
$$;

-- A cycle of a metric of a message kind: [started, stopped), stopped NULL
-- while it runs; unanswered when a resolution ended it without a reply.
CREATE TYPE sla_private.conversation_cycle AS (started timestamptz, stopped timestamptz, unanswered boolean);

-- The cycles of a metric of a message kind ('next_reply',
-- 'periodic_update'), in order, from a ticket's messages (its row of
-- messages_<n>: instants, and authors 'c' or 'a') and the ranges it spent
-- in a resolved status (src/conversation.c says how).
CREATE FUNCTION sla_private.conversation_cycles(kind text, at timestamptz[], author "char"[], resolved tstzmultirange)
    RETURNS sla_private.conversation_cycle[]
    AS 'MODULE_PATHNAME', 'sla_conversation_cycles_sql' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- What the SLA view shows of a metric of a message kind: its current (last)
-- cycle (number, start, stop, unanswered; NULL when none), how many cycles
-- there are, and how many of them breached the target in the calendar with
-- the paused ranges as of "as_of", as sla.evaluate decides (NULL without a
-- target).
CREATE TYPE sla_private.conversation_summary AS (cycle integer, started timestamptz, stopped timestamptz,
                                                 unanswered boolean, cycles integer, breached_cycles integer);
CREATE FUNCTION sla_private.conversation_summary(kind text, at timestamptz[], author "char"[], resolved tstzmultirange,
                                                 target interval, cal @extschema@.calendar, paused tstzmultirange,
                                                 as_of timestamptz)
    RETURNS sla_private.conversation_summary
    AS 'MODULE_PATHNAME', 'sla_conversation_summary' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The joins that give each metric of an attached table its policy (p<i>),
-- calendar (c<i>) and clock (e<i>.r, sla.result) as of the SQL expression
-- "as_of"; the ticket is "t" (the table, or rows with its column names),
-- its state "s".  Metrics in name order, each with SQL for its clock's
-- cycle, start, stop, paused ranges, state (text) and team: ticket columns
-- and the state's paused ranges, or, for a metric defined by statuses of
-- its own, what the ticket's status timeline gives: the first instant in a
-- start status, the first instant from the start on in a stop status, the
-- ranges in a pause status.  Such a metric's "timeline_columns" are the
-- aggregates of the timeline it needs (started<i>, stopping<i>, paused<i>),
-- which shared_joins computes for all metrics of a query in one scan.
--
-- A metric with "cycles": "each" has a cycle per period from its start on
-- outside its stop statuses, or outside the periods its stop column was
-- set (its earlier stops, stops_<n>, and its value).  A metric of a
-- message kind ("reads_messages") has the cycles of the ticket's messages
-- (msg, its row of messages_<n>) and resolved ranges (conversation_cycles);
-- an ownership metric a cycle per period a team owns the ticket
-- (teams_<n>: of the changes at one instant the last recorded counts, and
-- a change to the team it has is none) while it is not resolved, its
-- policy chosen with that team.
-- Metrics of a kind pause in the state's paused ranges unless their pause
-- statuses are their own.  Metrics with cycles give one row per cycle when
-- "every_cycle", else their current (last) cycle, and then, for a message
-- kind, how many cycles there are and how many breached (h<i>.cycles,
-- h<i>.breached_cycles).  Their joins have h<i>, the cycles, after the
-- policy and calendar (before them for ownership).
--
-- A metric's clock (e<i>.r) is one call of sla.evaluate per row: in a
-- subquery fenced by OFFSET 0; for a distributed attachment in FROM
-- instead, since Citus runs a lateral subquery with a WHERE or OFFSET on
-- the workers only through intermediate results (on one node the fenced
-- subquery is the faster: 0.78 s against 1.0-1.2 s over 300,000 tickets).
-- A ticket whose start or stop instant is infinite or beyond the years
-- calendars are evaluated in has no clock (NULL), so that one such row
-- cannot break a view or a sweep.
CREATE FUNCTION sla_private.clock_joins(a @extschema@.attachments, as_of text, every_cycle boolean,
        OUT metric text, OUT i integer, OUT kind text, OUT reads_messages boolean, OUT cycle_sql text,
        OUT start_sql text, OUT stop_sql text, OUT paused_sql text, OUT state_sql text, OUT team_sql text,
        OUT timeline_columns text, OUT joins text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT d.metric, d.i, d.kind, f.reads_messages, x.cycle_sql, x.start_sql, x.stop_sql, x.paused_sql,
        CASE WHEN f.reads_messages
             THEN format('CASE WHEN h%1$s.unanswered THEN ''closed_unanswered'' ELSE ((e%1$s.r).state)::text END', d.i)
             ELSE format('((e%s.r).state)::text', d.i) END,
        CASE WHEN d.kind = 'ownership' THEN format('h%s.team', d.i) ELSE 'NULL::text' END,
        CASE WHEN d.kind IS NOT NULL AND f.from_timeline
             THEN format('coalesce(%s, ''{}'') AS paused%s', sla_private.in_statuses_sql(d.pause_statuses), d.i)
             WHEN d.kind IS NOT NULL THEN NULL
             WHEN f.from_timeline THEN format('%1$s AS started%4$s, coalesce(%2$s, ''{}'') AS stopping%4$s, coalesce(%3$s, ''{}'') AS paused%4$s',
            CASE WHEN d.start_statuses IS NULL THEN format('t.%I', sla_private.column_name(a.tickets, d.start_column))
                 ELSE format('lower(%s)', sla_private.in_statuses_sql(d.start_statuses)) END,
            sla_private.in_statuses_sql(coalesce(d.stop_statuses, '{}')),
            sla_private.in_statuses_sql(d.pause_statuses), d.i) END,
        CASE WHEN d.kind = 'ownership' THEN format($h$
  LEFT JOIN LATERAL (
      SELECT k.*
        FROM (SELECT (row_number() OVER (ORDER BY lower(q.r)))::integer AS cycle, o.team, lower(q.r) AS started,
                     upper(q.r) AS stopped
                FROM (SELECT g.team, g.changed_at, lead(g.changed_at) OVER (ORDER BY g.changed_at) AS until
                        FROM (SELECT g.*, lag(g.team) OVER (ORDER BY g.changed_at) AS previous
                                FROM (SELECT g.*, lead(g.changed_at) OVER (ORDER BY g.changed_at, g.id) AS next_change
                                        FROM sla_state.teams_%2$s g WHERE g.ticket_id = t.%3$I) g
                               WHERE g.next_change IS DISTINCT FROM g.changed_at) g
                       WHERE g.team IS DISTINCT FROM g.previous) o
               CROSS JOIN LATERAL unnest(tstzmultirange(tstzrange(o.changed_at, o.until))
                                         OPERATOR(pg_catalog.-) coalesce(s.resolved, '{}')) q(r)
               WHERE o.team IS NOT NULL) k%4$s) h%1$s ON true$h$,
            d.i, a.id, sla_private.column_name(a.tickets, a.id_column),
            CASE WHEN NOT every_cycle THEN '
       ORDER BY k.cycle DESC LIMIT 1' ELSE '' END) ELSE '' END
        || format($j$
  LEFT JOIN @extschema@.policies p%6$s
         ON p%6$s.id = @extschema@.policy_id_for(%1$L, %2$s, %3$s, %4$s, %7$s t.%5$I)
  LEFT JOIN @extschema@.calendar_values c%6$s ON c%6$s.name = p%6$s.calendar$j$,
            d.metric,
            sla_private.text_column_sql(a.tickets, a.priority_column),
            sla_private.text_column_sql(a.tickets, a.service_column),
            sla_private.text_column_sql(a.tickets, a.customer_column),
            sla_private.column_name(a.tickets, a.created_column), d.i,
            CASE WHEN d.kind = 'ownership' THEN format('h%s.team,', d.i) ELSE '' END)
        || CASE WHEN d.kind = 'ownership' THEN ''
        WHEN f.reads_messages AND every_cycle THEN format($h$
  LEFT JOIN LATERAL (
      SELECT y.cycle::integer, y.started, y.stopped, y.unanswered
        FROM unnest(sla_private.conversation_cycles(%2$L, msg.at, msg.author, s.resolved))
             WITH ORDINALITY y(started, stopped, unanswered, cycle)) h%1$s ON true$h$, d.i, d.kind)
        WHEN f.reads_messages THEN format($h$
  LEFT JOIN LATERAL (
      SELECT (x.r).cycle, (x.r).started, (x.r).stopped, (x.r).unanswered, (x.r).cycles, (x.r).breached_cycles
        FROM (SELECT sla_private.conversation_summary(%2$L, msg.at, msg.author, s.resolved,
                                                      p%1$s.target, c%1$s.cal, %3$s, %4$s) AS r OFFSET 0) x) h%1$s ON true$h$,
            d.i, d.kind, x.paused_sql, as_of)
        WHEN f.cycles_join THEN format($h$
  LEFT JOIN LATERAL (
      SELECT k.cycle, k.started, k.stopped
        FROM (%4$s) x
       CROSS JOIN LATERAL (%2$s) k%3$s) h%1$s ON true$h$,
            d.i,
            CASE WHEN d.each_cycle
                 THEN 'SELECT c.cycle::integer, lower(c.r) AS started, upper(c.r) AS stopped
                         FROM unnest(tstzmultirange(tstzrange(x.started, NULL)) OPERATOR(pg_catalog.-) x.stopping)
                              WITH ORDINALITY c(r, cycle)
                        WHERE x.started IS NOT NULL'
                 ELSE 'SELECT CASE WHEN x.started IS NOT NULL THEN 1 END AS cycle, x.started,
                              lower(x.stopping OPERATOR(pg_catalog.*) tstzmultirange(tstzrange(x.started, NULL))) AS stopped' END,
            CASE WHEN d.each_cycle AND NOT every_cycle THEN '
       ORDER BY k.cycle DESC LIMIT 1' ELSE '' END,
            CASE WHEN f.stop_column_cycles
                 THEN format($s$SELECT %1$s AS started,
                      coalesce(range_agg(tstzrange(st.stopped_at, st.cleared_at)) FILTER (WHERE st.stopped_at < st.cleared_at), '{}')
                      OPERATOR(pg_catalog.+) CASE WHEN t.%2$I IS NULL THEN '{}' ELSE tstzmultirange(tstzrange(t.%2$I, NULL)) END AS stopping
                 FROM sla_state.stops_%3$s st WHERE st.ticket_id = t.%4$I AND st.metric = %5$L$s$,
                      y.start_from, sla_private.column_name(a.tickets, d.stop_column), a.id,
                      sla_private.column_name(a.tickets, a.id_column), d.metric)
                 ELSE format('SELECT tl.started%1$s AS started, tl.stopping%1$s AS stopping', d.i) END)
        ELSE '' END
        || format($j$
  LEFT JOIN LATERAL (
      %s) e%s ON true$j$,
            format(CASE WHEN sla_private.is_distributed(a)
                        THEN 'SELECT ROW(r.*)::@extschema@.result AS r FROM @extschema@.evaluate(CASE WHEN %3$s THEN %1$s END, %2$s) r'
                        ELSE 'SELECT @extschema@.evaluate(%1$s, %2$s) AS r WHERE %3$s OFFSET 0' END,
                   x.start_sql,
                   format('p%1$s.target, c%1$s.cal, %2$s, %3$s, %4$s, p%1$s.warn_at', d.i, x.stop_sql, x.paused_sql, as_of),
                   sla_private.evaluable_sql(x.start_sql, x.stop_sql)),
            d.i)
      FROM sla_private.metric_definitions(a) d
     CROSS JOIN LATERAL (
         SELECT d.start_statuses IS NOT NULL OR d.stop_statuses IS NOT NULL
                OR NOT (d.pause_statuses = '{}' OR sla_private.same_statuses(d.pause_statuses, a.paused_statuses)) AS from_timeline,
                d.each_cycle AND d.stop_column IS NOT NULL AS stop_column_cycles,
                d.kind IN ('next_reply', 'periodic_update') AS reads_messages,
                d.kind IS NOT NULL OR d.stop_statuses IS NOT NULL OR (d.each_cycle AND d.stop_column IS NOT NULL) AS cycles_join) f
     CROSS JOIN LATERAL (
         SELECT CASE WHEN f.from_timeline THEN format('tl.started%s', d.i)
                     ELSE format('t.%I', sla_private.column_name(a.tickets, d.start_column)) END AS start_from) y
     CROSS JOIN LATERAL (
         SELECT CASE WHEN f.cycles_join THEN format('h%s.started', d.i) ELSE y.start_from END AS start_sql,
                CASE WHEN f.cycles_join THEN format('h%s.stopped', d.i)
                     ELSE format('t.%I', sla_private.column_name(a.tickets, d.stop_column)) END AS stop_sql,
                CASE WHEN f.from_timeline THEN format('tl.paused%s', d.i)
                     WHEN d.pause_statuses = '{}' THEN '''{}''::tstzmultirange'
                     ELSE 's.paused' END AS paused_sql,
                CASE WHEN f.cycles_join THEN format('h%s.cycle', d.i)
                     ELSE format('CASE WHEN %s IS NOT NULL THEN 1 END', y.start_from) END AS cycle_sql) x
$$;

-- The joins the metrics of a query share, for the ticket "t": tl, which
-- computes in one scan of its status timeline the aggregates
-- "timeline_columns" (the timeline_columns of clock_joins for the metrics
-- of a query, comma-separated; NULL when none), and, when "messages", msg,
-- its row of messages_<n>.
CREATE FUNCTION sla_private.shared_joins(a @extschema@.attachments, timeline_columns text, messages boolean) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN timeline_columns IS NULL THEN '' ELSE format($t$
  LEFT JOIN LATERAL (
      SELECT %1$s
        FROM (%2$s) h WHERE h.ticket_id = t.%3$I) tl ON true$t$,
        timeline_columns, sla_private.status_timeline_sql(a), sla_private.column_name(a.tickets, a.id_column)) END
        || CASE WHEN messages THEN format($m$
  LEFT JOIN sla_state.messages_%s msg ON msg.ticket_id = t.%I$m$, a.id, sla_private.column_name(a.tickets, a.id_column))
           ELSE '' END
$$;

-- Whether two status lists hold the same statuses.
CREATE FUNCTION sla_private.same_statuses(x text[], y text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT x OPERATOR(pg_catalog.@>) y AND x OPERATOR(pg_catalog.<@) y
$$;

-- SQL aggregating a ticket's status timeline "h" (status_timeline_sql) to
-- the ranges it spent in one of the statuses.
CREATE FUNCTION sla_private.in_statuses_sql(statuses text[]) RETURNS text
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('@extschema@.pauses(h.changed_at, h.status = ANY (%L::text[]) ORDER BY h.changed_at, h.id)', statuses)
$$;

-- The FROM clause shared by the SLA view and the reports: the tickets
-- "source" (a table or rows with its columns, aliased t), their state s
-- as readers see it (state_sql), the instant the clocks are read at as
-- n.as_of (computed once: where Citus runs a view on the workers, on the
-- coordinator, so that every worker reads the clocks at the same instant),
-- and the joins of every metric.
CREATE FUNCTION sla_private.clock_from(a @extschema@.attachments, source text, as_of text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('
  FROM %s t
  LEFT JOIN (%s) s ON s.ticket_id = t.%I
 CROSS JOIN (SELECT %s AS as_of) n', source, sla_private.state_sql(a), sla_private.column_name(a.tickets, a.id_column), as_of)
        || sla_private.shared_joins(a, string_agg(j.timeline_columns, ', ' ORDER BY j.i), bool_or(j.reads_messages))
        || string_agg(j.joins, '' ORDER BY j.i)
      FROM sla_private.clock_joins(a, 'n.as_of', false) j
$$;

-- The ticket columns the clocks read, with their names: id, created, the
-- start and stop columns, and priority, service and customer as text.  The sweep and
-- the reports read them as the table's owner (sla_private.select_as) and
-- run clock_from over the rows, under these names.
CREATE FUNCTION sla_private.clock_columns(a @extschema@.attachments, OUT select_list text, OUT definition text)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH c(k, attnum, type) AS (
        VALUES (1, a.id_column, format_type(sla_private.id_type(a.tickets, a.id_column), NULL)),
               (2, a.created_column, 'timestamptz'),
               (4, a.priority_column, 'text'), (5, a.service_column, 'text'), (6, a.customer_column, 'text')
        UNION ALL
        SELECT 3, c.attnum, 'timestamptz' FROM sla_private.metric_definitions(a) d,
                                               unnest(ARRAY[d.start_column, d.stop_column]) c(attnum)),
    n AS (SELECT DISTINCT ON (c.attnum) c.k, sla_private.column_name(a.tickets, c.attnum) AS name, c.type
            FROM c WHERE c.attnum IS NOT NULL ORDER BY c.attnum, c.k)
    SELECT string_agg(format('t.%I::%s AS %1$I', n.name, n.type), ', ' ORDER BY n.k, n.name),
           string_agg(format('%I %s', n.name, n.type), ', ' ORDER BY n.k, n.name)
      FROM n
$$;

-- The time a ticket has been paused before an instant: of its paused
-- ranges, what lies before it (a function, not a subquery in the view, so
-- that Citus computes it on the workers).
CREATE FUNCTION sla_private.paused_before(paused tstzmultirange, as_of timestamptz) RETURNS interval
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT sum(least(upper(r), as_of) - lower(r)) FROM unnest(paused) r
                      WHERE lower(r) < as_of AND isfinite(lower(r))), interval '0')
$$;

-- Create the SLA view of an attached table, owned by the table's owner:
-- every ticket column, then per metric its policy, target, due time, state,
-- elapsed, remaining, used (of its current cycle); then the time paused so
-- far; then per metric its current cycle (from 1, NULL until started) and
-- the cycle's start, and for a metric of a message kind the cycle's stop,
-- its cycles so far and how many of them breached, for an ownership
-- metric the period's stop and team.  "replace" makes it over the attachment's
-- existing view in place (keeping its grants and the views built on it),
-- as the upgrade from 1.0 does.
CREATE FUNCTION sla_private.create_view(a @extschema@.attachments, name text, replace boolean) RETURNS regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    columns text;
    cycle_columns text;
BEGIN
    SELECT string_agg(format(',
       p%1$s.name AS %2$I, p%1$s.target AS %3$I, (e%1$s.r).due_at AS %4$I, %10$s AS %5$I,
       (e%1$s.r).elapsed AS %6$I, extract(epoch FROM (e%1$s.r).elapsed) AS %7$I,
       (e%1$s.r).remaining AS %8$I, (e%1$s.r).used AS %9$I',
           j.i, sla_private.short_name(j.metric, '_policy'), sla_private.short_name(j.metric, '_target'),
           sla_private.short_name(j.metric, '_due_at'), sla_private.short_name(j.metric, '_state'),
           sla_private.short_name(j.metric, '_elapsed'), sla_private.short_name(j.metric, '_elapsed_seconds'),
           sla_private.short_name(j.metric, '_remaining'), sla_private.short_name(j.metric, '_used'), j.state_sql),
           '' ORDER BY j.i),
           string_agg(format(',
       %1$s AS %2$I, %4$s AS %3$I',
           j.cycle_sql, sla_private.short_name(j.metric, '_cycle'), sla_private.short_name(j.metric, '_started_at'), j.start_sql)
           || CASE WHEN j.reads_messages THEN format(',
       h%1$s.stopped AS %4$I, coalesce(h%1$s.cycles, 0)::integer AS %2$I,
       CASE WHEN p%1$s.name IS NOT NULL THEN coalesce(h%1$s.breached_cycles, 0)::integer END AS %3$I',
           j.i, sla_private.short_name(j.metric, '_cycles'), sla_private.short_name(j.metric, '_breached_cycles'),
           sla_private.short_name(j.metric, '_stopped_at'))
                   WHEN j.kind = 'ownership' THEN format(',
       h%1$s.stopped AS %2$I, h%1$s.team AS %3$I',
           j.i, sla_private.short_name(j.metric, '_stopped_at'), sla_private.short_name(j.metric, '_team')) ELSE '' END,
           '' ORDER BY j.i)
      INTO columns, cycle_columns
      FROM sla_private.clock_joins(a, 'n.as_of', false) j;
    EXECUTE format('CREATE %sVIEW %s WITH (security_invoker = true) AS
SELECT t.*%s,
       sla_private.paused_before(s.paused, n.as_of) AS paused_for%s%s',
        CASE WHEN replace THEN 'OR REPLACE ' ELSE '' END, name, columns, cycle_columns, sla_private.clock_from(a, a.tickets::text, 'now()'));
    EXECUTE format('ALTER VIEW %s OWNER TO %I', name, pg_get_userbyid(sla_private.owner_of(a.tickets)));
    EXECUTE format('COMMENT ON VIEW %s IS %L', name,
                   format('SLA clocks of the tickets of %s (sla.attach); readers see the tickets they may SELECT', a.tickets));
    RETURN name::regclass;
END $$;
