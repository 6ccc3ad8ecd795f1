/*
 * src/calendar_cache.c
 *	  Compiled calendars cached per call site: a hash table keyed on the
 *	  calendar's bytes, least recently used first out, bounded in entries
 *	  and in memory.  Each compiled calendar lives in its own memory context
 *	  under fn_mcxt, so that evicting one frees it whole.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "calendar.h"
#include "calendar_cache.h"
#include "tz.h"

/* At most this many calendars per call site ... */
#define CACHE_MAX_ENTRIES 1024
/* ... and this much memory in the calendars not in use (timelines grow as they are asked) */
#define CACHE_MAX_BYTES (64 * 1024 * 1024)
/* buckets: a power of two, twice the entries at most */
#define CACHE_BUCKETS 2048

typedef struct CompiledCalendar
{
	MemoryContext context;
	uint32		hash;
	Size		key_len;
	Size		bytes;			/* the context's size when last measured */
	struct CompiledCalendar *next_in_bucket;
	struct CompiledCalendar *newer;	/* LRU list, newest first */
	struct CompiledCalendar *older;
	RuleSet		rules;
	CalendarRules day_rules;
	int32	   *holidays;
	Timeline	timeline;
	char		key[FLEXIBLE_ARRAY_MEMBER];	/* the calendar's bytes after the header */
} CompiledCalendar;

typedef struct CalendarCache
{
	int			count;
	Size		bytes;			/* sum of the entries' measured sizes */
	CompiledCalendar *newest;
	CompiledCalendar *oldest;
	CompiledCalendar *buckets[CACHE_BUCKETS];
} CalendarCache;

