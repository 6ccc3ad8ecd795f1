/* sql/install/90-privileges.sql: who may execute the internal functions (part of the install script, see Makefile) */

-- Internal functions are not executable by PUBLIC, but for those that only
-- read what their caller may read and that views or invoker functions of
-- the extension call: the readers behind sla.events, sla.status_history,
-- sla.ticket_state and sla.attached_tables (and the SQL they build), the
-- argument checks of the service-level functions, and the conversation
-- cycles the SLA views compute.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA sla_private FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sla_private.visible(text), sla_private.column_name(regclass, smallint),
                          sla_private.state_sql(@extschema@.attachments), sla_private.merged_sql(@extschema@.attachments, text),
                          sla_private.merged_ranges_sql(name, text[]),
                          sla_private.sequence_sql(@extschema@.attachments, text), sla_private.history_sql(@extschema@.attachments),
                          sla_private.is_distributed(@extschema@.attachments), sla_private.distribution(regclass),
                          sla_private.citus_installed(), sla_private.paused_before(tstzmultirange, timestamptz),
                          sla_private.check_during(tstzrange, boolean), sla_private.check_fraction(numeric, text, boolean),
                          sla_private.seconds_of(tstzmultirange), sla_private.alerts_are_valid(float8[]),
                          sla_private.conversation_cycles(text, timestamptz[], "char"[], tstzmultirange),
                          sla_private.conversation_summary(text, timestamptz[], "char"[], tstzmultirange, interval,
                                                           @extschema@.calendar, tstzmultirange, timestamptz)
    TO PUBLIC;
-- In schema sla, sla.distribute_config is for the extension's owner (it
-- changes the configuration tables), and the trigger of sla.policies is
-- not for calling.  The functions of the sla.calendar and
-- sla.pauses_state types and operators, and sla.policy_id_for, which the
-- SLA views call as their reader, stay executable; so do the support
-- functions of sla.pauses, which Citus checks against the user that
-- aggregates (they refuse to run outside the aggregate).
REVOKE EXECUTE ON FUNCTION @extschema@.policies_refuse_ties(),
                           @extschema@.distribute_config()
    FROM PUBLIC;
