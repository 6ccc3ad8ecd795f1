/*
 * src/business_time.c
 *	  SQL entry points that count business time: business_time,
 *	  business_add, is_open, next_open, next_close, open_windows.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"

#include "arguments.h"

PG_FUNCTION_INFO_V1(sla_business_time);
/* sla.business_time(since, until, cal, paused) */
Datum
sla_business_time(PG_FUNCTION_ARGS)
{
	int			npauses;
	Pause	   *pauses;
	int64		result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	pauses = sla_pauses_arg(fcinfo, 3, &npauses);
	sla_check_status(sla_timeline_business_time(sla_timeline_arg(fcinfo, 2), PG_GETARG_TIMESTAMPTZ(0),
										PG_GETARG_TIMESTAMPTZ(1), pauses, npauses, &result));
	PG_RETURN_INTERVAL_P(sla_make_time_interval(result));
}

PG_FUNCTION_INFO_V1(sla_business_add);
/* sla.business_add(start, amount, cal, paused) */
Datum
sla_business_add(PG_FUNCTION_ARGS)
{
	int			npauses;
	Pause	   *pauses;
	int64		amount;
	int64		result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	amount = sla_amount_usecs(PG_GETARG_INTERVAL_P(1));
	pauses = sla_pauses_arg(fcinfo, 3, &npauses);
	sla_check_status(sla_timeline_business_add(sla_timeline_arg(fcinfo, 2), PG_GETARG_TIMESTAMPTZ(0),
									   amount, pauses, npauses, &result));
	PG_RETURN_TIMESTAMPTZ(result);
}

PG_FUNCTION_INFO_V1(sla_is_open);
/* sla.is_open(at, cal) */
Datum
sla_is_open(PG_FUNCTION_ARGS)
{
	bool		result;

	sla_check_status(sla_timeline_is_open(sla_timeline_arg(fcinfo, 1), PG_GETARG_TIMESTAMPTZ(0), &result));
	PG_RETURN_BOOL(result);
}

/* The instant a search of the calendar (next open or close) finds from (at, cal); infinity stays infinity. */
static TimestampTz
next_instant(FunctionCallInfo fcinfo, TimelineStatus (*search) (Timeline *, int64_t, int64_t *))
{
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(0);
	int64_t		result = at;

	if (!TIMESTAMP_IS_NOEND(at))
		sla_check_status(search(sla_timeline_arg(fcinfo, 1), at, &result));
	return result;
}

PG_FUNCTION_INFO_V1(sla_next_open);
/* sla.next_open(at, cal) */
Datum
sla_next_open(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(next_instant(fcinfo, sla_timeline_next_open));
}

PG_FUNCTION_INFO_V1(sla_next_close);
/* sla.next_close(at, cal) */
Datum
sla_next_close(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(next_instant(fcinfo, sla_timeline_next_close));
}

PG_FUNCTION_INFO_V1(sla_open_windows);
/* sla.open_windows(during tstzrange, cal) */
Datum
sla_open_windows(PG_FUNCTION_ARGS)
{
	CallState  *state = sla_call_state(fcinfo);
	RangeType  *during = PG_GETARG_RANGE_P(0);
	Timeline   *tl = sla_timeline_arg(fcinfo, 1);
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
		sla_check_status(sla_timeline_spans(tl, DatumGetTimestampTz(lower.val),
									DatumGetTimestampTz(upper.val), &first, &count));
	}
	ranges = palloc(sizeof(RangeType *) * (count + 1));
	for (int i = 0; i < count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ranges[i] = sla_tstz_range(state->ranges, Max(tl->spans[first + i].start, DatumGetTimestampTz(lower.val)),
							   Min(tl->spans[first + i].end, DatumGetTimestampTz(upper.val)));
	}
	PG_RETURN_MULTIRANGE_P(make_multirange(TSTZMULTIRANGEOID, state->ranges, count, ranges));
}
