/* sql/install/1-engine.sql: part of the sla extension's install script (see Makefile) */

\echo Use "CREATE EXTENSION sla" to load this file. \quit

-- Every role may use the extension's types and functions (PUBLIC may execute
-- functions by default); the grants on its tables are in 3-helpdesk.sql.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- The calendar type -------------------------------------------------------

CREATE TYPE @extschema@.calendar;

CREATE FUNCTION @extschema@.calendar_in(cstring) RETURNS @extschema@.calendar
    AS 'MODULE_PATHNAME', 'sla_calendar_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_out(@extschema@.calendar) RETURNS cstring
    AS 'MODULE_PATHNAME', 'sla_calendar_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_recv(internal) RETURNS @extschema@.calendar
    AS 'MODULE_PATHNAME', 'sla_calendar_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_send(@extschema@.calendar) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sla_calendar_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.calendar (
    INPUT = @extschema@.calendar_in,
    OUTPUT = @extschema@.calendar_out,
    RECEIVE = @extschema@.calendar_recv,
    SEND = @extschema@.calendar_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.calendar IS
    'Business calendar: time zone, opening_hours-style weekly rules and dated exceptions, holidays';

CREATE FUNCTION @extschema@.calendar(rules text, zone text DEFAULT 'UTC', holidays date[] DEFAULT '{}')
    RETURNS @extschema@.calendar
    AS 'MODULE_PATHNAME', 'sla_calendar_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.calendar(text, text, date[]) IS
    'Build a calendar from opening_hours-style rules, an IANA zone and holidays (selected by PH)';

CREATE FUNCTION @extschema@.calendar_eq(@extschema@.calendar, @extschema@.calendar) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sla_calendar_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_ne(@extschema@.calendar, @extschema@.calendar) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sla_calendar_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.calendar_hash(@extschema@.calendar) RETURNS integer
    AS 'MODULE_PATHNAME', 'sla_calendar_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.calendar, RIGHTARG = @extschema@.calendar,
    FUNCTION = @extschema@.calendar_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.calendar, RIGHTARG = @extschema@.calendar,
    FUNCTION = @extschema@.calendar_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS @extschema@.calendar_hash_ops
    DEFAULT FOR TYPE @extschema@.calendar USING hash AS
    OPERATOR 1 @extschema@.= (@extschema@.calendar, @extschema@.calendar),
    FUNCTION 1 @extschema@.calendar_hash(@extschema@.calendar);

-- Business time -----------------------------------------------------------
-- Not declared STRICT: a NULL "paused" means no pauses; a NULL in any other
-- argument gives NULL.

CREATE FUNCTION @extschema@.business_time(since timestamptz, until timestamptz,
        cal @extschema@.calendar, paused tstzmultirange DEFAULT '{}')
    RETURNS interval
    AS 'MODULE_PATHNAME', 'sla_business_time' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.business_time(timestamptz, timestamptz, @extschema@.calendar, tstzmultirange) IS
    'Open time of the calendar in [since, until) minus the paused ranges; negative when until < since';

CREATE FUNCTION @extschema@.business_add(start timestamptz, amount interval,
        cal @extschema@.calendar, paused tstzmultirange DEFAULT '{}')
    RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'sla_business_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.business_add(timestamptz, interval, @extschema@.calendar, tstzmultirange) IS
    'Instant at which the amount of business time after (or, when negative, before) start is reached';

CREATE FUNCTION @extschema@.is_open(at timestamptz, cal @extschema@.calendar) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sla_is_open' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_open(timestamptz, @extschema@.calendar) IS
    'Whether the calendar is open at the instant';

CREATE FUNCTION @extschema@.next_open(at timestamptz, cal @extschema@.calendar) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'sla_next_open' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.next_open(timestamptz, @extschema@.calendar) IS
    'The instant itself when open, else the next opening; infinity when it never opens again';

CREATE FUNCTION @extschema@.next_close(at timestamptz, cal @extschema@.calendar) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'sla_next_close' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.next_close(timestamptz, @extschema@.calendar) IS
    'The instant itself when closed, else the end of the current open span; infinity when it never closes';

CREATE FUNCTION @extschema@.open_windows(during tstzrange, cal @extschema@.calendar) RETURNS tstzmultirange
    AS 'MODULE_PATHNAME', 'sla_open_windows' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_windows(tstzrange, @extschema@.calendar) IS
    'The open time of the calendar inside the range';