/* Parse the canonical rules again and set up an empty timeline. */
static CompiledCalendar *
compile(MemoryContext parent, Datum datum, const char *key, Size key_len, uint32 hash)
{
	SlaCalendar *cal = DatumGetCalendarP(datum);
	MemoryContext context = AllocSetContextCreate(parent, "sla compiled calendar",
												  ALLOCSET_SMALL_SIZES);
	CompiledCalendar *compiled = MemoryContextAllocZero(context, offsetof(CompiledCalendar, key) + key_len);
	ParseError	error;

	compiled->context = context;
	compiled->hash = hash;
	compiled->key_len = key_len;
	memcpy(compiled->key, key, key_len);
	if (cal->version != CALENDAR_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported sla.calendar format version %d", cal->version)));
	if (!sla_rules_parse(calendar_rules(cal), cal->rules_len, context, &compiled->rules, &error))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored calendar rules do not parse: %s", error.message)));
	compiled->holidays = MemoryContextAlloc(context, sizeof(int32) * (cal->nholidays + 1));
	memcpy(compiled->holidays, calendar_holidays(cal), sizeof(int32) * cal->nholidays);
	sla_day_hours_init(&compiled->day_rules, &compiled->rules, compiled->holidays, cal->nholidays);
	sla_timeline_init(&compiled->timeline, context, &compiled->day_rules,
				  sla_zone_lookup(pnstrdup(calendar_zone(cal), cal->zone_len)));
	compiled->bytes = MemoryContextMemAllocated(context, true);
	return compiled;
}

/*
 * A hash of a calendar's bytes: four independent lanes of 8 bytes each
 * (multiply by an odd constant, fold the high bits down), so that the
 * multiplications overlap, then the tail and the lanes mixed together.  A
 * match is compared whole: this only spreads the entries over the buckets,
 * several times faster than hash_bytes on calendars of a few hundred bytes
 * looked up once per row.
 */
static uint32
key_hash(const char *key, Size len)
{
	const uint64 multiplier = UINT64CONST(0xBF58476D1CE4E5B9);
	uint64		lane[4] = {len, UINT64CONST(0x9E3779B97F4A7C15), UINT64CONST(0x94D049BB133111EB), 1};
	uint64		tail[4] = {0};
	Size		i = 0;
	uint64		h;

	for (; i + sizeof(lane) <= len; i += sizeof(lane))
	{
		uint64		words[4];

		memcpy(words, key + i, sizeof(words));
		for (int k = 0; k < 4; k++)
		{
			lane[k] = (lane[k] ^ words[k]) * multiplier;
			lane[k] ^= lane[k] >> 31;
		}
	}
	memcpy(tail, key + i, len - i);
	h = UINT64CONST(0x2545F4914F6CDD1D);
	for (int k = 0; k < 4; k++)
	{
		h = (h ^ lane[k] ^ tail[k]) * multiplier;
		h ^= h >> 29;
	}
	return (uint32) (h ^ (h >> 32));
}

/* Take an entry out of the LRU list. */
static void
unlink_lru(CalendarCache *cache, CompiledCalendar *entry)
{
	if (entry->newer != NULL)
		entry->newer->older = entry->older;
	else
		cache->newest = entry->older;
	if (entry->older != NULL)
		entry->older->newer = entry->newer;
	else
		cache->oldest = entry->newer;
	entry->newer = entry->older = NULL;
}

/* Put an entry at the head of the LRU list. */
static void
push_lru(CalendarCache *cache, CompiledCalendar *entry)
{
	entry->older = cache->newest;
	entry->newer = NULL;
	if (cache->newest != NULL)
		cache->newest->newer = entry;
	cache->newest = entry;
	if (cache->oldest == NULL)
		cache->oldest = entry;
}

/* Count what an entry's timeline has grown to in the cache's memory. */
static void
measure(CalendarCache *cache, CompiledCalendar *entry)
{
	Size		bytes = MemoryContextMemAllocated(entry->context, true);

	cache->bytes += bytes - entry->bytes;
	entry->bytes = bytes;
}

/* Drop the least recently used entry and free its memory. */
static void
evict_oldest(CalendarCache *cache)
{
	CompiledCalendar *victim = cache->oldest;
	CompiledCalendar **link = &cache->buckets[victim->hash & (CACHE_BUCKETS - 1)];

	while (*link != victim)
		link = &(*link)->next_in_bucket;
	*link = victim->next_in_bucket;
	unlink_lru(cache, victim);
	cache->count--;
	cache->bytes -= victim->bytes;
	MemoryContextDelete(victim->context);
}

/*
 * See calendar_cache.h.  The newest entry is tried first (a constant
 * calendar, or rows sorted by calendar).  An entry's size is measured again
 * when another entry becomes the newest and before any eviction, after the
 * questions it answered grew its timeline.
 */
Timeline *
sla_calendar_timeline(MemoryContext mcxt, void **cache_slot, Datum datum)
{
	CalendarCache *cache = (CalendarCache *) *cache_slot;
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(datum);
	const char *key = VARDATA_ANY(packed);
	Size		len = VARSIZE_ANY_EXHDR(packed);
	CompiledCalendar *entry;
	uint32		hash;

	if (cache == NULL)
		*cache_slot = cache = MemoryContextAllocZero(mcxt, sizeof(CalendarCache));
	if ((entry = cache->newest) != NULL)
	{
		if (entry->key_len == len && memcmp(entry->key, key, len) == 0)
			return &entry->timeline;
		measure(cache, entry);
	}
	hash = key_hash(key, len);
	for (entry = cache->buckets[hash & (CACHE_BUCKETS - 1)]; entry != NULL; entry = entry->next_in_bucket)
		if (entry->hash == hash && entry->key_len == len && memcmp(entry->key, key, len) == 0)
		{
			unlink_lru(cache, entry);
			push_lru(cache, entry);
			return &entry->timeline;
		}
	/* room first, so the new entry is never the one evicted */
	while (cache->count > 0 && (cache->count >= CACHE_MAX_ENTRIES || cache->bytes > CACHE_MAX_BYTES))
		evict_oldest(cache);
	entry = compile(mcxt, datum, key, len, hash);
	entry->next_in_bucket = cache->buckets[hash & (CACHE_BUCKETS - 1)];
	cache->buckets[hash & (CACHE_BUCKETS - 1)] = entry;
	push_lru(cache, entry);
	cache->count++;
	cache->bytes += entry->bytes;
	return &entry->timeline;
}
