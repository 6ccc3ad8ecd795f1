/* sql/install/50-reporting.sql: compliance views, percentiles, what-if and suggested targets (part of the install script, see Makefile) */

-- Reporting -------------------------------------------------------------------
-- Compliance views for BI tools, business-time percentiles, what-if on the
-- history, suggested targets, availability, downtime budgets and service
-- credits.  Business time always comes from the C functions (business_time,
-- open_windows) through the policy and calendar choice of the SLA view
-- (clock_joins), never from calendar logic written here.
--
-- "History" for percentiles, what_if and suggest_target means the tickets
-- (the cycles, for metrics counted per cycle) of an attached table whose
-- clock for the metric has stopped (the metric's stop column is set), but
-- for next-reply cycles closed unanswered, that have a policy for the
-- metric and whose creation instant lies in "during"; their business time
-- is the elapsed time of the SLA view (the policy's calendar, the ticket's
-- pauses).

-- Arguments -------------------------------------------------------------------

-- The attachment whose SLA view (or ticket table) is "view", or an error.
CREATE FUNCTION sla_private.attachment_for_view(view regclass) RETURNS @extschema@.attachments
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result @extschema@.attachments;
BEGIN
    IF view IS NULL THEN
        RAISE EXCEPTION 'view must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO result
      FROM @extschema@.attachments a
     WHERE a.view = attachment_for_view.view OR a.tickets = attachment_for_view.view;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not the SLA view of an attached table', view
            USING ERRCODE = '22023',
                  HINT = 'Pass the view that sla.attach() created (sla.attachments.view), or the attached table.';
    END IF;
    RETURN result;
END $$;

-- An error unless the attachment tracks the metric.
CREATE FUNCTION sla_private.check_metric(a @extschema@.attachments, metric text) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF metric IS NULL THEN
        RAISE EXCEPTION 'metric must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF NOT a.metrics ? metric THEN
        RAISE EXCEPTION 'metric "%" is not tracked on %', metric, a.view
            USING ERRCODE = '22023',
                  DETAIL = format('The metrics of %s are: %s.', a.view,
                                  (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(a.metrics) k));
    END IF;
END $$;

-- Per ticket rows --------------------------------------------------------------

-- A query with one row per ticket (per cycle, for metrics counted per
-- cycle) of an attached table that has a policy for the metric: its id,
-- creation instant, its clock's start and stop, creation day in the policy
-- calendar's zone, policy, calendar (name and value), target, priority,
-- service and customer (as text), clock state and elapsed business time as
-- of now() (as in the SLA view), times reopened, paused ranges, and the
-- owning team (ownership metrics).  The policy and the clock are the SLA
-- view's (clock_joins).
--
-- Two parts, of which only one runs (a one-time filter): when all policies
-- of the metric use calendars of one zone (the usual case), the day is known
-- from the ticket alone, so that a filter on the day is applied before the
-- policy of each ticket is looked up; the day is then computed once per
-- ticket under an optimization fence (a filter such as "day >= a AND
-- day < b" would otherwise convert each creation instant twice).  When the
-- zones differ, the day comes from the zone of each ticket's policy.
CREATE FUNCTION sla_private.metric_rows_sql(a @extschema@.attachments, metric text) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    j record;
    id_name name := sla_private.column_name(a.tickets, a.id_column);
    created_name name := sla_private.column_name(a.tickets, a.created_column);
    one_zone text;
    day_column name := '_sla_day';
    day text;
    columns text[] := '{}';
    joins text;
    condition text;
BEGIN
    SELECT * INTO STRICT j FROM sla_private.clock_joins(a, 'now()', true) c WHERE c.metric = metric_rows_sql.metric;
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
                               format('(t.%I AT TIME ZONE z%s.zone)::date', created_name, j.i)] LOOP
        columns := columns || format($c$t.%1$I::text AS ticket_id, %2$L::text AS metric,
       t.%3$I AS created_at, %10$s AS started_at, %4$s AS stopped_at, %9$s AS day,
       p%5$s.name AS policy, p%5$s.calendar AS calendar, c%5$s.cal AS cal, p%5$s.target AS target,
       %6$s AS priority, %7$s AS service, %8$s AS customer,
       %12$s AS state, (e%5$s.r).elapsed AS elapsed,
       coalesce(s.reopened, 0) AS reopened, coalesce(%11$s, '{}') AS paused, %13$s AS team$c$,
            id_name, j.metric, created_name, j.stop_sql, j.i,
            sla_private.text_column_sql(a.tickets, a.priority_column),
            sla_private.text_column_sql(a.tickets, a.service_column),
            sla_private.text_column_sql(a.tickets, a.customer_column),
            day, j.start_sql, j.paused_sql, j.state_sql, j.team_sql);
    END LOOP;
    joins := format($f$
  LEFT JOIN (%1$s) s ON s.ticket_id = t.%2$I%3$s$f$, sla_private.state_sql(a), id_name, sla_private.shared_joins(a, j.timeline_columns, j.reads_messages) || j.joins);
    condition := format('t.%I IS NOT NULL AND %s IS NOT NULL AND p%s.name IS NOT NULL', created_name, j.start_sql, j.i);
    RETURN format($q$
SELECT %1$s
  FROM (SELECT t.*, (t.%2$I AT TIME ZONE (%3$s))::date AS %4$I FROM %5$s t OFFSET 0) t%6$s
 WHERE %7$s AND (%3$s) IS NOT NULL
UNION ALL
SELECT %8$s
  FROM %5$s t%6$s
  JOIN @extschema@.calendars z%9$s ON z%9$s.name = p%9$s.calendar
 WHERE %7$s AND (%3$s) IS NULL$q$,
        columns[1], created_name, one_zone, day_column, a.tickets, joins, condition, columns[2], j.i);
END $$;

-- Compliance views --------------------------------------------------------------

-- The name of a reporting view of an attachment: its SLA view's name
-- followed by "suffix" (shortened to 63 bytes), in the same schema; NULL
-- when the SLA view is gone.
CREATE FUNCTION sla_private.reporting_view_name(a @extschema@.attachments, suffix text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('%I.%I', n.nspname, sla_private.short_name(c.relname, suffix))
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = a.view
$$;

-- Ownership views ---------------------------------------------------------------

-- Create (or replace) the ownership view <SLA view>_ownership of an
-- attachment with an ownership metric (the first in name order): one row
-- per ticket and period a team owned it (while not resolved): the ticket's
-- id, the team, owned_from, owned_until (NULL while owned), the business
-- time of the period and the time paused in it, and the ownership policy
-- matching the team with its target and the clock's state.  The business
-- time is the policy calendar's, or, without a policy, the wall time, less
-- the pauses either way.
CREATE FUNCTION sla_private.create_ownership_view(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    view text := sla_private.reporting_view_name(a, '_ownership');
    j record;
    held text;
BEGIN
    SELECT * INTO j FROM sla_private.clock_joins(a, 'now()', true) c WHERE c.kind = 'ownership' ORDER BY c.i LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    held := format('tstzmultirange(tstzrange(h%1$s.started, coalesce(h%1$s.stopped, now())))', j.i);
    EXECUTE format($v$CREATE OR REPLACE VIEW %1$s WITH (security_invoker = true) AS
SELECT t.%2$I, h%3$s.team, h%3$s.started AS owned_from, h%3$s.stopped AS owned_until,
       w.business_time, extract(epoch FROM w.business_time) AS business_seconds, w.paused_for,
       p%3$s.name AS policy, p%3$s.target AS target, ((e%3$s.r).state)::text AS state
  FROM %4$s t
  LEFT JOIN (%5$s) s ON s.ticket_id = t.%2$I%6$s
 CROSS JOIN LATERAL (
       SELECT coalesce((e%3$s.r).elapsed,
                       @extschema@.business_time(h%3$s.started, coalesce(h%3$s.stopped, now()),
                                                 @extschema@.calendar('24/7', 'UTC'), %7$s)) AS business_time,
              coalesce((SELECT sum(upper(r) - lower(r))
                          FROM unnest(coalesce(%7$s, '{}') OPERATOR(pg_catalog.*) %8$s) r), interval '0') AS paused_for) w
 WHERE h%3$s.cycle IS NOT NULL$v$,
        view, sla_private.column_name(a.tickets, a.id_column), j.i, a.tickets, sla_private.state_sql(a),
        sla_private.shared_joins(a, j.timeline_columns, j.reads_messages) || j.joins, j.paused_sql, held);
    EXECUTE format('COMMENT ON VIEW %s IS %L', view, format(
        'Ownership periods of the tickets of %s per owning team (metric %s): business time held, time paused, '
        'the ownership policy matching the team and its state; readers see the tickets they may SELECT', a.tickets, j.metric));
    EXECUTE format('ALTER VIEW %s OWNER TO %I', view, pg_get_userbyid(sla_private.owner_of(a.tickets)));
END $$;

CREATE FUNCTION sla_private.create_reporting_views(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    view text := sla_private.reporting_view_name(a, '_compliance');
    branches text;
BEGIN
    PERFORM sla_private.create_ownership_view(a);
    SELECT string_agg(sla_private.metric_rows_sql(a, m), '
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
       coalesce(sum(extract(epoch FROM r.elapsed)) FILTER (WHERE r.stopped_at IS NOT NULL AND r.state <> 'closed_unanswered'), 0)
         AS business_seconds_sum,
       trim_scale((count(*) FILTER (WHERE r.state = 'met'))::numeric
                  / nullif(count(*) FILTER (WHERE r.state IN ('met', 'breached')), 0)) AS compliance,
       count(*) FILTER (WHERE r.state = 'closed_unanswered') AS closed_unanswered,
       r.team
  FROM (%s) r
 GROUP BY r.day, r.metric, r.policy, r.priority, r.service, r.customer, r.team$v$, view, branches);
    EXECUTE format('COMMENT ON VIEW %s IS %L', view, format(
        'SLA compliance of %s per creation day (in the policy calendar''s zone), metric, policy, priority, service '
        'and customer, and owning team for ownership metrics (per cycle for metrics counted per cycle): '
        'total = met + breached + running + closed_unanswered; '
        'open_breached are breached and not stopped; closed_unanswered are next-reply cycles ended by a resolution '
        'without a reply; compliance = met / (met + breached)', a.tickets));
    EXECUTE format('ALTER VIEW %s OWNER TO %I', view, pg_get_userbyid(sla_private.owner_of(a.tickets)));
END $$;
COMMENT ON FUNCTION sla_private.create_reporting_views(@extschema@.attachments) IS
    'Create (or replace) the compliance view <SLA view>_compliance of an attached table, and its ownership view';

CREATE FUNCTION sla_private.drop_reporting_views(a @extschema@.attachments) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    view text;
BEGIN
    FOREACH view IN ARRAY ARRAY[sla_private.reporting_view_name(a, '_compliance'), sla_private.reporting_view_name(a, '_ownership')] LOOP
        IF view IS NOT NULL AND to_regclass(view) IS NOT NULL THEN      -- quietly, when it is gone already
            EXECUTE format('DROP VIEW %s', view);
        END IF;
    END LOOP;
END $$;
COMMENT ON FUNCTION sla_private.drop_reporting_views(@extschema@.attachments) IS
    'Drop the compliance and ownership views of an attached table';

-- Percentiles, what-if, suggested targets -----------------------------------------

CREATE FUNCTION @extschema@.percentiles(view regclass, metric text, during tstzrange,
        fractions float8[] DEFAULT '{0.5,0.9,0.95}')
    RETURNS TABLE (policy text, fraction float8, elapsed interval, elapsed_seconds numeric, tickets bigint)
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.percentiles(regclass, text, tstzrange, float8[]) IS
    'Nearest-rank percentiles (the k-th smallest, k = ceil(fraction x tickets)) of the business time of stopped tickets created in during, per policy';

-- sla.percentiles, as the extension's owner for "caller": the query runs as the
-- table's reader (sla_private.reader_for) in a security-restricted operation.
CREATE FUNCTION sla_private.percentiles(caller oid, view regclass, metric text, during tstzrange,
        fractions float8[])
    RETURNS TABLE (policy text, fraction float8, elapsed interval, elapsed_seconds numeric, tickets bigint)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_for_view(view);
    f float8;
BEGIN
    PERFORM sla_private.check_metric(a, metric);
    PERFORM sla_private.check_during(during, false);
    IF fractions IS NULL OR cardinality(fractions) = 0 THEN
        RAISE EXCEPTION 'fractions must not be empty' USING ERRCODE = '22023';
    END IF;
    FOREACH f IN ARRAY fractions LOOP
        IF f IS NULL OR f = 'NaN' OR f < 0 OR f > 1 THEN
            RAISE EXCEPTION 'each fraction must be from 0 to 1, not %', coalesce(f::text, 'NULL')
                USING ERRCODE = '22023', HINT = 'Write the 95th percentile as 0.95.';
        END IF;
    END LOOP;
    RETURN QUERY EXECUTE format('SELECT * FROM sla_private.select_as(%s, %L, $1, $2) AS r(policy text, fraction float8, elapsed interval, elapsed_seconds numeric, tickets bigint)',
        sla_private.reader_for(caller, a.tickets), format($q$
SELECT s.policy, f.fraction, s.elapsed, extract(epoch FROM s.elapsed), s.n
  FROM (SELECT r.policy, r.elapsed,
               row_number() OVER (PARTITION BY r.policy ORDER BY r.elapsed) AS k,
               count(*) OVER (PARTITION BY r.policy) AS n
          FROM (%s) r
         WHERE r.stopped_at IS NOT NULL AND r.state <> 'closed_unanswered' AND $1 @> r.created_at) s
  JOIN unnest($2) WITH ORDINALITY f(fraction, ord)
    ON s.k = greatest(1, ceil(f.fraction::numeric * s.n))
 ORDER BY s.policy, f.ord$q$, sla_private.metric_rows_sql(a, metric)))
    USING during, fractions;
END $$;

CREATE FUNCTION @extschema@.what_if(view regclass, metric text, target interval,
        calendar text DEFAULT NULL, during tstzrange DEFAULT '(,)')
    RETURNS TABLE (policy text, tickets bigint, actual_target interval, actual_met bigint, actual_compliance numeric,
                   what_if_target interval, what_if_calendar text, what_if_met bigint, what_if_compliance numeric)
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.what_if(regclass, text, interval, text, tstzrange) IS
    'Per policy, the compliance that stopped tickets created in during had, and would have had with another target (NULL: the policy''s) and named calendar (NULL: the policy''s), their pauses kept';

-- sla.what_if, as the extension's owner for "caller": the query runs as the
-- table's reader (sla_private.reader_for) in a security-restricted operation.
CREATE FUNCTION sla_private.what_if(caller oid, view regclass, metric text, target interval,
        calendar text, during tstzrange)
    RETURNS TABLE (policy text, tickets bigint, actual_target interval, actual_met bigint, actual_compliance numeric,
                   what_if_target interval, what_if_calendar text, what_if_met bigint, what_if_compliance numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_for_view(view);
    cal @extschema@.calendar;
BEGIN
    PERFORM sla_private.check_metric(a, metric);
    PERFORM sla_private.check_during(during, false);
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
    RETURN QUERY EXECUTE format('SELECT * FROM sla_private.select_as(%s, %L, $1, $2, $3, $4) AS r(policy text, tickets bigint, actual_target interval, actual_met bigint, actual_compliance numeric, what_if_target interval, what_if_calendar text, what_if_met bigint, what_if_compliance numeric)',
        sla_private.reader_for(caller, a.tickets), format($q$
SELECT r.policy, count(*),
       CASE WHEN min(r.target) = max(r.target) THEN min(r.target) END,
       count(*) FILTER (WHERE r.state = 'met'),
       trim_scale((count(*) FILTER (WHERE r.state = 'met'))::numeric / count(*)),
       coalesce($2, CASE WHEN min(r.target) = max(r.target) THEN min(r.target) END),
       coalesce($3, CASE WHEN min(r.calendar) = max(r.calendar) THEN min(r.calendar) END),
       count(*) FILTER (WHERE w.met),
       trim_scale((count(*) FILTER (WHERE w.met))::numeric / count(*))
  FROM (%s) r
 -- met: stopped no later than the deadline the target and calendar give
 CROSS JOIN LATERAL (SELECT r.stopped_at <= @extschema@.business_add(r.started_at, coalesce($2, r.target),
                                                                     coalesce($4, r.cal), r.paused) AS met) w
 WHERE r.stopped_at IS NOT NULL AND r.state <> 'closed_unanswered' AND $1 @> r.created_at
 GROUP BY r.policy
 ORDER BY r.policy$q$, sla_private.metric_rows_sql(a, metric)))
    USING during, what_if.target, what_if.calendar, cal;
END $$;

CREATE FUNCTION @extschema@.suggest_target(view regclass, metric text, compliance float8, during tstzrange DEFAULT '(,)')
    RETURNS TABLE (policy text, tickets bigint, current_target interval, current_compliance numeric,
                   suggested_target interval, suggested_compliance numeric)
    AS 'MODULE_PATHNAME', 'sla_call_privileged' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.suggest_target(regclass, text, float8, tstzrange) IS
    'Per policy, the smallest whole-minute target that stopped tickets created in during would have met at the compliance (a fraction), beside the current one';

-- sla.suggest_target, as the extension's owner for "caller": the query runs as the
-- table's reader (sla_private.reader_for) in a security-restricted operation.
CREATE FUNCTION sla_private.suggest_target(caller oid, view regclass, metric text, compliance float8, during tstzrange)
    RETURNS TABLE (policy text, tickets bigint, current_target interval, current_compliance numeric,
                   suggested_target interval, suggested_compliance numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a @extschema@.attachments := sla_private.attachment_for_view(view);
BEGIN
    PERFORM sla_private.check_metric(a, metric);
    PERFORM sla_private.check_during(during, false);
    PERFORM sla_private.check_fraction(suggest_target.compliance::numeric, 'compliance', true);
    RETURN QUERY EXECUTE format('SELECT * FROM sla_private.select_as(%s, %L, $1, $2) AS r(policy text, tickets bigint, current_target interval, current_compliance numeric, suggested_target interval, suggested_compliance numeric)',
        sla_private.reader_for(caller, a.tickets), format($q$
WITH r AS (SELECT * FROM (%s) r WHERE r.stopped_at IS NOT NULL AND r.state <> 'closed_unanswered' AND $1 @> r.created_at),
-- the k-th smallest elapsed time, k the tickets the compliance asks for
s AS (SELECT r.policy, count(*) AS n, greatest(1, ceil($2::numeric * count(*)))::bigint AS k,
             CASE WHEN min(r.target) = max(r.target) THEN min(r.target) END AS current_target,
             count(*) FILTER (WHERE r.state = 'met') AS current_met,
             array_agg(r.elapsed ORDER BY r.elapsed) AS all_elapsed
        FROM r GROUP BY r.policy),
-- a whole-minute target above it meets those k; one equal to it only those
-- stopped right at its deadline (met is: stopped no later than the deadline)
g AS (SELECT s.*, make_interval(mins => greatest(1, ceil(extract(epoch FROM s.all_elapsed[s.k]) / 60))::integer) AS t0
        FROM s),
m AS (SELECT g.policy,
             count(*) FILTER (WHERE r.stopped_at <= @extschema@.business_add(r.started_at, g.t0, r.cal, r.paused)) AS met0,
             count(*) FILTER (WHERE r.stopped_at <= @extschema@.business_add(r.started_at, g.t0 + interval '1 minute', r.cal, r.paused)) AS met1
        FROM g JOIN r ON r.policy = g.policy GROUP BY g.policy)
SELECT g.policy, g.n, g.current_target, trim_scale(g.current_met::numeric / g.n),
       CASE WHEN m.met0 >= g.k THEN g.t0 ELSE g.t0 + interval '1 minute' END,
       trim_scale(CASE WHEN m.met0 >= g.k THEN m.met0 ELSE m.met1 END::numeric / g.n)
  FROM g JOIN m ON m.policy = g.policy
 ORDER BY g.policy$q$, sla_private.metric_rows_sql(a, metric)))
    USING during, suggest_target.compliance;
END $$;

