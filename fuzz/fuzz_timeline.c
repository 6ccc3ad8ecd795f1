/*
 * fuzz/fuzz_timeline.c
 *	  libFuzzer target for the compiled calendar (sla_day_hours + timeline).
 *
 * Input: rules text, a NUL byte, then parameter bytes (read in order,
 * zeros once they run out; without a NUL everything is rules text):
 *
 *	  zone      base offset, DST mode, DST size, switch time (host_standalone.h)
 *	  epoch     2026-01-01 mostly, or near either end of the timeline's range
 *	  holidays  up to 8 dates within 4 years of the epoch
 *	  pauses    up to 4 paused ranges (the first may start at -infinity, the
 *	            last may end at +infinity), normalized like a multirange
 *	  instants  up to 6 instants within 2 years of the epoch
 *	  amounts   up to 4 business-time amounts, chosen from the open time
 *	            actually available so that searches end quickly
 *
 * Checks, aborting on the first violation:
 *	  business_time(a, b) is in [0, b - a] for a <= b, antisymmetric,
 *	  additive, and pauses only lower it;
 *	  business_time(a, business_add(a, d)) == d for finite results, the
 *	  result is the earliest (latest for d < 0) such instant, and it is
 *	  finite when the open time within the window covers d;
 *	  next_open(t) >= t, open there, no open time in between, t itself
 *	  when open; next_close(t) >= t, closed there, open all along;
 *	  is_open(t) agrees with business_time(t, t + 1);
 *	  the materialized spans are sorted, disjoint, not touching, with
 *	  consistent cumulative open time, and sla_timeline_spans returns exactly
 *	  those overlapping the range, summing to business_time;
 *	  every answer is the same on a fresh timeline asked in reverse order
 *	  (the lazy materialization must not change results).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_parse.h"
#include "civil.h"
#include "day_hours.h"
#include "host_standalone.h"
#include "reader.h"
#include "timeline.h"

#define MAX_RULES_TEXT 1024
#define MAX_HOLIDAYS 8
#define MAX_PAUSES 4
#define MAX_INSTANTS 6
#define MAX_AMOUNTS 4
#define MAX_LOG 1024

#define DAY SLA_USECS_PER_DAY
#define MINUTE SLA_USECS_PER_MINUTE
/* instants lie within INSTANT_RANGE of the epoch */
#define INSTANT_RANGE (2 * 366 * DAY)
/* amounts are checked against the open time within WINDOW of their start */
#define WINDOW (2 * 366 * DAY)
/* rules' dated ranges must lie within this many days of the epoch */
#define SPECIFIC_RANGE_DAYS (30 * 366)

/* 2026-01-01, 0003-01-01 and 9998-01-01 as day numbers */
#define DAY_2026 9497
#define DAY_0003 (-729389)
#define DAY_9998 2921209

/* The first holiday and the last one PostgreSQL accepts: years 1 to 9999. */
#define FIRST_HOLIDAY (-730119)
#define LAST_HOLIDAY 2921939


static uint32_t
read_u32(Reader *r)
{
	uint32_t	v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t) read_byte(r) << (8 * i);
	return v;
}

/* The query log for the order-independence check. */
typedef enum QueryKind
{
	Q_TIME,
	Q_ADD,
	Q_IS_OPEN,
	Q_NEXT_OPEN,
	Q_NEXT_CLOSE,
	Q_SPANS
} QueryKind;

typedef struct Query
{
	QueryKind	kind;
	int64_t		x;
	int64_t		y;				/* second instant or amount */
	bool		paused;
	TimelineStatus status;
	int64_t		value;
	int64_t		extra[2];		/* Q_SPANS: first start and last end */
} Query;

typedef struct Harness
{
	const char *rules_text;
	size_t		rules_len;
	const FuzzZone *zone;
	const Pause *pauses;
	int			npauses;
	Query		log[MAX_LOG];
	int			nlog;
	bool		logging;
} Harness;

