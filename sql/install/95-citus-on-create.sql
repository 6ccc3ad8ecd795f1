/* sql/install/95-citus-on-create.sql: on CREATE EXTENSION after Citus, the configuration as reference tables at once (part of the install script only, see Makefile) */

-- On the coordinator only: Citus runs this script on the workers too,
-- where the tables receive the coordinator's copies.  Not part of an
-- update: Citus updates the workers after the coordinator, so their
-- functions are not there yet while this would run; after an update,
-- sla.distribute_config() does it.
DO $$
DECLARE
    coordinator boolean := false;
BEGIN
    IF sla_private.citus_installed() THEN
        EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO coordinator;
    END IF;
    IF coordinator THEN
        PERFORM sla_private.distribute_config_tables();
    END IF;
END $$;
