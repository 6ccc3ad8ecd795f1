/*
 * src/conversation.h
 *	  The cycles of the conversation metrics (kinds next_reply and
 *	  periodic_update): from a ticket's messages and the ranges it spent in
 *	  a resolved status.  Instants are microseconds since 2000-01-01 UTC, as
 *	  in timeline.h; no backend headers.
 */
#ifndef SLA_CONVERSATION_H
#define SLA_CONVERSATION_H

#include <stdbool.h>
#include <stdint.h>

#include "timeline.h"

typedef enum ConversationKind
{
	CONVERSATION_NEXT_REPLY,
	CONVERSATION_PERIODIC_UPDATE
} ConversationKind;

/* A message: when, and whether the customer wrote it (else an agent). */
typedef struct ConversationMessage
{
	int64_t		at;
	bool		customer;
} ConversationMessage;

/* One cycle: [started, stopped), stopped TIMELINE_INFINITY while it runs. */
typedef struct ConversationCycle
{
	int64_t		started;
	int64_t		stopped;
	bool		unanswered;		/* next_reply: ended by a resolution without a reply */
} ConversationCycle;

/*
 * The cycles of a ticket, in order, into "cycles" (room for "count" of
 * them: there is at most one per message); returns how many.  "messages"
 * are in ascending order of their instants; "resolved" are the sorted,
 * disjoint ranges the ticket spent in a resolved status.
 */
extern int	sla_conversation_cycles(ConversationKind kind, const ConversationMessage *messages, int count,
									const Pause *resolved, int resolved_count, ConversationCycle *cycles);

#endif