static Harness H;

/* Report a broken invariant with the whole scenario, then abort. */
static void
fail(const char *what, int64_t x, int64_t y, int64_t got, int64_t want)
{
	fprintf(stderr, "fuzz_timeline: %s\n  x=%" PRId64 " y=%" PRId64 " got=%" PRId64 " want=%" PRId64 "\n",
			what, x, y, got, want);
	fprintf(stderr, "  rules: \"%.*s\"\n", (int) H.rules_len, H.rules_text);
	fprintf(stderr, "  zone: base=%d min, dst mode %d, +%d min at %02d:%02d\n",
			H.zone->base_minutes, (int) H.zone->dst_mode, H.zone->dst_minutes,
			H.zone->switch_minute / 60, H.zone->switch_minute % 60);
	for (int i = 0; i < H.npauses; i++)
		fprintf(stderr, "  pause [%" PRId64 ", %" PRId64 ")\n", H.pauses[i].lower, H.pauses[i].upper);
	abort();
}

#define CHECK(cond, what, x, y, got, want) \
	do { if (!(cond)) fail(what, x, y, got, want); } while (0)

/* Append a query to the log. */
static void
log_query(QueryKind kind, int64_t x, int64_t y, bool paused, TimelineStatus status,
		  int64_t value, int64_t e0, int64_t e1)
{
	Query	   *q;

	if (!H.logging || H.nlog >= MAX_LOG)
		return;
	q = &H.log[H.nlog++];
	q->kind = kind;
	q->x = x;
	q->y = y;
	q->paused = paused;
	q->status = status;
	q->value = value;
	q->extra[0] = e0;
	q->extra[1] = e1;
}

/* The timeline's own invariants: spans sorted, disjoint, not touching, cumulative time consistent. */
static void
check_structure(const Timeline *tl)
{
	CHECK(tl->n >= 0 && tl->n <= tl->capacity, "span count beyond capacity", tl->n, tl->capacity, 0, 0);
	CHECK(tl->lo <= tl->hi, "lo > hi", tl->lo, tl->hi, 0, 0);
	for (int i = 0; i < tl->n; i++)
	{
		CHECK(tl->spans[i].start < tl->spans[i].end, "empty or inverted span", tl->spans[i].start, tl->spans[i].end, i, 0);
		CHECK(tl->spans[i].start >= tl->lo && tl->spans[i].end <= tl->hi, "span outside [lo, hi)",
			  tl->spans[i].start, tl->spans[i].end, tl->lo, tl->hi);
		if (i + 1 < tl->n)
		{
			CHECK(tl->spans[i + 1].start > tl->spans[i].end, "spans overlap or touch",
				  tl->spans[i].end, tl->spans[i + 1].start, i, 0);
			CHECK(tl->spans[i + 1].before == tl->spans[i].before + (tl->spans[i].end - tl->spans[i].start),
				  "cumulative open time inconsistent", tl->spans[i].start, tl->spans[i + 1].start,
				  tl->spans[i + 1].before, tl->spans[i].before + (tl->spans[i].end - tl->spans[i].start));
		}
	}
}

/* Wrappers that log and check the structure after each call. */
static TimelineStatus
q_time(Timeline *tl, int64_t a, int64_t b, bool paused, int64_t *result)
{
	TimelineStatus s = sla_timeline_business_time(tl, a, b, paused ? H.pauses : NULL,
											  paused ? H.npauses : 0, result);

	log_query(Q_TIME, a, b, paused, s, s == TIMELINE_OK ? *result : 0, 0, 0);
	check_structure(tl);
	return s;
}

static TimelineStatus
q_add(Timeline *tl, int64_t a, int64_t d, bool paused, int64_t *result)
{
	TimelineStatus s = sla_timeline_business_add(tl, a, d, paused ? H.pauses : NULL,
											 paused ? H.npauses : 0, result);

	log_query(Q_ADD, a, d, paused, s, s == TIMELINE_OK ? *result : 0, 0, 0);
	check_structure(tl);
	return s;
}

