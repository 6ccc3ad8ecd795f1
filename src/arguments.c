/*
 * src/arguments.c
 *	  What the SQL entry points share: per-call-site state in fn_extra, the
 *	  decoding of calendar, pauses and amount arguments, and the SQL errors
 *	  that engine statuses stand for.
 */
#include "postgres.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/multirangetypes.h"
#include "utils/timestamp.h"

#include "calendar_cache.h"
#include "arguments.h"

/* The call site's state, created on first use. */
CallState *
sla_call_state(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallState));
	return (CallState *) fcinfo->flinfo->fn_extra;
}

/* The compiled calendar of argument "argno". */
Timeline *
sla_timeline_arg(FunctionCallInfo fcinfo, int argno)
{
	return sla_calendar_timeline(fcinfo->flinfo->fn_mcxt, &sla_call_state(fcinfo)->calendars,
							 PG_GETARG_DATUM(argno));
}

/* Turn a non-OK engine status into the SQL error it stands for. */
void
sla_check_status(TimelineStatus status)
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
int64
sla_amount_usecs(const Interval *amount)
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
Pause *
sla_pauses_arg(FunctionCallInfo fcinfo, int argno, int *count)
{
	CallState  *state = sla_call_state(fcinfo);
	MultirangeType *multirange;
	int32		nranges;

	*count = 0;
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return NULL;
	multirange = PG_GETARG_MULTIRANGE_P(argno);
	if (MultirangeIsEmpty(multirange))
		return NULL;
	if (state->multiranges == NULL)
		state->multiranges = lookup_type_cache(MultirangeTypeGetOid(multirange),
											   TYPECACHE_MULTIRANGE_INFO);
	nranges = multirange->rangeCount;
	if (nranges > state->pause_capacity)
	{
		/* grow geometrically and free the old buffer: rows with ever more pauses stay linear */
		int			capacity = Max(nranges, 2 * state->pause_capacity);

		if (state->pauses != NULL)
			pfree(state->pauses);
		state->pauses = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Pause) * capacity);
		state->pause_capacity = capacity;
	}
	for (int i = 0; i < nranges; i++)
	{
		RangeBound	lower,
					upper;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		multirange_get_bounds(state->multiranges->rngtype, multirange, i, &lower, &upper);
		state->pauses[i].lower = lower.infinite ? TIMELINE_MINUS_INFINITY : DatumGetTimestampTz(lower.val);
		state->pauses[i].upper = upper.infinite ? TIMELINE_INFINITY : DatumGetTimestampTz(upper.val);
	}
	*count = nranges;
	return state->pauses;
}

/* An interval of "usecs" in its time field only, like '27:30:00'. */
Interval *
sla_make_time_interval(int64 usecs)
{
	Interval   *result = palloc(sizeof(Interval));

	result->time = usecs;
	result->day = 0;
	result->month = 0;
	return result;
}

/*
 * See arguments.h: a bottom-up merge sort through a scratch copy, checking for
 * interrupts as it goes (qsort cannot be cancelled).
 */
void
sla_sort_interruptible(void *base, size_t count, size_t size,
				   int (*compare) (const void *, const void *))
{
	char	   *from = base;
	char	   *to;

	if (count < 2)
		return;
	to = palloc(size * count);
	for (size_t width = 1; width < count; width *= 2)
	{
		char	   *swap;

		for (size_t left = 0; left < count; left += 2 * width)
		{
			size_t		mid = Min(left + width, count);
			size_t		right = Min(left + 2 * width, count);
			size_t		i = left,
						j = mid,
						k = left;

			CHECK_FOR_INTERRUPTS();
			while (i < mid && j < right)
			{
				/* ties take the left run's element first: stable */
				if (compare(from + j * size, from + i * size) < 0)
					memcpy(to + (k++) * size, from + (j++) * size, size);
				else
					memcpy(to + (k++) * size, from + (i++) * size, size);
			}
			if (i < mid)
				memcpy(to + k * size, from + i * size, (mid - i) * size);
			else if (j < right)
				memcpy(to + k * size, from + j * size, (right - j) * size);
		}
		swap = from;
		from = to;
		to = swap;
	}
	if (from != base)
	{
		memcpy(base, from, size * count);
		pfree(from);
	}
	else
		pfree(to);
}

/* See arguments.h (make_range gained an argument in PostgreSQL 16). */
RangeType *
sla_tstz_range(TypeCacheEntry *rangetype, TimestampTz lower, TimestampTz upper)
{
	RangeBound	lo = {0},
				hi = {0};

	lo.val = TimestampTzGetDatum(lower);
	lo.inclusive = true;
	lo.lower = true;
	hi.val = TimestampTzGetDatum(upper);
	hi.infinite = TIMESTAMP_IS_NOEND(upper);
	hi.lower = false;
#if PG_VERSION_NUM >= 160000
	return make_range(rangetype, &lo, &hi, false, NULL);
#else
	return make_range(rangetype, &lo, &hi, false);
#endif
}
