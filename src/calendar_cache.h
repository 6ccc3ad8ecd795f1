/*
 * src/calendar_cache.h
 *	  Compiled calendars cached per call site (fn_extra) in a hash table
 *	  keyed on the calendar's bytes, least recently used out, at most 1024
 *	  calendars and 64 MB: a constant calendar compiles once per query, and
 *	  so does each of the calendars stored in the rows.
 */
#ifndef SLA_CALENDAR_CACHE_H
#define SLA_CALENDAR_CACHE_H

#include "postgres.h"

#include "fmgr.h"

#include "timeline.h"

/*
 * The timeline of calendar "datum", found in the cache at *cache_slot or
 * compiled into it (the cache is allocated in "mcxt", e.g. fn_mcxt).
 */
extern Timeline *sla_calendar_timeline(MemoryContext mcxt, void **cache_slot, Datum datum);

#endif