static TimelineStatus
q_is_open(Timeline *tl, int64_t t, bool *result)
{
	TimelineStatus s = sla_timeline_is_open(tl, t, result);

	log_query(Q_IS_OPEN, t, 0, false, s, s == TIMELINE_OK ? *result : 0, 0, 0);
	check_structure(tl);
	return s;
}

static TimelineStatus
q_next_open(Timeline *tl, int64_t t, int64_t *result)
{
	TimelineStatus s = sla_timeline_next_open(tl, t, result);

	log_query(Q_NEXT_OPEN, t, 0, false, s, s == TIMELINE_OK ? *result : 0, 0, 0);
	check_structure(tl);
	return s;
}

static TimelineStatus
q_next_close(Timeline *tl, int64_t t, int64_t *result)
{
	TimelineStatus s = sla_timeline_next_close(tl, t, result);

	log_query(Q_NEXT_CLOSE, t, 0, false, s, s == TIMELINE_OK ? *result : 0, 0, 0);
	check_structure(tl);
	return s;
}

/* sla_timeline_spans, returning the total clipped open time and the outer span edges. */
static TimelineStatus
q_spans(Timeline *tl, int64_t from, int64_t to, int64_t *total, int64_t *first_start,
		int64_t *last_end)
{
	int			first,
				count;
	TimelineStatus s = sla_timeline_spans(tl, from, to, &first, &count);

	*total = 0;
	*first_start = *last_end = 0;
	if (s == TIMELINE_OK)
	{
		check_structure(tl);
		CHECK(count >= 0 && first >= 0 && first + count <= tl->n, "spans: index out of bounds",
			  from, to, first, count);
		for (int i = first; i < first + count; i++)
		{
			int64_t		s0 = tl->spans[i].start > from ? tl->spans[i].start : from;
			int64_t		e0 = tl->spans[i].end < to ? tl->spans[i].end : to;

			CHECK(s0 < e0, "spans: a returned span misses the range", from, to, tl->spans[i].start, tl->spans[i].end);
			*total += e0 - s0;
		}
		if (first > 0)
			CHECK(tl->spans[first - 1].end <= from, "spans: an overlapping span left out before",
				  from, to, tl->spans[first - 1].end, from);
		if (first + count < tl->n)
			CHECK(tl->spans[first + count].start >= to, "spans: an overlapping span left out after",
				  from, to, tl->spans[first + count].start, to);
		if (count > 0)
		{
			*first_start = tl->spans[first].start > from ? tl->spans[first].start : from;
			*last_end = tl->spans[first + count - 1].end < to ? tl->spans[first + count - 1].end : to;
		}
	}
	log_query(Q_SPANS, from, to, false, s, *total, *first_start, *last_end);
	return s;
}

