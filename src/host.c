/*
 * src/host.c
 *	  The backend's memory and interrupt services for the engine (host.h).
 */
#include "postgres.h"

#include "miscadmin.h"

#include "host.h"

/* Memory from the owner's MemoryContext. */
void *
sla_alloc(void *owner, size_t size)
{
	return MemoryContextAlloc((MemoryContext) owner, size);
}

/* repalloc, or a first allocation in the owner's context. */
void *
sla_realloc(void *owner, void *ptr, size_t size)
{
	return ptr == NULL ? MemoryContextAlloc((MemoryContext) owner, size) : repalloc(ptr, size);
}

/* CHECK_FOR_INTERRUPTS(): lets statement_timeout and cancels in. */
void
sla_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}
