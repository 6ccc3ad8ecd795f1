/* sql/install/32-policy-choice.sql: the owning team a policy may match, and how a ticket's policy is chosen (part of the install script, see Makefile) */

-- A policy may match the team that owns the ticket (since 1.1), for the
-- ownership metrics, whose cycles are the periods a team owns the ticket.
ALTER TABLE @extschema@.policies ADD COLUMN team text;
COMMENT ON COLUMN @extschema@.policies.team IS
    'The owning team (assignment group) a policy matches, for ownership metrics; NULL matches any';

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
       AND p.team IS NOT DISTINCT FROM NEW.team
       AND p.valid && NEW.valid
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'policy "%" ties with policy "%" (id %)', NEW.name, other.name, other.id
            USING ERRCODE = '23P01',
                  DETAIL = format('Both are for metric "%s" with the same priority, service, customer and team over overlapping validity, so neither is more specific.', NEW.metric),
                  HINT = 'Make their validity ranges adjacent, or match on another column.';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER refuse_ties BEFORE INSERT OR UPDATE ON @extschema@.policies
    FOR EACH ROW EXECUTE FUNCTION @extschema@.policies_refuse_ties();

-- The choice itself, in C (src/policy.c): reads the policies once per query.
-- Without a team, policies that match a team do not apply.
CREATE FUNCTION @extschema@.policy_id_for(metric text, priority text, service text, customer text, at timestamptz)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'sla_policy_id_for' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.policy_id_for(metric text, priority text, service text, customer text, team text,
                                          at timestamptz)
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
    'The policy for a metric and a ticket: in force at the instant, matching, most specific (customer > service > team > priority > any); team policies do not apply';
CREATE FUNCTION @extschema@.policy_for(metric text, priority text, service text, customer text, team text,
                                       at timestamptz)
    RETURNS @extschema@.policies
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT p.* FROM @extschema@.policies p
     WHERE p.id = @extschema@.policy_id_for($1, $2, $3, $4, $5, $6)
$$;
COMMENT ON FUNCTION @extschema@.policy_for(text, text, text, text, text, timestamptz) IS
    'The policy for a metric and a ticket owned by a team: in force at the instant, matching, most specific (customer > service > team > priority > any)';
