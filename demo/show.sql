-- demo/show.sql: what a support lead looks at (run by "make demo").
SET jit = off;                  -- as the README advises for dashboards
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

\echo
\echo '== Per priority: the requester''s wait (paused only pending) against the agents'' work (paused on hold too)'
\echo '   (compliance = met / (met + breached), as in the compliance view)'
SELECT priority,
       round(sum(met) FILTER (WHERE metric = 'requester_wait')
             / nullif(sum(met + breached) FILTER (WHERE metric = 'requester_wait'), 0), 3) AS requester_wait_compliance,
       round(sum(met) FILTER (WHERE metric = 'agent_work')
             / nullif(sum(met + breached) FILTER (WHERE metric = 'agent_work'), 0), 3) AS agent_work_compliance
  FROM helpdesk.tickets_sla_compliance
 WHERE metric IN ('requester_wait', 'agent_work')
 GROUP BY priority ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], priority);

\echo
\echo '== Per priority: resolution counted per cycle (each reopen starts one) against first cycles only'
-- first cycles only, from the status history with the pure functions: the
-- clock from creation to the first resolved or closed, paused pending or on hold
WITH h AS (SELECT h.ticket_id::bigint AS id,
                  min(h.changed_at) FILTER (WHERE h.status IN ('resolved', 'closed')) AS stopped_at,
                  sla.pauses(h.changed_at, h.status IN ('pending', 'on_hold') ORDER BY h.changed_at, h.id) AS paused
             FROM sla.status_history h WHERE h.tickets = 'helpdesk.tickets'::regclass GROUP BY h.ticket_id),
first_cycles AS (
  SELECT t.priority, count(*) FILTER (WHERE r.state = 'met') AS met, count(*) FILTER (WHERE r.state = 'breached') AS breached
    FROM helpdesk.tickets t JOIN h USING (id)
   CROSS JOIN LATERAL sla.policy_for('resolution', t.priority, t.service, t.customer, t.created_at) p
    JOIN sla.calendar_values c ON c.name = p.calendar
   CROSS JOIN LATERAL sla.evaluate(t.created_at, p.target, c.cal, h.stopped_at, h.paused, now()) r
   GROUP BY t.priority),
every_cycle AS (
  SELECT priority, sum(met) AS met, sum(breached) AS breached
    FROM helpdesk.tickets_sla_compliance WHERE metric = 'resolution' GROUP BY priority)
SELECT e.priority, e.met + e.breached AS cycles, round(e.met / nullif(e.met + e.breached, 0), 3) AS compliance_per_cycle,
       f.met + f.breached AS first_cycles, round(f.met::numeric / nullif(f.met + f.breached, 0), 3) AS compliance_first_cycles
  FROM every_cycle e JOIN first_cycles f USING (priority)
 ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], e.priority);

\echo
\echo '== Per priority: the next reply to every customer message (cycles), and the ones closed unanswered'
SELECT priority, sum(total) AS cycles, sum(met) AS met, sum(breached) AS breached, sum(running + open_breached) AS waiting_now,
       sum(closed_unanswered) AS closed_unanswered, round(sum(met) / nullif(sum(met + breached), 0), 3) AS compliance
  FROM helpdesk.tickets_sla_compliance WHERE metric = 'next_reply'
 GROUP BY priority ORDER BY array_position(ARRAY['critical', 'high', 'medium', 'low'], priority);

\echo
\echo '== Customers waiting longest for a reply now, and how many of their messages wait'
SELECT t.id, t.priority, t.customer, t.next_reply_started_at AS waiting_since,
       round(t.next_reply_elapsed_seconds / 3600, 1) AS business_hours, t.next_reply_state,
       (SELECT count(*) FROM helpdesk.messages m
         WHERE m.ticket_id = t.id AND m.author = 'customer' AND m.created_at >= t.next_reply_started_at) AS messages_waiting
  FROM helpdesk.tickets_sla t
 WHERE t.next_reply_stopped_at IS NULL AND t.next_reply_cycle IS NOT NULL
 ORDER BY t.next_reply_elapsed DESC LIMIT 5;

\echo
\echo '== Per team: business hours held (median over ownership periods) and OLA compliance'
SELECT o.team, count(*) AS periods, round((percentile_cont(0.5) WITHIN GROUP (ORDER BY o.business_seconds) / 3600)::numeric, 1)
         AS median_business_hours,
       count(*) FILTER (WHERE o.state = 'met') AS met, count(*) FILTER (WHERE o.state = 'breached') AS breached,
       round((count(*) FILTER (WHERE o.state = 'met'))::numeric
             / nullif(count(*) FILTER (WHERE o.state IN ('met', 'breached')), 0), 3) AS ola_compliance
  FROM helpdesk.tickets_sla_ownership o
 WHERE o.owned_until IS NOT NULL
 GROUP BY o.team ORDER BY array_position(ARRAY['support', 'engineering', 'product'], o.team);
