/*
 * src/timeline.c
 *	  The open time of a calendar as a function F(t) = open time from an
 *	  arbitrary origin to instant t, kept as sorted, merged UTC spans with
 *	  the open time before each.  Business time is F(b) - F(a); adding
 *	  business time inverts F with a binary search.  Chunks of CHUNK_DAYS
 *	  are materialized on demand in either direction, each local date's
 *	  hours mapped to UTC once.
 */
#include "timeline.h"

#include <string.h>

#include "civil.h"
#include "host.h"

#define CHUNK_USECS (366 * SLA_USECS_PER_DAY)
/* the day index covers at most this many days (about 270 years) */
#define MAX_INDEXED_DAYS 100000

/* See timeline.h: an empty timeline; chunks come as questions need them. */
void
sla_timeline_init(Timeline *tl, void *owner, const CalendarRules *rules, const void *zone)
{
	memset(tl, 0, sizeof(*tl));
	tl->owner = owner;
	tl->rules = rules;
	tl->zone = zone;
	/* any offset PostgreSQL accepts: POSIX zones reach about a week from UTC */
	sla_zone_offset_bounds(zone, &tl->min_offset, &tl->max_offset);
	tl->zone_margin = (tl->max_offset > -tl->min_offset ? tl->max_offset : -tl->min_offset) +
		2 * SLA_USECS_PER_DAY;
	tl->day_buffer = sla_alloc(owner, sizeof(TimeSpan) * (size_t) rules->max_day_spans);
}

/*
 * Move the spans (and "scratch" more after them) into a new array with
 * "front" free slots before them and room for "back" in all after them.
 * The old array stays in the arena, which goes as a whole.
 */
static void
relocate(Timeline *tl, int scratch, int front, int back)
{
	TimelineSpan *moved = sla_alloc(tl->owner, sizeof(TimelineSpan) * ((size_t) front + (size_t) back));

	if (tl->n + scratch > 0)
		memcpy(moved + front, tl->spans, sizeof(TimelineSpan) * (size_t) (tl->n + scratch));
	tl->spans = moved + front;
	tl->front = front;
	tl->capacity = back;
}

/* Make room for "more" spans (or scratch spans) after the n spans. */
static TimelineStatus
reserve(Timeline *tl, int more)
{
	int			want = tl->n + more;

	if (want > TIMELINE_MAX_SPANS)
		return TIMELINE_TOO_MANY_SPANS;
	if (want > tl->capacity)
	{
		int			capacity = tl->capacity ? tl->capacity : 64;

		while (capacity < want)
			capacity *= 2;
		relocate(tl, tl->capacity - tl->n, tl->front, capacity);
	}
	return TIMELINE_OK;
}

/*
 * Make room for "more" spans before the first, keeping the "scratch" spans
 * after the n spans; the room grows with the timeline, so that prepending
 * chunk after chunk costs linear time in all.
 */
static TimelineStatus
reserve_front(Timeline *tl, int more, int scratch)
{
	if (tl->n + more > TIMELINE_MAX_SPANS)
		return TIMELINE_TOO_MANY_SPANS;
	if (more > tl->front)
		relocate(tl, scratch, more + tl->n, tl->capacity);
	return TIMELINE_OK;
}

/*
 * Add the span [s, e) to the m sorted, merged spans at "spans" (room for
 * one more; their open time before is not set yet), merging it with those
 * it touches or overlaps; returns the new count.  Spans arrive nearly in
 * order, so the place is found from the end.
 */
