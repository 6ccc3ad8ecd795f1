# looker/sla.model.lkml: explores over the SLA views of the demo helpdesk
# (helpdesk.tickets attached with sla.attach).  Set "connection" to the
# Looker connection of your PostgreSQL database.
connection: "helpdesk"

include: "*.view.lkml"

datagroup: sla_default {
  # SLA states move with the clock: cache for a few minutes at most
  max_cache_age: "5 minutes"
}
persist_with: sla_default

# One row per ticket with the clock of each metric, as of now()
explore: tickets_sla {
  label: "Tickets: SLA clocks"
  description: "Each ticket with its first response and resolution clocks (policy, due time, state, business time)"
  join: customers {
    type: left_outer
    relationship: many_to_one
    sql_on: ${tickets_sla.customer_id} = ${customers.id} ;;
  }
}

# One row per creation day, metric, policy, priority, service and customer:
# counts that add up over weeks, months and quarters
explore: tickets_sla_compliance {
  label: "SLA compliance"
  description: "Met and breached tickets per day (in the policy calendar's zone), metric and policy; roll up with the measures"
  always_filter: {
    filters: [tickets_sla_compliance.metric: "resolution"]
  }
  join: customers {
    type: left_outer
    relationship: many_to_one
    # the compliance view keeps the ticket's customer column: the customer's name
    sql_on: ${tickets_sla_compliance.customer} = ${customers.name} ;;
  }
}
