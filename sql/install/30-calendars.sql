/* sql/install/30-calendars.sql: named calendars and their holidays (part of the install script, see Makefile) */

-- Named calendars -------------------------------------------------------------
-- Configuration tables: pg_dump keeps their rows (pg_extension_config_dump).
-- Readable by everyone; only the extension's owner (or roles it grants
-- INSERT, UPDATE, DELETE to) may change them.

CREATE TABLE @extschema@.calendars (
    name text PRIMARY KEY,
    rules text NOT NULL,
    zone text NOT NULL DEFAULT 'UTC',
    -- the same validation, and the same errors, as sla.calendar()
    CONSTRAINT calendar_is_valid CHECK (@extschema@.calendar(rules, zone) IS NOT NULL)
);
COMMENT ON TABLE @extschema@.calendars IS 'Named business calendars: rules and zone; holidays in sla.holidays';

CREATE TABLE @extschema@.holidays (
    calendar text NOT NULL REFERENCES @extschema@.calendars ON UPDATE CASCADE ON DELETE CASCADE,
    day date NOT NULL,
    label text,
    PRIMARY KEY (calendar, day),
    CONSTRAINT holiday_is_valid CHECK (@extschema@.calendar('', 'UTC', ARRAY[day]) IS NOT NULL)
);
COMMENT ON TABLE @extschema@.holidays IS 'Holidays of named calendars, one row per date (selected by PH rules)';

-- Every named calendar as a value, holidays included.
CREATE VIEW @extschema@.calendar_values AS
SELECT c.name,
       @extschema@.calendar(c.rules, c.zone, coalesce(h.days, '{}')) AS cal
  FROM @extschema@.calendars c
  LEFT JOIN (SELECT calendar, pg_catalog.array_agg(day ORDER BY day) AS days
               FROM @extschema@.holidays GROUP BY calendar) h ON h.calendar OPERATOR(pg_catalog.=) c.name;

CREATE FUNCTION @extschema@.calendar_named(name text) RETURNS @extschema@.calendar
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result @extschema@.calendar;
BEGIN
    SELECT v.cal INTO result FROM @extschema@.calendar_values v WHERE v.name = calendar_named.name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'calendar "%" does not exist', calendar_named.name
            USING ERRCODE = '22023', HINT = 'Named calendars are the rows of sla.calendars.';
    END IF;
    RETURN result;
END $$;
COMMENT ON FUNCTION @extschema@.calendar_named(text) IS 'The named calendar of sla.calendars with its holidays, as a value';


SELECT pg_catalog.pg_extension_config_dump('@extschema@.calendars', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.holidays', '');
GRANT SELECT ON @extschema@.calendars, @extschema@.holidays, @extschema@.calendar_values TO PUBLIC;
