/* sql/install/90-privileges.sql: who may execute the internal functions (part of the install script, see Makefile) */

-- Internal functions are not executable by PUBLIC, but for those that only
-- read what their caller may read and that views or invoker functions of
-- the extension call: the readers behind sla.events, sla.status_history,
-- sla.ticket_state and sla.attached_tables, and the argument checks of the
-- service-level functions.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA sla_private FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sla_private.visible(text), sla_private.column_name(regclass, smallint),
                          sla_private.check_during(tstzrange, boolean), sla_private.check_fraction(numeric, text, boolean),
                          sla_private.seconds_of(tstzmultirange)
    TO PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.policies_refuse_ties() FROM PUBLIC;