/* is_open, next_open and next_close at t agree with each other and with business_time. */
static void
check_point(Timeline *tl, int64_t t)
{
	bool		open,
				there;
	int64_t		r,
				v;

	if (q_is_open(tl, t, &open) != TIMELINE_OK)
		return;
	if (q_time(tl, t, t + 1, false, &v) == TIMELINE_OK)
		CHECK(v == (open ? 1 : 0), "is_open disagrees with business_time(t, t + 1)", t, t + 1, v, open);

	if (q_next_open(tl, t, &r) == TIMELINE_OK)
	{
		if (r == TIMELINE_INFINITY)
		{
			CHECK(!open, "next_open is infinity at an open instant", t, 0, r, t);
			if (q_time(tl, t, t + WINDOW, false, &v) == TIMELINE_OK)
				CHECK(v == 0, "next_open is infinity but there is open time after", t, t + WINDOW, v, 0);
		}
		else
		{
			CHECK(r >= t, "next_open before t", t, 0, r, t);
			CHECK(!open || r == t, "next_open moves away from an open instant", t, 0, r, t);
			if (q_is_open(tl, r, &there) == TIMELINE_OK)
				CHECK(there, "next_open is not open", t, 0, r, 1);
			if (q_time(tl, t, r, false, &v) == TIMELINE_OK)
				CHECK(v == 0, "open time between t and next_open(t)", t, r, v, 0);
		}
	}

	if (q_next_close(tl, t, &r) == TIMELINE_OK)
	{
		if (r == TIMELINE_INFINITY)
		{
			CHECK(open, "next_close is infinity at a closed instant", t, 0, r, t);
			if (q_time(tl, t, t + WINDOW, false, &v) == TIMELINE_OK)
				CHECK(v == WINDOW, "next_close is infinity but there is closed time after",
					  t, t + WINDOW, v, WINDOW);
		}
		else
		{
			CHECK(r >= t, "next_close before t", t, 0, r, t);
			CHECK(open || r == t, "next_close moves away from a closed instant", t, 0, r, t);
			if (q_is_open(tl, r, &there) == TIMELINE_OK)
				CHECK(!there, "next_close is open", t, 0, r, 0);
			if (q_time(tl, t, r, false, &v) == TIMELINE_OK)
				CHECK(v == r - t, "closed time between t and next_close(t)", t, r, v, r - t);
			if (r > t && q_is_open(tl, r - 1, &there) == TIMELINE_OK)
				CHECK(there, "closed just before next_close(t)", t, r - 1, 0, 1);
		}
	}
}

/* Orderings for qsort: values ascending, pauses (and spans) by start. */
static int
compare_i64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

static int
compare_i32(const void *a, const void *b)
{
	int32_t		x = *(const int32_t *) a,
				y = *(const int32_t *) b;

	return (x > y) - (x < y);
}

static int
compare_pause(const void *a, const void *b)
{
	const Pause *x = a,
			   *y = b;

	return (x->lower > y->lower) - (x->lower < y->lower);
}

/* Longest range checked against the reference below. */
#define REFERENCE_MAX (62 * DAY)

/*
 * Open time in [a, b) worked out the plain way: every local date's hours
 * mapped to UTC through the zone, the union of all of them measured.
 */
static int64_t
reference_open_time(const CalendarRules *cal, int64_t a, int64_t b, TimeSpan *day_buffer,
					Pause *spans, int capacity)
{
	int			n = 0;
	int64_t		total = 0,
				covered = a,
				min_offset,
				max_offset;

	sla_zone_offset_bounds(H.zone, &min_offset, &max_offset);
	for (int64_t day = sla_civil_floor_div(a + min_offset, DAY) - 2;
		 day <= sla_civil_floor_div(b + max_offset, DAY) + 2; day++)
	{
		int			k = sla_day_hours(cal, (int32_t) day, day_buffer);

		for (int i = 0; i < k && n < capacity; i++)
		{
			spans[n].lower = sla_local_to_utc(H.zone, day * DAY + day_buffer[i].start * MINUTE);
			spans[n].upper = sla_local_to_utc(H.zone, day * DAY + day_buffer[i].end * MINUTE);
			n++;
		}
	}
	CHECK(n < capacity, "reference: too many spans", a, b, n, capacity);
	qsort(spans, n, sizeof(Pause), compare_pause);
	for (int i = 0; i < n; i++)
	{
		int64_t		lower = spans[i].lower > covered ? spans[i].lower : covered;
		int64_t		upper = spans[i].upper < b ? spans[i].upper : b;

		if (upper > lower)
		{
			total += upper - lower;
			covered = upper;
		}
	}
	return total;
}

