/*
 * src/conversation_sql.c
 *	  The SQL entry points of conversation.c, over a ticket's row of
 *	  sla_state.messages_<n> and its resolved ranges (sla_state.state_<n>):
 *	  sla_private.conversation_cycles, every cycle (for the sweep and the
 *	  reports), and sla_private.conversation_summary, the current cycle and
 *	  the counts the SLA view shows.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "arguments.h"
#include "conversation.h"

/*
 * The instants a clock may start and stop at to be evaluated: those of
 * sla_private.evaluable_sql (0001-01-02 and 9990-01-01 UTC).
 */
#define EVALUABLE_FROM INT64CONST(-63082195200000000)
#define EVALUABLE_UNTIL INT64CONST(252140083200000000)

/*
 * The composite type a call site returns (sla_private.conversation_summary)
 * or returns an array of (sla_private.conversation_cycle), looked up once.
 */
typedef struct CycleType
{
	Oid			element;
	int16		length;
	bool		by_value;
	char		alignment;
	TupleDesc	desc;
} CycleType;

static const CycleType *
cycle_type(FunctionCallInfo fcinfo, bool array)
{
	CallState  *state = sla_call_state(fcinfo);
	CycleType  *type = state->cycle_type;
	MemoryContext old;
	Oid			returned;

	if (type != NULL)
		return type;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	type = palloc0(sizeof(CycleType));
	returned = get_fn_expr_rettype(fcinfo->flinfo);
	type->element = array ? get_element_type(returned) : returned;
	if (!OidIsValid(type->element) || get_typtype(type->element) != TYPTYPE_COMPOSITE)
		elog(ERROR, "a conversation function must return a composite type or an array of one");
	get_typlenbyvalalign(type->element, &type->length, &type->by_value, &type->alignment);
	type->desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(type->element, -1));
	MemoryContextSwitchTo(old);
	state->cycle_type = type;
	return type;
}

/* The kind argument, checked. */
static ConversationKind
kind_arg(FunctionCallInfo fcinfo)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));

	if (strcmp(kind, "next_reply") == 0)
		return CONVERSATION_NEXT_REPLY;
	if (strcmp(kind, "periodic_update") == 0)
		return CONVERSATION_PERIODIC_UPDATE;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown conversation metric kind \"%s\"", kind),
			 errhint("The kinds are next_reply and periodic_update.")));
	pg_unreachable();
}

/* Order of messages: by instant, the customer's first (a stable sort keeps the rest as given). */
static int
compare_messages(const void *a, const void *b)
{
	const ConversationMessage *x = a,
			   *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (int) y->customer - (int) x->customer;
}

/*
 * The messages of arguments "at" (timestamptz[]) and "author" ("char"[],
 * 'c' the customer, 'a' an agent) in order; NULL arrays are no messages.
 */
static ConversationMessage *
messages_arg(FunctionCallInfo fcinfo, int *count)
{
	Datum	   *at,
			   *author;
	bool	   *at_null,
			   *author_null;
	int			n,
				authors;
	bool		in_order = true;
	ConversationMessage *messages;

	*count = 0;
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return NULL;
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TIMESTAMPTZOID, sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &at, &at_null, &n);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), CHAROID, 1, true, TYPALIGN_CHAR, &author, &author_null, &authors);
	if (n != authors)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the messages have %d instants but %d authors", n, authors)));
	messages = palloc(sizeof(ConversationMessage) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		char		who = author_null[i] ? 'c' : DatumGetChar(author[i]);

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (at_null[i] || author_null[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("message %d has no instant or no author", i + 1)));
		if (who != 'c' && who != 'a')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("message %d has the author '%c', not 'c' (the customer) or 'a' (an agent)", i + 1, who)));
		messages[i].at = DatumGetTimestampTz(at[i]);
		messages[i].customer = who == 'c';
		if (i > 0 && compare_messages(&messages[i - 1], &messages[i]) > 0)
			in_order = false;
	}
	if (!in_order)
		sla_sort_interruptible(messages, n, sizeof(ConversationMessage), compare_messages);
	*count = n;
	return messages;
}

/*
 * The cycles of the ticket of a call's arguments (kind, at, author,
 * resolved), in memory of the call; *count is how many.
 */
static ConversationCycle *
cycles_of(FunctionCallInfo fcinfo, int *count)
{
	ConversationKind kind = kind_arg(fcinfo);
	int			message_count,
				resolved_count;
	ConversationMessage *messages = messages_arg(fcinfo, &message_count);
	const Pause *resolved = sla_pauses_arg(fcinfo, 3, &resolved_count);
	ConversationCycle *cycles = palloc(sizeof(ConversationCycle) * Max(message_count, 1));

	*count = sla_conversation_cycles(kind, messages, message_count, resolved, resolved_count, cycles);
	return cycles;
}

