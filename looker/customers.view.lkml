# looker/customers.view.lkml: the demo's customers, joined for their tier
view: customers {
  sql_table_name: helpdesk.customers ;;

  dimension: id {
    primary_key: yes
    type: number
    sql: ${TABLE}.id ;;
  }

  dimension: name {
    type: string
    sql: ${TABLE}.name ;;
  }

  dimension: tier {
    description: "Customer tier (gold, silver, bronze...)"
    type: string
    sql: ${TABLE}.tier ;;
  }

  measure: count {
    type: count
  }
}