/* business_time over [a, b] against the reference, for short ranges. */
static void
check_reference(Timeline *tl, int64_t a, int64_t b)
{
	int64_t		v,
				want;
	int			capacity;
	TimeSpan   *day_buffer;
	Pause	   *spans;

	if (b - a > REFERENCE_MAX || q_time(tl, a, b, false, &v) != TIMELINE_OK)
		return;
	capacity = (int) ((b - a + tl->max_offset - tl->min_offset) / DAY + 6) * tl->rules->max_day_spans + 1;
	day_buffer = malloc(sizeof(TimeSpan) * (size_t) tl->rules->max_day_spans);
	spans = malloc(sizeof(Pause) * (size_t) capacity);
	if (day_buffer == NULL || spans == NULL)
		abort();
	want = reference_open_time(tl->rules, a, b, day_buffer, spans, capacity);
	free(day_buffer);
	free(spans);
	CHECK(v == want, "business_time differs from the plain day-by-day reference", a, b, v, want);
}

/* business_time over [a, b], a <= b, with and without pauses. */
static void
check_pair(Timeline *tl, int64_t a, int64_t b)
{
	int64_t		v,
				back,
				bare;

	if (q_time(tl, a, b, true, &v) != TIMELINE_OK)
		return;
	CHECK(v >= 0 && v <= b - a, "business_time outside [0, b - a]", a, b, v, b - a);
	if (q_time(tl, b, a, true, &back) == TIMELINE_OK)
		CHECK(back == -v, "business_time is not antisymmetric", b, a, back, -v);
	if (q_time(tl, a, b, false, &bare) == TIMELINE_OK)
		CHECK(bare >= v, "pauses add open time", a, b, v, bare);
}

/* Additivity over a <= b <= c. */
static void
check_triple(Timeline *tl, int64_t a, int64_t b, int64_t c, bool paused)
{
	int64_t		ab,
				bc,
				ac;

	if (q_time(tl, a, b, paused, &ab) == TIMELINE_OK &&
		q_time(tl, b, c, paused, &bc) == TIMELINE_OK &&
		q_time(tl, a, c, paused, &ac) == TIMELINE_OK)
		CHECK(ac == ab + bc, "business_time is not additive", a, c, ac, ab + bc);
}

/* sla_timeline_spans over [a, b), a < b, against business_time and is_open. */
static void
check_spans(Timeline *tl, int64_t a, int64_t b)
{
	int64_t		total,
				first_start,
				last_end,
				v;
	int			first,
				count;
	bool		open;

	if (q_spans(tl, a, b, &total, &first_start, &last_end) != TIMELINE_OK)
		return;
	if (q_time(tl, a, b, false, &v) == TIMELINE_OK)
		CHECK(v == total, "spans do not add up to business_time", a, b, total, v);
	/* edges of a few spans: open at the start, closed at the end */
	if (sla_timeline_spans(tl, a, b, &first, &count) != TIMELINE_OK)
		return;
	for (int i = 0; i < count && i < 6; i++)
	{
		int64_t		s = tl->spans[first + i].start,
					e = tl->spans[first + i].end;

		/* only edges inside the range: the outer spans may run on unmaterialized */
		if (s > a && q_is_open(tl, s, &open) == TIMELINE_OK)
			CHECK(open, "closed at the start of a span", s, e, 0, 1);
		if (e < b && q_is_open(tl, e, &open) == TIMELINE_OK)
			CHECK(!open, "open at the end of a span", s, e, 1, 0);
		/* the query may have moved the spans */
		if (sla_timeline_spans(tl, a, b, &first, &count) != TIMELINE_OK)
			return;
	}
}

