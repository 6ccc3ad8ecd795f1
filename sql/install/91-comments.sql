/* sql/install/91-comments.sql: what the support functions of schema sla are for (part of the install script, see Makefile) */

-- Every function of schema sla has a comment; these are the ones behind the
-- sla.calendar type, its operators, the sla.pauses aggregate, the policy
-- table's trigger and the SLA views.
COMMENT ON FUNCTION @extschema@.calendar_in(cstring) IS 'Text input of sla.calendar (zone=... rules="..." holidays=..., or bare rules)';
COMMENT ON FUNCTION @extschema@.calendar_out(@extschema@.calendar) IS 'Canonical text of sla.calendar';
COMMENT ON FUNCTION @extschema@.calendar_recv(internal) IS 'Binary input of sla.calendar, validated as the text input is';
COMMENT ON FUNCTION @extschema@.calendar_send(@extschema@.calendar) IS 'Binary output of sla.calendar';
COMMENT ON FUNCTION @extschema@.calendar_eq(@extschema@.calendar, @extschema@.calendar) IS 'Whether two calendars are equal (operator =)';
COMMENT ON FUNCTION @extschema@.calendar_ne(@extschema@.calendar, @extschema@.calendar) IS 'Whether two calendars differ (operator <>)';
COMMENT ON FUNCTION @extschema@.calendar_hash(@extschema@.calendar) IS 'Hash of a calendar, for GROUP BY and hash joins';
COMMENT ON FUNCTION @extschema@.pauses_step(@extschema@.pauses_state, timestamptz, boolean) IS 'State function of the sla.pauses aggregate';
COMMENT ON FUNCTION @extschema@.pauses_final(@extschema@.pauses_state) IS 'Final function of the sla.pauses aggregate: the paused ranges';
COMMENT ON FUNCTION @extschema@.pauses_combine(@extschema@.pauses_state, @extschema@.pauses_state) IS 'Combine function of the sla.pauses aggregate: two partial states as one';
COMMENT ON FUNCTION @extschema@.pauses_state_in(cstring) IS 'Text input of sla.pauses_state (microseconds and p or r per row)';
COMMENT ON FUNCTION @extschema@.pauses_state_out(@extschema@.pauses_state) IS 'Text output of sla.pauses_state: how Citus workers pass partial states';
COMMENT ON FUNCTION @extschema@.pauses_state_recv(internal) IS 'Binary input of sla.pauses_state';
COMMENT ON FUNCTION @extschema@.pauses_state_send(@extschema@.pauses_state) IS 'Binary output of sla.pauses_state';
COMMENT ON FUNCTION @extschema@.policies_refuse_ties() IS 'Trigger of sla.policies: refuses two policies that could tie (23P01)';
COMMENT ON FUNCTION @extschema@.policy_id_for(text, text, text, text, timestamptz) IS
    'The id of the policy for a metric and a ticket (as sla.policy_for); the SLA views call it';
COMMENT ON FUNCTION @extschema@.policy_id_for(text, text, text, text, text, timestamptz) IS
    'The id of the policy for a metric and a ticket owned by a team (as sla.policy_for); the SLA views call it';
COMMENT ON VIEW @extschema@.calendar_values IS 'Every named calendar of sla.calendars as a value, holidays included';
