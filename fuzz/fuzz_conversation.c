/*
 * fuzz/fuzz_conversation.c
 *	  libFuzzer target for the cycles of the conversation metrics
 *	  (sla_conversation_cycles).
 *
 * Input: bytes read in order, zeros once they run out.  Every finite
 * instant lies on a grid of minutes from 2000-01-01 (k * 60000000 us, k in
 * 0..63, bounds up to 64), so that messages and resolutions often coincide:
 *
 *	  flags     kind (bit 0: periodic_update, else next_reply); bit 1: the
 *	            first resolved range starts at -infinity; bit 2: the last
 *	            one ends at +infinity
 *	  messages  a count (up to 24), then a byte each: grid instant (bits
 *	            0-5), customer (bit 6, else an agent), bit 7: at the same
 *	            instant as the message before; sorted by instant, the
 *	            customer's first at equal instants (the order the function
 *	            requires)
 *	  resolved  a count (up to 6), then two bytes each: lower end and
 *	            length (1 to 16) on the grid, upper at most 64; normalized
 *	            like a multirange: sorted, overlapping or touching ranges
 *	            merged
 *
 * Checks, aborting on the first violation (the decoded input is printed):
 *	  no more cycles than messages; cycles in order, started strictly
 *	  increasing, started < stopped, no overlap (stopped <= the next
 *	  started), only the last one running (stopped +infinity); unanswered
 *	  only for next_reply and only with a finite stop;
 *	  exact agreement with a reference that simulates the semantics minute
 *	  by minute on the grid with boolean arrays (not conversation.c's merge
 *	  walk);
 *	  the same on zero messages and on the messages without resolved
 *	  ranges; the inputs are left unchanged.
 * The arrays handed over are exactly as long as their counts (NULL when
 * empty, as the backend passes them), so AddressSanitizer sees any read or
 * write past them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conversation.h"
#include "reader.h"

#define GRID 64					/* grid instants 0 .. GRID - 1 */
#define GRID_USECS INT64_C(60000000)	/* one minute */
#define MAX_MESSAGES 24
#define MAX_RANGES 6
#define MAX_RANGE_LENGTH 16


/* The decoded scenario, for the report of a failure. */
typedef struct Scenario
{
	ConversationKind kind;
	ConversationMessage messages[MAX_MESSAGES];
	int			nmessages;
	Pause		resolved[MAX_RANGES];
	int			nresolved;
} Scenario;

/* An instant on the grid, or an infinity, for the report. */
static void
print_instant(int64_t at)
{
	if (at == TIMELINE_INFINITY)
		fprintf(stderr, "+infinity");
	else if (at == TIMELINE_MINUS_INFINITY)
		fprintf(stderr, "-infinity");
	else if (at % GRID_USECS == 0)
		fprintf(stderr, "%" PRId64, at / GRID_USECS);
	else
		fprintf(stderr, "%" PRId64 "us", at);
}

static void
print_cycles(const char *label, const ConversationCycle *cycles, int n)
{
	fprintf(stderr, "  %s: %d cycle(s)\n", label, n);
	for (int i = 0; i < n; i++)
	{
		fprintf(stderr, "    [");
		print_instant(cycles[i].started);
		fprintf(stderr, ", ");
		print_instant(cycles[i].stopped);
		fprintf(stderr, ")%s\n", cycles[i].unanswered ? " unanswered" : "");
	}
}

/* Report a broken check with the input it was given (instants in grid minutes), then abort. */
static void
fail(const char *what, const char *variant, ConversationKind kind,
	 const ConversationMessage *messages, int nmessages, const Pause *resolved, int nresolved,
	 const ConversationCycle *got, int ngot, const ConversationCycle *want, int nwant)
{
	fprintf(stderr, "fuzz_conversation: %s (%s)\n", what, variant);
	fprintf(stderr, "  kind: %s\n", kind == CONVERSATION_NEXT_REPLY ? "next_reply" : "periodic_update");
	fprintf(stderr, "  messages (%d):", nmessages);
	for (int i = 0; i < nmessages; i++)
	{
		fprintf(stderr, " ");
		print_instant(messages[i].at);
		fprintf(stderr, "%s", messages[i].customer ? "c" : "a");
	}
	fprintf(stderr, "\n  resolved (%d):", nresolved);
	for (int i = 0; i < nresolved; i++)
	{
		fprintf(stderr, " [");
		print_instant(resolved[i].lower);
		fprintf(stderr, ", ");
		print_instant(resolved[i].upper);
		fprintf(stderr, ")");
	}
	fprintf(stderr, "\n");
	print_cycles("function", got, ngot);
	if (want != NULL)
		print_cycles("reference", want, nwant);
	abort();
}