static int
insert_span(TimelineSpan *spans, int m, int64_t s, int64_t e)
{
	int			j = m;
	int			k;

	while (j > 0 && spans[j - 1].start > s)
		j--;
	if (j > 0 && spans[j - 1].end >= s)
	{
		j--;
		if (e > spans[j].end)
			spans[j].end = e;
	}
	else
	{
		memmove(spans + j + 1, spans + j, sizeof(TimelineSpan) * (size_t) (m - j));
		spans[j].start = s;
		spans[j].end = e;
		m++;
	}
	/* the spans after it that it now reaches */
	for (k = j + 1; k < m && spans[k].start <= spans[j].end; k++)
		if (spans[k].end > spans[j].end)
			spans[j].end = spans[k].end;
	if (k > j + 1)
	{
		memmove(spans + j + 1, spans + k, sizeof(TimelineSpan) * (size_t) (m - k));
		m -= k - (j + 1);
	}
	return m;
}

/*
 * The open spans inside [from, to), sorted and merged as they come (so the
 * span limit counts merged spans), written after the timeline's own spans
 * (at index n and on, not yet counted in n).  The local dates whose hours
 * can reach [from, to) are those within the zone's offsets of it, a day
 * more on either side for the spans crossing midnight.
 */
static TimelineStatus
materialize(Timeline *tl, int64_t from, int64_t to, int *count)
{
	int64_t		first_day = sla_civil_floor_div(from + tl->min_offset, SLA_USECS_PER_DAY) - 1;
	int64_t		last_day = sla_civil_floor_div(to - 1 + tl->max_offset, SLA_USECS_PER_DAY) + 1;
	int			m = 0;

	for (int64_t day = first_day; day <= last_day; day++)
	{
		int			k;

		sla_check_interrupts();
		k = sla_day_hours(tl->rules, (int32_t) day, tl->day_buffer);
		for (int i = 0; i < k; i++)
		{
			int64_t		midnight = day * SLA_USECS_PER_DAY;
			int64_t		s = sla_local_to_utc(tl->zone, midnight + tl->day_buffer[i].start * SLA_USECS_PER_MINUTE);
			int64_t		e = sla_local_to_utc(tl->zone, midnight + tl->day_buffer[i].end * SLA_USECS_PER_MINUTE);
			TimelineStatus status;

			if (s < from)
				s = from;
			if (e > to)
				e = to;
			if (e <= s)
				continue;
			if ((status = reserve(tl, m + 1)) != TIMELINE_OK)
				return status;
			m = insert_span(tl->spans + tl->n, m, s, e);
		}
	}
	*count = m;
	return TIMELINE_OK;
}

/* Materialize the chunk after hi and append it. */
static TimelineStatus
extend_forward(Timeline *tl)
{
	int64_t		to = tl->hi > TIMELINE_MAX - CHUNK_USECS ? TIMELINE_MAX : tl->hi + CHUNK_USECS;
	int			m;
	int			from;
	TimelineStatus status = materialize(tl, tl->hi, to, &m);

	if (status != TIMELINE_OK)
		return status;
	from = tl->n;
	/* a span running into the new chunk continues the last one */
	if (tl->n > 0 && m > 0 && tl->spans[from].start <= tl->spans[tl->n - 1].end)
	{
		tl->spans[tl->n - 1].end = tl->spans[from].end;
		from++;
		m--;
	}
	for (int i = 0; i < m; i++, tl->n++)
	{
		TimelineSpan *span = &tl->spans[tl->n];

		*span = tl->spans[from + i];
		span->before = tl->n == 0 ? 0 : span[-1].before + (span[-1].end - span[-1].start);
	}
	tl->hi = to;
	tl->day_index_stale = true;
	return TIMELINE_OK;
}

/*
 * Materialize the chunk before lo and prepend it, keeping F unchanged for
 * instants already covered (an in-flight search may hold F values).
 */
