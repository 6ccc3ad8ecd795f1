/*
 * src/pauses.c
 *	  The sla.pauses aggregate: a status history turned into paused ranges.
 *	  Its state is the rows themselves, sorted at the end, so partial
 *	  states (parallel workers, Citus workers) combine by concatenation.
 *	  The state is a type of its own, sla.pauses_state, not "internal":
 *	  Citus aggregates in parts on its workers only states that have a
 *	  text form, and PostgreSQL's parallel workers pass it as a value.
 *	  Its text form is the rows in order, each the instant in microseconds
 *	  since 2000-01-01 UTC followed by "p" (paused) or "r" (running),
 *	  separated by spaces; its binary form is the row count, then the
 *	  instant and a paused byte of each row.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
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

/* A value of sla.pauses_state: a varlena with room for "capacity" rows. */
typedef struct PausesState
{
	int32		vl_len_;
	int32		count;
	int32		capacity;
	bool		in_order;		/* rows arrived sorted by instant */
	PauseEvent	events[FLEXIBLE_ARRAY_MEMBER];
} PausesState;

#define STATE_SIZE(capacity) (offsetof(PausesState, events) + sizeof(PauseEvent) * (Size) (capacity))
#define MAX_ROWS ((int32) ((MaxAllocSize - offsetof(PausesState, events)) / sizeof(PauseEvent)))

/* A new, empty state with room for "capacity" rows, in "mcxt". */
static PausesState *
new_state(MemoryContext mcxt, int32 capacity)
{
	PausesState *state = MemoryContextAllocZero(mcxt, STATE_SIZE(capacity));

	SET_VARSIZE(state, STATE_SIZE(capacity));
	state->capacity = capacity;
	state->in_order = true;
	return state;
}

/*
 * Where a support function of sla.pauses runs: the aggregate's memory, and
 * whether the state is declared "internal" (a database still at 1.0: a
 * bare pointer the aggregate keeps as it is) rather than sla.pauses_state.
 */
typedef struct AggregateCall
{
	MemoryContext aggcontext;
	bool		internal;
} AggregateCall;

