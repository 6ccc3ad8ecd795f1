/*
 * src/business.c
 *	  SQL entry points that count business time: business_time,
 *	  business_add, is_open, next_open, next_close, open_windows.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/datetime.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "calendar_cache.h"
#include "timeline.h"

/* What one call site keeps between rows (fn_extra). */
typedef struct CallState
{
	void	   *calendars;		/* calendar_cache's */
	TypeCacheEntry *ranges;		/* tstzrange, for open_windows */
	TypeCacheEntry *multiranges;	/* tstzmultirange */
	Pause	   *pauses;
	int			pause_capacity;
} CallState;

static CallState *
call_state(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallState));
	return (CallState *) fcinfo->flinfo->fn_extra;
}

/* The compiled calendar of argument "argno". */
static Timeline *
timeline_arg(FunctionCallInfo fcinfo, int argno)
{
	return calendar_timeline(fcinfo->flinfo->fn_mcxt, &call_state(fcinfo)->calendars,
							 PG_GETARG_DATUM(argno));
}

/* Turn a non-OK engine status into the SQL error it stands for. */
static void
check_status(TimelineStatus status)
{
	if (status == TIMELINE_OUT_OF_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for business-time arithmetic"),
				 errdetail("Calendars are evaluated between 0001-01-01 and 10000-01-01 UTC; infinite instants are accepted only where documented.")));
	if (status == TIMELINE_TOO_MANY_SPANS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("business-time arithmetic needs more than %d open spans of one calendar",
						TIMELINE_MAX_SPANS),
				 errhint("Use a shorter amount or period, or a calendar with fewer spans.")));
}

/* Microseconds of an amount; days count as 24 hours, months are refused. */
static int64
amount_usecs(const Interval *amount)
{
	int64		result;

	if (amount->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("business-time amount must not contain months or years"),
				 errdetail("A month has no fixed number of business hours; use days or hours.")));
	if (pg_mul_s64_overflow((int64) amount->day, USECS_PER_DAY, &result) ||
		pg_add_s64_overflow(result, amount->time, &result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	return result;
}

/*
 * The paused ranges of argument "argno" as sorted, disjoint pauses (a
 * multirange is already normalized); NULL means none.
 */
static Pause *
pauses_arg(FunctionCallInfo fcinfo, int argno, int *count)
{
	CallState  *state = call_state(fcinfo);
	MultirangeType *multirange;
	int32		nranges;
	RangeType **ranges;

	*count = 0;
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return NULL;
	multirange = PG_GETARG_MULTIRANGE_P(argno);
	if (MultirangeIsEmpty(multirange))
		return NULL;
	if (state->multiranges == NULL)
		state->multiranges = lookup_type_cache(MultirangeTypeGetOid(multirange),
											   TYPECACHE_MULTIRANGE_INFO);
	multirange_deserialize(state->multiranges->rngtype, multirange, &nranges, &ranges);
	if (nranges > state->pause_capacity)
	{
		state->pauses = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Pause) * nranges);
		state->pause_capacity = nranges;
	}
	for (int i = 0; i < nranges; i++)
	{
		RangeBound	lower,
					upper;
		bool		empty;

		range_deserialize(state->multiranges->rngtype, ranges[i], &lower, &upper, &empty);
		state->pauses[i].lower = lower.infinite ? TIMELINE_MINUS_INFINITY : DatumGetTimestampTz(lower.val);
		state->pauses[i].upper = upper.infinite ? TIMELINE_INFINITY : DatumGetTimestampTz(upper.val);
	}
	*count = nranges;
	return state->pauses;
}

/* An interval of "usecs" in its time field only, like '27:30:00'. */
static Interval *
make_time_interval(int64 usecs)
{
	Interval   *result = palloc(sizeof(Interval));

	result->time = usecs;
	result->day = 0;
	result->month = 0;
	return result;
}

PG_FUNCTION_INFO_V1(business_time);
/* sla.business_time(since, until, cal, paused) */
Datum
business_time(PG_FUNCTION_ARGS)
{
	int			npauses;
	Pause	   *pauses;
	int64		result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	pauses = pauses_arg(fcinfo, 3, &npauses);
	check_status(timeline_business_time(timeline_arg(fcinfo, 2), PG_GETARG_TIMESTAMPTZ(0),
										PG_GETARG_TIMESTAMPTZ(1), pauses, npauses, &result));
	PG_RETURN_INTERVAL_P(make_time_interval(result));
}

