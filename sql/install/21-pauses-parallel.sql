/* sql/install/21-pauses-parallel.sql: sla.pauses aggregated in parts, by parallel workers or Citus workers (part of the install script, see Makefile) */

-- The partial states of sla.pauses combine (rows concatenated, sorted by
-- the final function) and travel as bytea, so that PostgreSQL's parallel
-- aggregation and Citus's distributed aggregation can split the work.
-- sla.pauses is created as 1.0 made it (20-clocks.sql), and given these
-- support functions here, in the catalog, both on a new install and on an
-- upgrade from 1.0: CREATE AGGREGATE cannot be repeated over an aggregate
-- that users' views may use.
CREATE FUNCTION @extschema@.pauses_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'sla_pauses_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sla_pauses_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.pauses_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'sla_pauses_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
UPDATE pg_catalog.pg_aggregate
   SET aggcombinefn = '@extschema@.pauses_combine(pg_catalog.internal, pg_catalog.internal)'::pg_catalog.regprocedure,
       aggserialfn = '@extschema@.pauses_serialize(pg_catalog.internal)'::pg_catalog.regprocedure,
       aggdeserialfn = '@extschema@.pauses_deserialize(pg_catalog.bytea, pg_catalog.internal)'::pg_catalog.regprocedure
 WHERE aggfnoid OPERATOR(pg_catalog.=) '@extschema@.pauses(pg_catalog.timestamptz, pg_catalog.bool)'::pg_catalog.regprocedure;
