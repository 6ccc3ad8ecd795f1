/*
 * src/calendar_cache.c
 *	  A few compiled calendars per call site, each in its own memory
 *	  context under fn_mcxt so that evicting one frees it whole.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "calendar.h"
#include "calendar_cache.h"
#include "tz.h"

#define CACHED_CALENDARS 8

typedef struct CompiledCalendar
{
	MemoryContext context;
	Size		key_len;
	char	   *key;			/* the calendar's bytes after the header */
	RuleSet		rules;
	CalendarRules day_rules;
	int32	   *holidays;
	Timeline	timeline;
} CompiledCalendar;

typedef struct CalendarCache
{
	int			count;
	int			next_victim;
	CompiledCalendar *entries[CACHED_CALENDARS];
} CalendarCache;

/* Parse the canonical rules again and set up an empty timeline. */
static CompiledCalendar *
compile(MemoryContext parent, Datum datum)
{
	SlaCalendar *cal = DatumGetCalendarP(datum);
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(datum);
	MemoryContext context = AllocSetContextCreate(parent, "sla compiled calendar",
												  ALLOCSET_SMALL_SIZES);
	CompiledCalendar *compiled = MemoryContextAllocZero(context, sizeof(CompiledCalendar));
	ParseError	error;

	compiled->context = context;
	compiled->key_len = VARSIZE_ANY_EXHDR(packed);
	compiled->key = MemoryContextAlloc(context, compiled->key_len);
	memcpy(compiled->key, VARDATA_ANY(packed), compiled->key_len);
	if (cal->version != CALENDAR_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported sla.calendar format version %d", cal->version)));
	if (!rules_parse(calendar_rules(cal), cal->rules_len, context, &compiled->rules, &error))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored calendar rules do not parse: %s", error.message)));
	compiled->holidays = MemoryContextAlloc(context, sizeof(int32) * (cal->nholidays + 1));
	memcpy(compiled->holidays, calendar_holidays(cal), sizeof(int32) * cal->nholidays);
	day_hours_init(&compiled->day_rules, &compiled->rules, compiled->holidays, cal->nholidays);
	timeline_init(&compiled->timeline, context, &compiled->day_rules,
				  zone_lookup(pnstrdup(calendar_zone(cal), cal->zone_len)));
	return compiled;
}

/* See calendar_cache.h: a linear look among up to eight entries, round-robin eviction. */
Timeline *
calendar_timeline(MemoryContext mcxt, void **cache_slot, Datum datum)
{
	CalendarCache *cache = (CalendarCache *) *cache_slot;
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(datum);
	Size		len = VARSIZE_ANY_EXHDR(packed);
	CompiledCalendar *compiled;

	if (cache == NULL)
		*cache_slot = cache = MemoryContextAllocZero(mcxt, sizeof(CalendarCache));
	for (int i = 0; i < cache->count; i++)
	{
		compiled = cache->entries[i];
		if (compiled->key_len == len && memcmp(compiled->key, VARDATA_ANY(packed), len) == 0)
			return &compiled->timeline;
	}
	compiled = compile(mcxt, datum);
	if (cache->count < CACHED_CALENDARS)
		cache->entries[cache->count++] = compiled;
	else
	{
		MemoryContextDelete(cache->entries[cache->next_victim]->context);
		cache->entries[cache->next_victim] = compiled;
		cache->next_victim = (cache->next_victim + 1) % CACHED_CALENDARS;
	}
	return &compiled->timeline;
}
