/* sql/install/44-views.sql: the clocks of an attached table's tickets, as SQL shared by the SLA view, the sweep and the reports (part of the install script, see Makefile) */

-- A ticket column as text in SQL over the tickets "t" (its type's cast to
-- text), or NULL::text when the attachment has no such column.
CREATE FUNCTION sla_private.text_column_sql(tickets regclass, attnum smallint) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT format('t.%I::text', a.attname) FROM pg_attribute a
                      WHERE a.attrelid = $1 AND a.attnum = $2 AND NOT a.attisdropped), 'NULL::text')
$$;

-- The joins that give each metric of an attached table its policy (p<i>),
-- calendar (c<i>) and clock (e<i>.r, sla.result) as of the SQL expression
-- "as_of"; the ticket is "t" (the table, or rows with its column names),
-- its state "s".  Metrics in name order.  A ticket whose creation or stop
-- instant is infinite or beyond the years calendars are evaluated in has
-- no clock (NULL), so that one such row cannot break a view or a sweep.
CREATE FUNCTION sla_private.clock_joins(a @extschema@.attachments, as_of text,
        OUT metric text, OUT i integer, OUT stop_column name, OUT joins text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT m.key, (row_number() OVER (ORDER BY m.key))::integer, sla_private.column_name(a.tickets, m.value::smallint),
        format($j$
  LEFT JOIN @extschema@.policies p%6$s
         ON p%6$s.id = @extschema@.policy_id_for(%1$L, %2$s, %3$s, %4$s, t.%5$I)
  LEFT JOIN @extschema@.calendar_values c%6$s ON c%6$s.name = p%6$s.calendar
  LEFT JOIN LATERAL (
      SELECT @extschema@.evaluate(t.%5$I, p%6$s.target, c%6$s.cal, t.%7$I, s.paused, %8$s, p%6$s.warn_at) AS r
       WHERE t.%5$I >= '0001-01-02 00:00+00' AND t.%5$I <= '9990-01-01 00:00+00'
         AND (t.%7$I IS NULL OR (t.%7$I >= '0001-01-02 00:00+00' AND t.%7$I <= '9990-01-01 00:00+00'))
      OFFSET 0) e%6$s ON true$j$,
        m.key,
        sla_private.text_column_sql(a.tickets, a.priority_column),
        sla_private.text_column_sql(a.tickets, a.service_column),
        sla_private.text_column_sql(a.tickets, a.customer_column),
        sla_private.column_name(a.tickets, a.created_column),
        row_number() OVER (ORDER BY m.key),
        sla_private.column_name(a.tickets, m.value::smallint),
        as_of)
      FROM jsonb_each_text(a.metrics) m
$$;

-- The FROM clause shared by the SLA view and the reports: the tickets
-- "source" (a table or rows with its columns, aliased t), their state s as
-- readers see it (state_sql), and the joins of every metric.
CREATE FUNCTION sla_private.clock_from(a @extschema@.attachments, source text, as_of text) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT format('
  FROM %s t
  LEFT JOIN (%s) s ON s.ticket_id = t.%I', source, sla_private.state_sql(a), sla_private.column_name(a.tickets, a.id_column))
        || string_agg(j.joins, '' ORDER BY j.i)
      FROM sla_private.clock_joins(a, as_of) j
$$;

-- The ticket columns the clocks read, with their names: id, created, the
-- stop columns, and priority, service and customer as text.  The sweep and
-- the reports read them as the table's owner (sla_private.select_as) and
-- run clock_from over the rows, under these names.
CREATE FUNCTION sla_private.clock_columns(a @extschema@.attachments, OUT select_list text, OUT definition text)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH c(k, attnum, type) AS (
        VALUES (1, a.id_column, format_type(sla_private.id_type(a.tickets, a.id_column), NULL)),
               (2, a.created_column, 'timestamptz'),
               (4, a.priority_column, 'text'), (5, a.service_column, 'text'), (6, a.customer_column, 'text')
        UNION ALL
        SELECT 3, m.value::smallint, 'timestamptz' FROM jsonb_each_text(a.metrics) m),
    n AS (SELECT DISTINCT ON (c.attnum) c.k, sla_private.column_name(a.tickets, c.attnum) AS name, c.type
            FROM c WHERE c.attnum IS NOT NULL ORDER BY c.attnum, c.k)
    SELECT string_agg(format('t.%I::%s AS %1$I', n.name, n.type), ', ' ORDER BY n.k, n.name),
           string_agg(format('%I %s', n.name, n.type), ', ' ORDER BY n.k, n.name)
      FROM n
$$;

-- Create the SLA view of an attached table, owned by the table's owner:
-- every ticket column, then per metric its policy, target, due time, state,
-- elapsed, remaining, used; then the time paused so far.  "replace" makes
-- it over the attachment's existing view in place (keeping its grants and
-- the views built on it), as the upgrade from 1.0 does.
CREATE FUNCTION sla_private.create_view(a @extschema@.attachments, name text, replace boolean) RETURNS regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    columns text;
BEGIN
    SELECT string_agg(format(',
       p%1$s.name AS %2$I, p%1$s.target AS %3$I, (e%1$s.r).due_at AS %4$I, ((e%1$s.r).state)::text AS %5$I,
       (e%1$s.r).elapsed AS %6$I, extract(epoch FROM (e%1$s.r).elapsed) AS %7$I,
       (e%1$s.r).remaining AS %8$I, (e%1$s.r).used AS %9$I',
           j.i, sla_private.short_name(j.metric, '_policy'), sla_private.short_name(j.metric, '_target'),
           sla_private.short_name(j.metric, '_due_at'), sla_private.short_name(j.metric, '_state'),
           sla_private.short_name(j.metric, '_elapsed'), sla_private.short_name(j.metric, '_elapsed_seconds'),
           sla_private.short_name(j.metric, '_remaining'), sla_private.short_name(j.metric, '_used')),
           '' ORDER BY j.i)
      INTO columns
      FROM sla_private.clock_joins(a, 'now()') j;
    EXECUTE format('CREATE %sVIEW %s WITH (security_invoker = true) AS
SELECT t.*%s,
       coalesce((SELECT sum(least(upper(r), now()) - lower(r)) FROM unnest(s.paused) r
                  WHERE lower(r) < now() AND isfinite(lower(r))),
                interval ''0'') AS paused_for%s',
        CASE WHEN replace THEN 'OR REPLACE ' ELSE '' END, name, columns, sla_private.clock_from(a, a.tickets::text, 'now()'));
    EXECUTE format('ALTER VIEW %s OWNER TO %I', name, pg_get_userbyid(sla_private.owner_of(a.tickets)));
    EXECUTE format('COMMENT ON VIEW %s IS %L', name,
                   format('SLA clocks of the tickets of %s (sla.attach); readers see the tickets they may SELECT', a.tickets));
    RETURN name::regclass;
END $$;