/* business_add from a by d, with or without pauses. */
static void
check_add(Timeline *tl, int64_t a, int64_t d, bool paused, int64_t window_time)
{
	int64_t		r,
				v;
	uint64_t	magnitude = d > 0 ? (uint64_t) d : -(uint64_t) d;

	if (q_add(tl, a, d, paused, &r) != TIMELINE_OK)
		return;
	if (d == 0)
	{
		CHECK(r == a, "business_add of zero moves", a, d, r, a);
		return;
	}
	if (r == TIMELINE_INFINITY || r == TIMELINE_MINUS_INFINITY)
	{
		CHECK((d > 0) == (r == TIMELINE_INFINITY), "business_add went the wrong way", a, d, r, 0);
		CHECK(window_time < 0 || magnitude > (uint64_t) window_time,
			  "business_add is infinite though the window holds the amount", a, d, r, window_time);
		return;
	}
	CHECK(d > 0 ? r > a : r < a, "business_add went the wrong way", a, d, r, a);
	CHECK(magnitude <= (uint64_t) (TIMELINE_MAX - TIMELINE_MIN), "business_add finite for an amount beyond the range",
		  a, d, r, 0);
	if (window_time >= 0 && magnitude <= (uint64_t) window_time)
		CHECK(d > 0 ? r <= a + WINDOW : r >= a - WINDOW, "business_add beyond the window that holds the amount",
			  a, d, r, window_time);
	if (q_time(tl, a, r, paused, &v) == TIMELINE_OK)
		CHECK(v == d, "business_time(a, business_add(a, d)) != d", a, r, v, d);
	/* the earliest (latest) such instant: one microsecond less is not enough */
	if (q_time(tl, a, d > 0 ? r - 1 : r + 1, paused, &v) == TIMELINE_OK)
		CHECK(d > 0 ? v < d : v > d, "business_add is not the nearest instant", a, r, v, d);
}

/* Ask the logged queries again, in reverse order, of a fresh timeline. */
static void
check_replay(Timeline *tl)
{
	for (int i = H.nlog - 1; i >= 0; i--)
	{
		const Query *q = &H.log[i];
		TimelineStatus s = TIMELINE_OK;
		int64_t		value = 0,
					e0 = 0,
					e1 = 0;
		bool		b;

		switch (q->kind)
		{
			case Q_TIME:
				s = q_time(tl, q->x, q->y, q->paused, &value);
				break;
			case Q_ADD:
				s = q_add(tl, q->x, q->y, q->paused, &value);
				break;
			case Q_IS_OPEN:
				s = q_is_open(tl, q->x, &b);
				value = s == TIMELINE_OK ? b : 0;
				break;
			case Q_NEXT_OPEN:
				s = q_next_open(tl, q->x, &value);
				break;
			case Q_NEXT_CLOSE:
				s = q_next_close(tl, q->x, &value);
				break;
			case Q_SPANS:
				s = q_spans(tl, q->x, q->y, &value, &e0, &e1);
				break;
		}
		if (s == TIMELINE_TOO_MANY_SPANS || q->status == TIMELINE_TOO_MANY_SPANS)
			continue;
		CHECK(s == q->status, "status depends on what was asked before", q->x, q->y, s, q->status);
		if (s == TIMELINE_OK)
		{
			CHECK(value == q->value, "answer depends on what was asked before", q->x, q->y, value, q->value);
			CHECK(e0 == q->extra[0] && e1 == q->extra[1], "spans depend on what was asked before",
				  q->x, q->y, e0, q->extra[0]);
		}
	}
}

