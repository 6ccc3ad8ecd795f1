/*
 * src/policy.c
 *	  Choosing a ticket's policy: among the rows of sla.policies for a metric
 *	  that are in force at an instant and whose match columns are NULL or
 *	  equal to the ticket's, the most specific (customer, then service, then
 *	  priority).  The table is read once per call site and query, so a view
 *	  over a million tickets chooses in memory.  On Citus the table is a
 *	  reference table, read from the node's own copy, also inside a query
 *	  Citus pushed down to a worker.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

typedef struct Policy
{
	int64		id;
	char	   *metric;
	char	   *match[4];		/* priority, service, customer, team; NULL matches any */
	bool		from_unbounded;
	bool		from_inclusive;
	TimestampTz from;
	bool		to_unbounded;
	bool		to_inclusive;
	TimestampTz to;
	int			specificity;	/* customer 8 + service 4 + team 2 + priority 1 */
} Policy;

typedef struct PolicyCache
{
	int			count;
	Policy	   *policies;
} PolicyCache;

/* A text column of the current SPI row, copied into "mcxt", or NULL. */
static char *
spi_text(HeapTuple row, TupleDesc desc, int column, MemoryContext mcxt)
{
	char	   *value = SPI_getvalue(row, desc, column);

	return value == NULL ? NULL : MemoryContextStrdup(mcxt, value);
}

/*
 * Read sla.policies (in the schema of this function) into a cache in
 * "mcxt".  A database still at 1.0 (its policies without a team) runs this
 * library too, hence the team read from the row's JSON.
 */
static PolicyCache *
load_policies(Oid function_oid, MemoryContext mcxt)
{
	PolicyCache *cache = MemoryContextAllocZero(mcxt, sizeof(PolicyCache));
	char	   *query = psprintf("SELECT id, metric, priority, service, customer, "
								 "pg_catalog.lower_inf(valid), pg_catalog.lower_inc(valid), pg_catalog.lower(valid), "
								 "pg_catalog.upper_inf(valid), pg_catalog.upper_inc(valid), pg_catalog.upper(valid), "
								 "pg_catalog.to_jsonb(p) OPERATOR(pg_catalog.->>) 'team' "
								 "FROM %s.policies p",
								 quote_identifier(get_namespace_name(get_func_namespace(function_oid))));
	int			nest_level = NewGUCNestLevel();

	/*
	 * In a query on a worker's shard, Citus refuses to read another
	 * distributed table unless allowed; a reference table has a copy on
	 * every node, so this read is local and exact.
	 */
	if (GetConfigOption("citus.allow_nested_distributed_execution", true, false) != NULL)
		(void) set_config_option("citus.allow_nested_distributed_execution", "on", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(query, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the SLA policies");
	cache->count = (int) SPI_processed;
	cache->policies = MemoryContextAllocZero(mcxt, sizeof(Policy) * (cache->count + 1));
	for (int i = 0; i < cache->count; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		Policy	   *p = &cache->policies[i];
		bool		isnull;

		p->id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
		p->metric = spi_text(row, desc, 2, mcxt);
		for (int m = 0; m < 3; m++)
			p->match[m] = spi_text(row, desc, 3 + m, mcxt);
		p->match[3] = spi_text(row, desc, 12, mcxt);
		p->specificity = (p->match[2] ? 8 : 0) + (p->match[1] ? 4 : 0) + (p->match[3] ? 2 : 0) + (p->match[0] ? 1 : 0);
		p->from_unbounded = DatumGetBool(SPI_getbinval(row, desc, 6, &isnull));
		p->from_inclusive = DatumGetBool(SPI_getbinval(row, desc, 7, &isnull));
		if (!p->from_unbounded)
			p->from = DatumGetTimestampTz(SPI_getbinval(row, desc, 8, &isnull));
		p->to_unbounded = DatumGetBool(SPI_getbinval(row, desc, 9, &isnull));
		p->to_inclusive = DatumGetBool(SPI_getbinval(row, desc, 10, &isnull));
		if (!p->to_unbounded)
			p->to = DatumGetTimestampTz(SPI_getbinval(row, desc, 11, &isnull));
	}
	SPI_finish();
	AtEOXact_GUC(false, nest_level);
	return cache;
}

/* Whether a policy's validity contains the instant. */
static bool
in_force(const Policy *p, TimestampTz at)
{
	if (!p->from_unbounded && (p->from_inclusive ? at < p->from : at <= p->from))
		return false;
	if (!p->to_unbounded && (p->to_inclusive ? at > p->to : at >= p->to))
		return false;
	return true;
}

PG_FUNCTION_INFO_V1(sla_policy_id_for);
/*
 * sla.policy_id_for(metric, priority, service, customer[, team], at): the
 * id of the chosen policy, or NULL.  Without a team argument, policies
 * matching a team do not apply.  Ties (which the policies table refuses)
 * go to the lowest id.
 */
Datum
sla_policy_id_for(PG_FUNCTION_ARGS)
{
	PolicyCache *cache = (PolicyCache *) fcinfo->flinfo->fn_extra;
	char	   *metric;
	char	   *ticket[4];
	int			at_arg = PG_NARGS() - 1;
	TimestampTz at;
	const Policy *best = NULL;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(at_arg))
		PG_RETURN_NULL();
	if (cache == NULL)
		fcinfo->flinfo->fn_extra = cache = load_policies(fcinfo->flinfo->fn_oid, fcinfo->flinfo->fn_mcxt);
	metric = text_to_cstring(PG_GETARG_TEXT_PP(0));
	for (int m = 0; m < 3; m++)
		ticket[m] = PG_ARGISNULL(1 + m) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1 + m));
	ticket[3] = at_arg == 5 && !PG_ARGISNULL(4) ? text_to_cstring(PG_GETARG_TEXT_PP(4)) : NULL;
	at = PG_GETARG_TIMESTAMPTZ(at_arg);

	for (int i = 0; i < cache->count; i++)
	{
		const Policy *p = &cache->policies[i];
		bool		matches = strcmp(p->metric, metric) == 0 && in_force(p, at);

		for (int m = 0; m < 4 && matches; m++)
			matches = p->match[m] == NULL || (ticket[m] != NULL && strcmp(p->match[m], ticket[m]) == 0);
		if (matches && (best == NULL || p->specificity > best->specificity ||
						(p->specificity == best->specificity && p->id < best->id)))
			best = p;
	}
	if (best == NULL)
		PG_RETURN_NULL();
	PG_RETURN_INT64(best->id);
}
