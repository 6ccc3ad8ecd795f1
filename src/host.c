/*
 * src/host.c
 *	  The backend's memory and interrupt services for the engine (host.h).
 */
#include "postgres.h"

#include "miscadmin.h"

#include "host.h"

void *
sla_alloc(void *owner, size_t size)
{
	return MemoryContextAlloc((MemoryContext) owner, size);
}

void *
sla_realloc(void *owner, void *ptr, size_t size)
{
	return ptr == NULL ? MemoryContextAlloc((MemoryContext) owner, size) : repalloc(ptr, size);
}

void
sla_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}
