/*
 * src/arguments.h
 *	  Argument decoding shared by the SQL entry points (business_time.c,
 *	  clock.c, pauses.c).
 */
#ifndef SLA_ARGUMENTS_H
#define SLA_ARGUMENTS_H

#include "postgres.h"

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"

#include "timeline.h"

/* What one call site keeps between rows (fn_extra). */
typedef struct CallState
{
	void	   *calendars;		/* calendar_cache's */
	TypeCacheEntry *ranges;		/* tstzrange, for open_windows */
	TypeCacheEntry *multiranges;	/* tstzmultirange */
	Pause	   *pauses;
	int			pause_capacity;
	TupleDesc	result_desc;	/* sla.result, for evaluate */
	Oid			states[5];		/* sla.state labels, for evaluate */
	struct CycleType *cycle_type;	/* for conversation_cycles */
} CallState;

/* The call site's state, created on first use. */
extern CallState *sla_call_state(FunctionCallInfo fcinfo);
/* The compiled calendar of argument "argno". */
extern Timeline *sla_timeline_arg(FunctionCallInfo fcinfo, int argno);
/* Raise the SQL error a non-OK engine status stands for. */
extern void sla_check_status(TimelineStatus status);
/* Microseconds of an amount; days count as 24 hours, months are refused. */
extern int64 sla_amount_usecs(const Interval *amount);
/* Paused ranges of a tstzmultirange argument (NULL or absent: none). */
extern Pause *sla_pauses_arg(FunctionCallInfo fcinfo, int argno, int *count);
/* A stable sort that statement_timeout and cancels can interrupt. */
extern void sla_sort_interruptible(void *base, size_t count, size_t size,
							   int (*compare) (const void *, const void *));
/* An interval with only its time field set, like '27:30:00'. */
extern Interval *sla_make_time_interval(int64 usecs);
/* The range [lower, upper) of a tstzrange type; an upper end of infinity leaves it unbounded. */
extern RangeType *sla_tstz_range(TypeCacheEntry *rangetype, TimestampTz lower, TimestampTz upper);

#endif
