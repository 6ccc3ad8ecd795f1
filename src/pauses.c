/*
 * src/pauses.c
 *	  The sla.pauses aggregate: a status history turned into paused ranges.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
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

PG_FUNCTION_INFO_V1(pauses_step);
/* Transition of sla.pauses(at, paused): collect the rows. */
Datum
pauses_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PausesState *state = PG_ARGISNULL(0) ? NULL : (PausesState *) PG_GETARG_POINTER(0);
	PauseEvent *event;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sla.pauses_step called in non-aggregate context")));
	if (state == NULL)
	{
		state = MemoryContextAllocZero(aggcontext, sizeof(PausesState));
		state->in_order = true;
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	if (state->count == state->capacity)
	{
		state->capacity = state->capacity ? state->capacity * 2 : 8;
		state->events = state->events == NULL
			? MemoryContextAlloc(aggcontext, sizeof(PauseEvent) * state->capacity)
			: repalloc(state->events, sizeof(PauseEvent) * state->capacity);
	}
	event = &state->events[state->count];
	event->at = PG_GETARG_TIMESTAMPTZ(1);
	event->arrival = state->count;
	event->paused = PG_GETARG_BOOL(2);
	if (state->count > 0 && event->at < state->events[state->count - 1].at)
		state->in_order = false;
	state->count++;
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

PG_FUNCTION_INFO_V1(pauses_final);
/*
 * Final of sla.pauses: in time order, a range opens at a paused row that
 * follows an unpaused one (or starts the history) and closes at the next
 * unpaused row; still open at the end, it has no upper bound.  Sorting the
 * rows (stably) makes the result independent of the input order and leaves
 * the state valid for further rows, as a window aggregate needs.
 */
Datum
pauses_final(PG_FUNCTION_ARGS)
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
		sort_interruptible(state->events, state->count, sizeof(PauseEvent), compare_events);
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
				ranges[count++] = tstz_range(multirange->rngtype, opened_at, event->at);
		}
	}
	if (open)
		ranges[count++] = tstz_range(multirange->rngtype, opened_at, DT_NOEND);
	PG_RETURN_MULTIRANGE_P(make_multirange(TSTZMULTIRANGEOID, multirange->rngtype, count, ranges));
}
