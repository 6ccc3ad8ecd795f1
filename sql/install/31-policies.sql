/* sql/install/31-policies.sql: SLA targets per metric, as 1.0 made them (part of the install script, see Makefile) */

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

SELECT pg_catalog.pg_extension_config_dump('@extschema@.policies', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.policies_id_seq', '');
GRANT SELECT ON @extschema@.policies TO PUBLIC;
