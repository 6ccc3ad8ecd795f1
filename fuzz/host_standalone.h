/*
 * fuzz/host_standalone.h
 *	  host.h outside the backend, for the fuzz targets: a malloc-based arena
 *	  that frees everything at once, a no-op interrupt check and a stand-in
 *	  time zone (fixed offset plus an optional DST-like rule).
 *
 * The stand-in zone
 * -----------------
 * Standard time is UTC + base_minutes.  When dst_mode is not FUZZ_DST_NONE,
 * "summer time" adds dst_minutes on top of that between two transitions
 * that fall on fixed dates every year, both at the local wall-clock time
 * switch_minute (minutes after local midnight):
 *
 *	  FUZZ_DST_NORTH    summer from Mar 29 to Oct 25 (like Europe)
 *	  FUZZ_DST_SOUTH    summer from Oct 04 to Apr 05 (like Australia: the
 *	                    summer spans the new year)
 *	  FUZZ_DST_MONTHLY  summer from the 10th to the 20th of every month, 24
 *	                    transitions a year, so that short queries meet many
 *
 * The switch to summer time happens at switch_minute of standard time, the
 * switch back at switch_minute of summer time; so local times in
 * [switch_minute, switch_minute + dst_minutes) of the first date do not
 * exist (a gap) and those in [switch_minute - dst_minutes, switch_minute)
 * of the second occur twice (an overlap, which may reach into the day
 * before when switch_minute is small).
 *
 * sla_local_to_utc resolves a local time exactly as PostgreSQL's
 * DetermineTimeZoneOffset does (it mirrors its algorithm): find the first
 * transition after local - 24 h, try the offsets before and after it, and
 * when the time is ambiguous prefer "before" in a gap (spring forward) and
 * "after" in an overlap (fall back).  Like PostgreSQL it relies on offsets
 * below 24 h and transitions at least 48 h apart, which the limits below
 * guarantee.
 */
#ifndef FUZZ_HOST_STANDALONE_H
#define FUZZ_HOST_STANDALONE_H

#include <stddef.h>
#include <stdint.h>

#include "host.h"

/* An owner for sla_alloc: every block it handed out, so all can be freed. */
typedef struct FuzzArena
{
	struct FuzzBlock *blocks;	/* doubly linked, newest first */
	size_t		count;
	size_t		bytes;
} FuzzArena;

extern void fuzz_arena_init(FuzzArena *arena);
/* Free every block of the arena; it can be used again afterwards. */
extern void fuzz_arena_free_all(FuzzArena *arena);

typedef enum FuzzDstMode
{
	FUZZ_DST_NONE,
	FUZZ_DST_NORTH,
	FUZZ_DST_SOUTH,
	FUZZ_DST_MONTHLY
} FuzzDstMode;

/*
 * The limits: a base offset as far as PostgreSQL's POSIX zones go
 * (XXX-167:59), which the timeline must handle; DST only with bases within
 * 14 h, the assumptions of PostgreSQL's algorithm.
 */
#define FUZZ_ZONE_MAX_BASE_MINUTES (167 * 60 + 59)
#define FUZZ_ZONE_MAX_DST_BASE_MINUTES (14 * 60)
#define FUZZ_ZONE_MAX_DST_MINUTES (3 * 60)

/* A stand-in zone: what the engine's "zone" pointer points to. */
typedef struct FuzzZone
{
	int			base_minutes;	/* standard time minus UTC, |.| <= 167:59 (14 h with DST) */
	FuzzDstMode dst_mode;
	int			dst_minutes;	/* 1 .. 180: added in summer */
	int			switch_minute;	/* 0 .. 1439: local time of the switches */
} FuzzZone;

/* Clamp a zone's fields into their documented limits. */
extern void fuzz_zone_normalize(FuzzZone *zone);
/* The zone's offset from UTC (microseconds) in force at instant "utc". */
extern int64_t fuzz_zone_offset(const FuzzZone *zone, int64_t utc);

#endif
