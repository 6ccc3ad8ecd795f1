/*
 * src/conversation.c
 *	  The cycles of the conversation metrics, walking a ticket's instants in
 *	  time order: each instant where a message was written or the ticket
 *	  entered a resolved status.  At one instant a resolution and the
 *	  messages all count at once: a message while the ticket is resolved
 *	  starts nothing, and entering a resolved status ends a running cycle.
 *	    next_reply: a customer message starts a cycle when none runs; the
 *	      next agent message stops it (one at the instant it would start
 *	      answers it: no cycle); a resolution without an agent message at
 *	      that instant ends it unanswered.
 *	    periodic_update: each instant with an agent message starts a cycle
 *	      and stops the running one; a resolution stops it.
 *	  No backend headers (see host.h), so that it can be tested on its own.
 */
#include "conversation.h"

#include "host.h"

/* Whether "at" lies in one of the resolved ranges from *next on, advancing *next past those that end before it. */
static bool
resolved_at(int64_t at, const Pause *resolved, int resolved_count, int *next)
{
	while (*next < resolved_count && resolved[*next].upper <= at)
		(*next)++;
	return *next < resolved_count && resolved[*next].lower <= at;
}

int
sla_conversation_cycles(ConversationKind kind, const ConversationMessage *messages, int count,
						const Pause *resolved, int resolved_count, ConversationCycle *cycles)
{
	int			cycle_count = 0;
	bool		running = false;
	int			message = 0;
	int			entry = 0;		/* the next resolution entry (lower end of a resolved range) */
	int			containing = 0; /* the resolved range that may contain the instant */

	while (message < count || entry < resolved_count)
	{
		int64_t		instant;
		bool		entering,
					is_resolved,
					agent_wrote = false,
					customer_wrote = false;

		sla_check_interrupts();
		while (entry < resolved_count && resolved[entry].lower == TIMELINE_MINUS_INFINITY)
			entry++;
		instant = message < count ? messages[message].at : TIMELINE_INFINITY;
		if (entry < resolved_count && resolved[entry].lower < instant)
			instant = resolved[entry].lower;
		if (instant == TIMELINE_INFINITY)
			break;
		entering = entry < resolved_count && resolved[entry].lower == instant;
		if (entering)
			entry++;
		for (; message < count && messages[message].at == instant; message++)
		{
			if (messages[message].customer)
				customer_wrote = true;
			else
				agent_wrote = true;
		}
		is_resolved = resolved_at(instant, resolved, resolved_count, &containing);

		if (running && (entering || agent_wrote))
		{
			cycles[cycle_count - 1].stopped = instant;
			cycles[cycle_count - 1].unanswered = kind == CONVERSATION_NEXT_REPLY && !agent_wrote;
			running = false;
		}
		if (is_resolved)
			continue;
		if (kind == CONVERSATION_NEXT_REPLY ? (customer_wrote && !agent_wrote && !running) : agent_wrote)
		{
			cycles[cycle_count].started = instant;
			cycles[cycle_count].stopped = TIMELINE_INFINITY;
			cycles[cycle_count].unanswered = false;
			cycle_count++;
			running = true;
		}
	}
	return cycle_count;
}