PG_FUNCTION_INFO_V1(business_add);
/* sla.business_add(start, amount, cal, paused) */
Datum
business_add(PG_FUNCTION_ARGS)
{
	int			npauses;
	Pause	   *pauses;
	int64		amount;
	int64		result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	amount = amount_usecs(PG_GETARG_INTERVAL_P(1));
	pauses = pauses_arg(fcinfo, 3, &npauses);
	check_status(timeline_business_add(timeline_arg(fcinfo, 2), PG_GETARG_TIMESTAMPTZ(0),
									   amount, pauses, npauses, &result));
	PG_RETURN_TIMESTAMPTZ(result);
}

PG_FUNCTION_INFO_V1(is_open);
/* sla.is_open(at, cal) */
Datum
is_open(PG_FUNCTION_ARGS)
{
	bool		result;

	check_status(timeline_is_open(timeline_arg(fcinfo, 1), PG_GETARG_TIMESTAMPTZ(0), &result));
	PG_RETURN_BOOL(result);
}

PG_FUNCTION_INFO_V1(next_open);
/* sla.next_open(at, cal); infinity stays infinity */
Datum
next_open(PG_FUNCTION_ARGS)
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);
	int64		result = at;

	if (!TIMESTAMP_IS_NOEND(at))
		check_status(timeline_next_open(timeline_arg(fcinfo, 1), at, &result));
	PG_RETURN_TIMESTAMPTZ(result);
}

PG_FUNCTION_INFO_V1(next_close);
/* sla.next_close(at, cal); infinity stays infinity */
Datum
next_close(PG_FUNCTION_ARGS)
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);
	int64		result = at;

	if (!TIMESTAMP_IS_NOEND(at))
		check_status(timeline_next_close(timeline_arg(fcinfo, 1), at, &result));
	PG_RETURN_TIMESTAMPTZ(result);
}

PG_FUNCTION_INFO_V1(open_windows);
/* sla.open_windows(during tstzrange, cal) */
Datum
open_windows(PG_FUNCTION_ARGS)
{
	CallState  *state = call_state(fcinfo);
	RangeType  *during = PG_GETARG_RANGE_P(0);
	Timeline   *tl = timeline_arg(fcinfo, 1);
	RangeBound	lower,
				upper;
	bool		empty;
	int			first,
				count = 0;
	RangeType **ranges;

	if (state->ranges == NULL)
	{
		state->ranges = lookup_type_cache(RangeTypeGetOid(during), TYPECACHE_RANGE_INFO);
		state->multiranges = lookup_type_cache(TSTZMULTIRANGEOID, TYPECACHE_MULTIRANGE_INFO);
	}
	range_deserialize(state->ranges, during, &lower, &upper, &empty);
	if (!empty)
	{
		if (lower.infinite || upper.infinite)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("open_windows needs a bounded range"),
					 errdetail("The range %s has an unbounded or infinite end.",
							   lower.infinite ? "start" : "end")));
		check_status(timeline_spans(tl, DatumGetTimestampTz(lower.val),
									DatumGetTimestampTz(upper.val), &first, &count));
	}
	ranges = palloc(sizeof(RangeType *) * (count + 1));
	for (int i = 0; i < count; i++)
	{
		RangeBound	span_lower = {0},
					span_upper = {0};
		TimestampTz s = tl->start[first + i];
		TimestampTz e = tl->end[first + i];

		span_lower.val = TimestampTzGetDatum(Max(s, DatumGetTimestampTz(lower.val)));
		span_lower.inclusive = true;
		span_lower.lower = true;
		span_upper.val = TimestampTzGetDatum(Min(e, DatumGetTimestampTz(upper.val)));
		span_upper.lower = false;
#if PG_VERSION_NUM >= 160000
		ranges[i] = make_range(state->ranges, &span_lower, &span_upper, false, NULL);
#else
		ranges[i] = make_range(state->ranges, &span_lower, &span_upper, false);
#endif
	}
	PG_RETURN_MULTIRANGE_P(make_multirange(TSTZMULTIRANGEOID, state->ranges, count, ranges));
}
