/*
 * src/timeline.h
 *	  A compiled calendar: its open time as sorted, merged UTC spans with
 *	  cumulative open time, materialized lazily in chunks around the
 *	  instants a query touches, so that each question is a binary search.
 *	  Instants are microseconds since 2000-01-01 00:00 UTC (PostgreSQL's
 *	  TimestampTz); no backend headers.
 */
#ifndef SLA_TIMELINE_H
#define SLA_TIMELINE_H

#include "day_hours.h"

#define TIMELINE_INFINITY INT64_MAX		/* PostgreSQL's 'infinity' */
#define TIMELINE_MINUS_INFINITY INT64_MIN	/* and '-infinity' */

/* The instants the timeline covers: 0001-01-01 to 10000-01-01 UTC. */
#define TIMELINE_MIN INT64_C(-63082281600000000)
#define TIMELINE_MAX INT64_C(252455616000000000)
/* At most this many spans are materialized for one calendar. */
#define TIMELINE_MAX_SPANS (1 << 22)

typedef enum TimelineStatus
{
	TIMELINE_OK,
	TIMELINE_OUT_OF_RANGE,		/* an instant outside [TIMELINE_MIN, TIMELINE_MAX] */
	TIMELINE_TOO_MANY_SPANS		/* the answer needs more than TIMELINE_MAX_SPANS */
} TimelineStatus;

/* A paused range [lower, upper); the infinities stand for unbounded ends. */
typedef struct Pause
{
	int64_t		lower;
	int64_t		upper;
} Pause;

/* A span of open time [start, end), with the open time from an arbitrary origin to its start. */
typedef struct TimelineSpan
{
	int64_t		start;
	int64_t		end;
	int64_t		before;
} TimelineSpan;

typedef struct Timeline
{
	void	   *owner;			/* arena for sla_alloc */
	const CalendarRules *rules;
	const void *zone;			/* for sla_local_to_utc */
	int64_t		min_offset;		/* the zone's offsets (local - UTC) lie in */
	int64_t		max_offset;		/* [min_offset, max_offset] */
	int64_t		zone_margin;	/* local dates map to instants within this of them */
	int64_t		lo;				/* materialized instants: [lo, hi) */
	int64_t		hi;
	int			n;				/* spans */
	int			capacity;		/* room from spans[0] on */
	int			front;			/* free room before spans[0] */
	TimelineSpan *spans;		/* one array: a search reads a span's fields together */
	TimeSpan   *day_buffer;
	/* per UTC day from lo: the first span ending after the day starts */
	int32_t    *day_first;
	int			day_capacity;
	/* per slice of open time from before[0]: the first span reaching it */
	int32_t    *level_first;
	int			level_capacity;
	int			level_slices;	/* 0: no level index */
	int64_t		level_slice;	/* open time per slice */
	bool		day_index_stale;	/* spans changed since the indexes were built */
	/* the yearly pattern outside the specific dates, worked out when needed */
	bool		pattern_known;
	bool		ever_open;
	bool		always_open;
} Timeline;

extern void sla_timeline_init(Timeline *tl, void *owner, const CalendarRules *rules,
						  const void *zone);

/* Open time in [since, until) less the pauses (sorted, disjoint); negative when until < since. */
extern TimelineStatus sla_timeline_business_time(Timeline *tl, int64_t since, int64_t until,
											 const Pause *pauses, int npauses, int64_t *result);

/*
 * amount > 0: earliest t >= start with business_time(start, t) >= amount;
 * amount < 0: latest t <= start with business_time(t, start) >= -amount;
 * the infinities when no such t exists.
 */
extern TimelineStatus sla_timeline_business_add(Timeline *tl, int64_t start, int64_t amount,
											const Pause *pauses, int npauses, int64_t *result);

extern TimelineStatus sla_timeline_is_open(Timeline *tl, int64_t at, bool *result);
/* "at" when open, else the next opening (infinity: never) */
extern TimelineStatus sla_timeline_next_open(Timeline *tl, int64_t at, int64_t *result);
/* "at" when closed, else the end of the current open span (infinity: never) */
extern TimelineStatus sla_timeline_next_close(Timeline *tl, int64_t at, int64_t *result);

/*
 * The pauses (sorted, disjoint) cut off at "end", into "into" (which may be
 * "pauses" itself); returns how many remain.
 */
extern int	sla_pauses_until(const Pause *pauses, int npauses, int64_t end, Pause *into);

/*
 * The spans overlapping [from, to): on return *first is the index of the
 * first and *count their number in tl->start / tl->end (clip them to the
 * range yourself).  Valid until the next call on tl.
 */
extern TimelineStatus sla_timeline_spans(Timeline *tl, int64_t from, int64_t to,
									 int *first, int *count);

#endif
