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
    AS 'MODULE_PATHNAME', 'sla_evaluate' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.evaluate(timestamptz, interval, @extschema@.calendar, timestamptz, tstzmultirange, timestamptz, float8) IS
    'State, due time, elapsed and remaining business time of one SLA target, as of an instant or at its stop';

CREATE FUNCTION @extschema@.pauses_step(internal, timestamptz, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'sla_pauses_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_final(internal) RETURNS tstzmultirange
    AS 'MODULE_PATHNAME', 'sla_pauses_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE @extschema@.pauses(at timestamptz, paused boolean) (
    SFUNC = @extschema@.pauses_step,
    STYPE = internal,
    FINALFUNC = @extschema@.pauses_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.pauses(timestamptz, boolean) IS
    'Paused ranges of a status history: from a paused row after an unpaused one to the next unpaused row';
