/* sql/install/51-service-levels.sql: availability, downtime budgets and service credits (part of the install script, see Makefile) */

-- Argument checks shared with the reports (sql/install/50-reporting.sql).

-- An error unless "during" selects something: not NULL, not empty, and,
-- when bounded is true, with two finite bounds.
CREATE FUNCTION sla_private.check_during(during tstzrange, bounded boolean) RETURNS void
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
CREATE FUNCTION sla_private.check_fraction(value numeric, what text, above_zero boolean) RETURNS void
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
CREATE FUNCTION sla_private.seconds_of(m tstzmultirange) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(sum(extract(epoch FROM upper(r)) - extract(epoch FROM lower(r))), 0) FROM unnest(m) r
$$;

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
    PERFORM sla_private.check_during(during, true);
    IF min_outage < interval '0' THEN
        RAISE EXCEPTION 'min_outage must not be negative, not %', min_outage USING ERRCODE = '22023';
    END IF;
    service := CASE WHEN cal IS NULL THEN tstzmultirange(during) ELSE @extschema@.open_windows(during, cal) END
               - coalesce(excluded, '{}');
    service_seconds := sla_private.seconds_of(service);
    IF service_seconds = 0 THEN
        RETURN NULL;            -- no service time: nothing to be available in
    END IF;
    -- each outage (a range of the downtime multirange) counts by its part in
    -- service time, and only when that part is at least min_outage
    SELECT coalesce(sum(o.seconds), 0) INTO down_seconds
      FROM unnest(coalesce(downtime, '{}')) d
     CROSS JOIN LATERAL (SELECT sla_private.seconds_of(tstzmultirange(d) * service) AS seconds) o
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
    PERFORM sla_private.check_fraction(target, 'target', false);
    PERFORM sla_private.check_during(during, true);
    seconds := (1 - target) * sla_private.seconds_of(
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
    PERFORM sla_private.check_fraction(availability, 'availability', false);
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