/* An instant within INSTANT_RANGE of the epoch, mostly on a whole minute. */
static int64_t
read_instant(Reader *r, int64_t epoch)
{
	uint32_t	v = read_u32(r);
	unsigned	fine = read_byte(r);
	int64_t		minutes = (int64_t) (v % (uint32_t) (2 * (INSTANT_RANGE / MINUTE) + 1)) -
		INSTANT_RANGE / MINUTE;
	int64_t		t = epoch + minutes * MINUTE;

	/* now and then off the minute grid, by up to a minute either way */
	if ((fine & 3) == 3)
		t += (int64_t) (fine >> 2) * 952381 - 30 * INT64_C(1000000);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t		rules_len = nul ? (size_t) (nul - data) : size;
	Reader		r = {nul ? nul + 1 : data + size, nul ? size - rules_len - 1 : 0};
	FuzzArena	arena;
	FuzzZone	zone;
	RuleSet		rules;
	ParseError	error;
	CalendarRules cal;
	Timeline	tl;
	int32_t		holidays[MAX_HOLIDAYS];
	int			nholidays = 0;
	Pause		pauses[MAX_PAUSES];
	int			npauses = 0;
	int64_t		instants[MAX_INSTANTS];
	int			ninstants;
	int			epoch_day;
	int64_t		epoch;
	unsigned	b;

	if (rules_len > MAX_RULES_TEXT)
		return 0;
	fuzz_arena_init(&arena);
	if (!sla_rules_parse((const char *) data, rules_len, &arena, &rules, &error))
	{
		fuzz_arena_free_all(&arena);
		return 0;
	}

	/* the zone */
	b = read_byte(&r);
	if (b < 226)
		zone.base_minutes = ((int) b % 113 - 56) * 15;
	else
	{
		/* now and then a POSIX zone a day to a week from UTC, like XXX-167:59 */
		int			far = (int) b - 226;

		zone.base_minutes = (far % 2 ? -1 : 1) * (24 * 60 + (far / 2) * 617);
	}
	b = read_byte(&r);
	zone.dst_mode = (FuzzDstMode) (b % 4);
	zone.dst_minutes = ((int) (b / 4) % 6 + 1) * 30;
	zone.switch_minute = ((int) read_byte(&r) % 96) * 15;
	fuzz_zone_normalize(&zone);

	/* the epoch */
	b = read_byte(&r) % 8;
	epoch_day = b == 6 ? DAY_0003 : b == 7 ? DAY_9998 : DAY_2026;
	epoch = (int64_t) epoch_day * DAY;

	/* holidays: sorted and deduplicated, as calendar_build stores them */
	b = read_byte(&r) % (MAX_HOLIDAYS + 1);
	for (unsigned i = 0; i < b; i++)
	{
		unsigned	low = read_byte(&r);
		unsigned	high = read_byte(&r);
		int32_t		day = epoch_day + (int32_t) ((low | high << 8) % 2923) - 1461;

		if (day >= FIRST_HOLIDAY && day <= LAST_HOLIDAY)
			holidays[nholidays++] = day;
	}
	qsort(holidays, nholidays, sizeof(int32_t), compare_i32);
	{
		int			distinct = 0;

		for (int i = 0; i < nholidays; i++)
			if (distinct == 0 || holidays[distinct - 1] != holidays[i])
				holidays[distinct++] = holidays[i];
		nholidays = distinct;
	}

	/* pauses: sorted, disjoint, not touching (a normalized multirange) */
	b = read_byte(&r) % (MAX_PAUSES + 1);
	for (unsigned i = 0; i < b; i++)
	{
		int64_t		x = read_instant(&r, epoch);
		int64_t		y = read_instant(&r, epoch);
		unsigned	flags = read_byte(&r);

		pauses[npauses].lower = x < y ? x : y;
		pauses[npauses].upper = x < y ? y : x;
		if (flags & 1)
			pauses[npauses].lower = TIMELINE_MINUS_INFINITY;
		if (flags & 2)
			pauses[npauses].upper = TIMELINE_INFINITY;
		if (pauses[npauses].lower < pauses[npauses].upper)
			npauses++;
	}
	qsort(pauses, npauses, sizeof(Pause), compare_pause);
	{
		int			merged = 0;

		for (int i = 0; i < npauses; i++)
		{
			if (merged > 0 && pauses[i].lower <= pauses[merged - 1].upper)
			{
				if (pauses[i].upper > pauses[merged - 1].upper)
					pauses[merged - 1].upper = pauses[i].upper;
				continue;
			}
			pauses[merged++] = pauses[i];
		}
		npauses = merged;
	}

	/* instants */
	ninstants = 1 + (int) (read_byte(&r) % MAX_INSTANTS);
	for (int i = 0; i < ninstants; i++)
		instants[i] = read_instant(&r, epoch);

	sla_day_hours_init(&cal, &rules, holidays, nholidays);
	/* keep searches short: dated rules far from the epoch take too long to reach */
	if (cal.has_specific && (cal.specific_first < epoch_day - SPECIFIC_RANGE_DAYS ||
							 cal.specific_last > epoch_day + SPECIFIC_RANGE_DAYS))
	{
		fuzz_arena_free_all(&arena);
		return 0;
	}

	memset(&H, 0, sizeof(H));
	H.rules_text = (const char *) data;
	H.rules_len = rules_len;
	H.zone = &zone;
	H.pauses = pauses;
	H.npauses = npauses;
	H.logging = true;

	sla_timeline_init(&tl, &arena, &cal, &zone);

	/* points, in the order given (the first one decides where materializing starts) */
	for (int i = 0; i < ninstants; i++)
		check_point(&tl, instants[i]);

	/* amounts, from the first two instants */
	b = read_byte(&r) % (MAX_AMOUNTS + 1);
	for (unsigned i = 0; i < b; i++)
	{
		unsigned	mode = read_byte(&r);
		uint32_t	v = read_u32(&r);
		int64_t		a = instants[i % 2 < (unsigned) ninstants ? i % 2 : 0];
		bool		paused = (mode & 1) && npauses > 0;
		bool		backward = (mode & 2) != 0;
		int64_t		window_time = -1;
		int64_t		d;

		if ((backward ? q_time(&tl, a - WINDOW, a, paused, &window_time)
			 : q_time(&tl, a, a + WINDOW, paused, &window_time)) != TIMELINE_OK)
			window_time = -1;
		if ((mode & 4) && epoch_day == DAY_2026)
			d = (window_time < 0 ? 0 : window_time) + 1 + (int64_t) (v % (uint32_t) (DAY / 1000)) * 1000;
		else if (window_time > 0)
			d = (int64_t) (((uint64_t) v * (uint64_t) read_u32(&r)) % (uint64_t) (window_time + 1));
		else
			d = (int64_t) (v % (uint32_t) (8 * 60)) * MINUTE;
		/* amounts on the minute are the common case and hit span edges */
		if ((mode & 8) && d > MINUTE)
			d -= d % MINUTE;
		d = backward ? -d : d;
		/*
		 * now and then more than the whole range holds: refused or infinite,
		 * quickly; not with pauses, whose open time would bring it down to a
		 * search over millennia (a second or so per input)
		 */
		if ((mode & 0x70) == 0x70)
		{
			static const int64_t extreme[4] = {INT64_MAX, INT64_MIN, TIMELINE_MAX - TIMELINE_MIN + 1,
			TIMELINE_MIN - TIMELINE_MAX - 1};

			d = extreme[(mode >> 7) * 2 + backward];
			paused = false;
		}
		check_add(&tl, a, d, paused, window_time);
	}

	/* pairs and triples of sorted instants */
	qsort(instants, ninstants, sizeof(int64_t), compare_i64);
	for (int i = 0; i + 1 < ninstants; i++)
	{
		check_pair(&tl, instants[i], instants[i + 1]);
		check_reference(&tl, instants[i], instants[i + 1]);
		if (instants[i] < instants[i + 1])
			check_spans(&tl, instants[i], instants[i + 1]);
		if (i + 2 < ninstants)
		{
			check_triple(&tl, instants[i], instants[i + 1], instants[i + 2], false);
			check_triple(&tl, instants[i], instants[i + 1], instants[i + 2], true);
		}
	}
	check_pair(&tl, instants[0], instants[ninstants - 1]);
	if (instants[0] < instants[ninstants - 1])
		check_spans(&tl, instants[0], instants[ninstants - 1]);

	/* the same questions on a fresh timeline, in reverse order */
	H.logging = false;
	sla_timeline_init(&tl, &arena, &cal, &zone);
	check_replay(&tl);

	fuzz_arena_free_all(&arena);
	return 0;
}
