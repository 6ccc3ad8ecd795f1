/*
 * src/privilege.c
 *	  Whose rights sla's code runs with.  Two entry points, both in C because
 *	  only C can change the current user for part of a call and know who
 *	  called:
 *
 *	  - sla_call_privileged: the body of every API function that changes SLA
 *	    state (sla.attach, sla.detach, sla.record_status, sla.sweep) or reads
 *	    an attached table for someone (sla.percentiles, ...).  It runs
 *	    sla_private.<same name>(caller, arguments...) as the extension's
 *	    owner, the caller being the role that called it; the implementation
 *	    checks that role's rights.  So no role needs privileges on the
 *	    state, and no SECURITY DEFINER function is executable by PUBLIC.
 *
 *	  - sla_select_as: sla_private.select_as(role, query, VARIADIC args),
 *	    not executable by PUBLIC: a read-only query over someone's table run
 *	    as that table's owner (or a restricted caller) inside a
 *	    security-restricted operation, with search_path pg_catalog, pg_temp,
 *	    as REFRESH MATERIALIZED VIEW and VACUUM evaluate a table's
 *	    expressions.  Nobody's functions, casts or operators run with
 *	    another role's rights.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "privilege.h"

#define PRIVATE_SCHEMA "sla_private"

/* The owner of the extension's private schema: the extension's owner. */
Oid
sla_extension_owner(void)
{
	Oid			schema = get_namespace_oid(PRIVATE_SCHEMA, false);
	HeapTuple	tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(schema));
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for schema %u", schema);
	owner = ((Form_pg_namespace) GETSTRUCT(tuple))->nspowner;
	ReleaseSysCache(tuple);
	return owner;
}

/* Prepare a set-returning call to return its rows in a tuplestore. */
static Tuplestorestate *
begin_materialized(FunctionCallInfo fcinfo, TupleDesc *desc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *store;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize) || rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	*desc = CreateTupleDescCopy(rsinfo->expectedDesc);
	store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = *desc;
	return store;
}

/* Copy the rows of the last SPI query into "store", checking their shape. */
static void
store_spi_rows(Tuplestorestate *store, TupleDesc desc, FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	got = SPI_tuptable->tupdesc;
	MemoryContext old;

	if (got->natts != desc->natts)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("query returned %d columns, the call expects %d", got->natts, desc->natts)));
	for (int i = 0; i < desc->natts; i++)
		if (TupleDescAttr(got, i)->atttypid != TupleDescAttr(desc, i)->atttypid)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %d of the query is of type %s, the call expects %s", i + 1,
							format_type_be(TupleDescAttr(got, i)->atttypid),
							format_type_be(TupleDescAttr(desc, i)->atttypid))));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	for (uint64 i = 0; i < SPI_processed; i++)
		tuplestore_puttuple(store, SPI_tuptable->vals[i]);
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(sla_call_privileged);
/* See the file header: sla.<name>(args) runs sla_private.<name>(caller, args). */
Datum
sla_call_privileged(PG_FUNCTION_ARGS)
{
	HeapTuple	proc = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
	Form_pg_proc form;
	int			nargs = PG_NARGS() + 1;
	Oid		   *types = palloc(sizeof(Oid) * nargs);
	Datum	   *values = palloc(sizeof(Datum) * nargs);
	char	   *nulls = palloc(nargs + 1);
	StringInfoData query;
	Oid			caller,
				result_type;
	int			caller_context;
	bool		returns_set,
				read_only;
	Datum		result = (Datum) 0;
	bool		result_null = true;

	if (!HeapTupleIsValid(proc))
		elog(ERROR, "cache lookup failed for function %u", fcinfo->flinfo->fn_oid);
	form = (Form_pg_proc) GETSTRUCT(proc);
	returns_set = form->proretset;
	result_type = form->prorettype;
	read_only = form->provolatile != PROVOLATILE_VOLATILE;
	GetUserIdAndSecContext(&caller, &caller_context);

	initStringInfo(&query);
	appendStringInfo(&query, returns_set ? "SELECT * FROM %s.%s($1" : "SELECT %s.%s($1",
					 PRIVATE_SCHEMA, quote_identifier(NameStr(form->proname)));
	types[0] = OIDOID;
	values[0] = ObjectIdGetDatum(caller);
	nulls[0] = ' ';
	for (int i = 1; i < nargs; i++)
	{
		types[i] = form->proargtypes.values[i - 1];
		values[i] = PG_GETARG_DATUM(i - 1);
		nulls[i] = PG_ARGISNULL(i - 1) ? 'n' : ' ';
		appendStringInfo(&query, ", $%d", i + 1);
	}
	appendStringInfoChar(&query, ')');
	ReleaseSysCache(proc);

	/* an error on the way restores the caller (transaction abort does) */
	SetUserIdAndSecContext(sla_extension_owner(), caller_context | SECURITY_LOCAL_USERID_CHANGE);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(query.data, nargs, types, values, nulls, read_only, 0) < 0)
		elog(ERROR, "could not run %s", query.data);
	if (returns_set)
	{
		TupleDesc	desc;
		Tuplestorestate *store = begin_materialized(fcinfo, &desc);

		store_spi_rows(store, desc, fcinfo);
	}
	else if (SPI_processed == 1 && result_type != VOIDOID)
	{
		result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &result_null);
		if (!result_null)
		{
			int16		typlen;
			bool		typbyval;

			get_typlenbyval(result_type, &typlen, &typbyval);
			result = SPI_datumTransfer(result, typbyval, typlen);
		}
	}
	SPI_finish();
	SetUserIdAndSecContext(caller, caller_context);
	if (returns_set)
		return (Datum) 0;
	if (result_null)
		PG_RETURN_NULL();
	return result;
}

PG_FUNCTION_INFO_V1(sla_select_as);
/* See the file header: sla_private.select_as(role, query, VARIADIC "any"). */
Datum
sla_select_as(PG_FUNCTION_ARGS)
{
	Oid			role;
	char	   *query;
	int			nargs = PG_NARGS() - 2;
	Oid		   *types = palloc(sizeof(Oid) * Max(nargs, 1));
	Datum	   *values = palloc(sizeof(Datum) * Max(nargs, 1));
	char	   *nulls = palloc(Max(nargs, 1) + 1);
	Oid			saved_user;
	int			saved_context;
	int			nest_level;
	TupleDesc	desc;
	Tuplestorestate *store;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("select_as needs a role and a query")));
	if (get_fn_expr_variadic(fcinfo->flinfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("select_as takes its query's parameters one by one, not as a VARIADIC array")));
	role = PG_GETARG_OID(0);
	query = text_to_cstring(PG_GETARG_TEXT_PP(1));
	for (int i = 0; i < nargs; i++)
	{
		types[i] = get_fn_expr_argtype(fcinfo->flinfo, i + 2);
		values[i] = PG_GETARG_DATUM(i + 2);
		nulls[i] = PG_ARGISNULL(i + 2) ? 'n' : ' ';
	}
	store = begin_materialized(fcinfo, &desc);

	GetUserIdAndSecContext(&saved_user, &saved_context);
	SetUserIdAndSecContext(role, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	nest_level = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(query, nargs, types, values, nulls, true, 0) != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("select_as runs one SELECT")));
	store_spi_rows(store, desc, fcinfo);
	SPI_finish();
	AtEOXact_GUC(false, nest_level);
	SetUserIdAndSecContext(saved_user, saved_context);
	return (Datum) 0;
}
