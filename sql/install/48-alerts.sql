/* sql/install/48-alerts.sql: escalation levels of a policy (part of the install script, see Makefile) */

-- Whether alert levels are fractions of the target in (0, 1), strictly
-- increasing, at least one (NULL: the policy's warn_at alone).
CREATE FUNCTION sla_private.alerts_are_valid(alerts float8[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT alerts IS NULL
        OR (cardinality(alerts) > 0 AND array_ndims(alerts) = 1
            AND NOT EXISTS (SELECT 1 FROM unnest(alerts) WITH ORDINALITY a(level, k)
                             WHERE a.level IS NULL OR NOT (a.level > 0 AND a.level < 1)
                                OR a.level <= coalesce(alerts[a.k - 1 + array_lower(alerts, 1) - 1], 0)))
$$;

-- One at-risk event per level crossed (sql/install/47-sweep.sql).
ALTER TABLE @extschema@.policies ADD COLUMN alerts float8[];
ALTER TABLE @extschema@.policies ADD CONSTRAINT alerts_are_increasing_fractions
    CHECK (sla_private.alerts_are_valid(alerts));
COMMENT ON COLUMN @extschema@.policies.alerts IS
    'Escalation levels, fractions of the target in (0, 1), strictly increasing (NULL: warn_at alone); the sweep records an at_risk event at each';
