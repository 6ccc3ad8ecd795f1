/*
 * src/pauses.c
 *	  The sla.pauses aggregate: a status history turned into paused ranges.
 *	  Its state is the rows themselves, sorted at the end, so partial
 *	  states (parallel workers, Citus workers) combine by concatenation and
 *	  travel as a flat array of (instant, paused) pairs.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "arguments.h"

/* One row of a status history: when, and whether the clock is paused. */
typedef struct PauseEvent
{
	TimestampTz at;
	int32		arrival;		/* keeps rows with equal instants in input order */
	bool		paused;
} PauseEvent;

typedef struct PausesState
{
	int			count;
	int			capacity;
	bool		in_order;		/* rows arrived sorted by instant */
	PauseEvent *events;
} PausesState;

/* A new, empty state in the aggregate's memory. */
static PausesState *
new_state(MemoryContext aggcontext)
{
	PausesState *state = MemoryContextAllocZero(aggcontext, sizeof(PausesState));

	state->in_order = true;
	return state;
}

/* Room for "more" rows in the state, in the aggregate's memory. */
static void
reserve(PausesState *state, MemoryContext aggcontext, int more)
{
	const Size	limit = MaxAllocSize / sizeof(PauseEvent);
	Size		needed = (Size) state->count + more;

	if (needed <= (Size) state->capacity)
		return;
	if (needed > limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sla.pauses takes at most %d rows per group", (int) limit)));
	state->capacity = (int) Min(Max(Max((Size) state->capacity * 2, 8), needed), limit);
	state->events = state->events == NULL
		? MemoryContextAlloc(aggcontext, sizeof(PauseEvent) * state->capacity)
		: repalloc(state->events, sizeof(PauseEvent) * state->capacity);
}

/* Add a row after those of the state (room reserved), noting whether the rows are still in order. */
static void
append_event(PausesState *state, TimestampTz at, bool paused)
{
	PauseEvent *event = &state->events[state->count];

	event->at = at;
	event->paused = paused;
	event->arrival = state->count;
	if (state->count > 0 && at < state->events[state->count - 1].at)
		state->in_order = false;
	state->count++;
}

/* The aggregate's memory, or an error when called outside an aggregate. */
static MemoryContext
aggregate_memory(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", name)));
	return aggcontext;
}

PG_FUNCTION_INFO_V1(sla_pauses_step);
/* Transition of sla.pauses(at, paused): collect the rows. */
Datum
sla_pauses_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sla.pauses_step");
	PausesState *state = PG_ARGISNULL(0) ? new_state(aggcontext) : (PausesState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	reserve(state, aggcontext, 1);
	append_event(state, PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_BOOL(2));
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(sla_pauses_combine);
/*
 * Combine of sla.pauses: the rows of the second partial state after those
 * of the first (rows of one instant keep that order, which a parallel plan
 * does not define: give each instant one row, or order the rows).
 */
Datum
sla_pauses_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sla.pauses_combine");
	PausesState *into = PG_ARGISNULL(0) ? NULL : (PausesState *) PG_GETARG_POINTER(0);
	PausesState *from = PG_ARGISNULL(1) ? NULL : (PausesState *) PG_GETARG_POINTER(1);

	if (from == NULL || from->count == 0)
	{
		if (into == NULL)
			PG_RETURN_NULL();	/* no rows: the final function's empty result */
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
		into = new_state(aggcontext);
	reserve(into, aggcontext, from->count);
	for (int i = 0; i < from->count; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		append_event(into, from->events[i].at, from->events[i].paused);
	}
	PG_RETURN_POINTER(into);
}

PG_FUNCTION_INFO_V1(sla_pauses_serialize);
/* Serialize a partial state of sla.pauses: the row count, then (instant, paused) per row in order. */
Datum
sla_pauses_serialize(PG_FUNCTION_ARGS)
{
	PausesState *state = (PausesState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	(void) aggregate_memory(fcinfo, "sla.pauses_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, (uint32) state->count);
	for (int i = 0; i < state->count; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(&buf, (uint64) state->events[i].at);
		pq_sendbyte(&buf, state->events[i].paused ? 1 : 0);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(sla_pauses_deserialize);
/* The partial state of sla.pauses that sla_pauses_serialize wrote. */
Datum
sla_pauses_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_memory(fcinfo, "sla.pauses_deserialize");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	PausesState *state = new_state(aggcontext);
	int			count;

	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	count = (int) pq_getmsgint(&buf, 4);
	if (count < 0 || (Size) count * 9 != (Size) (buf.len - buf.cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid partial state of sla.pauses")));
	reserve(state, aggcontext, count);
	for (int i = 0; i < count; i++)
	{
		TimestampTz at;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		at = (TimestampTz) pq_getmsgint64(&buf);
		append_event(state, at, pq_getmsgbyte(&buf) != 0);
	}
	pq_getmsgend(&buf);
	PG_RETURN_POINTER(state);
}

/* qsort order of status rows: by instant, then as they arrived. */
static int
compare_events(const void *a, const void *b)
{
	const PauseEvent *x = a,
			   *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->arrival > y->arrival) - (x->arrival < y->arrival);
}

PG_FUNCTION_INFO_V1(sla_pauses_final);
/*
 * Final of sla.pauses: in time order, a range opens at a paused row that
 * follows an unpaused one (or starts the history) and closes at the next
 * unpaused row; still open at the end, it has no upper bound.  Sorting the
 * rows (stably) makes the result independent of the input order and leaves
 * the state valid for further rows, as a window aggregate needs.
 */
Datum
sla_pauses_final(PG_FUNCTION_ARGS)
{
	PausesState *state = PG_ARGISNULL(0) ? NULL : (PausesState *) PG_GETARG_POINTER(0);
	TypeCacheEntry *multirange = lookup_type_cache(TSTZMULTIRANGEOID, TYPECACHE_MULTIRANGE_INFO);
	RangeType **ranges;
	int			count = 0;
	bool		open = false;
	TimestampTz opened_at = 0;

	if (state == NULL || state->count == 0)
		PG_RETURN_MULTIRANGE_P(make_multirange(TSTZMULTIRANGEOID, multirange->rngtype, 0, NULL));
	if (!state->in_order)
	{
		sla_sort_interruptible(state->events, state->count, sizeof(PauseEvent), compare_events);
		for (int i = 0; i < state->count; i++)
		{
			if ((i & 1023) == 0)
				CHECK_FOR_INTERRUPTS();
			state->events[i].arrival = i;
		}
		state->in_order = true;
	}
	ranges = palloc(sizeof(RangeType *) * (state->count / 2 + 1));
	for (int i = 0; i < state->count; i++)
	{
		PauseEvent *event = &state->events[i];

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (event->paused && !open)
		{
			open = true;
			opened_at = event->at;
		}
		else if (!event->paused && open)
		{
			open = false;
			if (event->at > opened_at)
				ranges[count++] = sla_tstz_range(multirange->rngtype, opened_at, event->at);
		}
	}
	if (open)
		ranges[count++] = sla_tstz_range(multirange->rngtype, opened_at, DT_NOEND);
	PG_RETURN_MULTIRANGE_P(make_multirange(TSTZMULTIRANGEOID, multirange->rngtype, count, ranges));
}
