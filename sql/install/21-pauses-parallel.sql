/* sql/install/21-pauses-parallel.sql: sla.pauses aggregated in parts, by parallel workers or Citus workers (part of the install script, see Makefile) */

-- The partial states of sla.pauses combine (rows concatenated, sorted by
-- the final function).  The state is a type of its own, sla.pauses_state,
-- with text and binary forms (src/pauses.c): Citus aggregates in parts on
-- its workers only states that have a text form (not "internal"), and
-- PostgreSQL's parallel workers pass such a state as a value, so it needs
-- no serialization functions of its own.  sla.pauses is created as 1.0
-- made it (20-clocks.sql) and replaced here, in place, both on a new
-- install and on an upgrade from 1.0, so that users' views that use it stay.
CREATE TYPE @extschema@.pauses_state;
CREATE FUNCTION @extschema@.pauses_state_in(cstring) RETURNS @extschema@.pauses_state
    AS 'MODULE_PATHNAME', 'sla_pauses_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_state_out(@extschema@.pauses_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'sla_pauses_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_state_recv(internal) RETURNS @extschema@.pauses_state
    AS 'MODULE_PATHNAME', 'sla_pauses_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_state_send(@extschema@.pauses_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sla_pauses_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.pauses_state (
    INPUT = @extschema@.pauses_state_in,
    OUTPUT = @extschema@.pauses_state_out,
    RECEIVE = @extschema@.pauses_state_recv,
    SEND = @extschema@.pauses_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.pauses_state IS
    'The partial state of the sla.pauses aggregate: status rows as (instant, paused), in the order they came';

CREATE FUNCTION @extschema@.pauses_step(@extschema@.pauses_state, timestamptz, boolean) RETURNS @extschema@.pauses_state
    AS 'MODULE_PATHNAME', 'sla_pauses_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_combine(@extschema@.pauses_state, @extschema@.pauses_state)
    RETURNS @extschema@.pauses_state
    AS 'MODULE_PATHNAME', 'sla_pauses_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_final(@extschema@.pauses_state) RETURNS tstzmultirange
    AS 'MODULE_PATHNAME', 'sla_pauses_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE AGGREGATE @extschema@.pauses(at timestamptz, paused boolean) (
    SFUNC = @extschema@.pauses_step,
    STYPE = @extschema@.pauses_state,
    FINALFUNC = @extschema@.pauses_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.pauses_combine,
    PARALLEL = SAFE
);
DROP FUNCTION @extschema@.pauses_step(internal, timestamptz, boolean);
DROP FUNCTION @extschema@.pauses_final(internal);
