-- demo/show.sql: what a support lead looks at (run by "make demo").
\pset footer off
SET TimeZone = 'Europe/Berlin';

\echo
\echo '== A calendar and a deadline'
SELECT sla.calendar_named('berlin') AS calendar,
       sla.business_add('2026-11-27 16:00+01', '4 hours', sla.calendar_named('berlin')) AS "Friday 16:00 + 4 business hours";

\echo
\echo '== Tickets by SLA state'
SELECT resolution_state, count(*) AS tickets,
       count(*) FILTER (WHERE first_response_state = 'breached') AS response_breached
  FROM helpdesk.tickets_sla GROUP BY resolution_state ORDER BY resolution_state;

\echo
\echo '== Due next: open tickets closest to their resolution deadline'
SELECT id, priority, service, customer, status, resolution_policy, resolution_due_at,
       resolution_remaining, round(resolution_used::numeric, 2) AS used, resolution_state
  FROM helpdesk.tickets_sla
 WHERE resolved_at IS NULL AND resolution_state IN ('running', 'at_risk', 'paused')
 ORDER BY resolution_due_at LIMIT 10;

\echo
\echo '== Breaches by priority (resolved tickets)'
SELECT priority, count(*) AS resolved,
       count(*) FILTER (WHERE resolution_state = 'breached') AS breached,
       round(avg(resolution_elapsed_seconds) / 3600, 1) AS avg_business_hours
  FROM helpdesk.tickets_sla WHERE resolved_at IS NOT NULL
 GROUP BY priority ORDER BY min(resolution_target);

\echo
\echo '== Crossings recorded so far'
SELECT kind, metric, count(*) FROM sla.events GROUP BY kind, metric ORDER BY kind, metric;

\echo
\echo '== The event stream: a listener, an incident opened 20 minutes ago, a sweep'
LISTEN sla_events;
INSERT INTO helpdesk.tickets (subject, customer_id, customer, service, priority, status, created_at)
VALUES ('Checkout is down', 2, 'Customer 2', 'on-call', 'critical', 'new', now() - interval '20 minutes')
RETURNING id, service, created_at;
SELECT sla.sweep() AS new_events;
SELECT ticket_id, metric, kind, happened_at, recorded_at FROM sla.events ORDER BY id DESC LIMIT 2;