static TimelineStatus
extend_backward(Timeline *tl)
{
	int64_t		from = tl->lo < TIMELINE_MIN + CHUNK_USECS ? TIMELINE_MIN : tl->lo - CHUNK_USECS;
	int			m;
	TimelineStatus status = materialize(tl, from, tl->lo, &m);

	if (status != TIMELINE_OK)
		return status;
	/* the last new span may touch the first old one */
	if (tl->n > 0 && m > 0 && tl->spans[tl->n + m - 1].end >= tl->spans[0].start)
	{
		tl->spans[0].before -= tl->spans[0].start - tl->spans[tl->n + m - 1].start;
		tl->spans[0].start = tl->spans[tl->n + m - 1].start;
		m--;
	}
	if (m > 0)
	{
		if ((status = reserve_front(tl, m, m)) != TIMELINE_OK)
			return status;
		/* move the new spans from after the old ones to before them */
		for (int i = 0; i < m; i++)
			tl->spans[i - m] = tl->spans[tl->n + i];
		tl->spans -= m;
		tl->front -= m;
		tl->capacity += m;
		for (int i = m - 1; i >= 0; i--)
			tl->spans[i].before = (i + 1 < tl->n + m ? tl->spans[i + 1].before : 0) - (tl->spans[i].end - tl->spans[i].start);
		tl->n += m;
	}
	tl->lo = from;
	tl->day_index_stale = true;
	return TIMELINE_OK;
}

/* Materialize until "at" lies in [lo, hi). */
static TimelineStatus
cover(Timeline *tl, int64_t at)
{
	TimelineStatus status = TIMELINE_OK;

	if (at < TIMELINE_MIN || at >= TIMELINE_MAX)
		return TIMELINE_OUT_OF_RANGE;
	if (tl->lo == tl->hi)
		tl->lo = tl->hi = TIMELINE_MIN + sla_civil_floor_div(at - TIMELINE_MIN, CHUNK_USECS) * CHUNK_USECS;
	while (status == TIMELINE_OK && at < tl->lo)
		status = extend_backward(tl);
	while (status == TIMELINE_OK && at >= tl->hi)
		status = extend_forward(tl);
	return status;
}

/*
 * Rebuild the indexes that narrow every search to a few spans: per UTC day
 * the first span ending after the day starts, and per slice of open time
 * (about one span's worth) the first span whose cumulative end reaches it.
 * Skipped (searches fall back to the whole array) when the timeline covers
 * too many days for it to pay.
 */
static void
build_indexes(Timeline *tl)
{
	int64_t		days = (tl->hi - tl->lo) / SLA_USECS_PER_DAY;
	int64_t		total;
	int			j = 0;

	tl->day_index_stale = false;
	tl->level_slices = 0;
	if (days > MAX_INDEXED_DAYS)
		return;
	if (days + 1 > tl->day_capacity)
	{
		tl->day_capacity = (int) days + 1;
		tl->day_first = sla_realloc(tl->owner, tl->day_first, sizeof(int32_t) * (size_t) tl->day_capacity);
	}
	for (int64_t k = 0; k <= days; k++)
	{
		int64_t		day_start = tl->lo + k * SLA_USECS_PER_DAY;

		if ((k & 1023) == 0)
			sla_check_interrupts();

		while (j < tl->n && tl->spans[j].end <= day_start)
			j++;
		tl->day_first[k] = j;
	}
	if (tl->n == 0)
		return;
	total = tl->spans[tl->n - 1].before + (tl->spans[tl->n - 1].end - tl->spans[tl->n - 1].start) - tl->spans[0].before;
	tl->level_slice = total / tl->n > 0 ? total / tl->n : 1;
	tl->level_slices = (int) (total / tl->level_slice) + 1;
	if (tl->level_slices > tl->level_capacity)
	{
		tl->level_capacity = tl->level_slices;
		tl->level_first = sla_realloc(tl->owner, tl->level_first, sizeof(int32_t) * (size_t) tl->level_capacity);
	}
	j = 0;
	for (int b = 0; b < tl->level_slices; b++)
	{
		int64_t		level = tl->spans[0].before + b * tl->level_slice;

		if ((b & 1023) == 0)
			sla_check_interrupts();

		while (j < tl->n && tl->spans[j].before + (tl->spans[j].end - tl->spans[j].start) < level)
			j++;
		tl->level_first[b] = j;
	}
}