/*
 * The semantics, minute by minute over the grid.  At each instant t:
 * a running cycle stops if the ticket enters a resolved status at t or an
 * agent writes at t (a next_reply cycle so stopped is unanswered when no
 * agent wrote at t); then, unless the ticket is resolved at t, next_reply
 * starts a cycle if a customer and no agent wrote at t and none runs, and
 * periodic_update starts one if an agent wrote at t.
 */
static int
reference_cycles(ConversationKind kind, const ConversationMessage *messages, int nmessages,
				 const Pause *resolved, int nresolved, ConversationCycle *cycles)
{
	bool		is_resolved[GRID] = {false};
	bool		entering[GRID] = {false};
	bool		customer[GRID] = {false};
	bool		agent[GRID] = {false};
	bool		running = false;
	int			n = 0;

	for (int t = 0; t < GRID; t++)
	{
		int64_t		at = t * GRID_USECS;

		for (int i = 0; i < nresolved; i++)
		{
			if (resolved[i].lower <= at && at < resolved[i].upper)
				is_resolved[t] = true;
			if (resolved[i].lower == at)
				entering[t] = true;
		}
		for (int i = 0; i < nmessages; i++)
		{
			if (messages[i].at == at && messages[i].customer)
				customer[t] = true;
			if (messages[i].at == at && !messages[i].customer)
				agent[t] = true;
		}
	}

	for (int t = 0; t < GRID; t++)
	{
		int64_t		at = t * GRID_USECS;
		bool		starts;

		if (running && (entering[t] || agent[t]))
		{
			cycles[n - 1].stopped = at;
			cycles[n - 1].unanswered = kind == CONVERSATION_NEXT_REPLY && !agent[t];
			running = false;
		}
		if (is_resolved[t])
			continue;
		if (kind == CONVERSATION_NEXT_REPLY)
			starts = customer[t] && !agent[t] && !running;
		else
			starts = agent[t];
		if (starts)
		{
			cycles[n].started = at;
			cycles[n].stopped = TIMELINE_INFINITY;
			cycles[n].unanswered = false;
			n++;
			running = true;
		}
	}
	return n;
}

/*
 * Run the function on exact-size copies of the arrays, check the cycles'
 * shape and compare them with the reference.
 */
static void
check(const char *variant, ConversationKind kind, const ConversationMessage *messages, int nmessages,
	  const Pause *resolved, int nresolved)
{
	ConversationMessage *m = NULL;
	Pause	   *p = NULL;
	ConversationCycle *got;
	ConversationCycle want[GRID];
	int			ngot,
				nwant;

#define FAIL(what) fail(what, variant, kind, messages, nmessages, resolved, nresolved, got, \
						ngot >= 0 && ngot <= nmessages ? ngot : 0, want, nwant)

	if (nmessages > 0)
	{
		m = malloc(sizeof(ConversationMessage) * (size_t) nmessages);
		if (m == NULL)
			abort();
		memcpy(m, messages, sizeof(ConversationMessage) * (size_t) nmessages);
	}
	if (nresolved > 0)
	{
		p = malloc(sizeof(Pause) * (size_t) nresolved);
		if (p == NULL)
			abort();
		memcpy(p, resolved, sizeof(Pause) * (size_t) nresolved);
	}
	/* room for one per message, as the header promises is enough: no more */
	got = malloc(sizeof(ConversationCycle) * (size_t) nmessages);
	if (got == NULL && nmessages > 0)
		abort();

	nwant = reference_cycles(kind, messages, nmessages, resolved, nresolved, want);
	ngot = sla_conversation_cycles(kind, m, nmessages, p, nresolved, got);

	if (ngot < 0 || ngot > nmessages)
		FAIL("cycle count outside [0, number of messages]");
	if (m != NULL && memcmp(m, messages, sizeof(ConversationMessage) * (size_t) nmessages) != 0)
		FAIL("the messages were changed");
	if (p != NULL && memcmp(p, resolved, sizeof(Pause) * (size_t) nresolved) != 0)
		FAIL("the resolved ranges were changed");
	for (int i = 0; i < ngot; i++)
	{
		const ConversationCycle *c = &got[i];

		if (!(c->started < c->stopped))
			FAIL("a cycle does not start before it stops");
		if (c->stopped == TIMELINE_INFINITY && i != ngot - 1)
			FAIL("a cycle other than the last one runs");
		if (i + 1 < ngot && !(c->started < got[i + 1].started))
			FAIL("cycles' starts not strictly increasing");
		if (i + 1 < ngot && !(c->stopped <= got[i + 1].started))
			FAIL("cycles overlap");
		if (c->unanswered && kind != CONVERSATION_NEXT_REPLY)
			FAIL("an unanswered cycle for periodic_update");
		if (c->unanswered && c->stopped == TIMELINE_INFINITY)
			FAIL("an unanswered cycle still running");
	}
	if (ngot != nwant)
		FAIL("cycle count differs from the reference");
	for (int i = 0; i < ngot; i++)
		if (got[i].started != want[i].started || got[i].stopped != want[i].stopped ||
			got[i].unanswered != want[i].unanswered)
			FAIL("a cycle differs from the reference");
