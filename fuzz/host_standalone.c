/*
 * fuzz/host_standalone.c
 *	  host.h outside the backend: see host_standalone.h for the arena and
 *	  the stand-in time zone.
 */
#include "host_standalone.h"

#include <stdio.h>
#include <stdlib.h>

#include "civil.h"

/* The header in front of every block; 16-aligned so the payload is too, like malloc's. */
typedef struct FuzzBlock
{
	struct FuzzBlock *prev;
	struct FuzzBlock *next;
	size_t		size;
} __attribute__((aligned(16))) FuzzBlock;

/* Give up loudly: the fuzzer reports it like a crash. */
static void
out_of_memory(size_t size)
{
	fprintf(stderr, "host_standalone: out of memory (%zu bytes)\n", size);
	abort();
}

void
fuzz_arena_init(FuzzArena *arena)
{
	arena->blocks = NULL;
	arena->count = 0;
	arena->bytes = 0;
}

void
fuzz_arena_free_all(FuzzArena *arena)
{
	FuzzBlock  *block = arena->blocks;

	while (block != NULL)
	{
		FuzzBlock  *next = block->next;

		free(block);
		block = next;
	}
	fuzz_arena_init(arena);
}

/* Put "block" at the head of the arena's list. */
static void
link_block(FuzzArena *arena, FuzzBlock *block)
{
	block->prev = NULL;
	block->next = arena->blocks;
	if (arena->blocks != NULL)
		arena->blocks->prev = block;
	arena->blocks = block;
}

/* Take "block" out of the arena's list. */
static void
unlink_block(FuzzArena *arena, FuzzBlock *block)
{
	if (block->prev != NULL)
		block->prev->next = block->next;
	else
		arena->blocks = block->next;
	if (block->next != NULL)
		block->next->prev = block->prev;
}

void *
sla_alloc(void *owner, size_t size)
{
	FuzzArena  *arena = owner;
	FuzzBlock  *block;

	/* like palloc: zero bytes is fine, absurd sizes are a bug */
	if (size > ((size_t) 1 << 30))
		out_of_memory(size);
	block = malloc(sizeof(FuzzBlock) + size);
	if (block == NULL)
		out_of_memory(size);
	block->size = size;
	link_block(arena, block);
	arena->count++;
	arena->bytes += size;
	return block + 1;
}

void *
sla_realloc(void *owner, void *ptr, size_t size)
{
	FuzzArena  *arena = owner;
	FuzzBlock  *block;
	FuzzBlock  *moved;

	if (ptr == NULL)
		return sla_alloc(owner, size);
	if (size > ((size_t) 1 << 30))
		out_of_memory(size);
	block = (FuzzBlock *) ptr - 1;
	unlink_block(arena, block);
	arena->bytes -= block->size;
	moved = realloc(block, sizeof(FuzzBlock) + size);
	if (moved == NULL)
		out_of_memory(size);
	moved->size = size;
	link_block(arena, moved);
	arena->bytes += size;
	return moved + 1;
}

void
sla_check_interrupts(void)
{
}

void
fuzz_zone_normalize(FuzzZone *zone)
{
	if (zone->base_minutes > FUZZ_ZONE_MAX_BASE_MINUTES)
		zone->base_minutes = FUZZ_ZONE_MAX_BASE_MINUTES;
	if (zone->base_minutes < -FUZZ_ZONE_MAX_BASE_MINUTES)
		zone->base_minutes = -FUZZ_ZONE_MAX_BASE_MINUTES;
	if (zone->dst_mode < FUZZ_DST_NONE || zone->dst_mode > FUZZ_DST_MONTHLY ||
		zone->base_minutes > FUZZ_ZONE_MAX_DST_BASE_MINUTES ||
		zone->base_minutes < -FUZZ_ZONE_MAX_DST_BASE_MINUTES)
		zone->dst_mode = FUZZ_DST_NONE;
	if (zone->dst_minutes < 1)
		zone->dst_minutes = 1;
	if (zone->dst_minutes > FUZZ_ZONE_MAX_DST_MINUTES)
		zone->dst_minutes = FUZZ_ZONE_MAX_DST_MINUTES;
	if (zone->switch_minute < 0 || zone->switch_minute >= 1440)
		zone->switch_minute = 0;
}

/* At most this many transitions in one year (FUZZ_DST_MONTHLY). */
#define MAX_PER_YEAR 24

/* Offsets in microseconds. */
static int64_t
standard_offset(const FuzzZone *zone)
{
	return zone->base_minutes * SLA_USECS_PER_MINUTE;
}

