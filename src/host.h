/*
 * src/host.h
 *	  What the backend-free engine (parser, day hours, timeline) needs from
 *	  its host: memory, interrupt checks and the time-zone mapping.
 *
 * The backend supplies these in tz.c and calendar_cache.c; the fuzz and unit
 * builds supply stand-ins (fuzz/host_standalone.c), so the engine can be
 * compiled and tested outside PostgreSQL.
 */
#ifndef SLA_HOST_H
#define SLA_HOST_H

#include <stddef.h>
#include <stdint.h>

/* Allocate from the arena "owner" (a MemoryContext in the backend). */
extern void *sla_alloc(void *owner, size_t size);
/* Grow an allocation made by sla_alloc. */
extern void *sla_realloc(void *owner, void *ptr, size_t size);
/* Let the host cancel a long computation (CHECK_FOR_INTERRUPTS). */
extern void sla_check_interrupts(void);
/*
 * Map a local wall-clock time (microseconds since 2000-01-01 00:00, no zone)
 * to the instant it denotes in "zone", resolving gaps and overlaps as
 * PostgreSQL's "timestamp AT TIME ZONE zone" does.
 */
extern int64_t sla_local_to_utc(const void *zone, int64_t local_usec);
/*
 * The least and the greatest offset (local minus UTC, microseconds) that
 * "zone" ever has between the years 1 and 9999: every local time maps to an
 * instant within these of it.  PostgreSQL accepts POSIX zones up to about a
 * week from UTC (XXX-167:59), so callers must not assume small offsets.
 */
extern void sla_zone_offset_bounds(const void *zone, int64_t *min_offset, int64_t *max_offset);

#endif