/* The call's aggregate, or an error when called outside an aggregate. */
static AggregateCall
aggregate_call(FunctionCallInfo fcinfo)
{
	AggregateCall call;

	if (!AggCheckCallContext(fcinfo, &call.aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the support functions of sla.pauses can only be called by the aggregate")));
	call.internal = get_fn_expr_argtype(fcinfo->flinfo, 0) == INTERNALOID;
	return call;
}

/* The state argument "argno", or NULL. */
static PausesState *
state_arg(FunctionCallInfo fcinfo, const AggregateCall *call, int argno)
{
	if (PG_ARGISNULL(argno))
		return NULL;
	if (call->internal)
		return (PausesState *) PG_GETARG_POINTER(argno);
	return (PausesState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
}

/*
 * The state with room for "more" rows: "state" itself, or a larger copy.
 * A state of type sla.pauses_state is copied into the aggregate's memory
 * by the executor when the transition returns a new one (and the old one
 * freed), so the copy is made in the call's memory; an "internal" state is
 * the aggregate's own, so it grows there.
 */
static PausesState *
reserve(const AggregateCall *call, PausesState *state, int32 more)
{
	MemoryContext mcxt = call->internal ? call->aggcontext : CurrentMemoryContext;
	int32		count = state == NULL ? 0 : state->count;
	PausesState *larger;

	if (state != NULL && (int64) count + more <= state->capacity)
		return state;
	if ((int64) count + more > MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a sla.pauses_state holds at most %d rows", MAX_ROWS),
				 errdetail("sla.pauses takes at most that many rows per group.")));
	larger = new_state(mcxt, (int32) Min(Max(Max((int64) count * 2, 8), (int64) count + more), MAX_ROWS));
	if (state != NULL)
	{
		memcpy(larger->events, state->events, sizeof(PauseEvent) * count);
		larger->count = count;
		larger->in_order = state->in_order;
		if (call->internal)
			pfree(state);
	}
	return larger;
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

PG_FUNCTION_INFO_V1(sla_pauses_step);
/* Transition of sla.pauses(at, paused): collect the rows. */
Datum
sla_pauses_step(PG_FUNCTION_ARGS)
{
	AggregateCall call = aggregate_call(fcinfo);
	PausesState *state = state_arg(fcinfo, &call, 0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			state = reserve(&call, NULL, 0);
		PG_RETURN_POINTER(state);
	}
	state = reserve(&call, state, 1);
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
	AggregateCall call = aggregate_call(fcinfo);
	PausesState *into = state_arg(fcinfo, &call, 0);
	PausesState *from = state_arg(fcinfo, &call, 1);

	if (from == NULL || from->count == 0)
	{
		if (into == NULL)
			PG_RETURN_NULL();	/* no rows: the final function's empty result */
		PG_RETURN_POINTER(into);
	}
	into = reserve(&call, into, from->count);
	for (int i = 0; i < from->count; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		append_event(into, from->events[i].at, from->events[i].paused);
	}
	PG_RETURN_POINTER(into);
}

/* An instant a state may hold: a valid timestamptz or an infinity. */
static void
check_instant(int64 at)
{
	if (!IS_VALID_TIMESTAMP(at) && !TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("instant %lld of a sla.pauses_state is out of range", (long long) at)));
}

PG_FUNCTION_INFO_V1(sla_pauses_state_in);
/* Text input of sla.pauses_state: "<microseconds>p" or "<microseconds>r" per row, separated by spaces. */
Datum
sla_pauses_state_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	const char *c = text;
	int32		rows = 0;
	PausesState *state;

	for (const char *p = text; *p; p++)
		rows += *p == 'p' || *p == 'r';
	if (rows > MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a sla.pauses_state holds at most %d rows", MAX_ROWS)));
	state = new_state(CurrentMemoryContext, rows);
	while (*c == ' ')
		c++;
	while (*c != '\0')
	{
		char	   *end;
		int64		at;

		CHECK_FOR_INTERRUPTS();
		errno = 0;
		at = strtoi64(c, &end, 10);
		if (end == c || errno != 0 || (*end != 'p' && *end != 'r') || (end[1] != ' ' && end[1] != '\0'))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type sla.pauses_state: \"%s\"", text),
					 errdetail("Expected microseconds followed by p or r at character %d.", (int) (c - text) + 1)));
		check_instant(at);
		append_event(state, (TimestampTz) at, *end == 'p');
		c = end + 1;
		while (*c == ' ')
			c++;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(sla_pauses_state_out);
/* Text output of sla.pauses_state: its rows in the order they arrived. */
Datum
sla_pauses_state_out(PG_FUNCTION_ARGS)
{
	PausesState *state = (PausesState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < state->count; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfo(&buf, "%s%lld%c", i == 0 ? "" : " ", (long long) state->events[i].at,
						 state->events[i].paused ? 'p' : 'r');
	}
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(sla_pauses_state_send);
/* Binary output of sla.pauses_state: the row count, then (instant, paused) per row in order. */
Datum
sla_pauses_state_send(PG_FUNCTION_ARGS)
{
	PausesState *state = (PausesState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;

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

PG_FUNCTION_INFO_V1(sla_pauses_state_recv);
/* Binary input of sla.pauses_state, as sla_pauses_state_send writes it. */
Datum
sla_pauses_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		count = (int32) pq_getmsgint(buf, 4);
	PausesState *state;

	if (count < 0 || count > MAX_ROWS || count * 9 != (int64) (buf->len - buf->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary sla.pauses_state")));
	state = new_state(CurrentMemoryContext, (int32) count);
	for (int i = 0; i < count; i++)
	{
		int64		at;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		at = (int64) pq_getmsgint64(buf);
		check_instant(at);
		append_event(state, (TimestampTz) at, pq_getmsgbyte(buf) != 0);
	}
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
	AggregateCall call = aggregate_call(fcinfo);
	PausesState *state = state_arg(fcinfo, &call, 0);
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