static int64_t
summer_offset(const FuzzZone *zone)
{
	return (zone->base_minutes + zone->dst_minutes) * SLA_USECS_PER_MINUTE;
}

/*
 * Append the transition on local date year-month-day at switch_minute of
 * the clock in force before it: into summer time when "to_summer".
 */
static void
add_transition(const FuzzZone *zone, int year, int month, int day, bool to_summer,
			   int64_t *at, int64_t *after, int *n)
{
	CivilDate	date = {year, month, day};
	int64_t		local = sla_civil_to_days(date) * SLA_USECS_PER_DAY +
		zone->switch_minute * SLA_USECS_PER_MINUTE;

	at[*n] = local - (to_summer ? standard_offset(zone) : summer_offset(zone));
	after[*n] = to_summer ? summer_offset(zone) : standard_offset(zone);
	(*n)++;
}

/* The transitions of local year "year" in time order; returns their count. */
static int
transitions_of_year(const FuzzZone *zone, int year, int64_t *at, int64_t *after)
{
	int			n = 0;

	switch (zone->dst_mode)
	{
		case FUZZ_DST_NONE:
			break;
		case FUZZ_DST_NORTH:
			add_transition(zone, year, 3, 29, true, at, after, &n);
			add_transition(zone, year, 10, 25, false, at, after, &n);
			break;
		case FUZZ_DST_SOUTH:
			add_transition(zone, year, 4, 5, false, at, after, &n);
			add_transition(zone, year, 10, 4, true, at, after, &n);
			break;
		case FUZZ_DST_MONTHLY:
			for (int month = 1; month <= 12; month++)
			{
				add_transition(zone, year, month, 10, true, at, after, &n);
				add_transition(zone, year, month, 20, false, at, after, &n);
			}
			break;
	}
	return n;
}

/*
 * The transitions of the years around the one holding instant "t", in time
 * order (the first one lies a year or more before t); returns their count.
 */
static int
transitions_around(const FuzzZone *zone, int64_t t, int64_t *at, int64_t *after)
{
	int			year = sla_civil_from_days((int32_t) sla_civil_floor_div(t, SLA_USECS_PER_DAY)).year;
	int			n = 0;

	for (int y = year - 1; y <= year + 1; y++)
		n += transitions_of_year(zone, y, at + n, after + n);
	return n;
}

int64_t
fuzz_zone_offset(const FuzzZone *zone, int64_t utc)
{
	int64_t		at[3 * MAX_PER_YEAR];
	int64_t		after[3 * MAX_PER_YEAR];
	int			n = transitions_around(zone, utc, at, after);
	int64_t		offset = standard_offset(zone);

	/* summer time of the southern kind is in force at the start of a year */
	if (zone->dst_mode == FUZZ_DST_SOUTH)
		offset = summer_offset(zone);
	for (int i = 0; i < n && at[i] <= utc; i++)
		offset = after[i];
	return offset;
}

/* See host.h: standard time and summer time are the only offsets. */
void
sla_zone_offset_bounds(const void *zone_ptr, int64_t *min_offset, int64_t *max_offset)
{
	const FuzzZone *zone = zone_ptr;

	*min_offset = standard_offset(zone);
	*max_offset = zone->dst_mode == FUZZ_DST_NONE ? standard_offset(zone) : summer_offset(zone);
}

/*
 * PostgreSQL's DetermineTimeZoneOffsetInternal on the stand-in zone: the
 * first transition after local - 24 h and the offsets on either side of it.
 */
int64_t
sla_local_to_utc(const void *zone_ptr, int64_t local_usec)
{
	const FuzzZone *zone = zone_ptr;
	int64_t		at[3 * MAX_PER_YEAR];
	int64_t		after[3 * MAX_PER_YEAR];
	int64_t		prevtime = local_usec - SLA_USECS_PER_DAY;
	int			n = transitions_around(zone, prevtime, at, after);
	int			i;
	int64_t		boundary,
				before_off,
				after_off,
				beforetime,
				aftertime;

	for (i = 0; i < n && at[i] <= prevtime; i++)
		;
	if (n == 0 || i == n)
		return local_usec - fuzz_zone_offset(zone, prevtime);	/* no transition */
	boundary = at[i];
	before_off = fuzz_zone_offset(zone, boundary - 1);
	after_off = after[i];
	beforetime = local_usec - before_off;
	aftertime = local_usec - after_off;
	if (beforetime < boundary && aftertime < boundary)
		return beforetime;
	if (beforetime > boundary && aftertime >= boundary)
		return aftertime;
	/* a gap (spring forward): before; an overlap (fall back): after */
	if (beforetime > aftertime)
		return beforetime;
	return aftertime;
}
