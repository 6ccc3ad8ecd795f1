/*
 * src/tz.h
 *	  Time zones for calendars: the only place that talks to PostgreSQL's
 *	  time-zone code (sla_local_to_utc of host.h is implemented there too).
 */
#ifndef SLA_TZ_H
#define SLA_TZ_H

#include "postgres.h"

#include "pgtime.h"

/* The zone called "name", or an error 22023 naming it. */
extern pg_tz *sla_zone_lookup(const char *name);
/* Whether the zone has one offset for all time (no transitions). */
extern bool sla_zone_is_fixed(pg_tz *zone);
/* The name PostgreSQL knows the zone by (canonical spelling). */
extern const char *sla_zone_name(pg_tz *zone);

#endif