/*
 * Whether a cycle answered or running breached its target as of "as_of":
 * its end (its stop, or as_of) lies after its deadline, the target's
 * business time from its start in "tl" with the pauses up to its end, as
 * sla.evaluate decides.  A cycle outside the years clocks are evaluated in
 * has no clock: not breached.
 */
static bool
breached(const ConversationCycle *cycle, int64 target, Timeline *tl, const Pause *pauses, int pause_count,
		 TimestampTz as_of, Pause *clipped)
{
	TimestampTz end = cycle->stopped == TIMELINE_INFINITY ? as_of : cycle->stopped;
	TimestampTz due_at;
	int			kept;

	if (cycle->unanswered || cycle->started < EVALUABLE_FROM || cycle->started > EVALUABLE_UNTIL ||
		(cycle->stopped != TIMELINE_INFINITY && (cycle->stopped < EVALUABLE_FROM || cycle->stopped > EVALUABLE_UNTIL)))
		return false;
	kept = sla_pauses_until(pauses, pause_count, end, clipped);
	sla_check_status(sla_timeline_business_add(tl, cycle->started, target, clipped, kept, &due_at));
	return end > due_at;
}

PG_FUNCTION_INFO_V1(sla_conversation_summary);
/*
 * sla_private.conversation_summary(kind text, at timestamptz[], author "char"[],
 *                                  resolved tstzmultirange, target interval,
 *                                  cal sla.calendar, paused tstzmultirange, as_of timestamptz)
 *	  RETURNS sla_private.conversation_summary: the current (last) cycle (its
 *	  number, start, stop and whether it was closed unanswered; NULL when
 *	  none), how many cycles there are, and how many of them breached the
 *	  target in the calendar with the pauses as of as_of (NULL without a
 *	  target, a calendar or as_of).
 */
Datum
sla_conversation_summary(PG_FUNCTION_ARGS)
{
	const CycleType *type;
	ConversationCycle *cycles;
	int			count;
	Datum		values[6] = {0};
	bool		nulls[6] = {true, true, true, true, false, true};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	type = cycle_type(fcinfo, false);
	cycles = cycles_of(fcinfo, &count);
	if (count > 0)
	{
		const ConversationCycle *last = &cycles[count - 1];

		values[0] = Int32GetDatum(count);
		values[1] = TimestampTzGetDatum(last->started);
		values[2] = TimestampTzGetDatum(last->stopped);
		values[3] = BoolGetDatum(last->unanswered);
		nulls[0] = nulls[1] = nulls[3] = false;
		nulls[2] = last->stopped == TIMELINE_INFINITY;
	}
	values[4] = Int32GetDatum(count);
	if (!PG_ARGISNULL(4) && !PG_ARGISNULL(5) && !PG_ARGISNULL(7))
	{
		int64		target = sla_amount_usecs(PG_GETARG_INTERVAL_P(4));
		Timeline   *tl = sla_timeline_arg(fcinfo, 5);
		int			pause_count;
		const Pause *pauses = sla_pauses_arg(fcinfo, 6, &pause_count);
		Pause	   *clipped = palloc(sizeof(Pause) * Max(pause_count, 1));
		int			breached_count = 0;

		if (target <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("SLA target must be a positive interval")));
		for (int i = 0; i < count; i++)
			breached_count += breached(&cycles[i], target, tl, pauses, pause_count, PG_GETARG_TIMESTAMPTZ(7), clipped);
		values[5] = Int32GetDatum(breached_count);
		nulls[5] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(type->desc, values, nulls)));
}

PG_FUNCTION_INFO_V1(sla_conversation_cycles_sql);
/*
 * sla_private.conversation_cycles(kind text, at timestamptz[], author "char"[],
 *                                 resolved tstzmultirange)
 *	  RETURNS sla_private.conversation_cycle[]: (started, stopped, unanswered)
 *	  per cycle, in order; stopped is NULL while the cycle runs.
 */
Datum
sla_conversation_cycles_sql(PG_FUNCTION_ARGS)
{
	const CycleType *type;
	ConversationCycle *cycles;
	int			count;
	Datum	   *elements;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	type = cycle_type(fcinfo, true);
	cycles = cycles_of(fcinfo, &count);
	elements = palloc(sizeof(Datum) * Max(count, 1));
	for (int i = 0; i < count; i++)
	{
		Datum		values[3] = {TimestampTzGetDatum(cycles[i].started), TimestampTzGetDatum(cycles[i].stopped),
		BoolGetDatum(cycles[i].unanswered)};
		bool		nulls[3] = {false, cycles[i].stopped == TIMELINE_INFINITY, false};

		elements[i] = HeapTupleGetDatum(heap_form_tuple(type->desc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elements, count, type->element, type->length, type->by_value,
										  type->alignment));
}