/* Index of the last span starting at or before t (covered), or -1. */
static int
span_at_or_before(Timeline *tl, int64_t t)
{
	int			lo = 0,
				hi = tl->n;

	if (tl->day_index_stale)
		build_indexes(tl);
	if ((tl->hi - tl->lo) / SLA_USECS_PER_DAY <= MAX_INDEXED_DAYS)
	{
		/* spans before the day's first end before t; spans after the next day's first start after t */
		int64_t		k = (t - tl->lo) / SLA_USECS_PER_DAY;

		lo = tl->day_first[k] > 0 ? tl->day_first[k] - 1 : 0;
		hi = tl->day_first[k + 1] + 1 < tl->n ? tl->day_first[k + 1] + 1 : tl->n;
		if (hi - lo <= 8)
		{
			/* a day's few spans: count those starting at or before t, without branches */
			int			found = lo - 1;

			for (int i = lo; i < hi; i++)
				found += tl->spans[i].start <= t;
			return found;
		}
	}
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (tl->spans[mid].start <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* F(t): open time from the origin to t; t must be covered. */
static int64_t
open_time_to(Timeline *tl, int64_t t)
{
	int			i = span_at_or_before(tl, t);

	if (i < 0)
		return tl->n > 0 ? tl->spans[0].before : 0;
	return tl->spans[i].before + (t < tl->spans[i].end ? t : tl->spans[i].end) - tl->spans[i].start;
}

/* Work out the yearly pattern once, the first time a search needs it. */
static void
know_pattern(Timeline *tl)
{
	if (!tl->pattern_known)
	{
		sla_day_hours_pattern(tl->rules, tl->day_buffer, &tl->ever_open, &tl->always_open);
		tl->pattern_known = true;
	}
}

/* Whether every instant from t on falls on dates that follow the yearly pattern. */
static bool
pattern_only_after(const Timeline *tl, int64_t t)
{
	return !tl->rules->has_specific ||
		t >= (int64_t) (tl->rules->specific_last + 1) * SLA_USECS_PER_DAY + tl->zone_margin;
}

/* Whether every instant before t falls on dates that follow the yearly pattern. */
static bool
pattern_only_before(const Timeline *tl, int64_t t)
{
	return !tl->rules->has_specific ||
		t <= (int64_t) tl->rules->specific_first * SLA_USECS_PER_DAY - tl->zone_margin;
}

/* Whether the calendar has no open time at or after t. */
static bool
never_open_after(Timeline *tl, int64_t t)
{
	know_pattern(tl);
	return !tl->ever_open && pattern_only_after(tl, t);
}

/* Whether the calendar has no open time before t. */
static bool
never_open_before(Timeline *tl, int64_t t)
{
	know_pattern(tl);
	return !tl->ever_open && pattern_only_before(tl, t);
}

/*
 * Index of the first span whose cumulative end reaches "level", or n: in
 * the level's slice of open time when the index covers it, else by bisection.
 */
static int
first_reaching(Timeline *tl, int64_t level)
{
	int			lo = 0,
				hi = tl->n;

	if (tl->day_index_stale)
		build_indexes(tl);
	if (tl->level_slices > 0 && level >= tl->spans[0].before)
	{
		int64_t		slice = (level - tl->spans[0].before) / tl->level_slice;

		if (slice >= tl->level_slices)
			return tl->n;		/* beyond every span */
		lo = tl->level_first[slice];
		if (slice + 1 < tl->level_slices && tl->level_first[slice + 1] < tl->n)
			hi = tl->level_first[slice + 1] + 1;
	}
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (tl->spans[mid].before + (tl->spans[mid].end - tl->spans[mid].start) >= level)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * What add_forward and add_backward do first: cover "from", and answer at
 * once an amount of more open time than the covered years hold ("beyond":
 * the infinity the walk heads for, or out of range when the calendar is
 * ever open).  Returns false when *status (with *result) is the answer.
 */
static bool
ready_to_add(Timeline *tl, int64_t from, int64_t amount, int64_t beyond, int64_t *result, TimelineStatus *status)
{
	if ((*status = cover(tl, from)) != TIMELINE_OK)
		return false;
	if (amount > TIMELINE_MAX - TIMELINE_MIN)
	{
		know_pattern(tl);
		*result = beyond;
		*status = tl->ever_open ? TIMELINE_OUT_OF_RANGE : TIMELINE_OK;
		return false;
	}
	return true;
}

/* Earliest t >= from with F(t) - F(from) >= amount (amount > 0), no pauses. */
static TimelineStatus
add_forward(Timeline *tl, int64_t from, int64_t amount, int64_t *result)
{
	TimelineStatus status;
	int64_t		level;

	if (!ready_to_add(tl, from, amount, TIMELINE_INFINITY, result, &status))
		return status;
	level = open_time_to(tl, from) + amount;
	for (;;)
	{
		int			i = first_reaching(tl, level);

		if (i < tl->n)
		{
			*result = tl->spans[i].start + (level - tl->spans[i].before);
			return TIMELINE_OK;
		}
		if (never_open_after(tl, tl->hi))
		{
			*result = TIMELINE_INFINITY;
			return TIMELINE_OK;
		}
		if (tl->hi >= TIMELINE_MAX)
			return TIMELINE_OUT_OF_RANGE;
		if ((status = extend_forward(tl)) != TIMELINE_OK)
			return status;
	}
}

/* Latest t <= from with F(from) - F(t) >= amount (amount > 0), no pauses. */
static TimelineStatus
add_backward(Timeline *tl, int64_t from, int64_t amount, int64_t *result)
{
	TimelineStatus status;
	int64_t		level;

	if (!ready_to_add(tl, from, amount, TIMELINE_MINUS_INFINITY, result, &status))
		return status;
	level = open_time_to(tl, from) - amount;
	for (;;)
	{
		if (tl->n > 0 && level >= tl->spans[0].before)
		{
			/*
			 * The level is reached in span i (level < F(from), so it is); when
			 * exactly at its end, F stays there until the next span starts.
			 */
			int			i = first_reaching(tl, level);

			if (i + 1 < tl->n && tl->spans[i + 1].before <= level)
				i++;
			*result = tl->spans[i].start + (level - tl->spans[i].before);
			return TIMELINE_OK;
		}
		if (never_open_before(tl, tl->lo))
		{
			*result = TIMELINE_MINUS_INFINITY;
			return TIMELINE_OK;
		}
		if (tl->lo <= TIMELINE_MIN)
			return TIMELINE_OUT_OF_RANGE;
		if ((status = extend_backward(tl)) != TIMELINE_OK)
			return status;
	}
}

/* Open time in [a, b), a <= b, both finite. */
static TimelineStatus
open_time_between(Timeline *tl, int64_t a, int64_t b, int64_t *result)
{
	TimelineStatus status;

	if ((status = cover(tl, a)) != TIMELINE_OK || (status = cover(tl, b)) != TIMELINE_OK)
		return status;
	*result = open_time_to(tl, b) - open_time_to(tl, a);
	return TIMELINE_OK;
}

/* See timeline.h: F(until) - F(since) less F over each pause inside. */
TimelineStatus
sla_timeline_business_time(Timeline *tl, int64_t since, int64_t until,
					   const Pause *pauses, int npauses, int64_t *result)
{
	int64_t		total;
	TimelineStatus status;

	if (until < since)
	{
		status = sla_timeline_business_time(tl, until, since, pauses, npauses, &total);
		*result = -total;
		return status;
	}
	if ((status = open_time_between(tl, since, until, &total)) != TIMELINE_OK)
		return status;
	for (int i = 0; i < npauses; i++)
	{
		int64_t		lower = pauses[i].lower > since ? pauses[i].lower : since;
		int64_t		upper = pauses[i].upper < until ? pauses[i].upper : until;

		sla_check_interrupts();
		if (lower < upper)
			total -= open_time_to(tl, upper) - open_time_to(tl, lower);
	}
	*result = total;
	return TIMELINE_OK;
}

/* Whether instant t lies in the materialized range. */
static bool
covered(const Timeline *tl, int64_t t)
{
	return t >= tl->lo && t < tl->hi;
}

/*
 * A walk through time, forward (dir 1) or backward (dir -1): a pause's
 * near edge is the one the walk meets first, its far edge the other.
 */
static int64_t
near_edge(const Pause *pause, int dir)
{
	return dir > 0 ? pause->lower : pause->upper;
}

static int64_t
far_edge(const Pause *pause, int dir)
{
	return dir > 0 ? pause->upper : pause->lower;
}

/* Whether instant x lies ahead of instant "at" on a walk in direction dir. */
static bool
ahead(int64_t x, int64_t at, int dir)
{
	return dir > 0 ? x > at : x < at;
}

/*
 * Walk the pauses in the walk's order from start, spending the amount on
 * the open time between them; the search without pauses (add_forward or
 * add_backward) finishes the walk.  Before measuring the open time up to a
 * pause beyond what is materialized, the deadline without it is found: a
 * pause past the deadline then costs nothing, however far away it lies.
 */
static TimelineStatus
add_with_pauses(Timeline *tl, int64_t start, int64_t amount, int dir,
				const Pause *pauses, int npauses, int64_t *result)
{
	TimelineStatus (*add) (Timeline *, int64_t, int64_t, int64_t *) = dir > 0 ? add_forward : add_backward;
	const int64_t infinity = dir > 0 ? TIMELINE_INFINITY : TIMELINE_MINUS_INFINITY;
	const int64_t limit = dir > 0 ? TIMELINE_MAX : TIMELINE_MIN;
	int64_t		at = start;

	for (int k = 0; k < npauses; k++)
	{
		const Pause *pause = &pauses[dir > 0 ? k : npauses - 1 - k];
		TimelineStatus status;

		if (!ahead(limit, near_edge(pause, dir), dir))
			break;				/* this pause and those after it lie beyond the calendar's years */
		sla_check_interrupts();
		if (!ahead(far_edge(pause, dir), at, dir))
			continue;			/* behind the walk */
		if (ahead(near_edge(pause, dir), at, dir))
		{
			int64_t		available;

			if (!covered(tl, near_edge(pause, dir)))
			{
				int64_t		reached;

				status = add(tl, at, amount, &reached);
				if (status == TIMELINE_OUT_OF_RANGE)
				{
					const Pause *outermost = &pauses[dir > 0 ? npauses - 1 : 0];

					/* unreachable even without pauses: a pause without end says infinity */
					if (far_edge(outermost, dir) == infinity && ahead(limit, near_edge(outermost, dir), dir))
					{
						*result = infinity;
						return TIMELINE_OK;
					}
					return status;
				}
				if (status != TIMELINE_OK)
					return status;
				if (!ahead(reached, near_edge(pause, dir), dir) || reached == infinity)
				{
					*result = reached;
					return TIMELINE_OK;
				}
			}
			status = dir > 0 ? open_time_between(tl, at, near_edge(pause, dir), &available)
				: open_time_between(tl, near_edge(pause, dir), at, &available);
			if (status != TIMELINE_OK)
				return status;
			if (available >= amount)
				break;
			amount -= available;
		}
		if (far_edge(pause, dir) == infinity)
		{
			*result = infinity;
			return TIMELINE_OK;
		}
		at = far_edge(pause, dir);
	}
	return add(tl, at, amount, result);
}

/* See timeline.h: zero and infinite starts answer themselves. */
TimelineStatus
sla_timeline_business_add(Timeline *tl, int64_t start, int64_t amount,
					  const Pause *pauses, int npauses, int64_t *result)
{
	if (amount == 0 || start == TIMELINE_INFINITY || start == TIMELINE_MINUS_INFINITY)
	{
		*result = start;
		return TIMELINE_OK;
	}
	if (amount > 0)
		return add_with_pauses(tl, start, amount, 1, pauses, npauses, result);
	if (amount == INT64_MIN)
		return TIMELINE_OUT_OF_RANGE;
	return add_with_pauses(tl, start, -amount, -1, pauses, npauses, result);
}

/* See timeline.h. */
TimelineStatus
sla_timeline_is_open(Timeline *tl, int64_t at, bool *result)
{
	TimelineStatus status = cover(tl, at);
	int			i;

	if (status != TIMELINE_OK)
		return status;
	i = span_at_or_before(tl, at);
	*result = i >= 0 && at < tl->spans[i].end;
	return TIMELINE_OK;
}

/* See timeline.h: extends forward until a span or the end of open time. */
TimelineStatus
sla_timeline_next_open(Timeline *tl, int64_t at, int64_t *result)
{
	TimelineStatus status = cover(tl, at);

	if (status != TIMELINE_OK)
		return status;
	for (;;)
	{
		int			i = span_at_or_before(tl, at);

		if (i >= 0 && at < tl->spans[i].end)
		{
			*result = at;
			return TIMELINE_OK;
		}
		if (i + 1 < tl->n)
		{
			*result = tl->spans[i + 1].start;
			return TIMELINE_OK;
		}
		if (never_open_after(tl, tl->hi))
		{
			*result = TIMELINE_INFINITY;
			return TIMELINE_OK;
		}
		if (tl->hi >= TIMELINE_MAX)
			return TIMELINE_OUT_OF_RANGE;
		if ((status = extend_forward(tl)) != TIMELINE_OK)
			return status;
	}
}

/* See timeline.h: a span may run on across chunks. */
TimelineStatus
sla_timeline_next_close(Timeline *tl, int64_t at, int64_t *result)
{
	TimelineStatus status = cover(tl, at);
	int			i;

	if (status != TIMELINE_OK)
		return status;
	i = span_at_or_before(tl, at);
	if (i < 0 || at >= tl->spans[i].end)
	{
		*result = at;
		return TIMELINE_OK;
	}
	/* the open span may run on past the materialized chunks */
	while (tl->spans[i].end == tl->hi)
	{
		know_pattern(tl);
		if (tl->always_open && pattern_only_after(tl, tl->hi))
		{
			*result = TIMELINE_INFINITY;
			return TIMELINE_OK;
		}
		if (tl->hi >= TIMELINE_MAX)
			return TIMELINE_OUT_OF_RANGE;
		if ((status = extend_forward(tl)) != TIMELINE_OK)
			return status;
	}
	*result = tl->spans[i].end;
	return TIMELINE_OK;
}

/* See timeline.h. */
TimelineStatus
sla_timeline_spans(Timeline *tl, int64_t from, int64_t to, int *first, int *count)
{
	TimelineStatus status;
	int			i,
				last;

	if ((status = cover(tl, from)) != TIMELINE_OK || (status = cover(tl, to)) != TIMELINE_OK)
		return status;
	i = span_at_or_before(tl, from);
	*first = (i >= 0 && tl->spans[i].end > from) ? i : i + 1;
	last = span_at_or_before(tl, to - 1);
	*count = last - *first + 1 > 0 ? last - *first + 1 : 0;
	return TIMELINE_OK;
}

/* See timeline.h. */
int
sla_pauses_until(const Pause *pauses, int npauses, int64_t end, Pause *into)
{
	int			kept = 0;

	for (int i = 0; i < npauses; i++)
	{
		Pause		pause = pauses[i];

		if ((i & 1023) == 0)
			sla_check_interrupts();
		if (pause.upper > end)
			pause.upper = end;
		if (pause.lower < pause.upper)
			into[kept++] = pause;
	}
	return kept;
}
