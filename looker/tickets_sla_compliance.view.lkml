# looker/tickets_sla_compliance.view.lkml: helpdesk.tickets_sla_compliance,
# the compliance view that sla.attach creates beside the SLA view.  One row
# per creation day (in the policy calendar's zone), metric, policy,
# priority, service and customer, holding counts: the measures add them up
# over any timeframe and recompute the rates from the sums (never average
# the per-day "compliance" column).
view: tickets_sla_compliance {
  sql_table_name: helpdesk.tickets_sla_compliance ;;

  dimension: key {
    primary_key: yes
    hidden: yes
    type: string
    sql: ${TABLE}.day || '/' || ${TABLE}.metric || '/' || ${TABLE}.policy || '/' || COALESCE(${TABLE}.priority, '')
         || '/' || COALESCE(${TABLE}.service, '') || '/' || COALESCE(${TABLE}.customer, '') ;;
  }

  dimension_group: created {
    description: "The tickets' creation day in the zone of the policy's calendar"
    type: time
    timeframes: [date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    sql: ${TABLE}.day ;;
  }

  dimension: metric {
    description: "first_response or resolution"
    type: string
    sql: ${TABLE}.metric ;;
  }

  dimension: policy {
    type: string
    sql: ${TABLE}.policy ;;
  }

  dimension: priority {
    type: string
    sql: ${TABLE}.priority ;;
  }

  dimension: service {
    type: string
    sql: ${TABLE}.service ;;
  }

  dimension: customer {
    description: "The ticket's customer column (sla.attach customer_column => 'customer'), as text"
    type: string
    sql: ${TABLE}.customer ;;
  }

  measure: tickets {
    type: sum
    sql: ${TABLE}.total ;;
  }

  measure: met {
    type: sum
    sql: ${TABLE}.met ;;
  }

  measure: breached {
    description: "Breached, stopped or not"
    type: sum
    sql: ${TABLE}.breached ;;
  }

  measure: open_breached {
    description: "Breached and still running"
    type: sum
    sql: ${TABLE}.open_breached ;;
  }

  measure: running {
    description: "Not stopped and not breached yet"
    type: sum
    sql: ${TABLE}.running ;;
  }

  measure: stopped {
    type: sum
    sql: ${TABLE}.stopped ;;
  }

  measure: reopened {
    description: "Tickets that left a resolved status at least once"
    type: sum
    sql: ${TABLE}.reopened ;;
  }

  measure: compliance_rate {
    description: "Met / (met + breached); running tickets are not decided yet"
    type: number
    value_format_name: percent_1
    sql: 1.0 * ${met} / NULLIF(${met} + ${breached}, 0) ;;
  }

  measure: breach_rate {
    type: number
    value_format_name: percent_1
    sql: 1.0 * ${breached} / NULLIF(${met} + ${breached}, 0) ;;
  }

  measure: reopen_rate {
    type: number
    value_format_name: percent_1
    sql: 1.0 * ${reopened} / NULLIF(${tickets}, 0) ;;
  }

  measure: business_hours {
    label: "Business hours (stopped tickets)"
    type: sum
    value_format_name: decimal_1
    sql: ${TABLE}.business_seconds_sum / 3600.0 ;;
  }

  measure: avg_business_hours {
    label: "Average business hours (stopped tickets)"
    type: number
    value_format_name: decimal_2
    sql: ${business_hours} / NULLIF(${stopped}, 0) ;;
  }
}
