/*
 * src/clock.c
 *	  SLA clocks: sla.evaluate, the state, due time, elapsed, remaining and
 *	  used of one SLA target.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "arguments.h"

/* sla.state, in the enum's order */
typedef enum ClockState
{
	CLOCK_RUNNING,
	CLOCK_AT_RISK,
	CLOCK_PAUSED,
	CLOCK_MET,
	CLOCK_BREACHED
} ClockState;

static const char *const state_labels[] = {"running", "at_risk", "paused", "met", "breached"};

/* Look up the result row type and the enum labels once per call site. */
static void
prepare_result(FunctionCallInfo fcinfo, CallState *state)
{
	TupleDesc	desc;
	MemoryContext old;

	if (state->result_desc != NULL)
		return;
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("sla.evaluate must return the composite type sla.result")));
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	state->result_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
	MemoryContextSwitchTo(old);
	for (int i = 0; i < lengthof(state_labels); i++)
		state->states[i] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																CStringGetDatum(state_labels[i]),
																ObjectIdGetDatum(TupleDescAttr(state->result_desc, 0)->atttypid)));
}

/* Whether "at" lies inside one of the paused ranges [lower, upper). */
static bool
inside_pause(const Pause *pauses, int npauses, TimestampTz at)
{
	for (int i = 0; i < npauses; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (pauses[i].lower <= at && at < pauses[i].upper)
			return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(sla_evaluate);
/*
 * sla.evaluate(started_at, target, cal, stopped_at, paused, as_of, warn_at):
 * the clock of one SLA target at as_of (or at its stop).
 */
Datum
sla_evaluate(PG_FUNCTION_ARGS)
{
	CallState  *state = sla_call_state(fcinfo);
	TimestampTz started_at,
				end,
				due_at;
	bool		stopped = !PG_ARGISNULL(3);
	bool		has_as_of = !PG_ARGISNULL(5);
	int64		target,
				elapsed;
	int			npauses;
	Pause	   *pauses;
	bool		paused_now;
	Timeline   *tl;
	ClockState	clock;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || (!stopped && !has_as_of))
		PG_RETURN_NULL();
	started_at = PG_GETARG_TIMESTAMPTZ(0);
	/* a clock never started has no state (one such row must not break a view) */
	if (TIMESTAMP_NOT_FINITE(started_at))
		PG_RETURN_NULL();
	prepare_result(fcinfo, state);
	target = sla_amount_usecs(PG_GETARG_INTERVAL_P(1));
	if (target <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("SLA target must be a positive interval")));
	end = stopped ? PG_GETARG_TIMESTAMPTZ(3) : PG_GETARG_TIMESTAMPTZ(5);
	tl = sla_timeline_arg(fcinfo, 2);
	pauses = sla_pauses_arg(fcinfo, 4, &npauses);
	paused_now = has_as_of && inside_pause(pauses, npauses, PG_GETARG_TIMESTAMPTZ(5));
	npauses = sla_pauses_until(pauses, npauses, end, pauses);

	if (end <= started_at)
		elapsed = 0;
	else
		sla_check_status(sla_timeline_business_time(tl, started_at, end, pauses, npauses, &elapsed));
	sla_check_status(sla_timeline_business_add(tl, started_at, target, pauses, npauses, &due_at));

	/* breached once the clock's end lies after the deadline instant */
	if (stopped)
		clock = end <= due_at ? CLOCK_MET : CLOCK_BREACHED;
	else if (end > due_at)
		clock = CLOCK_BREACHED;
	else if (paused_now)
		clock = CLOCK_PAUSED;
	else if (!PG_ARGISNULL(6) && (double) elapsed / (double) target >= PG_GETARG_FLOAT8(6))
		clock = CLOCK_AT_RISK;
	else
		clock = CLOCK_RUNNING;

	values[0] = ObjectIdGetDatum(state->states[clock]);
	values[1] = TimestampTzGetDatum(due_at);
	values[2] = PointerGetDatum(sla_make_time_interval(elapsed));
	values[3] = PointerGetDatum(sla_make_time_interval(target - elapsed));
	values[4] = Float8GetDatum((double) elapsed / (double) target);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(state->result_desc, values, nulls)));
}
