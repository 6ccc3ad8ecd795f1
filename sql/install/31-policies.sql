/* sql/install/31-policies.sql: SLA targets per metric and how a ticket's policy is chosen (part of the install script, see Makefile) */

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
    AS 'MODULE_PATHNAME', 'sla_policy_id_for' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.policy_for(metric text, priority text, service text, customer text, at timestamptz)
    RETURNS @extschema@.policies
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT p.* FROM @extschema@.policies p
     WHERE p.id = @extschema@.policy_id_for($1, $2, $3, $4, $5)
$$;
COMMENT ON FUNCTION @extschema@.policy_for(text, text, text, text, timestamptz) IS
    'The policy for a metric and a ticket: in force at the instant, matching, most specific (customer > service > priority > any)';


SELECT pg_catalog.pg_extension_config_dump('@extschema@.policies', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policies_id_seq', '');
GRANT SELECT ON @extschema@.policies TO PUBLIC;