#undef FAIL

	free(got);
	free(m);
	free(p);
}

/* Messages by instant, the customer's first at equal instants. */
static int
compare_messages(const void *a, const void *b)
{
	const ConversationMessage *x = a,
			   *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (int) y->customer - (int) x->customer;
}

static int
compare_ranges(const void *a, const void *b)
{
	const Pause *x = a,
			   *y = b;

	if (x->lower != y->lower)
		return (x->lower > y->lower) - (x->lower < y->lower);
	return (x->upper > y->upper) - (x->upper < y->upper);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		r = {data, size};
	Scenario	s;
	unsigned	flags = read_byte(&r);
	int			merged = 0;

	memset(&s, 0, sizeof(s));
	s.kind = (flags & 1) ? CONVERSATION_PERIODIC_UPDATE : CONVERSATION_NEXT_REPLY;

	/* messages */
	s.nmessages = (int) (read_byte(&r) % (MAX_MESSAGES + 1));
	for (int i = 0; i < s.nmessages; i++)
	{
		unsigned	b = read_byte(&r);

		s.messages[i].at = (b & 0x80) && i > 0 ? s.messages[i - 1].at : (int64_t) (b & 63) * GRID_USECS;
		s.messages[i].customer = (b & 0x40) != 0;
	}
	qsort(s.messages, s.nmessages, sizeof(ConversationMessage), compare_messages);

	/* resolved ranges, normalized like a multirange */
	s.nresolved = (int) (read_byte(&r) % (MAX_RANGES + 1));
	for (int i = 0; i < s.nresolved; i++)
	{
		int			lower = (int) (read_byte(&r) % GRID);
		int			upper = lower + 1 + (int) (read_byte(&r) % MAX_RANGE_LENGTH);

		if (upper > GRID)
			upper = GRID;
		s.resolved[i].lower = lower * GRID_USECS;
		s.resolved[i].upper = upper * GRID_USECS;
	}
	qsort(s.resolved, s.nresolved, sizeof(Pause), compare_ranges);
	for (int i = 0; i < s.nresolved; i++)
	{
		if (merged > 0 && s.resolved[i].lower <= s.resolved[merged - 1].upper)
		{
			if (s.resolved[i].upper > s.resolved[merged - 1].upper)
				s.resolved[merged - 1].upper = s.resolved[i].upper;
			continue;
		}
		s.resolved[merged++] = s.resolved[i];
	}
	s.nresolved = merged;
	if (s.nresolved > 0 && (flags & 2))
		s.resolved[0].lower = TIMELINE_MINUS_INFINITY;
	if (s.nresolved > 0 && (flags & 4))
		s.resolved[s.nresolved - 1].upper = TIMELINE_INFINITY;

	check("as decoded", s.kind, s.messages, s.nmessages, s.resolved, s.nresolved);
	check("no messages", s.kind, s.messages, 0, s.resolved, s.nresolved);
	check("no resolved ranges", s.kind, s.messages, s.nmessages, s.resolved, 0);
	return 0;
}
