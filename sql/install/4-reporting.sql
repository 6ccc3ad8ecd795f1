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
