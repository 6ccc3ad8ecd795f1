# looker/tickets_sla.view.lkml: helpdesk.tickets_sla, the SLA view that
# sla.attach('helpdesk.tickets', ...) creates: every ticket column plus, per
# metric, its policy, target, due time, state and business time as of now().
# Business durations are numbers of hours (elapsed_seconds / 3600): Looker's
# duration dimensions would count calendar time, not business time.
view: tickets_sla {
  sql_table_name: helpdesk.tickets_sla ;;

  # The ticket -----------------------------------------------------------

  dimension: id {
    primary_key: yes
    type: number
    sql: ${TABLE}.id ;;
  }

  dimension: subject {
    type: string
    sql: ${TABLE}.subject ;;
  }

  dimension: status {
    type: string
    sql: ${TABLE}.status ;;
  }

  dimension: priority {
    type: string
    sql: ${TABLE}.priority ;;
  }

  dimension: service {
    type: string
    sql: ${TABLE}.service ;;
  }

  dimension: customer_id {
    hidden: yes
    type: number
    sql: ${TABLE}.customer_id ;;
  }

  dimension: customer {
    description: "The customer's name, as the ticket keeps it (the attached customer column)"
    type: string
    sql: ${TABLE}.customer ;;
  }

  dimension_group: created {
    type: time
    timeframes: [raw, time, date, week, month, quarter, year]
    sql: ${TABLE}.created_at ;;
  }

  dimension: paused_hours {
    label: "Paused (hours)"
    description: "Time spent in a paused status so far, in calendar hours"
    type: number
    value_format_name: decimal_2
    sql: EXTRACT(EPOCH FROM ${TABLE}.paused_for) / 3600.0 ;;
  }

  measure: count {
    label: "Tickets"
    type: count
    drill_fields: [id, subject, priority, service, first_response_state, resolution_state]
  }

  # First response (first_response, stopped by first_response_at) ----------

  dimension_group: first_responded {
    group_label: "First response"
    type: time
    timeframes: [raw, time, date, week, month]
    sql: ${TABLE}.first_response_at ;;
  }

  dimension: first_response_is_stopped {
    group_label: "First response"
    type: yesno
    sql: ${TABLE}.first_response_at IS NOT NULL ;;
  }

  dimension: first_response_policy {
    group_label: "First response"
    type: string
    sql: ${TABLE}.first_response_policy ;;
  }

  dimension: first_response_target_hours {
    group_label: "First response"
    label: "First response Target (business hours)"
    type: number
    value_format_name: decimal_2
    sql: EXTRACT(EPOCH FROM ${TABLE}.first_response_target) / 3600.0 ;;
  }

  dimension_group: first_response_due {
    group_label: "First response"
    type: time
    timeframes: [raw, time, date, week]
    sql: ${TABLE}.first_response_due_at ;;
  }

  dimension: first_response_state {
    group_label: "First response"
    description: "running, at_risk, paused, met or breached (as of now)"
    type: string
    sql: ${TABLE}.first_response_state ;;
  }

  dimension: first_response_business_hours {
    group_label: "First response"
    label: "First response Elapsed (business hours)"
    type: number
    value_format_name: decimal_2
    sql: ${TABLE}.first_response_elapsed_seconds / 3600.0 ;;
  }

  dimension: first_response_remaining_hours {
    group_label: "First response"
    label: "First response Remaining (business hours)"
    description: "Negative once breached"
    type: number
    value_format_name: decimal_2
    sql: EXTRACT(EPOCH FROM ${TABLE}.first_response_remaining) / 3600.0 ;;
  }

  dimension: first_response_used {
    group_label: "First response"
    description: "Business time used as a fraction of the target (above 100% once breached)"
    type: number
    value_format_name: percent_1
    sql: ${TABLE}.first_response_used ;;
  }

  measure: first_response_met {
    group_label: "First response"
    type: sum
    sql: CASE WHEN ${first_response_state} = 'met' THEN 1 ELSE 0 END ;;
  }

  measure: first_response_breached {
    group_label: "First response"
    description: "Breached, stopped or not"
    type: sum
    sql: CASE WHEN ${first_response_state} = 'breached' THEN 1 ELSE 0 END ;;
  }

  measure: first_response_open_breached {
    group_label: "First response"
    description: "Breached and still running"
    type: sum
    sql: CASE WHEN ${first_response_state} = 'breached' AND NOT ${first_response_is_stopped} THEN 1 ELSE 0 END ;;
  }

  measure: first_response_at_risk {
    group_label: "First response"
    type: sum
    sql: CASE WHEN ${first_response_state} = 'at_risk' THEN 1 ELSE 0 END ;;
  }

  measure: first_response_running {
    group_label: "First response"
    description: "Not stopped and not breached: running, at risk or paused"
    type: sum
    sql: CASE WHEN ${first_response_state} IN ('running', 'at_risk', 'paused') THEN 1 ELSE 0 END ;;
  }

  measure: first_response_compliance_rate {
    group_label: "First response"
    description: "Met / (met + breached); running tickets are not decided yet"
    type: number
    value_format_name: percent_1
    sql: 1.0 * ${first_response_met} / NULLIF(${first_response_met} + ${first_response_breached}, 0) ;;
  }

  measure: first_response_avg_business_hours {
    group_label: "First response"
    label: "First response Average business hours (stopped)"
    type: average
    value_format_name: decimal_2
    sql: CASE WHEN ${first_response_is_stopped} THEN ${first_response_business_hours} END ;;
  }

  measure: first_response_median_business_hours {
    group_label: "First response"
    label: "First response Median business hours (stopped)"
    type: median
    value_format_name: decimal_2
    sql: CASE WHEN ${first_response_is_stopped} THEN ${first_response_business_hours} END ;;
  }

  measure: first_response_p90_business_hours {
    group_label: "First response"
    label: "First response 90th percentile business hours (stopped)"
    type: percentile
    percentile: 90
    value_format_name: decimal_2
    sql: CASE WHEN ${first_response_is_stopped} THEN ${first_response_business_hours} END ;;
  }

  # Resolution (resolution, stopped by resolved_at) ------------------------

  dimension_group: resolved {
    group_label: "Resolution"
    type: time
    timeframes: [raw, time, date, week, month]
    sql: ${TABLE}.resolved_at ;;
  }

  dimension: resolution_is_stopped {
    group_label: "Resolution"
    type: yesno
    sql: ${TABLE}.resolved_at IS NOT NULL ;;
  }

  dimension: resolution_policy {
    group_label: "Resolution"
    type: string
    sql: ${TABLE}.resolution_policy ;;
  }

  dimension: resolution_target_hours {
    group_label: "Resolution"
    label: "Resolution Target (business hours)"
    type: number
    value_format_name: decimal_2
    sql: EXTRACT(EPOCH FROM ${TABLE}.resolution_target) / 3600.0 ;;
  }

  dimension_group: resolution_due {
    group_label: "Resolution"
    type: time
    timeframes: [raw, time, date, week]
    sql: ${TABLE}.resolution_due_at ;;
  }

  dimension: resolution_state {
    group_label: "Resolution"
    description: "running, at_risk, paused, met or breached (as of now)"
    type: string
    sql: ${TABLE}.resolution_state ;;
  }

  dimension: resolution_business_hours {
    group_label: "Resolution"
    label: "Resolution Elapsed (business hours)"
    type: number
    value_format_name: decimal_2
    sql: ${TABLE}.resolution_elapsed_seconds / 3600.0 ;;
  }

  dimension: resolution_remaining_hours {
    group_label: "Resolution"
    label: "Resolution Remaining (business hours)"
    description: "Negative once breached"
    type: number
    value_format_name: decimal_2
    sql: EXTRACT(EPOCH FROM ${TABLE}.resolution_remaining) / 3600.0 ;;
  }

  dimension: resolution_used {
    group_label: "Resolution"
    description: "Business time used as a fraction of the target (above 100% once breached)"
    type: number
    value_format_name: percent_1
    sql: ${TABLE}.resolution_used ;;
  }

  measure: resolution_met {
    group_label: "Resolution"
    type: sum
    sql: CASE WHEN ${resolution_state} = 'met' THEN 1 ELSE 0 END ;;
  }

  measure: resolution_breached {
    group_label: "Resolution"
    description: "Breached, stopped or not"
    type: sum
    sql: CASE WHEN ${resolution_state} = 'breached' THEN 1 ELSE 0 END ;;
  }

  measure: resolution_open_breached {
    group_label: "Resolution"
    description: "Breached and still running"
    type: sum
    sql: CASE WHEN ${resolution_state} = 'breached' AND NOT ${resolution_is_stopped} THEN 1 ELSE 0 END ;;
  }

  measure: resolution_at_risk {
    group_label: "Resolution"
    type: sum
    sql: CASE WHEN ${resolution_state} = 'at_risk' THEN 1 ELSE 0 END ;;
  }

  measure: resolution_running {
    group_label: "Resolution"
    description: "Not stopped and not breached: running, at risk or paused"
    type: sum
    sql: CASE WHEN ${resolution_state} IN ('running', 'at_risk', 'paused') THEN 1 ELSE 0 END ;;
  }

  measure: resolution_compliance_rate {
    group_label: "Resolution"
    description: "Met / (met + breached); running tickets are not decided yet"
    type: number
    value_format_name: percent_1
    sql: 1.0 * ${resolution_met} / NULLIF(${resolution_met} + ${resolution_breached}, 0) ;;
  }

  measure: resolution_avg_business_hours {
    group_label: "Resolution"
    label: "Resolution Average business hours (stopped)"
    type: average
    value_format_name: decimal_2
    sql: CASE WHEN ${resolution_is_stopped} THEN ${resolution_business_hours} END ;;
  }

  measure: resolution_median_business_hours {
    group_label: "Resolution"
    label: "Resolution Median business hours (stopped)"
    type: median
    value_format_name: decimal_2
    sql: CASE WHEN ${resolution_is_stopped} THEN ${resolution_business_hours} END ;;
  }

  measure: resolution_p90_business_hours {
    group_label: "Resolution"
    label: "Resolution 90th percentile business hours (stopped)"
    type: percentile
    percentile: 90
    value_format_name: decimal_2
    sql: CASE WHEN ${resolution_is_stopped} THEN ${resolution_business_hours} END ;;
  }
}
